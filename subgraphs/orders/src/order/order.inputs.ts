import { ArrayMaxSize, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Channel } from '../../../../shared/graphql/channel';
import { UserError } from '../../../../shared/graphql/user-error';
import { FulfillmentType, Order } from './order.entity';

@InputType({ description: 'A variant and how many units of it.' })
export class OrderLineInput {
  @Field(() => ID, { description: 'Variant (SKU) id.' })
  variantId!: string;

  @Field(() => Int, { description: 'Units: lines of the same variant are added up, 1-99 per variant in placeOrder, 1-999 in a return (INVALID_QUANTITY beyond).' })
  quantity!: number;
}

@InputType({ description: 'How the goods should reach the customer.' })
export class FulfillmentInput {
  @Field(() => FulfillmentType, { description: 'SHIP, PICKUP_IN_STORE or SHIP_FROM_STORE (CARRY_OUT is for store sales).' })
  type!: FulfillmentType;

  @Field(() => ID, { nullable: true, description: 'The store, for PICKUP_IN_STORE and SHIP_FROM_STORE; ignored for SHIP.' })
  locationId?: string | null;
}

@InputType({ description: 'An online order. Prices and tax come from the catalog, never from the client.' })
export class PlaceOrderInput {
  @MaxLength(100)
  @Field({
    description:
      'Chosen by the client per order (e.g. a UUID): the same request from the same caller with it returns the same order; another caller or another request with it is IDEMPOTENCY_KEY_REUSED.',
  })
  idempotencyKey!: string;

  @Field(() => Channel, { description: 'EC or APP.' })
  channel!: Channel;

  @MaxLength(36)
  @Field(() => ID, {
    nullable: true,
    description: "Whose order; a signed-in customer's own by default (staff and partners may name one). A customer who does not exist or was erased is UNKNOWN_CUSTOMER.",
  })
  customerId?: string | null;

  @IsOptional()
  @MaxLength(320)
  @Field(() => String, { nullable: true, description: 'Contact e-mail of a guest (required without a customer); the order joins whoever links this address.' })
  guestEmail?: string | null;

  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Field(() => [OrderLineInput], { description: 'What to buy (1-50 variants, 1-99 units each); the order comes to at most 999,999,999 (ORDER_TOTAL_TOO_LARGE).' })
  lines!: OrderLineInput[];

  @ValidateNested()
  @Field(() => FulfillmentInput, { description: 'How the goods reach the customer.' })
  fulfillment!: FulfillmentInput;
}

@InputType({ description: 'An order to cancel before fulfilment.' })
export class CancelOrderInput {
  @Field(() => ID, { description: 'The order.' })
  orderId!: string;

  @IsOptional()
  @MaxLength(500)
  @Field(() => String, { nullable: true, description: 'Why, for the record (at most 500 characters).' })
  reason?: string | null;
}

@InputType({ description: 'A pickup order at its store.' })
export class PickupInput {
  @Field(() => ID, { description: 'The order.' })
  orderId!: string;
}

@ObjectType({ description: 'The result of a mutation on one order.' })
export class OrderPayload {
  @Field(() => Order, {
    nullable: true,
    description: 'The order as it is now (a guest reads the order they placed); null when a userError stopped the mutation.',
  })
  order?: Order | null;

  @Field(() => String, { nullable: true, description: 'The order number, readable by whoever made the change (e.g. a partner, who cannot read the order).' })
  orderNumber?: string | null;

  @Field(() => [UserError], { description: 'Expected outcomes that stopped the mutation (e.g. INSUFFICIENT_STOCK, ILLEGAL_TRANSITION).' })
  userErrors!: UserError[];
}
