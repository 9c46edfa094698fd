import { Field, Int, ObjectType } from 'type-graphql';
import { Channel } from '../../../../shared/graphql/channel';
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

