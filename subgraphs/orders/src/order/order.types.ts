import { Field, Int, ObjectType } from 'type-graphql';
import { Channel } from '../../../../shared/graphql/channel';
import { PaymentMethod, PaymentStatus } from '../../../../shared/graphql/checkout';
import { connectionTypes } from '../../../../shared/graphql/connection';
import { Money } from '../../../../shared/graphql/money';
import { Location } from '../stubs/stubs';
import { FulfillmentStatus, FulfillmentType, Order } from './order.entity';

export const { ConnectionType: OrderConnection } = connectionTypes('Order', Order, 'order');

@ObjectType({ description: 'How and where an order is fulfilled.' })
export class Fulfillment {
  @Field(() => FulfillmentType, { description: 'How the goods reach the customer.' })
  type!: FulfillmentType;

  @Field(() => Location, { nullable: true, description: 'Store that fulfils it (pickup, ship-from-store, carry-out).' })
  location!: Location | null;

  @Field(() => FulfillmentStatus, { description: 'Where the fulfilment stands.' })
  status!: FulfillmentStatus;
}

@ObjectType({ description: "A customer's spend in one channel, net of cancellations and returns." })
export class ChannelSummary {
  @Field(() => Channel, { description: 'The channel.' })
  channel!: Channel;

  @Field(() => Money, { description: 'Amount spent in the channel less refunds, tax-inclusive.' })
  amount!: Money;

  @Field(() => Int, { description: 'Orders placed in the channel.' })
  orderCount!: number;

  @Field({ description: 'When the last order in the channel was placed.' })
  lastOrderAt!: Date;
}

@ObjectType({ description: "What a customer has bought across every channel, net of cancellations and returns." })
export class PurchaseSummary {
  @Field(() => Money, { description: 'Everything the customer has spent less refunds, tax-inclusive.' })
  lifetimeValue!: Money;

  @Field(() => Int, { description: 'Orders placed.' })
  orderCount!: number;

  @Field(() => Money, { description: 'Lifetime value divided by orders (rounded down).' })
  averageOrderValue!: Money;

  @Field(() => Date, { nullable: true, description: 'When the first order was placed.' })
  firstOrderAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the last order was placed.' })
  lastOrderAt!: Date | null;

  @Field(() => [ChannelSummary], { description: 'The same per channel.' })
  byChannel!: ChannelSummary[];
}


@ObjectType({
  description:
    "Where an order ships: the address as it was when the order was placed (a snapshot, normalised), not the customer's address book. Recipient, street lines and phone are masked for staff who see contact details masked, as a customer's addresses are; erased with the customer.",
})
export class ShippingAddress {
  @Field({ description: 'Who receives the parcel (masked for staff who see contact details masked: 山* **).' })
  recipientName!: string;

  @Field({ description: 'Seven digits, no hyphen (1500041).' })
  postalCode!: string;

  @Field({ description: 'One of the 47 prefectures, as written in Japanese (東京都).' })
  prefecture!: string;

  @Field({ description: 'City, ward, town or village.' })
  city!: string;

  @Field({ description: 'Street and number (masked for staff who see contact details masked: 神**-*-*).' })
  line1!: string;

  @Field(() => String, { nullable: true, description: 'Building and room, if any (masked like line1).' })
  line2!: string | null;

  @Field({ description: "The recipient's phone, E.164 (+819012345678; masked +81******5678 for staff who see contact details masked)." })
  phone!: string;
}

@ObjectType({ description: "How an order is paid and where the payment stands. The graph calls no payment provider: the provider's integration reports through recordPayment." })
export class Payment {
  @Field(() => PaymentMethod, { description: 'The method chosen at checkout.' })
  method!: PaymentMethod;

  @Field(() => PaymentStatus, {
    description: 'Where the payment stands: CARD starts AUTHORIZED, a sale at the till PAID, the others PENDING; recordPayment moves it on.',
  })
  status!: PaymentStatus;

  @Field(() => String, { nullable: true, description: "The payment provider's reference (null for cash on delivery or at the store until one is recorded)." })
  reference!: string | null;

  @Field(() => Date, { nullable: true, description: 'KONBINI: pay by then, or the order is cancelled (KONBINI_PAYMENT_DAYS after it was placed); null for other methods.' })
  deadline!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the payment was recorded as paid; null until then.' })
  paidAt!: Date | null;
}
