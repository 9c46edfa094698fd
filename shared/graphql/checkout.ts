import { MaxLength } from 'class-validator';
import { Field, InputType, registerEnumType } from 'type-graphql';

/**
 * Checkout's shared vocabulary: the orders subgraph records it on orders, the carts subgraph takes it
 * in checkoutCart, the customers subgraph takes addresses in the same shape. One definition, so the
 * composed graph has one of each.
 */

export enum FulfillmentType {
  SHIP = 'SHIP',
  PICKUP_IN_STORE = 'PICKUP_IN_STORE',
  SHIP_FROM_STORE = 'SHIP_FROM_STORE',
  CARRY_OUT = 'CARRY_OUT',
}
registerEnumType(FulfillmentType, {
  name: 'FulfillmentType',
  description: 'How the goods reach the customer.',
  valuesConfig: {
    SHIP: { description: 'Shipped from the warehouse or a store that has the goods.' },
    PICKUP_IN_STORE: { description: 'Collected by the customer at a store.' },
    SHIP_FROM_STORE: { description: 'Shipped from a store.' },
    CARRY_OUT: { description: 'Bought and taken away in a store.' },
  },
});

/** Time bands of a Japanese home delivery (the carriers' usual ones). */
export enum DeliverySlot {
  ANY = 'ANY',
  MORNING = 'MORNING',
  H14_16 = 'H14_16',
  H16_18 = 'H16_18',
  H18_20 = 'H18_20',
  H19_21 = 'H19_21',
}
registerEnumType(DeliverySlot, {
  name: 'DeliverySlot',
  description: 'When on the delivery date the parcel arrives.',
  valuesConfig: {
    ANY: { description: 'Any time of the day.' },
    MORNING: { description: 'Morning, until noon.' },
    H14_16: { description: '14:00-16:00.' },
    H16_18: { description: '16:00-18:00.' },
    H18_20: { description: '18:00-20:00.' },
    H19_21: { description: '19:00-21:00.' },
  },
});

export enum PaymentMethod {
  PAY_AT_STORE = 'PAY_AT_STORE',
  CASH_ON_DELIVERY = 'CASH_ON_DELIVERY',
  CARD = 'CARD',
  KONBINI = 'KONBINI',
}
registerEnumType(PaymentMethod, {
  name: 'PaymentMethod',
  description: 'How an order is paid.',
  valuesConfig: {
    PAY_AT_STORE: { description: 'At the store, at pickup or at the till (PICKUP_IN_STORE, CARRY_OUT).' },
    CASH_ON_DELIVERY: { description: 'To the carrier on delivery, with its fee (SHIP).' },
    CARD: { description: "By card through the retailer's payment provider; the storefront passes the provider's reference." },
    KONBINI: { description: "At a convenience store before a deadline, with the provider's payment reference; unpaid by then, the order is cancelled." },
  },
});

export enum PaymentStatus {
  PENDING = 'PENDING',
  AUTHORIZED = 'AUTHORIZED',
  PAID = 'PAID',
  FAILED = 'FAILED',
  REFUNDED = 'REFUNDED',
}
registerEnumType(PaymentStatus, {
  name: 'PaymentStatus',
  description: "Where an order's payment stands.",
  valuesConfig: {
    PENDING: { description: 'Not paid yet (cash on delivery, at the store, konbini before its deadline).' },
    AUTHORIZED: { description: 'The provider authorised the amount; not captured yet.' },
    PAID: { description: 'Paid.' },
    FAILED: { description: 'The provider reported the payment failed.' },
    REFUNDED: { description: 'Paid, then given back.' },
  },
});

@InputType({ description: 'A postal address in Japan, as typed (validated and normalised by the graph).' })
export class AddressInput {
  @Field({ description: 'Who receives the parcel (at most 100 characters).' })
  @MaxLength(100)
  recipientName!: string;

  @Field({ description: 'Seven digits, with or without the hyphen: 150-0041 (INVALID_POSTAL_CODE otherwise).' })
  @MaxLength(20)
  postalCode!: string;

  @Field({ description: 'One of the 47 prefectures: 東京都 (also 東京, Tokyo); INVALID_PREFECTURE otherwise.' })
  @MaxLength(40)
  prefecture!: string;

  @Field({ description: 'City, ward, town or village (at most 100 characters).' })
  @MaxLength(100)
  city!: string;

  @Field({ description: 'Street and number (at most 200 characters).' })
  @MaxLength(200)
  line1!: string;

  @Field(() => String, { nullable: true, description: 'Building and room (at most 200 characters).' })
  @MaxLength(200)
  line2?: string | null;

  @Field({ description: 'Phone number of the recipient, Japanese (090-1234-5678, +81 90 …); INVALID_PHONE otherwise.' })
  @MaxLength(30)
  phone!: string;
}

@InputType({ description: 'How the buyer pays.' })
export class PaymentInput {
  @Field(() => PaymentMethod, { description: 'The method; it must fit the fulfilment (PAYMENT_METHOD_NOT_ALLOWED otherwise).' })
  method!: PaymentMethod;

  @Field(() => String, {
    nullable: true,
    description: "The payment provider's reference the storefront was given (required for CARD and KONBINI: PAYMENT_REFERENCE_REQUIRED); the graph records it and calls no provider.",
  })
  @MaxLength(200)
  reference?: string | null;
}
