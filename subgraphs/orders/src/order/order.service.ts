import { randomBytes, randomUUID } from 'node:crypto';
import { Brackets, In, Not, type EntityManager } from 'typeorm';
import { requireAtLocation } from '../../../../shared/auth/auth-checker';
import type { Principal } from '../../../../shared/auth/principal';
import { insertMany } from '../../../../shared/db/batch';
import { toDate, toInt } from '../../../../shared/db/columns';
import type { Database } from '../../../../shared/db/database';
import { firstRowsPerParent } from '../../../../shared/db/per-parent';
import type { PostalAddress } from '../../../../shared/address';
import type { EventPayloads, IdentityFact } from '../../../../shared/events/catalog';
import { notMergedAway, type Attribution, type CustomerLinks } from '../../../../shared/events/customer-links';
import type { Outbox } from '../../../../shared/events/outbox';
import type { Channel } from '../../../../shared/graphql/channel';
import { PaymentMethod, PaymentStatus, type DeliverySlot } from '../../../../shared/graphql/checkout';
import { DEFAULT_CURRENCY, includedTax } from '../../../../shared/graphql/money';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import { OrderReturn } from '../return/return.entity';
import { FEE_TAX_RATE_BP, type PaymentState } from './checkout-rules';
import { FulfillmentStatus, FulfillmentType, Order, OrderLine, OrderStatus } from './order.entity';
import { GUEST_EMAIL } from './order-access';
import { OrderErrorCode } from './order.errors';
import { TRANSITIONS, type TransitionName } from './order.transitions';

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
  /** placeOrder's idempotency key. */
  idempotencyKey?: string | null;
  /** placeOrder's digest of the caller and the request (see Order.requestFingerprint). */
  requestFingerprint?: string | null;
  /** The inventory reservation the stock was taken through. */
  reservationId?: string | null;
  /** The cart it was checked out from (the carts service's checkoutCart). */
  cartId?: string | null;
  /** Checkout: where and when it ships (a snapshot of the address). */
  shippingAddress?: PostalAddress | null;
  deliveryDate?: string | null;
  deliverySlot?: DeliverySlot | null;
  /** Checkout: fees charged on top of the lines (tax-inclusive, minor units), part of the total. */
  shippingFee?: number | null;
  paymentFee?: number | null;
  payment?: PaymentState | null;
}

/** What inventory must do about an order's stock (see `order.placed` in shared/events/catalog.ts). */
export type StockEffect = NonNullable<EventPayloads['order.placed']['stockEffect']>;

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

/** A new order's number: channel, year and random hex (distinct from the demo's serial numbers; the unique index catches the rest). */
export function newOrderNumber(channel: Channel, at: Date): string {
  return `${channel === 'STORE' ? 'ST' : channel}-${at.getUTCFullYear()}-${randomBytes(5).toString('hex').toUpperCase()}`;
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
        quantityShort: 0,
      }),
    );
    const fees = (input.shippingFee ?? 0) + (input.paymentFee ?? 0);
    const address = input.shippingAddress ?? null;
    const payment = input.payment ?? null;
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
      // What the buyer pays: the goods and the checkout's fees (so lifetime value counts the fees too).
      total: orderLines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0) + fees,
      taxTotal:
        orderLines.reduce((sum, l) => sum + l.taxAmount, 0) +
        includedTax(input.shippingFee ?? 0, FEE_TAX_RATE_BP) +
        includedTax(input.paymentFee ?? 0, FEE_TAX_RATE_BP),
      currencyCode: DEFAULT_CURRENCY,
      fulfillmentType: input.fulfillmentType,
      fulfillmentLocationId: input.fulfillmentLocationId,
      fulfillmentStatus: input.fulfillmentStatus,
      placedAt: input.placedAt,
      externalId: input.externalId,
      idempotencyKey: input.idempotencyKey ?? null,
      requestFingerprint: input.requestFingerprint ?? null,
      reservationId: input.reservationId ?? null,
      cancelledAt: null,
      cancelReason: null,
      stockShortAt: null,
      cartId: input.cartId ?? null,
      shipRecipientName: address?.recipientName ?? null,
      shipPostalCode: address?.postalCode ?? null,
      shipPrefecture: address?.prefecture ?? null,
      shipCity: address?.city ?? null,
      shipLine1: address?.line1 ?? null,
      shipLine2: address?.line2 ?? null,
      shipPhone: address?.phone ?? null,
      deliveryDate: input.deliveryDate ?? null,
      deliverySlot: input.deliverySlot ?? null,
      shippingFee: input.shippingFee ?? null,
      paymentFee: input.paymentFee ?? null,
      paymentMethod: payment?.method ?? null,
      paymentStatus: payment?.status ?? null,
      paymentReference: payment?.reference ?? null,
      paymentDeadline: payment?.deadline ?? null,
      paidAt: payment?.paidAt ?? null,
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
  async recordOrders(inputs: RecordedOrder[], stockEffect?: StockEffect): Promise<Order[]> {
    return this.db.transaction((manager) => this.insert(manager, inputs, stockEffect));
  }

  /** recordOrders inside the caller's transaction. */
  async insert(manager: EntityManager, inputs: RecordedOrder[], stockEffect?: StockEffect): Promise<Order[]> {
    const attributions = await this.customers.attribute(
      manager,
      inputs.map((input) => ({ customerId: input.customerId, identity: input.customerIdentity ?? null })),
    );
    const { orders, lines } = buildOrders(inputs, attributions);
    await insertMany(manager, Order, orders);
    await insertMany(manager, OrderLine, lines);
    const linesOf = new Map<string, OrderLine[]>(orders.map((o) => [o.id, []]));
    for (const line of lines) linesOf.get(line.orderId)!.push(line);
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
            order.identityType === null || order.identityValue === null || order.identityType === GUEST_EMAIL
              ? null
              : { type: order.identityType, value: order.identityValue },
          locationId: order.locationId,
          placedAt: order.placedAt.toISOString(),
          total: order.total,
          currencyCode: order.currencyCode,
          lines: linesOf
            .get(order.id)!
            .map((l) => ({ variantId: l.variantId, productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice })),
          // History (the seed) leaves it out: its stock was counted as it stands.
          ...(stockEffect ? { stockEffect } : {}),
          // placeOrder: inventory takes the stock out through it, whether or not the fast path did.
          ...(order.reservationId ? { reservationId: order.reservationId } : {}),
        },
      })),
    );
    return orders;
  }

  /** The order a placeOrder idempotency key made, if any. */
  byIdempotencyKey(key: string, manager: EntityManager = this.db.manager): Promise<Order | null> {
    return manager.getRepository(Order).findOneBy({ idempotencyKey: key });
  }

  /** A store's sales by POS transaction id (unique per store: another store's tills number their own). */
  byExternalIds(manager: EntityManager, locationId: string, externalIds: string[]): Promise<Order[]> {
    return externalIds.length ? manager.getRepository(Order).findBy({ locationId, externalId: In(externalIds) }) : Promise.resolve([]);
  }

  /** An order by id; NOT_FOUND-free: null when unknown. */
  byId(id: string, manager: EntityManager = this.db.manager): Promise<Order | null> {
    return manager.getRepository(Order).findOneBy({ id });
  }

  /**
   * Moves an order along a legal transition (order.transitions.ts) as one conditional update, so of
   * two concurrent requests only one moves it; an illegal move is the userError ILLEGAL_TRANSITION.
   * `then` runs in the same transaction with the order as it now is (e.g. to publish an event).
   */
  async transition(
    orderId: string,
    name: TransitionName,
    changes: Partial<Pick<Order, 'cancelledAt' | 'cancelReason' | 'paymentStatus'>> = {},
    then?: (manager: EntityManager, order: Order) => Promise<void>,
    /** Only while the payment stands so (e.g. still PENDING): otherwise ILLEGAL_TRANSITION too. */
    onlyIf: { paymentStatus?: PaymentStatus } = {},
  ): Promise<Order> {
    const transition = TRANSITIONS[name];
    return this.db.transactionRetryingConflicts(async (manager) => {
      const update = manager
        .createQueryBuilder()
        .update(Order)
        .set({ status: transition.to.status, ...('fulfillmentStatus' in transition.to ? { fulfillmentStatus: transition.to.fulfillmentStatus } : {}), ...changes })
        .where('id = :orderId', { orderId })
        .andWhere(
          new Brackets((states) => {
            transition.from.forEach((from, i) =>
              states.orWhere(`(status = :status${i} AND fulfillment_status = :fulfillment${i})`, {
                [`status${i}`]: from.status,
                [`fulfillment${i}`]: from.fulfillmentStatus,
              }),
            );
          }),
        );
      if ('fulfillmentType' in transition) update.andWhere('fulfillment_type = :type', { type: transition.fulfillmentType });
      if (onlyIf.paymentStatus) update.andWhere('payment_status = :paymentStatus', { paymentStatus: onlyIf.paymentStatus });
      const { affected } = await update.execute();
      if (!affected) throw new UserErrorException(OrderErrorCode.ILLEGAL_TRANSITION, `the order cannot ${name} in its current state`, ['input', 'orderId']);
      const order = await manager.getRepository(Order).findOneByOrFail({ id: orderId });
      await then?.(manager, order);
      return order;
    });
  }

  /**
   * Orders paid at a konbini whose payment is still pending after its deadline, and which may still
   * be cancelled (placed, or waiting at the pickup store), oldest deadline first.
   */
  async overdueKonbini(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db.manager
      .getRepository(Order)
      .createQueryBuilder('o')
      .select('o.id', 'id')
      .where('o.paymentStatus = :pending AND o.paymentDeadline < :now', { pending: PaymentStatus.PENDING, now: this.db.dateParameter(now) })
      .andWhere('o.paymentMethod = :konbini', { konbini: PaymentMethod.KONBINI })
      .andWhere('o.status IN (:...statuses)', { statuses: [OrderStatus.PLACED, OrderStatus.READY_FOR_PICKUP] })
      .orderBy('o.paymentDeadline', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  /** Pickup orders waiting at a store (placed or ready), oldest first; store staff see their own store's. */
  pickupQueue(principal: Principal, locationId: string, limit: number, after: OrderCursor | null): Promise<Order[]> {
    requireAtLocation(principal, locationId);
    const query = this.db.manager
      .getRepository(Order)
      .createQueryBuilder('o')
      .where('o.locationId = :locationId', { locationId })
      .andWhere('o.fulfillmentType = :type', { type: FulfillmentType.PICKUP_IN_STORE })
      .andWhere('o.status IN (:...statuses)', { statuses: [OrderStatus.PLACED, OrderStatus.READY_FOR_PICKUP] });
    if (after) {
      query.andWhere('(o.placedAt > :placedAt OR (o.placedAt = :placedAt AND o.id > :id))', {
        placedAt: this.db.dateParameter(new Date(after.placedAt)),
        id: after.id,
      });
    }
    return query.orderBy('o.placedAt', 'ASC').addOrderBy('o.id', 'ASC').limit(limit).getMany();
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
    // A customer reference's orders: none under an id merged away here (customer-links.ts).
    const conditions: string[] = [notMergedAway('t.customer_id')];
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
      where: conditions.join(' AND '),
      params,
      orderBy: 'placed_at DESC, id DESC',
      limit,
    });
    const metadata = this.db.dataSource.getMetadata(Order);
    const { driver } = this.db.dataSource;
    // Raw rows to entities through the entity's own column metadata, so new columns need no code here.
    const hydrate = (row: Record<string, unknown>) => {
      const order = new Order();
      for (const column of metadata.columns) column.setEntityValue(order, driver.prepareHydratedValue(row[column.databaseName], column));
      return order;
    };
    return new Map([...raw].map(([customerId, rows]) => [customerId, rows.map(hydrate)]));
  }

  /** Spend per customer and channel, net of refunds, cancelled orders left out (none under an id merged away here). */
  async channelTotals(customerIds: readonly string[]): Promise<Array<ChannelTotals & { customerId: string }>> {
    const rows: Array<Record<string, unknown>> = await this.db.manager
      .getRepository(Order)
      .createQueryBuilder('o')
      .select('o.customer_id', 'customerId')
      .addSelect('o.channel', 'channel')
      .addSelect('SUM(o.total - COALESCE(r.refunded, 0))', 'amount')
      .addSelect('COUNT(*)', 'orderCount')
      .addSelect('MIN(o.placed_at)', 'firstOrderAt')
      .addSelect('MAX(o.placed_at)', 'lastOrderAt')
      .leftJoin(
        (refunds) => refunds.select('x.order_id', 'order_id').addSelect('SUM(x.refund_total)', 'refunded').from(OrderReturn, 'x').groupBy('x.order_id'),
        'r',
        'r.order_id = o.id',
      )
      .where({ customerId: In([...customerIds]), status: Not(OrderStatus.CANCELLED) })
      .andWhere(notMergedAway('o.customer_id'))
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
