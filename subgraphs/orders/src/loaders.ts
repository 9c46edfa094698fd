import DataLoader from 'dataloader';
import type { Channel } from '../../../shared/graphql/channel';
import { recordsFollowingMerges } from '../../../shared/events/customer-links';
import { byKeys, groupByKeys, LoaderFamily } from '../../../shared/loaders';
import type { OrdersDomain } from './domain';
import type { Order, OrderLine } from './order/order.entity';
import type { OrderReturn, OrderReturnLine } from './return/return.entity';
import type { ChannelTotals, OrderCursor } from './order/order.service';

export interface CustomerOrdersArgs {
  limit: number;
  channel: Channel | null;
  after: OrderCursor | null;
}

export function createOrdersLoaders({ orders, customerLinks, returns }: OrdersDomain) {
  /** The customer an id stands for now: the survivor of any merges. */
  const customerRoot = customerLinks.rootLoader();
  return {
    customerRoot,
    orderById: new DataLoader<string, Order | null>(async (ids) => byKeys(ids, await orders.byIds(ids), (o) => o.id)),
    orderByNumber: new DataLoader<string, Order | null>(async (numbers) =>
      byKeys(numbers, await orders.byNumbers(numbers), (o) => o.number),
    ),
    linesByOrderId: new DataLoader<string, OrderLine[]>(async (ids) =>
      groupByKeys(ids, await orders.linesOf(ids), (l) => l.orderId),
    ),
    returnsByOrderId: new DataLoader<string, OrderReturn[]>(async (ids) => groupByKeys(ids, await returns.ofOrders(ids), (r) => r.orderId)),
    returnLinesByReturnId: new DataLoader<string, OrderReturnLine[]>(async (ids) =>
      groupByKeys(ids, await returns.linesOf(ids), (l) => l.returnId),
    ),
    // A customer reference may name a customer merged away: its orders are the survivor's.
    ordersOfCustomer: new LoaderFamily<CustomerOrdersArgs, string, Order[]>(async (args, ids) => {
      const pages = await recordsFollowingMerges(ids, customerRoot, (some) => orders.newestOfCustomers(some, args.limit, args.channel, args.after));
      return ids.map((id) => pages.get(id) ?? []);
    }),
    channelTotalsOfCustomer: new DataLoader<string, ChannelTotals[]>(async (ids) => {
      const totals = await recordsFollowingMerges(ids, customerRoot, async (some) => {
        const grouped = groupByKeys(some, await orders.channelTotals(some), (t) => t.customerId);
        return new Map(some.map((id, i) => [id, grouped[i]]));
      });
      return ids.map((id) => totals.get(id) ?? []);
    }),
  };
}

export type OrdersLoaders = ReturnType<typeof createOrdersLoaders>;
