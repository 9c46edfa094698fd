import { ArrayMaxSize, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Channel } from '../../../../shared/graphql/channel';
import { AddressInput, DeliverySlot, PaymentInput, PaymentStatus } from '../../../../shared/graphql/checkout';
import { DateScalar } from '../../../../shared/graphql/scalars';
import { UserError } from '../../../../shared/graphql/user-error';
import { FulfillmentType, Order } from './order.entity';
import { Payment } from './order.types';

@InputType({ description: 'A variant and how many units of it.' })
export class OrderLineInput {
  @Field(() => ID, { description: 'Variant (SKU) id.' })
  variantId!: string;

  @Field(() => Int, { description: 'Units: lines of the same variant are added up, 1-99 per variant in placeOrder, 1-999 in a return (INVALID_QUANTITY beyond).' })
  quantity!: number;
}

@InputType({ description: 'How the goods should reach the customer.' })
export class FulfillmentInput {
  @Field(() => FulfillmentType, {
    description: 'SHIP, PICKUP_IN_STORE or SHIP_FROM_STORE for EC and APP orders; CARRY_OUT for a sale at the till (channel STORE: store staff at their store, or the carts service).',
  })
  type!: FulfillmentType;

  @Field(() => ID, { nullable: true, description: 'The store, for PICKUP_IN_STORE, SHIP_FROM_STORE and CARRY_OUT (LOCATION_REQUIRED without it); ignored for SHIP.' })
  locationId?: string | null;

  @IsOptional()
  @ValidateNested()
  @Field(() => AddressInput, {
    nullable: true,
    description:
      'Where SHIP and SHIP_FROM_STORE deliver, kept on the order as a snapshot: required with a payment (ADDRESS_REQUIRED), validated (INVALID_POSTAL_CODE, INVALID_PREFECTURE, INVALID_PHONE, INVALID_ADDRESS_FIELD); ignored for other fulfilments.',
  })
  address?: AddressInput | null;

  @Field(() => DateScalar, {
    nullable: true,
    description:
      'SHIP and SHIP_FROM_STORE: the day to deliver, from today + DELIVERY_LEAD_DAYS to today + DELIVERY_HORIZON_DAYS in the business calendar (DELIVERY_DATE_OUT_OF_RANGE otherwise); none means as soon as possible. Ignored for other fulfilments.',
  })
  deliveryDate?: string | null;

  @Field(() => DeliverySlot, { nullable: true, description: 'SHIP and SHIP_FROM_STORE: the time of day to deliver; ANY when a date or an address is given without one. Ignored for other fulfilments.' })
  deliverySlot?: DeliverySlot | null;
}

@InputType({ description: 'An online order. Prices and tax come from the catalog, never from the client.' })
export class PlaceOrderInput {
  @MaxLength(100)
  @Field({
    description:
      'Chosen by the client per order (e.g. a UUID): the same request from the same caller with it returns the same order; another caller or another request with it is IDEMPOTENCY_KEY_REUSED.',
  })
  idempotencyKey!: string;

  @Field(() => Channel, { description: 'EC or APP; STORE for a sale at the till (fulfilment CARRY_OUT). Anything else is UNSUPPORTED_CHANNEL.' })
  channel!: Channel;

  @MaxLength(36)
  @Field(() => ID, {
    nullable: true,
    description: "Whose order; a signed-in customer's own by default (staff and partners may name one). A customer who does not exist or was erased is UNKNOWN_CUSTOMER.",
  })
  customerId?: string | null;

  @IsOptional()
  @MaxLength(320)
  @Field(() => String, {
    nullable: true,
    description:
      'Contact e-mail of a guest (required without a customer, except for a sale at the till, which may be anonymous and ignores it); it opens the order to the guest with its number, and joins nobody.',
  })
  guestEmail?: string | null;

  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Field(() => [OrderLineInput], { description: 'What to buy (1-50 variants, 1-99 units each); the order comes to at most 999,999,999 (ORDER_TOTAL_TOO_LARGE).' })
  lines!: OrderLineInput[];

  @ValidateNested()
  @Field(() => FulfillmentInput, { description: 'How the goods reach the customer.' })
  fulfillment!: FulfillmentInput;

  @IsOptional()
  @ValidateNested()
  @Field(() => PaymentInput, {
    nullable: true,
    description:
      'A checkout: how the order is paid. The method must fit the fulfilment (PAYMENT_METHOD_NOT_ALLOWED: PAY_AT_STORE for PICKUP_IN_STORE and CARRY_OUT, CASH_ON_DELIVERY for SHIP and SHIP_FROM_STORE, KONBINI for all but CARRY_OUT, CARD for all); CARD and KONBINI need the reference (PAYMENT_REFERENCE_REQUIRED); CARRY_OUT needs a payment (PAYMENT_REQUIRED). With it, shipped orders need an address and carry the shipping fee (free from FREE_SHIPPING_FROM) and cash on delivery its fee, both in the total. Without it the order has no payment and no fees.',
  })
  payment?: PaymentInput | null;

  @IsOptional()
  @MaxLength(64)
  @Field(() => ID, {
    nullable: true,
    description: 'The cart checked out into this order: the carts service (checkoutCart) sends it; from anyone else it is FORBIDDEN.',
  })
  cartId?: string | null;
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

@InputType({ description: "A payment provider's report on an order's payment." })
export class RecordPaymentInput {
  @Field(() => ID, { description: 'The order.' })
  orderId!: string;

  @Field(() => PaymentStatus, {
    description:
      'The new status: PENDING or AUTHORIZED to PAID or FAILED, PAID to REFUNDED; the same status again changes nothing (ILLEGAL_PAYMENT_TRANSITION otherwise; a cancelled order cannot become PAID: ORDER_CANCELLED).',
  })
  status!: PaymentStatus;

  @MaxLength(200)
  @Field({
    description:
      "The payment's reference at the provider: it must be the order's (PAYMENT_REFERENCE_MISMATCH); an order placed without one (cash on delivery, at the store) takes the first one recorded.",
  })
  reference!: string;
}

@ObjectType({ description: 'The result of recordPayment.' })
export class RecordPaymentPayload {
  @Field(() => Order, { nullable: true, description: 'The order as it is now, for callers who may read it; null when a userError stopped the mutation.' })
  order?: Order | null;

  @Field(() => String, { nullable: true, description: 'The order number, readable by whoever recorded the payment (a provider, who cannot read the order).' })
  orderNumber?: string | null;

  @Field(() => Payment, { nullable: true, description: "The order's payment as it is now, readable by whoever recorded it; null when a userError stopped the mutation." })
  payment?: Payment | null;

  @Field(() => [UserError], { description: 'Expected outcomes that stopped the mutation (NO_PAYMENT, PAYMENT_REFERENCE_MISMATCH, ILLEGAL_PAYMENT_TRANSITION, ORDER_CANCELLED).' })
  userErrors!: UserError[];
}
