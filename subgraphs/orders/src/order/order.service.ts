import { randomUUID } from 'node:crypto';
import { In, Not } from 'typeorm';
import { insertMany } from '../../../../shared/db/batch';
import { toDate, toInt } from '../../../../shared/db/columns';
import type { Database } from '../../../../shared/db/database';
import { firstRowsPerParent } from '../../../../shared/db/per-parent';
import type { IdentityFact } from '../../../../shared/events/catalog';
import type { Attribution, CustomerLinks } from '../../../../shared/events/customer-links';
import type { Outbox } from '../../../../shared/events/outbox';
import type { Channel } from '../../../../shared/graphql/channel';
import { DEFAULT_CURRENCY } from '../../../../shared/graphql/money';
import { FulfillmentStatus, FulfillmentType, Order, OrderLine, OrderStatus } from './order.entity';

export interface RecordedOrderLine {
  variantId: string;
  productId: string;
  quantity: number;
  /** Tax-inclusive unit price charged, minor units. */
  unitPrice: number;
  taxRateBp: number;
}

/** An order that already happened (history, imports): recorded as it was. */
export interface RecordedOrder {
  id?: string;
  number: string;
  channel: Channel;
  status: OrderStatus;
  customerId: string | null;
  /** The identity the sale was made with (a store sale may carry only this), normalised as the customers service stores it. */
  customerIdentity?: IdentityFact | null;
  locationId: string | null;
  placedAt: Date;
  externalId: string | null;
  fulfillmentType: FulfillmentType;
  fulfillmentLocationId: string | null;
  fulfillmentStatus: FulfillmentStatus;
  lines: RecordedOrderLine[];
}

/** Sort key of a customer's orders: newest first. */
export interface OrderCursor {
  placedAt: string;
  id: string;
}

export interface ChannelTotals {
  channel: Channel;
  amount: number;
  orderCount: number;
  firstOrderAt: Date;
  lastOrderAt: Date;
}

export interface CustomerSpend {
  lifetimeValue: number;
  orderCount: number;
  averageOrderValue: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  byChannel: ChannelTotals[];
}

/** A customer's spend in all, from their spend per channel. */
export function summarizeSpend(channels: ChannelTotals[]): CustomerSpend {
  const lifetimeValue = channels.reduce((sum, c) => sum + c.amount, 0);
  const orderCount = channels.reduce((sum, c) => sum + c.orderCount, 0);
  const firsts = channels.map((c) => c.firstOrderAt.getTime());
  const lasts = channels.map((c) => c.lastOrderAt.getTime());
  return {
    lifetimeValue,
    orderCount,
    averageOrderValue: orderCount ? Math.floor(lifetimeValue / orderCount) : 0,
    firstOrderAt: firsts.length ? new Date(Math.min(...firsts)) : null,
    lastOrderAt: lasts.length ? new Date(Math.max(...lasts)) : null,
    byChannel: channels,
  };
}

/** Tax contained in a tax-inclusive amount (rounded down, as Japanese receipts do). */
export function includedTax(amount: number, rateBp: number): number {
  return Math.floor((amount * rateBp) / (10_000 + rateBp));
}

/** Orders and their lines as they will be stored, attributed as `attributions` says (in input order). */
function buildOrders(inputs: RecordedOrder[], attributions: Attribution[]): { orders: Order[]; lines: OrderLine[] } {
  const orders: Order[] = [];
  const lines: OrderLine[] = [];
  inputs.forEach((input, i) => {
    const orderLines = input.lines.map((line) =>
      Object.assign(new OrderLine(), {
        variantId: line.variantId,
        productId: line.productId,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        taxRateBp: line.taxRateBp,
        taxAmount: includedTax(line.unitPrice * line.quantity, line.taxRateBp),
      }),
    );
    const order = Object.assign(new Order(), {
      id: input.id ?? randomUUID(),
      number: input.number,
      channel: input.channel,
      status: input.status,
      customerId: attributions[i].customerId,
      attributedCustomerId: attributions[i].attributedCustomerId,
      identityType: input.customerIdentity?.type ?? null,
      identityValue: input.customerIdentity?.value ?? null,
      locationId: input.locationId,
      total: orderLines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0),
      taxTotal: orderLines.reduce((sum, l) => sum + l.taxAmount, 0),
      currencyCode: DEFAULT_CURRENCY,
      fulfillmentType: input.fulfillmentType,
      fulfillmentLocationId: input.fulfillmentLocationId,
      fulfillmentStatus: input.fulfillmentStatus,
      placedAt: input.placedAt,
      externalId: input.externalId,
    });
    for (const line of orderLines) line.orderId = order.id;
    orders.push(order);
    lines.push(...orderLines);
  });
  return { orders, lines };
}

export class OrderService {
  constructor(private readonly db: Database, private readonly outbox: Outbox, private readonly customers: CustomerLinks) {}

  /**
   * Records orders with their lines and publishes `order.placed` for each, in one transaction. An
   * order with only an identity joins the identity's owner when one is known; a merged-away customer
   * id is recorded as given and the order belongs to the survivor.
   */
  async recordOrders(inputs: RecordedOrder[]): Promise<Order[]> {
    return this.db.transaction(async (manager) => {
      const attributions = await this.customers.attribute(
        manager,
        inputs.map((input) => ({ customerId: input.customerId, identity: input.customerIdentity ?? null })),
      );
      const { orders, lines } = buildOrders(inputs, attributions);
      await insertMany(manager, Order, orders);
      await insertMany(manager, OrderLine, lines);
      await this.outbox.add(
        manager,
        orders.map((order) => ({
          type: 'order.placed' as const,
          key: order.id,
          occurredAt: order.placedAt,
          payload: {
            orderId: order.id,
            number: order.number,
            channel: order.channel,
            // As attributed: consumers follow merges with their own maps, and an unmerge gives it back.
            customerId: order.attributedCustomerId,
            customerIdentity:
              order.identityType === null || order.identityValue === null
                ? null
                : { type: order.identityType, value: order.identityValue },
            locationId: order.locationId,
            placedAt: order.placedAt.toISOString(),
            total: order.total,
            currencyCode: order.currencyCode,
            lines: lines
              .filter((l) => l.orderId === order.id)
              .map((l) => ({ variantId: l.variantId, productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice })),
          },
        })),
      );
      return orders;
    });
  }

  /** True when at least one order exists. */
  async hasAny(): Promise<boolean> {
    return (await this.db.manager.getRepository(Order).find({ select: { id: true }, take: 1 })).length > 0;
  }

  /** Customers who bought in the most channels, most orders first: good examples of one customer everywhere. */
  async mostOmnichannelCustomers(limit: number): Promise<string[]> {
    const rows: Array<{ customerId: string }> = await this.db.manager
      .getRepository(Order)
      .createQueryBuilder('o')
      .select('o.customer_id', 'customerId')
      .where('o.customer_id IS NOT NULL')
      .groupBy('o.customer_id')
      .orderBy('COUNT(DISTINCT o.channel)', 'DESC')
      .addOrderBy('COUNT(*)', 'DESC')
      .addOrderBy('o.customer_id')
      .limit(limit)
      .getRawMany();
    return rows.map((r) => r.customerId);
  }

  /** Every order of a customer with its lines, oldest first: their part of a disclosure export. */
  async disclosureOf(customerId: string): Promise<Array<Order & { lines: OrderLine[] }>> {
    const orders = await this.db.manager.getRepository(Order).find({ where: { customerId }, order: { placedAt: 'ASC', id: 'ASC' } });
    const lines = orders.length ? await this.linesOf(orders.map((o) => o.id)) : [];
    return orders.map((order) => ({ ...order, lines: lines.filter((l) => l.orderId === order.id) }));
  }

  byIds(ids: readonly string[]): Promise<Order[]> {
    return this.db.manager.getRepository(Order).findBy({ id: In([...ids]) });
  }

  byNumbers(numbers: readonly string[]): Promise<Order[]> {
    return this.db.manager.getRepository(Order).findBy({ number: In([...numbers]) });
  }

  linesOf(orderIds: readonly string[]): Promise<OrderLine[]> {
    return this.db.manager
      .getRepository(OrderLine)
      .find({ where: { orderId: In([...orderIds]) }, order: { orderId: 'ASC', id: 'ASC' } });
  }

  /** The newest `limit` orders of each customer (after a cursor, of one channel), in one statement. */
  async newestOfCustomers(
    customerIds: readonly string[],
    limit: number,
    channel: Channel | null,
    after: OrderCursor | null,
  ): Promise<Map<string, Order[]>> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (channel) {
      conditions.push('channel = ?');
      params.push(channel);
    }
    if (after) {
      const placedAt = this.db.dateParameter(new Date(after.placedAt));
      conditions.push('(placed_at < ? OR (placed_at = ? AND id < ?))');
      params.push(placedAt, placedAt, after.id);
    }
    const raw = await firstRowsPerParent(this.db.manager, {
      table: 'customer_order',
      parentColumn: 'customer_id',
      parentIds: customerIds,
      where: conditions.join(' AND ') || undefined,
      params,
      orderBy: 'placed_at DESC, id DESC',
      limit,
    });
    const repo = this.db.manager.getRepository(Order);
    return new Map(
      [...raw].map(([customerId, rows]) => [
        customerId,
        rows.map((row) => repo.create({
          id: String(row.id),
          number: String(row.number),
          channel: row.channel as Channel,
          status: row.status as OrderStatus,
          customerId: row.customer_id as string | null,
          attributedCustomerId: row.attributed_customer_id as string | null,
          identityType: row.identity_type as string | null,
          identityValue: row.identity_value as string | null,
          locationId: row.location_id as string | null,
          total: toInt(row.total),
          taxTotal: toInt(row.tax_total),
          currencyCode: String(row.currency_code),
          fulfillmentType: row.fulfillment_type as FulfillmentType,
          fulfillmentLocationId: row.fulfillment_location_id as string | null,
          fulfillmentStatus: row.fulfillment_status as FulfillmentStatus,
          placedAt: toDate(row.placed_at),
          externalId: row.external_id as string | null,
        })),
      ]),
    );
  }

  /** Spend per customer and channel, cancelled orders left out. */
  async channelTotals(customerIds: readonly string[]): Promise<Array<ChannelTotals & { customerId: string }>> {
    const rows: Array<Record<string, unknown>> = await this.db.manager
      .getRepository(Order)
      .createQueryBuilder('o')
      .select('o.customer_id', 'customerId')
      .addSelect('o.channel', 'channel')
      .addSelect('SUM(o.total)', 'amount')
      .addSelect('COUNT(*)', 'orderCount')
      .addSelect('MIN(o.placed_at)', 'firstOrderAt')
      .addSelect('MAX(o.placed_at)', 'lastOrderAt')
      .where({ customerId: In([...customerIds]), status: Not(OrderStatus.CANCELLED) })
      .groupBy('o.customer_id')
      .addGroupBy('o.channel')
      .orderBy('o.channel')
      .getRawMany();
    return rows.map((r) => ({
      customerId: String(r.customerId),
      channel: r.channel as Channel,
      amount: toInt(r.amount),
      orderCount: toInt(r.orderCount),
      firstOrderAt: toDate(r.firstOrderAt),
      lastOrderAt: toDate(r.lastOrderAt),
    }));
  }
}
