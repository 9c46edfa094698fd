import { Arg, Authorized, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { Channel } from '../../../../shared/graphql/channel';
import { decodeCursor, pageSize, toConnection } from '../../../../shared/graphql/connection';
import { money } from '../../../../shared/graphql/money';
import type { OrdersContext } from '../context';
import { summarizeSpend } from '../order/order.service';
import { OrderConnection, PurchaseSummary } from '../order/order.types';
import { Customer } from './customer.stub';

@Resolver(() => Customer)
@Authorized(Rule.CUSTOMER)
export class CustomerOrdersResolver {
  @FieldResolver(() => OrderConnection, {
    nullable: true,
    description: "The customer's orders in every channel, newest first (null, with an UNAVAILABLE error, while the orders service cannot answer).",
  })
  async orders(
    @Root() customer: Customer,
    @Ctx() ctx: OrdersContext,
    @Arg('channel', () => Channel, { nullable: true, description: 'Only orders of this channel.' }) channel?: Channel,
    @Arg('first', () => Int, { nullable: true, description: 'Page size (1-100, default 20).' }) first?: number,
    @Arg('after', { nullable: true, description: 'Cursor of the item before this page.' }) after?: string,
  ) {
    const size = pageSize(first);
    const cursor = decodeCursor(after, ['datetime', 'string']);
    const rows = await ctx.loaders.ordersOfCustomer.load(
      {
        limit: size + 1,
        channel: channel ?? null,
        after: cursor ? { placedAt: String(cursor[0]), id: String(cursor[1]) } : null,
      },
      customer.id,
    );
    return toConnection(rows, size, (o) => [o.placedAt.toISOString(), o.id], cursor !== null);
  }

  @FieldResolver(() => PurchaseSummary, {
    nullable: true,
    description: 'What the customer has bought, in all and per channel (null, with an UNAVAILABLE error, while the orders service cannot answer).',
  })
  async purchaseSummary(@Root() customer: Customer, @Ctx() ctx: OrdersContext): Promise<PurchaseSummary> {
    const spend = summarizeSpend(await ctx.loaders.channelTotalsOfCustomer.load(customer.id));
    return {
      ...spend,
      lifetimeValue: money(spend.lifetimeValue),
      averageOrderValue: money(spend.averageOrderValue),
      byChannel: spend.byChannel.map((c) => ({ ...c, amount: money(c.amount) })),
    };
  }
}
