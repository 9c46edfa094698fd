import { In, type EntityManager } from 'typeorm';
import { chunk, insertMany } from '../../../../shared/db/batch';
import { toInt } from '../../../../shared/db/columns';
import type { Database } from '../../../../shared/db/database';
import { firstRowsPerParent } from '../../../../shared/db/per-parent';
import { upsertRows } from '../../../../shared/db/upsert';
import { businessWindowStart } from '../../../../shared/business-time';
import type { CustomerLinks } from '../../../../shared/events/customer-links';
import { isEvent, type EventEnvelope } from '../../../../shared/events/envelope';
import { CustomerProduct, PersonalizationRefusal, ProductPopularity, PurchaseLine } from './ranking.entity';
import { rankForCustomer, type Scored } from './scoring';

/** A new style is paired with at most this many of the customer's most recent styles. */
const RECENT_STYLES = 20;
/** Neighbours kept per source style when ranking. */
const NEIGHBOURS_PER_STYLE = 50;
/** Popular styles considered for the fill. */
const POPULAR_POOL = 200;

export class RankingService {
  constructor(
    private readonly db: Database,
    private readonly timeZone: string,
    private readonly customers: CustomerLinks,
  ) {}

  /**
   * Folds `order.placed` events into the facts and the ranking state: purchase lines, what each
   * customer owns, distinct buyers per style, and co-buyers per pair of styles. A line belongs to the
   * buyer's survivor when they were merged away, and to an identity's known owner when it came with
   * only the identity.
   */
  async recordOrders(manager: EntityManager, placed: Array<EventEnvelope<'order.placed'>>): Promise<void> {
    const attributions = await this.customers.attribute(
      manager,
      // Events written before orders sent identities have none.
      placed.map(({ payload }) => ({ customerId: payload.customerId, identity: payload.customerIdentity ?? null })),
    );
    const events = placed.map(({ payload }, i) => ({ payload: { ...payload, customerId: attributions[i].customerId } }));
    const lines: PurchaseLine[] = [];
    events.forEach(({ payload }, i) => {
      for (const line of payload.lines) {
        lines.push(
          Object.assign(new PurchaseLine(), {
            orderId: payload.orderId,
            customerId: payload.customerId,
            attributedCustomerId: attributions[i].attributedCustomerId,
            identityType: payload.customerIdentity?.type ?? null,
            identityValue: payload.customerIdentity?.value ?? null,
            productId: line.productId,
            variantId: line.variantId,
            quantity: line.quantity,
            // The store that sold it: an online order collected in a store is not that store's sale.
            locationId: payload.channel === 'STORE' ? payload.locationId : null,
            channel: payload.channel,
            placedAt: new Date(payload.placedAt),
          }),
        );
      }
    });
    await insertMany(manager, PurchaseLine, lines);

    const customerIds = [...new Set(events.map((e) => e.payload.customerId).filter((id): id is string => !!id))];
    const history = await this.ownedBy(manager, customerIds);
    const owned = new Map<string, Map<string, Date>>(); // customer -> style -> last bought
    for (const row of history) {
      if (!owned.has(row.customerId)) owned.set(row.customerId, new Map());
      owned.get(row.customerId)!.set(row.productId, row.lastBoughtAt);
    }
    const customerProducts: Array<Record<string, unknown>> = [];
    const popularity = new Map<string, { buyers: number; units: number }>();
    const pairs = new Map<string, number>();
    const bump = (a: string, b: string) => {
      const key = `${a}|${b}`;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    };
    for (const { payload } of [...events].sort((a, b) => a.payload.placedAt.localeCompare(b.payload.placedAt))) {
      const placedAt = new Date(payload.placedAt);
      const units = new Map<string, number>();
      for (const line of payload.lines) units.set(line.productId, (units.get(line.productId) ?? 0) + line.quantity);
      for (const [productId, quantity] of units) {
        const pop = popularity.get(productId) ?? { buyers: 0, units: 0 };
        pop.units += quantity;
        popularity.set(productId, pop);
      }
      if (!payload.customerId) continue;
      const mine = owned.get(payload.customerId) ?? new Map<string, Date>();
      owned.set(payload.customerId, mine);
      const recent = [...mine].sort((a, b) => b[1].getTime() - a[1].getTime()).slice(0, RECENT_STYLES).map(([id]) => id);
      const fresh = [...units.keys()].filter((id) => !mine.has(id));
      // Each pair of styles is counted once per customer: when the second of the two is first bought.
      fresh.forEach((productId, i) => {
        popularity.get(productId)!.buyers++;
        for (const other of [...recent, ...fresh.slice(0, i)]) {
          bump(productId, other);
          bump(other, productId);
        }
      });
      for (const [productId, quantity] of units) {
        mine.set(productId, placedAt);
        customerProducts.push({
          customer_id: payload.customerId,
          product_id: productId,
          units: quantity,
          orders: 1,
          first_bought_at: this.db.dateParameter(placedAt),
          last_bought_at: this.db.dateParameter(placedAt),
        });
      }
    }
    await upsertRows(
      this.db,
      manager,
      'customer_product',
      { customer_id: 'key', product_id: 'key', units: 'add', orders: 'add', first_bought_at: 'min', last_bought_at: 'max' },
      customerProducts.sort((x, y) => byKey(`${x.customer_id}|${x.product_id}`, `${y.customer_id}|${y.product_id}`)),
      500,
    );
    await upsertRows(
      this.db,
      manager,
      'product_popularity',
      { product_id: 'key', buyers: 'add', units: 'add' },
      [...popularity].map(([productId, p]) => ({ product_id: productId, buyers: p.buyers, units: p.units })),
    );
    await upsertRows(
      this.db,
      manager,
      'co_purchase',
      { product_id: 'key', other_product_id: 'key', weight: 'add' },
      // In key order: consecutive rows land on the same B-tree pages.
      [...pairs]
        .sort((x, y) => byKey(x[0], y[0]))
        .map(([key, weight]) => {
          const [a, b] = key.split('|');
          return { product_id: a, other_product_id: b, weight };
        }),
      500,
    );
  }

  /**
   * Applies the customers service's events: merges, unmerges and identity links move purchase lines
   * between customers, erasure takes the customer out of every line, and PERSONALIZATION refusals
   * are kept. What each customer owns is then derived again from their lines.
   */
  async applyCustomerEvents(manager: EntityManager, events: EventEnvelope[]): Promise<void> {
    for (const event of events) {
      if (isEvent(event, 'customer.consent_changed') && event.payload.purpose === 'PERSONALIZATION') {
        const { customerId, granted, changedAt } = event.payload;
        if (granted) await manager.getRepository(PersonalizationRefusal).delete({ customerId });
        else
          await upsertRows(this.db, manager, 'personalization_refusal', { customer_id: 'key', refused_at: 'replace' }, [
            { customer_id: customerId, refused_at: this.db.dateParameter(new Date(changedAt)) },
          ]);
      } else if (isEvent(event, 'customer.erased')) {
        const ids = [...new Set([event.payload.customerId, ...event.payload.erasedIds])];
        await manager.getRepository(PersonalizationRefusal).delete({ customerId: In(ids) });
      }
    }
    const touched = await this.customers.apply(manager, events);
    if (touched.size) await this.deriveOwnership(manager, [...touched]);
  }

  /**
   * Rebuilds what the given customers own from their purchase lines, and the distinct buyers of the
   * styles involved (a merge makes two buyers one, an erasure removes one).
   */
  private async deriveOwnership(manager: EntityManager, customerIds: string[]): Promise<void> {
    const products = new Set<string>();
    const collectProducts = async (part: string[]) => {
      for (const row of await this.ownedBy(manager, part)) products.add(row.productId);
    };
    for (const part of chunk(customerIds, 500)) {
      const list = part.map(() => '?').join(', ');
      // Styles they owned before and own after: both may change their count of buyers.
      await collectProducts(part);
      await manager.query(`DELETE FROM customer_product WHERE customer_id IN (${list})`, part);
      await manager.query(
        `INSERT INTO customer_product (customer_id, product_id, units, orders, first_bought_at, last_bought_at)
         SELECT customer_id, product_id, SUM(quantity), COUNT(DISTINCT order_id), MIN(placed_at), MAX(placed_at)
         FROM purchase_line WHERE customer_id IN (${list}) GROUP BY customer_id, product_id`,
        part,
      );
      await collectProducts(part);
    }
    for (const part of chunk([...products].sort(), 500)) {
      await manager.query(
        `UPDATE product_popularity SET buyers = (
           SELECT COUNT(DISTINCT p.customer_id) FROM purchase_line p WHERE p.product_id = product_popularity.product_id
         ) WHERE product_id IN (${part.map(() => '?').join(', ')})`,
        part,
      );
    }
  }

  private ownedBy(manager: EntityManager, customerIds: readonly string[]): Promise<CustomerProduct[]> {
    if (!customerIds.length) return Promise.resolve([]);
    return manager.getRepository(CustomerProduct).find({
      where: { customerId: In([...customerIds]) },
      order: { lastBoughtAt: 'DESC' },
    });
  }

  /** Styles most often bought by the same customers as each given style. */
  async boughtTogether(productIds: readonly string[], first: number): Promise<Map<string, string[]>> {
    const rows = await firstRowsPerParent(this.db.manager, {
      table: 'co_purchase',
      parentColumn: 'product_id',
      parentIds: productIds,
      orderBy: 'weight DESC, other_product_id',
      limit: first,
    });
    return new Map([...rows].map(([id, list]) => [id, list.map((r) => String(r.other_product_id))]));
  }

  /** Best-selling styles (units sold in the store) over the last `days` days of the business calendar. */
  async bestsellers(locationIds: readonly string[], days: number, first: number): Promise<Map<string, string[]>> {
    const since = businessWindowStart(new Date(), days, this.timeZone);
    const rows: Array<Record<string, unknown>> = await this.db.manager
      .getRepository(PurchaseLine)
      .createQueryBuilder('p')
      .select('p.location_id', 'locationId')
      .addSelect('p.product_id', 'productId')
      .addSelect('SUM(p.quantity)', 'units')
      .where('p.location_id IN (:...locationIds)', { locationIds })
      .andWhere('p.placed_at >= :since', { since: this.db.dateParameter(since) })
      .groupBy('p.location_id')
      .addGroupBy('p.product_id')
      .getRawMany();
    const byLocation = new Map<string, Array<{ productId: string; units: number }>>(locationIds.map((id) => [id, []]));
    for (const row of rows) {
      byLocation.get(String(row.locationId))?.push({ productId: String(row.productId), units: toInt(row.units) });
    }
    return new Map(
      [...byLocation].map(([id, list]) => [
        id,
        list
          .sort((a, b) => b.units - a.units || (a.productId < b.productId ? -1 : 1))
          .slice(0, first)
          .map((p) => p.productId),
      ]),
    );
  }

  /** Recommendations for each customer: a fixed number of statements however many customers. */
  async recommendFor(customerIds: readonly string[], first: number): Promise<Map<string, Scored[]>> {
    const manager = this.db.manager;
    const refused = new Set(
      (
        await manager
          .getRepository(PersonalizationRefusal)
          .find({ select: { customerId: true }, where: { customerId: In([...customerIds]) } })
      ).map((r) => r.customerId),
    );
    // A customer who refused PERSONALIZATION gets what a customer without history gets: popular styles.
    const history = await this.ownedBy(
      manager,
      customerIds.filter((id) => !refused.has(id)),
    );
    const states = new Map(customerIds.map((id) => [id, { owned: new Set<string>(), recent: [] as string[] }]));
    for (const row of history) {
      const state = states.get(row.customerId)!;
      state.owned.add(row.productId);
      if (state.recent.length < RECENT_STYLES) state.recent.push(row.productId);
    }
    const sources = [...new Set([...states.values()].flatMap((s) => s.recent))];
    const neighbourRows = await firstRowsPerParent(manager, {
      table: 'co_purchase',
      parentColumn: 'product_id',
      parentIds: sources,
      orderBy: 'weight DESC, other_product_id',
      limit: NEIGHBOURS_PER_STYLE,
    });
    const neighbours = new Map(
      [...neighbourRows].map(([id, rows]) => [
        id,
        rows.map((r) => ({ productId: String(r.other_product_id), weight: toInt(r.weight) })),
      ]),
    );
    const popularRows = await manager
      .getRepository(ProductPopularity)
      .find({ order: { buyers: 'DESC', productId: 'ASC' }, take: POPULAR_POOL });
    const involved = new Set([...sources, ...[...neighbours.values()].flatMap((n) => n.map((x) => x.productId))]);
    const buyers = new Map(popularRows.map((p) => [p.productId, p.buyers]));
    const missing = [...involved].filter((id) => !buyers.has(id));
    if (missing.length) {
      for (const p of await manager.getRepository(ProductPopularity).findBy({ productId: In(missing) })) {
        buyers.set(p.productId, p.buyers);
      }
    }
    const popular = popularRows.map((p) => p.productId);
    return new Map(
      customerIds.map((id) => [id, rankForCustomer(states.get(id)!, neighbours, buyers, popular, first)]),
    );
  }
}

function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
