import { In, IsNull, type EntityManager } from 'typeorm';
import { toDate, toInt } from '../../../../shared/db/columns';
import { insertMany } from '../../../../shared/db/batch';
import type { Database } from '../../../../shared/db/database';
import { isEvent, type EventEnvelope } from '../../../../shared/events/envelope';
import { CartState } from '../cart/cart-state.entity';
import { Customer } from '../customer/customer.entity';
import type { CustomerDirectory } from '../customer/customer-directory';
import { TouchpointRow, TouchpointType } from '../touchpoint/touchpoint.entity';
import { OrderFact, SegmentCode, SegmentMembership } from './segment.entity';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** What an order is worth to the customer's lifetime value: net of refunds, nothing once cancelled. */
const NET = 'CASE WHEN cancelled_at IS NULL THEN total - refunded ELSE 0 END';
const NEW_WITHIN_DAYS = 90;
const LAPSED_AFTER_DAYS = 365;
const BROWSING_WITHIN_DAYS = 365;
/**
 * How long the VIP threshold (the top decile's lower bound) is reused: only orders move it, and this
 * replica recomputes it after each batch it records; other replicas' batches show within this time.
 */
const VIP_THRESHOLD_TTL_MS = 60_000;

/** What a customer's segments are computed from. */
export interface CustomerActivity {
  createdAt: Date;
  storeOrders: number;
  onlineOrders: number;
  revenue: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  browsesOnline: boolean;
  /** Units in the customer's cart as carts last reported it (0 when it never did), and when that was. */
  cartItems: number;
  cartChangedAt: Date | null;
}

/** Whether a customer's cart counts as abandoned: lines in it, idle for `idleMs`, and no order since. */
function abandonsCart(activity: CustomerActivity, now: Date, idleMs: number): boolean {
  const changedAt = activity.cartChangedAt;
  if (!activity.cartItems || !changedAt || now.getTime() - changedAt.getTime() < idleMs) return false;
  return !(activity.lastOrderAt && activity.lastOrderAt.getTime() > changedAt.getTime());
}

/** The segments of one customer, given the VIP threshold, the time now and how long a cart idles before it counts as abandoned. */
export function segmentsOf(activity: CustomerActivity, vipThreshold: number | null, now: Date, cartIdleMs: number): SegmentCode[] {
  const codes: SegmentCode[] = [];
  const { storeOrders, onlineOrders } = activity;
  if (storeOrders && onlineOrders) codes.push(SegmentCode.OMNICHANNEL);
  if (storeOrders && !onlineOrders) codes.push(activity.browsesOnline ? SegmentCode.STORE_BUYER_EC_BROWSER : SegmentCode.STORE_ONLY);
  if (onlineOrders && !storeOrders) codes.push(SegmentCode.EC_ONLY);
  const since = activity.firstOrderAt ?? activity.createdAt;
  if (now.getTime() - since.getTime() <= NEW_WITHIN_DAYS * DAY) codes.push(SegmentCode.NEW);
  if (activity.lastOrderAt && now.getTime() - activity.lastOrderAt.getTime() > LAPSED_AFTER_DAYS * DAY) codes.push(SegmentCode.LAPSED);
  if (vipThreshold !== null && activity.revenue > 0 && activity.revenue >= vipThreshold) codes.push(SegmentCode.VIP);
  if (abandonsCart(activity, now, cartIdleMs)) codes.push(SegmentCode.CART_ABANDONED);
  return codes;
}

export interface SegmentFigures {
  code: SegmentCode;
  customers: number;
  revenue: number;
  /** Share of the revenue of all customers, 0 to 1. */
  revenueShare: number;
  averageLifetimeValue: number;
}

/** Segment membership, kept current from order facts, touchpoints and carts' states. */
export class SegmentService {
  private vipThreshold: { value: number | null; at: number } | null = null;
  private readonly cartIdleMs: number;

  /** `cartAbandonedAfterHours`: CART_ABANDONED_AFTER_HOURS, how long a cart with lines idles before it counts as abandoned. */
  constructor(private readonly db: Database, private readonly directory: CustomerDirectory, cartAbandonedAfterHours: number) {
    this.cartIdleMs = cartAbandonedAfterHours * HOUR;
  }

  /** Records orders from `order.placed` and reclassifies their customers. */
  async recordOrders(manager: EntityManager, events: Array<EventEnvelope<'order.placed'>>): Promise<void> {
    const identities = events.flatMap((e) => (e.payload.customerIdentity && !e.payload.customerId ? [e.payload.customerIdentity] : []));
    const owners = await this.directory.ownersOf(manager, identities, { attachingOnly: true, lock: true });
    const roots = await this.directory.rootsOf(manager, events.map((e) => e.payload.customerId).filter((id): id is string => !!id));
    await this.directory.holdStanding(manager, [...roots.values(), ...owners.values()]);
    const facts = events.map(({ payload }) => {
      const identity = payload.customerIdentity ?? null;
      const owner = payload.customerId ? roots.get(payload.customerId) : identity ? owners.get(`${identity.type}\t${identity.value}`) : undefined;
      return Object.assign(new OrderFact(), {
        orderId: payload.orderId,
        customerId: owner ?? null,
        originCustomerId: owner ?? null,
        identityType: identity?.type ?? null,
        identityValue: identity?.value ?? null,
        channel: payload.channel,
        total: payload.total,
        refunded: 0,
        cancelledAt: null,
        placedAt: new Date(payload.placedAt),
      });
    });
    const known = await manager.getRepository(OrderFact).find({ select: { orderId: true }, where: { orderId: In(facts.map((f) => f.orderId)) } });
    const knownIds = new Set(known.map((k) => k.orderId));
    const fresh = facts.filter((f) => !knownIds.has(f.orderId));
    await insertMany(manager, OrderFact, fresh);
    // A link committed between our read of the owners and our insert: read again, now that our rows exist.
    const anonymous = fresh.filter((f) => f.customerId === null && f.identityType !== null);
    const lateOwners = await this.directory.ownersOf(manager, anonymous.map((f) => ({ type: f.identityType!, value: f.identityValue! })), { attachingOnly: true, lock: true });
    for (const [key, owner] of lateOwners) {
      const [type, value] = key.split('\t');
      await this.attributeIdentity(manager, owner, type, value);
      for (const fact of anonymous) if (fact.identityType === type && fact.identityValue === value) fact.customerId = owner;
    }
    this.vipThreshold = null; // lifetime values moved
    await this.refresh(manager, facts.map((f) => f.customerId).filter((id): id is string => id !== null));
  }

  /** `order.cancelled` and `order.returned`: the orders count for less, or not at all; their customers are reclassified. */
  async recordOrderChanges(manager: EntityManager, events: Array<EventEnvelope<'order.cancelled'> | EventEnvelope<'order.returned'>>): Promise<void> {
    for (const event of events) {
      if (isEvent(event, 'order.cancelled')) {
        await manager.getRepository(OrderFact).update({ orderId: event.payload.orderId }, { cancelledAt: new Date(event.payload.cancelledAt) });
      } else {
        await manager.getRepository(OrderFact).increment({ orderId: event.payload.orderId }, 'refunded', event.payload.refundTotal);
      }
    }
    const facts = await manager.getRepository(OrderFact).find({ select: { customerId: true }, where: { orderId: In(events.map((e) => e.payload.orderId)) } });
    this.vipThreshold = null; // lifetime values moved
    await this.refresh(manager, facts.map((f) => f.customerId).filter((id): id is string => id !== null));
  }

  /** Gives the orders kept under an identity alone to the customer who now owns it. */
  async attributeIdentity(manager: EntityManager, customerId: string, type: string, value: string): Promise<void> {
    // A locking read waits for sales of this identity that a concurrent batch has not committed yet.
    const facts = await manager.getRepository(OrderFact).find({
      select: { orderId: true },
      where: { identityType: type, identityValue: value, customerId: IsNull() },
      ...this.db.rowLock('pessimistic_write'),
    });
    if (facts.length) await manager.getRepository(OrderFact).update({ orderId: In(facts.map((f) => f.orderId)) }, { customerId, originCustomerId: customerId });
  }

  /** Brings the segments of these customers up to date, in the caller's transaction (`now`: the time to classify at). */
  async refresh(manager: EntityManager, customerIds: readonly string[], now = new Date()): Promise<void> {
    const ids = [...new Set(customerIds)];
    if (!ids.length) return;
    const activity = await this.activityOf(manager, ids, now);
    const threshold = await this.currentVipThreshold(manager);
    const current = await manager.getRepository(SegmentMembership).find({ where: { customerId: In(ids) } });
    const wanted = new Set<string>();
    for (const [id, a] of activity) for (const code of segmentsOf(a, threshold, now, this.cartIdleMs)) wanted.add(`${id}\t${code}`);
    const have = new Set(current.map((m) => `${m.customerId}\t${m.code}`));
    const leaving = current.filter((m) => !wanted.has(`${m.customerId}\t${m.code}`));
    for (const code of new Set(leaving.map((m) => m.code))) {
      await manager.getRepository(SegmentMembership).delete({ code, customerId: In(leaving.filter((m) => m.code === code).map((m) => m.customerId)) });
    }
    const entering = [...wanted].filter((key) => !have.has(key)).map((key) => {
      const [customerId, code] = key.split('\t');
      return Object.assign(new SegmentMembership(), { customerId, code, since: now });
    });
    await insertMany(manager, SegmentMembership, entering);
  }

  /** Reclassifies every standing customer: time moves customers into LAPSED and out of NEW (`now`: the time to classify at). */
  async refreshAll(now = new Date()): Promise<void> {
    this.vipThreshold = null;
    let after: string | null = null;
    for (;;) {
      const ids = await this.directory.standingIds(after, 500);
      if (!ids.length) return;
      await this.db.transaction((manager) => this.refresh(manager, ids, now));
      after = ids[ids.length - 1];
    }
  }

  /**
   * Time alone makes a cart abandoned: reclassifies the customers whose cart has had lines for longer
   * than CART_ABANDONED_AFTER_HOURS with no order since, and who are not CART_ABANDONED yet (`now`:
   * the time to classify at). A query a page of 500 finds them (none: one query), and each page is
   * reclassified in a transaction.
   */
  async refreshIdleCarts(now = new Date()): Promise<void> {
    const idleSince = this.db.dateParameter(new Date(now.getTime() - this.cartIdleMs));
    let after = '';
    for (;;) {
      const due: Array<{ customerId: string }> = await this.db.manager
        .getRepository(CartState)
        .createQueryBuilder('c')
        .select('c.customer_id', 'customerId')
        .where('c.customer_id > :after AND c.item_count > 0 AND c.changed_at <= :idleSince', { after, idleSince })
        .andWhere(`NOT EXISTS (SELECT 1 FROM segment_membership m WHERE m.customer_id = c.customer_id AND m.code = :code)`, { code: SegmentCode.CART_ABANDONED })
        .andWhere('NOT EXISTS (SELECT 1 FROM order_fact f WHERE f.customer_id = c.customer_id AND f.cancelled_at IS NULL AND f.placed_at > c.changed_at)')
        .andWhere('EXISTS (SELECT 1 FROM customer s WHERE s.id = c.customer_id AND s.merged_into_id IS NULL AND s.erased_at IS NULL)')
        .orderBy('c.customer_id', 'ASC')
        .limit(500)
        .getRawMany();
      if (!due.length) return;
      await this.db.transaction((manager) => this.refresh(manager, due.map((d) => d.customerId), now));
      if (due.length < 500) return;
      after = due[due.length - 1].customerId;
    }
  }

  /** Drops every membership of these customers (merged away, erased). */
  async clear(manager: EntityManager, customerIds: readonly string[]): Promise<void> {
    if (customerIds.length) await manager.getRepository(SegmentMembership).delete({ customerId: In([...customerIds]) });
  }

  membershipsOf(customerIds: readonly string[]): Promise<SegmentMembership[]> {
    return this.db.manager.getRepository(SegmentMembership).find({ where: { customerId: In([...customerIds]) }, order: { code: 'ASC' } });
  }

  /** Per segment: members, their revenue, its share of all revenue, and their average lifetime value. */
  async report(since: Date | null = null): Promise<SegmentFigures[]> {
    const manager = this.db.manager;
    // Members are today's; the money is every order's, or the period's.
    const period = since ? ' AND placed_at >= ?' : '';
    const params = since ? [this.db.dateParameter(since)] : [];
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT m.code AS code, COUNT(*) AS customers, COALESCE(SUM(r.revenue), 0) AS revenue
       FROM segment_membership m
       LEFT JOIN (SELECT customer_id, SUM(${NET}) AS revenue FROM order_fact WHERE customer_id IS NOT NULL${period} GROUP BY customer_id) r
         ON r.customer_id = m.customer_id
       GROUP BY m.code`,
      params,
    );
    const [{ total }] = await manager.query(`SELECT COALESCE(SUM(${NET}), 0) AS total FROM order_fact WHERE customer_id IS NOT NULL${period}`, params);
    const allRevenue = toInt(total);
    const byCode = new Map(rows.map((r) => [String(r.code), r]));
    return Object.values(SegmentCode).map((code) => {
      const row = byCode.get(code);
      const customers = toInt(row?.customers);
      const revenue = toInt(row?.revenue);
      return {
        code,
        customers,
        revenue,
        revenueShare: allRevenue ? revenue / allRevenue : 0,
        averageLifetimeValue: customers ? Math.round(revenue / customers) : 0,
      };
    });
  }

  private async activityOf(manager: EntityManager, ids: string[], now: Date): Promise<Map<string, CustomerActivity>> {
    const customers = await manager.getRepository(Customer).find({
      select: { id: true, createdAt: true },
      where: { id: In(ids), mergedIntoId: IsNull(), erasedAt: IsNull() },
    });
    const orders: Array<Record<string, unknown>> = await manager
      .getRepository(OrderFact)
      .createQueryBuilder('f')
      .select('f.customer_id', 'customerId')
      .addSelect(`SUM(CASE WHEN f.channel = 'STORE' THEN 1 ELSE 0 END)`, 'storeOrders')
      .addSelect(`SUM(CASE WHEN f.channel = 'STORE' THEN 0 ELSE 1 END)`, 'onlineOrders')
      .addSelect(`SUM(${NET})`, 'revenue')
      .addSelect('MIN(f.placed_at)', 'firstOrderAt')
      .addSelect('MAX(f.placed_at)', 'lastOrderAt')
      .where({ customerId: In(ids), cancelledAt: IsNull() })
      .groupBy('f.customer_id')
      .getRawMany();
    const browsers: Array<{ customerId: string }> = await manager
      .getRepository(TouchpointRow)
      .createQueryBuilder('t')
      .select('DISTINCT t.customer_id', 'customerId')
      .where({ customerId: In(ids) })
      .andWhere('t.channel IN (:...online)', { online: ['EC', 'APP'] })
      .andWhere('t.type <> :checkIn', { checkIn: TouchpointType.STORE_CHECK_IN })
      .andWhere('t.occurred_at >= :since', { since: this.db.dateParameter(new Date(now.getTime() - BROWSING_WITHIN_DAYS * DAY)) })
      .getRawMany();
    const browsing = new Set(browsers.map((b) => b.customerId));
    const carts = new Map((await manager.getRepository(CartState).find({ where: { customerId: In(ids) } })).map((c) => [c.customerId, c]));
    const orderRows = new Map(orders.map((o) => [String(o.customerId), o]));
    return new Map(
      customers.map((c) => {
        const o = orderRows.get(c.id);
        return [
          c.id,
          {
            createdAt: c.createdAt,
            storeOrders: toInt(o?.storeOrders),
            onlineOrders: toInt(o?.onlineOrders),
            revenue: toInt(o?.revenue),
            firstOrderAt: o ? toDate(o.firstOrderAt) : null,
            lastOrderAt: o ? toDate(o.lastOrderAt) : null,
            browsesOnline: browsing.has(c.id),
            cartItems: carts.get(c.id)?.itemCount ?? 0,
            cartChangedAt: carts.get(c.id)?.changedAt ?? null,
          },
        ];
      }),
    );
  }

  /** The lowest lifetime value of the top decile of customers who have bought. */
  private async currentVipThreshold(manager: EntityManager): Promise<number | null> {
    if (this.vipThreshold && Date.now() - this.vipThreshold.at < VIP_THRESHOLD_TTL_MS) return this.vipThreshold.value;
    const [{ buyers }] = await manager.query('SELECT COUNT(DISTINCT customer_id) AS buyers FROM order_fact WHERE customer_id IS NOT NULL AND cancelled_at IS NULL');
    const offset = Math.max(0, Math.ceil(toInt(buyers) / 10) - 1);
    const rows: Array<{ revenue: unknown }> = await manager.query(
      `SELECT SUM(${NET}) AS revenue FROM order_fact WHERE customer_id IS NOT NULL GROUP BY customer_id ORDER BY revenue DESC LIMIT 1 OFFSET ${offset}`,
    );
    this.vipThreshold = { value: rows.length ? toInt(rows[0].revenue) : null, at: Date.now() };
    return this.vipThreshold.value;
  }
}
