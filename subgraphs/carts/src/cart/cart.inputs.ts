import { ArrayMaxSize, ArrayMinSize, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Channel } from '../../../../shared/graphql/channel';
import { AddressInput, DeliverySlot, FulfillmentType, PaymentInput } from '../../../../shared/graphql/checkout';
import { DateScalar } from '../../../../shared/graphql/scalars';
import { UserError } from '../../../../shared/graphql/user-error';
import { CartRow } from './cart.entity';
import { MAX_CART_LINES } from './cart.service';
import { Order } from '../stubs';

@InputType({ description: 'A variant and how many.' })
export class CartLineInput {
  @Field(() => ID, { description: 'Variant (SKU) id (UNKNOWN_VARIANT, DISCONTINUED).' })
  @MaxLength(36)
  variantId!: string;

  @Field(() => Int, { description: 'Units to add: 1 to CART_LINE_MAX_QUANTITY (default 10) per variant in the cart (INVALID_QUANTITY), and no more than one location has (INSUFFICIENT_STOCK).' })
  quantity!: number;
}

@InputType({ description: 'A new cart.' })
export class CartCreateInput {
  @Field(() => Channel, { description: 'Where the shopper is: EC, APP (or STORE).' })
  channel!: Channel;

  @Field(() => [CartLineInput], { nullable: true, description: `Lines to start with (at most ${MAX_CART_LINES}).` })
  @IsOptional()
  @ArrayMaxSize(MAX_CART_LINES)
  @ValidateNested()
  lines?: CartLineInput[] | null;
}

@InputType({ description: 'Lines to add to a cart.' })
export class CartLinesAddInput {
  @Field(() => ID, { description: 'The cart.' })
  @MaxLength(43)
  cartId!: string;

  @Field(() => [CartLineInput], { description: 'What to add: a variant already in the cart gets the units added.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CART_LINES)
  @ValidateNested()
  lines!: CartLineInput[];

  @Field(() => Channel, { nullable: true, description: 'Where the shopper is now (default: where the cart was last changed).' })
  channel?: Channel | null;
}

@InputType({ description: "A line's new quantity." })
export class CartLineUpdateInput {
  @Field(() => ID, { description: 'The line (UNKNOWN_LINE).' })
  @MaxLength(36)
  lineId!: string;

  @Field(() => Int, { description: 'Units: 0 removes the line; at most CART_LINE_MAX_QUANTITY.' })
  quantity!: number;
}

@InputType({ description: 'New quantities for lines of a cart.' })
export class CartLinesUpdateInput {
  @Field(() => ID, { description: 'The cart.' })
  @MaxLength(43)
  cartId!: string;

  @Field(() => [CartLineUpdateInput], { description: 'The lines and their quantities.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CART_LINES)
  @ValidateNested()
  lines!: CartLineUpdateInput[];
}

@InputType({ description: 'Lines to take out of a cart.' })
export class CartLinesRemoveInput {
  @Field(() => ID, { description: 'The cart.' })
  @MaxLength(43)
  cartId!: string;

  @Field(() => [ID], { description: 'The lines (UNKNOWN_LINE).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CART_LINES)
  @MaxLength(36, { each: true })
  lineIds!: string[];
}

@InputType({ description: 'An anonymous cart to take over.' })
export class ClaimCartInput {
  @Field(() => ID, { description: "The anonymous cart's id (the shopper had it before signing in)." })
  @MaxLength(43)
  cartId!: string;
}

@InputType({ description: 'How the order reaches the buyer.' })
export class CheckoutFulfillmentInput {
  @Field(() => FulfillmentType, { description: 'SHIP (to an address), PICKUP_IN_STORE (at locationId), CARRY_OUT (at the till: store staff at their store).' })
  type!: FulfillmentType;

  @Field(() => ID, { nullable: true, description: 'The store: pickup store for PICKUP_IN_STORE (it must have every line), the till\'s store for CARRY_OUT.' })
  @MaxLength(36)
  locationId?: string | null;

  @Field(() => ID, { nullable: true, description: "SHIP: one of the customer's saved addresses (Customer.addresses; UNKNOWN_ADDRESS otherwise)." })
  @MaxLength(36)
  addressId?: string | null;

  @Field(() => AddressInput, { nullable: true, description: 'SHIP: an address given here (a guest), validated (INVALID_POSTAL_CODE, INVALID_PREFECTURE, INVALID_PHONE, INVALID_ADDRESS_FIELD).' })
  @IsOptional()
  @ValidateNested()
  address?: AddressInput | null;

  @Field(() => DateScalar, { nullable: true, description: 'SHIP: the delivery date, from today + DELIVERY_LEAD_DAYS to today + DELIVERY_HORIZON_DAYS (DELIVERY_DATE_OUT_OF_RANGE).' })
  deliveryDate?: string | null;

  @Field(() => DeliverySlot, { nullable: true, description: 'SHIP: the time band on that date (default ANY).' })
  deliverySlot?: DeliverySlot | null;
}

@InputType({ description: 'A cart to turn into an order.' })
export class CheckoutCartInput {
  @Field(() => ID, { description: 'The cart.' })
  @MaxLength(43)
  cartId!: string;

  @Field({ description: 'Chosen by the client per checkout and sent again on a retry: the same key returns the same order.' })
  @MaxLength(200)
  idempotencyKey!: string;

  @Field(() => String, { nullable: true, description: "A guest's contact e-mail (required for an anonymous cart, except at the till)." })
  @MaxLength(320)
  guestEmail?: string | null;

  @Field(() => CheckoutFulfillmentInput, { description: 'How the goods reach the buyer.' })
  @ValidateNested()
  fulfillment!: CheckoutFulfillmentInput;

  @Field(() => PaymentInput, { description: 'How the buyer pays (it must fit the fulfilment: PAYMENT_METHOD_NOT_ALLOWED).' })
  @ValidateNested()
  payment!: PaymentInput;
}

@ObjectType({ description: 'The cart after a change, or why it did not change.' })
export class CartPayload {
  @Field(() => CartRow, { nullable: true, description: 'The cart (null when userErrors say why not).' })
  cart!: CartRow | null;

  @Field(() => [UserError], { description: 'Expected outcomes that stopped the change (codes: CartErrorCode).' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'A checkout: the order, and the cart it came from.' })
export class CheckoutCartPayload {
  @Field(() => CartRow, { nullable: true, description: 'The cart, now CHECKED_OUT.' })
  cart!: CartRow | null;

  @Field(() => Order, { nullable: true, description: 'The order placed (the same one for a retry with the same idempotencyKey), for whoever may read it.' })
  order!: Order | null;

  @Field(() => String, { nullable: true, description: "The order's number, for every caller who checked out: a guest reads the order with orderByNumber(number, guestEmail)." })
  orderNumber!: string | null;

  @Field(() => [UserError], { description: "Expected outcomes that stopped the checkout: CartErrorCode's, and the orders service's (INSUFFICIENT_STOCK, PAYMENT_METHOD_NOT_ALLOWED, DELIVERY_DATE_OUT_OF_RANGE, ...)." })
  userErrors!: UserError[];
}
