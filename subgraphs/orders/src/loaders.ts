import DataLoader from 'dataloader';
import type { Channel } from '../../../shared/graphql/channel';
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
  return {
    /** The customer an id stands for now: the survivor of any merges. */
    customerRoot: customerLinks.rootLoader(),
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
    ordersOfCustomer: new LoaderFamily<CustomerOrdersArgs, string, Order[]>(async (args, ids) => {
      const pages = await orders.newestOfCustomers(ids, args.limit, args.channel, args.after);
      return ids.map((id) => pages.get(id) ?? []);
    }),
    channelTotalsOfCustomer: new DataLoader<string, ChannelTotals[]>(async (ids) =>
      groupByKeys(ids, await orders.channelTotals(ids), (t) => t.customerId),
    ),
  };
}

export type OrdersLoaders = ReturnType<typeof createOrdersLoaders>;
