import { createHmac } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import { chunk, insertMany } from '../../../../shared/db/batch';
import { toDate, toInt } from '../../../../shared/db/columns';
import type { Database } from '../../../../shared/db/database';
import { upsertRows } from '../../../../shared/db/upsert';
import { utcOffsetMinutes } from '../../../../shared/business-time';
import type { Attribution, CustomerLinks } from '../../../../shared/events/customer-links';
import type { EventPayloads, IdentityFact } from '../../../../shared/events/catalog';
import { ConsumerPaused } from '../../../../shared/events/bus';
import { isEvent, type EventEnvelope } from '../../../../shared/events/envelope';
import { rederive, type PairDerivation } from './derived-pairs';
import { RECENT_PURCHASED_STYLES } from './ranking-input';
import { trendWeight } from './trend';
import { scopes, type ListCache } from './list-cache';
import {
  CustomerPresence,
  ErasedCustomer,
  ErasedIdentity,
  PendingGiveBack,
  PersonalizationChoice,
  ProductView,
  PurchaseLine,
  RankingRebuild,
} from './ranking.entity';

/** A customer's co-view pairs come from their most recently viewed styles only. */
const RECENT_VIEWED_STYLES = 30;
/** Lines per statement when the rebuild reads them back. */
const REBUILD_LINES = 5000;
/** Customers per transaction when the rebuild derives their state. */
const REBUILD_CUSTOMERS = 500;
/** The id of ranking_rebuild's one row. */
const REBUILD_MARK = 1;

const PURCHASES: PairDerivation = {
  table: 'customer_product',
  recencyColumn: 'last_bought_at',
  countColumn: 'orders',
  // Units kept: cancelled and returned units count nowhere, and a style all given back is not owned.
  deriveSql: (list) =>
    `INSERT INTO customer_product (customer_id, product_id, units, orders, first_bought_at, last_bought_at)
     SELECT customer_id, product_id, SUM(quantity - returned_quantity), COUNT(DISTINCT order_id), MIN(placed_at), MAX(placed_at)
     FROM purchase_line WHERE customer_id IN (${list}) AND quantity > returned_quantity GROUP BY customer_id, product_id`,
  pairTable: 'co_purchase',
  recent: RECENT_PURCHASED_STYLES,
};

const VIEWS: PairDerivation = {
  table: 'customer_view_product',
  recencyColumn: 'last_viewed_at',
  countColumn: 'views',
  deriveSql: (list) =>
    `INSERT INTO customer_view_product (customer_id, product_id, views, last_viewed_at)
     SELECT customer_id, product_id, COUNT(*), MAX(occurred_at)
     FROM product_view WHERE customer_id IN (${list}) GROUP BY customer_id, product_id`,
  pairTable: 'co_view',
  recent: RECENT_VIEWED_STYLES,
};

/** A customer's check-in: the newest is kept, whichever arrives last. */
const PRESENCE_MERGE = { customer_id: 'key', location_id: 'replace', checked_in_at: 'version' } as const;

/** Tables holding only what is derived from the facts: the rebuild empties and refills them. */
const DERIVED_TABLES = ['customer_product', 'co_purchase', 'product_popularity', 'customer_view_product', 'co_view', 'product_sales_day'];

/** Units given back of an order: every unit (a cancellation, `lines` null) or those of each variant returned. */
interface GiveBack {
  eventId: string;
  orderId: string;
  lines: Array<{ variantId: string; quantity: number }> | null;
}

/** Units sold of a style on a business day in a scope (a store's id, or a channel). */
interface SalesDelta {
  scope: string;
  day: string;
  productId: string;
  units: number;
}

/**
 * Folds the events this service consumes into its facts (purchase lines with what was given back,
 * views, presence, refusals) and keeps the ranking state derived from them current: what each
 * customer owns and viewed, pairs bought and viewed together, buyers and units per style, and sales
 * per day and store or channel. `rebuild` derives the same state from the facts alone.
 */
export class RankingService {
  constructor(
    private readonly db: Database,
    private readonly timeZone: string,
    /** Over purchase_line and product_view. */
    private readonly links: CustomerLinks,
    private readonly lists: ListCache,
    /** Keys the digests of erased customers' identities, so the database alone cannot reverse them. */
    private readonly identityDigestKey: string,
  ) {}

  /**
   * `order.placed`: purchase lines, attributed to the buyer's survivor when merged away and to an
   * identity's known owner when the sale came with only the identity.
   */
  async recordOrders(manager: EntityManager, placed: Array<EventEnvelope<'order.placed'>>): Promise<void> {
    const attributions = await this.attributeUnlessErased(
      manager,
      placed.map(({ payload }) => ({ customerId: payload.customerId, identity: payload.customerIdentity ?? null })),
    );
    const lines: PurchaseLine[] = [];
    placed.forEach(({ payload }, i) => {
      // A sale of someone erased since counts in sales figures, as nobody's.
      const { identity } = attributions[i];
      for (const line of payload.lines) {
        lines.push(
          Object.assign(new PurchaseLine(), {
            orderId: payload.orderId,
            customerId: attributions[i].customerId,
            attributedCustomerId: attributions[i].attributedCustomerId,
            identityType: identity?.type ?? null,
            identityValue: identity?.value ?? null,
            productId: line.productId,
            variantId: line.variantId,
            quantity: line.quantity,
            returnedQuantity: 0,
            // The store that sold it: an online order collected in a store is not that store's sale.
            locationId: payload.channel === 'STORE' ? payload.locationId : null,
            channel: payload.channel,
            placedAt: new Date(payload.placedAt),
          }),
        );
      }
    });
    await insertMany(manager, PurchaseLine, lines);
    await this.addUnits(manager, lines.map((l) => ({ line: l, units: l.quantity })));
    await this.derivePurchases(manager, attributions.map((a) => a.customerId).filter((id): id is string => !!id));
    // Returns and cancellations of these orders that came first.
    const orderIds = placed.map((e) => e.payload.orderId);
    const pending: PendingGiveBack[] = [];
    for (const part of chunk(orderIds, 500)) pending.push(...(await manager.getRepository(PendingGiveBack).findBy({ orderId: In(part) })));
    if (!pending.length) return;
    await manager.getRepository(PendingGiveBack).delete({ eventId: In(pending.map((p) => p.eventId)) });
    await this.giveBack(
      manager,
      pending.map((p) => ({ eventId: p.eventId, orderId: p.orderId, lines: p.returnedLines === null ? null : JSON.parse(p.returnedLines) })),
    );
  }

  /**
   * `order.cancelled` (every unit of the order) and `order.returned` (the units of each returned
   * variant): the units given back leave the buyer's holdings, popularity, pairs and sales.
   */
  async recordGivenBack(
    manager: EntityManager,
    events: Array<EventEnvelope<'order.cancelled'> | EventEnvelope<'order.returned'>>,
  ): Promise<void> {
    await this.giveBack(
      manager,
      events.map((e) => ({
        eventId: e.id,
        orderId: e.payload.orderId,
        lines: isEvent(e, 'order.returned') ? e.payload.lines.map(({ variantId, quantity }) => ({ variantId, quantity })) : null,
      })),
    );
  }

  private async giveBack(manager: EntityManager, givenBack: GiveBack[]): Promise<void> {
    const orderIds = [...new Set(givenBack.map((g) => g.orderId))];
    const lines: PurchaseLine[] = [];
    for (const part of chunk(orderIds, 500)) {
      // Locked on MySQL: a return and a cancellation of one order handled side by side give back each unit once.
      lines.push(
        ...(await manager.getRepository(PurchaseLine).find({ where: { orderId: In(part) }, order: { id: 'ASC' }, ...this.db.rowLock('pessimistic_write') })),
      );
    }
    // Every order has lines: none here means its order.placed has not been handled yet (another
    // stream position, a retry). Kept until it is (recordOrders), so nothing waits on it meanwhile.
    const known = new Set(lines.map((l) => l.orderId));
    await insertMany(
      manager,
      PendingGiveBack,
      givenBack
        .filter((g) => !known.has(g.orderId))
        .map((g) => Object.assign(new PendingGiveBack(), { eventId: g.eventId, orderId: g.orderId, returnedLines: g.lines && JSON.stringify(g.lines) })),
    );
    const changes = new Map<number, { line: PurchaseLine; units: number }>();
    const give = (line: PurchaseLine, units: number) => {
      const change = changes.get(line.id) ?? { line, units: 0 };
      change.units += units;
      line.returnedQuantity += units;
      changes.set(line.id, change);
    };
    for (const g of givenBack) {
      const ofOrder = lines.filter((l) => l.orderId === g.orderId);
      if (!g.lines) {
        for (const line of ofOrder) give(line, line.quantity - line.returnedQuantity);
        continue;
      }
      for (const returned of g.lines) {
        // Two lines of one variant: the return takes from the first that still has units.
        let left = returned.quantity;
        for (const line of ofOrder.filter((l) => l.variantId === returned.variantId)) {
          const units = Math.min(left, line.quantity - line.returnedQuantity);
          if (units > 0) give(line, units);
          left -= units;
        }
      }
    }
    const changed = [...changes.values()].filter((c) => c.units > 0);
    for (const { line } of changed) {
      await manager.query('UPDATE purchase_line SET returned_quantity = ? WHERE id = ?', [line.returnedQuantity, line.id]);
    }
    await this.addUnits(manager, changed.map(({ line, units }) => ({ line, units: -units })));
    await this.derivePurchases(manager, changed.map((c) => c.line.customerId).filter((id): id is string => !!id));
  }

  /**
   * `customer.identity_linked` to customers not erased: a card or device of an erased customer given
   * to someone else is theirs from now on, so what comes with it is no longer dropped. Run before the
   * batch's behaviour is recorded, which may come with such an identity.
   */
  async releaseLinkedIdentities(manager: EntityManager, linked: Array<EventEnvelope<'customer.identity_linked'>>): Promise<void> {
    const erased = await this.erasedAmong(manager, linked.map((e) => e.payload.customerId));
    const released = linked
      .filter((e) => !erased.has(e.payload.customerId))
      .map(({ payload: p }) => this.identityHash({ type: p.identityType, value: p.identityValue }));
    for (const part of chunk(released, 500)) await manager.getRepository(ErasedIdentity).delete({ identityHash: In(part) });
  }

  /** `customer.event_tracked`: product views and cart adds (the customer's views), and check-ins (presence). */
  async recordBehaviour(manager: EntityManager, tracked: Array<EventEnvelope<'customer.event_tracked'>>): Promise<void> {
    const relevant = tracked.filter(
      ({ payload: p }) =>
        ((p.type === 'PRODUCT_VIEW' || p.type === 'ADD_TO_CART') && p.productId) || (p.type === 'STORE_CHECK_IN' && p.locationId),
    );
    const attributions = await this.attributeUnlessErased(
      manager,
      relevant.map(({ payload: p }) => ({
        customerId: p.customerId,
        identity: p.identityType && p.identityValue ? { type: p.identityType, value: p.identityValue } : null,
      })),
    );
    const views: ProductView[] = [];
    const presence = new Map<string, { location_id: string; checked_in_at: Date }>();
    relevant.forEach(({ payload: p }, i) => {
      const { customerId, attributedCustomerId, identity, erased } = attributions[i];
      // Behaviour of someone erased since is personal and serves nothing anonymised: it is not kept.
      if (erased) return;
      if (p.type === 'STORE_CHECK_IN') {
        // Only the latest check-in of a customer matters; one without a known customer places nobody.
        const at = new Date(p.occurredAt);
        if (customerId && !(at < (presence.get(customerId)?.checked_in_at ?? new Date(0)))) {
          presence.set(customerId, { location_id: p.locationId!, checked_in_at: at });
        }
        return;
      }
      views.push(
        Object.assign(new ProductView(), {
          customerId,
          attributedCustomerId,
          identityType: identity?.type ?? null,
          identityValue: identity?.value ?? null,
          productId: p.productId!,
          kind: p.type,
          occurredAt: new Date(p.occurredAt),
        }),
      );
    });
    await insertMany(manager, ProductView, views);
    await upsertRows(
      this.db,
      manager,
      'customer_presence',
      PRESENCE_MERGE,
      [...presence].map(([customerId, p]) => ({ customer_id: customerId, ...p, checked_in_at: this.db.dateParameter(p.checked_in_at) })),
    );
    await this.deriveViews(manager, views.map((v) => v.customerId).filter((id): id is string => !!id));
  }

  /**
   * The customers service's events: merges, unmerges and identity links move purchase lines and views
   * between customers; erasure removes views and presence and takes the customer out of every line;
   * PERSONALIZATION refusals are kept. What each customer owns and viewed is then derived again.
   */
  async applyCustomerEvents(manager: EntityManager, events: EventEnvelope[]): Promise<void> {
    // Whom the events give something to: nothing is kept for, or given to, someone erased (a late event).
    const subjectsOf = (event: EventEnvelope): string[] =>
      isEvent(event, 'customer.identity_linked') || isEvent(event, 'customer.consent_changed')
        ? [event.payload.customerId]
        : isEvent(event, 'customer.merged')
          ? [event.payload.survivorId, event.payload.mergedId]
          : [];
    const erased = await this.erasedAmong(manager, events.flatMap(subjectsOf));
    const touched = new Set<string>();
    // One event at a time, in order: an erasure must see the identities linked just before it. A run
    // of identity links goes to CustomerLinks at once: nothing between them reads what they change.
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      if (subjectsOf(event).some((id) => erased.has(id))) continue;
      if (isEvent(event, 'customer.identity_linked')) {
        const run: EventEnvelope[] = [event];
        for (; i + 1 < events.length && isEvent(events[i + 1], 'customer.identity_linked'); i++) {
          if (!subjectsOf(events[i + 1]).some((id) => erased.has(id))) run.push(events[i + 1]);
        }
        for (const id of await this.links.apply(manager, run)) touched.add(id);
        continue;
      }
      if (isEvent(event, 'customer.consent_changed') && event.payload.purpose === 'PERSONALIZATION') {
        await this.recordConsent(manager, event.payload);
      } else if (isEvent(event, 'customer.erased')) {
        const ids = [...new Set([event.payload.customerId, ...event.payload.erasedIds])];
        await this.erasePersonalData(manager, ids, new Date(event.payload.erasedAt));
        for (const id of ids) erased.add(id);
      }
      for (const id of await this.links.apply(manager, [event])) touched.add(id);
      if (isEvent(event, 'customer.merged')) await this.movePresence(manager, event.payload.mergedId);
    }
    if (!touched.size) return;
    await this.derivePurchases(manager, [...touched]);
    await this.deriveViews(manager, [...touched]);
  }

  /**
   * A merged-away customer's check-in goes to whoever they are now, where it is newer than theirs (as
   * the customers service keeps it).
   */
  private async movePresence(manager: EntityManager, mergedId: string): Promise<void> {
    const presence = await manager.getRepository(CustomerPresence).findOneBy({ customerId: mergedId });
    if (!presence) return;
    const root = (await this.links.rootsOf([mergedId], manager)).get(mergedId)!;
    await manager.getRepository(CustomerPresence).delete({ customerId: mergedId });
    await upsertRows(this.db, manager, 'customer_presence', PRESENCE_MERGE, [
      { customer_id: root, location_id: presence.locationId, checked_in_at: this.db.dateParameter(presence.checkedInAt) },
    ]);
  }

  /**
   * The latest choice wins, by when it was made, not by when its event arrived: a retried grant never
   * undoes a newer refusal, nor an older refusal a newer grant.
   */
  private async recordConsent(manager: EntityManager, { customerId, granted, changedAt }: EventPayloads['customer.consent_changed']) {
    await upsertRows(this.db, manager, 'personalization_choice', { customer_id: 'key', refused: 'replace', changed_at: 'version' }, [
      { customer_id: customerId, refused: granted ? 0 : 1, changed_at: this.db.dateParameter(new Date(changedAt)) },
    ]);
  }

  /**
   * CustomerLinks.attribute, with what arrives about erased customers after the erasure (an event from
   * another stream, or retried) kept as nobody's and marked `erased`: records of an erased customer,
   * and records that come with only an identity an erased customer owned. `identity` is what to keep
   * of the record's identity: nothing when an erased customer owned it.
   */
  private async attributeUnlessErased(
    manager: EntityManager,
    records: Array<{ customerId: string | null; identity: IdentityFact | null }>,
  ): Promise<Array<Attribution & { identity: IdentityFact | null; erased: boolean }>> {
    const attributions = await this.links.attribute(manager, records);
    const erased = await this.erasedAmong(manager, attributions.flatMap((a) => [a.customerId, a.attributedCustomerId]));
    const erasedIdentities = await this.erasedIdentitiesAmong(manager, records.flatMap((r) => (r.identity ? [r.identity] : [])));
    return attributions.map((a, i) => {
      const { identity } = records[i];
      const identityErased = !!identity && erasedIdentities.has(this.identityHash(identity));
      return erased.has(a.customerId ?? '') || erased.has(a.attributedCustomerId ?? '') || (identityErased && !a.attributedCustomerId)
        ? { customerId: null, attributedCustomerId: null, identity: null, erased: true }
        : { ...a, identity: identityErased ? null : identity, erased: false };
    });
  }

  /** How an erased customer's identity is remembered: a keyed digest, not the value. */
  private identityHash(identity: IdentityFact): string {
    return createHmac('sha256', this.identityDigestKey).update(`erased-identity\u0000${identity.type}\u0000${identity.value}`).digest('hex');
  }

  /** The hashes, among those of the given identities, of identities that erased customers owned. */
  private async erasedIdentitiesAmong(manager: EntityManager, identities: IdentityFact[]): Promise<Set<string>> {
    const erased = new Set<string>();
    for (const part of chunk([...new Set(identities.map((i) => this.identityHash(i)))], 500)) {
      for (const row of await manager.getRepository(ErasedIdentity).findBy({ identityHash: In(part) })) erased.add(row.identityHash);
    }
    return erased;
  }

  /** The given ids of customers erased already: what arrives about them late is not kept as theirs. */
  private async erasedAmong(manager: EntityManager, ids: Iterable<string | null>): Promise<Set<string>> {
    const known = [...new Set([...ids].filter((id): id is string => !!id))];
    const erased = new Set<string>();
    for (const part of chunk(known, 500)) {
      for (const row of await manager.getRepository(ErasedCustomer).findBy({ customerId: In(part) })) erased.add(row.customerId);
    }
    return erased;
  }

  /**
   * What is personal and not needed anonymised: views (also those made with an identity of theirs),
   * presence and consent choices. Purchase lines stay for sales figures, without their buyer
   * (CustomerLinks). The erased ids, and hashes of the identities they owned, are remembered so that
   * late events keep nothing of theirs. Runs before the links forget who owned which identity.
   */
  private async erasePersonalData(manager: EntityManager, ids: string[], erasedAt: Date): Promise<void> {
    const list = ids.map(() => '?').join(', ');
    const viewers = await this.links.deleteRecordsOf(manager, 'product_view', ids);
    await manager.query(`DELETE FROM customer_presence WHERE customer_id IN (${list})`, ids);
    await manager.getRepository(PersonalizationChoice).delete({ customerId: In(ids) });
    const at = this.db.dateParameter(erasedAt);
    await upsertRows(this.db, manager, 'erased_customer', { customer_id: 'key', erased_at: 'min' }, ids.map((id) => ({ customer_id: id, erased_at: at })));
    const owned: Array<{ identity_type: string; identity_value: string }> = await manager.query(
      `SELECT identity_type, identity_value FROM identity_owner WHERE customer_id IN (${list})`,
      ids,
    );
    await upsertRows(
      this.db,
      manager,
      'erased_identity',
      { identity_hash: 'key', erased_at: 'min' },
      owned.map((o) => ({ identity_hash: this.identityHash({ type: o.identity_type, value: o.identity_value }), erased_at: at })),
    );
    await this.deriveViews(manager, [...ids, ...viewers]);
  }

  private async derivePurchases(manager: EntityManager, customerIds: string[]): Promise<void> {
    if (!customerIds.length) return;
    const { holders, repeaters } = await this.derive(manager, PURCHASES, customerIds);
    await this.addPopularity(
      manager,
      [...new Set([...holders.keys(), ...repeaters.keys()])].map((productId) => ({
        productId,
        buyers: holders.get(productId) ?? 0,
        repeatBuyers: repeaters.get(productId) ?? 0,
      })),
    );
  }

  private async deriveViews(manager: EntityManager, customerIds: string[]): Promise<void> {
    if (customerIds.length) await this.derive(manager, VIEWS, customerIds);
  }

  /** Derives the customers' rows and pairs again; the cached neighbour lists of styles whose pairs moved go stale. */
  private async derive(manager: EntityManager, derivation: PairDerivation, customerIds: string[]) {
    const change = await rederive(this.db, manager, derivation, customerIds);
    this.lists.invalidate(...[...change.pairedProducts].map((id) => scopes.pairs(derivation.pairTable, id)));
    return change;
  }

  /**
   * Units of lines (negative when given back, the line already counting them) into popularity, trend
   * and sales per day, store and channel. A line counts in its style's trend while it keeps a unit.
   */
  private async addUnits(manager: EntityManager, changes: Array<{ line: PurchaseLine; units: number }>): Promise<void> {
    const totals = new Map<string, { units: number; trend: number }>();
    for (const { line, units } of changes) {
      const kept = line.quantity > line.returnedQuantity;
      // A new line (units > 0) was not counted before; one given back was while it kept a unit.
      const keptBefore = units < 0 && line.quantity > line.returnedQuantity + units;
      const total = totals.get(line.productId) ?? { units: 0, trend: 0 };
      total.units += units;
      total.trend += (Number(kept) - Number(keptBefore)) * trendWeight(line.placedAt);
      totals.set(line.productId, total);
    }
    await this.addPopularity(manager, [...totals].map(([productId, total]) => ({ productId, ...total })));
    await this.addSales(manager, changes.flatMap(({ line, units: n }) => this.salesOf(line, n)));
  }

  /** Adds to each style's counters in product_popularity (a style not there yet starts at zero). */
  private async addPopularity(
    manager: EntityManager,
    changes: Array<{ productId: string; buyers?: number; repeatBuyers?: number; units?: number; trend?: number }>,
  ): Promise<void> {
    await upsertRows(
      this.db,
      manager,
      'product_popularity',
      { product_id: 'key', buyers: 'add', repeat_buyers: 'add', units: 'add', trend: 'add' },
      [...changes]
        .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0))
        .map((c) => ({ product_id: c.productId, buyers: c.buyers ?? 0, repeat_buyers: c.repeatBuyers ?? 0, units: c.units ?? 0, trend: c.trend ?? 0 })),
    );
  }

  private salesOf(line: Pick<PurchaseLine, 'productId' | 'channel' | 'locationId' | 'placedAt'>, units: number): SalesDelta[] {
    const day = businessDay(line.placedAt, this.timeZone);
    const deltas = [{ scope: line.channel, day, productId: line.productId, units }];
    if (line.locationId) deltas.push({ scope: line.locationId, day, productId: line.productId, units });
    return deltas;
  }

  private async addSales(manager: EntityManager, deltas: SalesDelta[]): Promise<void> {
    const summed = new Map<string, SalesDelta>();
    for (const d of deltas) {
      const key = `${d.scope}|${d.day}|${d.productId}`;
      const entry = summed.get(key) ?? { ...d, units: 0 };
      entry.units += d.units;
      summed.set(key, entry);
    }
    await upsertRows(
      this.db,
      manager,
      'product_sales_day',
      { scope: 'key', day: 'key', product_id: 'key', units: 'add' },
      [...summed.keys()].sort().map((key) => {
        const d = summed.get(key)!;
        return { scope: d.scope, day: d.day, product_id: d.productId, units: d.units };
      }),
      500,
    );
    this.lists.invalidate(...new Set(deltas.map((d) => scopes.sales(d.scope))));
  }

  /**
   * Called first in every batch the consumer handles: while a rebuild runs (or one was interrupted) it
   * throws ConsumerPaused, and the bus delivers the batch again later, nothing after it before it. On
   * MySQL the mark stays share-locked until the batch commits, so a rebuild starts only once the
   * batches in flight are done.
   */
  async assertNotRebuilding(manager: EntityManager): Promise<void> {
    const mark = await manager.getRepository(RankingRebuild).findOne({ where: { id: REBUILD_MARK }, ...this.db.rowLock('pessimistic_read') });
    if (mark?.startedAt) {
      const since = mark.startedAt.toISOString();
      throw new ConsumerPaused(`the ranking state is being rebuilt (since ${since}): events wait until \`npm run recs:rebuild\` finishes`);
    }
  }

  /**
   * Derives the whole ranking state again from the facts (purchase lines net of what was given back,
   * views), in batches, each in its own transaction: sales and units first, then customers. The
   * consumer handles no events from the moment it starts until it has finished (assertNotRebuilding),
   * so it may run beside a running service; recommendations read a partly derived state meanwhile.
   * A rebuild that did not finish keeps events waiting: `force` starts again over it. Every cached
   * list is stale afterwards. `log` may return a promise, which the rebuild waits for.
   */
  async rebuild(log: (message: string) => void | Promise<void> = () => undefined, { force = false } = {}): Promise<void> {
    await this.db.transaction((manager) =>
      manager.query(`INSERT ${this.db.kind === 'sqlite' ? 'OR IGNORE' : 'IGNORE'} INTO ranking_rebuild (id, started_at) VALUES (?, NULL)`, [REBUILD_MARK]),
    );
    const startedAt = new Date();
    await this.db.transaction(async (manager) => {
      const marks = manager.getRepository(RankingRebuild);
      const mark = await marks.findOneOrFail({ where: { id: REBUILD_MARK }, ...this.db.rowLock('pessimistic_write') });
      if (mark.startedAt && !force) {
        throw new Error(
          `a rebuild started at ${mark.startedAt.toISOString()} has not finished: it is still running, or it was interrupted ` +
            'and events wait for a rebuild to finish. If none is running, start again with `npm run recs:rebuild -- --force`.',
        );
      }
      await manager.query('UPDATE ranking_rebuild SET started_at = ? WHERE id = ?', [this.db.dateParameter(startedAt), REBUILD_MARK]);
    });
    await this.db.transaction(async (manager) => {
      for (const table of DERIVED_TABLES) await manager.query(`DELETE FROM ${table}`);
      await manager.query(
        `INSERT INTO product_popularity (product_id, buyers, units)
         SELECT product_id, 0, SUM(quantity - returned_quantity) FROM purchase_line GROUP BY product_id`,
      );
    });
    let lastId = 0;
    for (;;) {
      const lines = await this.db.manager
        .getRepository(PurchaseLine)
        .createQueryBuilder('p')
        .where('p.id > :lastId', { lastId })
        .orderBy('p.id', 'ASC')
        .take(REBUILD_LINES)
        .getMany();
      if (!lines.length) break;
      lastId = lines[lines.length - 1].id;
      await this.db.transaction(async (manager) => {
        await this.addSales(manager, lines.flatMap((l) => this.salesOf(l, l.quantity - l.returnedQuantity)));
        const trends = new Map<string, number>();
        for (const l of lines) if (l.quantity > l.returnedQuantity) trends.set(l.productId, (trends.get(l.productId) ?? 0) + trendWeight(l.placedAt));
        await this.addPopularity(manager, [...trends].map(([productId, trend]) => ({ productId, trend })));
      });
    }
    await log('sales per day, store and channel, and trends derived');
    for (const [derivation, table] of [
      [PURCHASES, 'purchase_line'],
      [VIEWS, 'product_view'],
    ] as const) {
      const rows: Array<{ customer_id: string }> = await this.db.manager.query(
        `SELECT DISTINCT customer_id FROM ${table} WHERE customer_id IS NOT NULL ORDER BY customer_id`,
      );
      for (const part of chunk(rows.map((r) => r.customer_id), REBUILD_CUSTOMERS)) {
        await this.db.transaction((manager) =>
          derivation === PURCHASES ? this.derivePurchases(manager, part) : this.deriveViews(manager, part),
        );
      }
      await log(`${derivation.table} and ${derivation.pairTable} derived for ${rows.length} customers`);
    }
    // Only its own mark: a rebuild forced over this one (thought interrupted) keeps events waiting until it ends.
    await this.db.transaction((manager) =>
      manager.query('UPDATE ranking_rebuild SET started_at = NULL WHERE id = ? AND started_at = ?', [REBUILD_MARK, this.db.dateParameter(startedAt)]),
    );
    await this.lists.invalidateNow(scopes.everything);
  }

  /** Every derived table's rows in a fixed order: what a rebuild must reproduce (tests compare them). */
  async derivedState(): Promise<Record<string, unknown[]>> {
    const state: Record<string, unknown[]> = {};
    for (const table of DERIVED_TABLES) {
      const rows: Array<Record<string, unknown>> = await this.db.manager.query(`SELECT * FROM ${table}`);
      state[table] = rows
        .map((row) =>
          Object.fromEntries(
            Object.entries(row).map(([k, v]) => [
              k,
              k.endsWith('_at')
                ? toDate(v).toISOString()
                : k === 'trend'
                  ? // Sums of doubles: the order they were added in moves the last digits.
                    Number(Number(v).toPrecision(10))
                  : typeof v === 'string'
                    ? v
                    : toInt(v),
            ]),
          ),
        )
        .map((row) => JSON.stringify(row))
        .sort();
    }
    return state;
  }
}

/** The calendar day (YYYY-MM-DD) of `at` in the business time zone. */
export function businessDay(at: Date, timeZone: string): string {
  return new Date(at.getTime() + utcOffsetMinutes(timeZone, at) * 60_000).toISOString().slice(0, 10);
}


