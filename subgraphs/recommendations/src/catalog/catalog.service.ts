import type { EntityManager } from 'typeorm';
import { chunk } from '../../../../shared/db/batch';
import { firstRowsPerParent } from '../../../../shared/db/per-parent';
import { toInt } from '../../../../shared/db/columns';
import type { Database } from '../../../../shared/db/database';
import { upsertRows } from '../../../../shared/db/upsert';
import { isEvent, type EventEnvelope } from '../../../../shared/events/envelope';
import { LIST_TTL_SECONDS, scopes, type ListCache } from '../ranking/list-cache';

/** Styles released within this many days are new arrivals. */
export const NEW_ARRIVAL_DAYS = 60;
/** New arrivals kept per list. */
const NEW_ARRIVALS_POOL = 200;

export interface StyleFact {
  category: string;
  soldOnline: boolean;
}

/** A SKU in stock somewhere, with what the customer's size and colour are matched against. */
export interface StockedVariant {
  productId: string;
  variantId: string;
  /** Null when the SKU was read as in stock anywhere. */
  locationId: string | null;
  size: string | null;
  color: string | null;
  /** Units available there (everywhere together when read as in stock anywhere). */
  available: number;
}

/**
 * The recommendations service's copy of the catalog (styles, their sizes and colours) and of the
 * stock picture (available units per SKU and location, location types), kept from inventory's
 * `product.changed` and `stock.changed`.
 */
export class CatalogService {
  constructor(
    private readonly db: Database,
    private readonly lists: ListCache,
  ) {}

  /**
   * Each event describes a style as it stood when it occurred, or levels at a location as they stood
   * when read: per style, SKU and level the newest description wins, whatever order the events arrive
   * in (a retry).
   */
  async apply(manager: EntityManager, events: EventEnvelope[]): Promise<void> {
    const products = events.filter((e) => isEvent(e, 'product.changed')) as Array<EventEnvelope<'product.changed'>>;
    const stock = events.filter((e) => isEvent(e, 'stock.changed')) as Array<EventEnvelope<'stock.changed'>>;
    const changedAt = (occurredAt: string) => this.db.dateParameter(new Date(occurredAt));
    await upsertRows(
      this.db,
      manager,
      'product_fact',
      { product_id: 'key', category: 'replace', released_at: 'replace', sold_online: 'replace', changed_at: 'version' },
      newestBy(products, (e) => e.payload.productId).map((e) => ({
        product_id: e.payload.productId,
        category: e.payload.category,
        released_at: this.db.dateParameter(new Date(e.payload.releasedAt)),
        sold_online: e.payload.soldOnline ? 1 : 0,
        changed_at: changedAt(e.occurredAt),
      })),
    );
    const variants = products.flatMap((e) => (e.payload.variants ?? []).map((v) => ({ ...v, productId: e.payload.productId, occurredAt: e.occurredAt })));
    await upsertRows(
      this.db,
      manager,
      'variant_fact',
      { variant_id: 'key', product_id: 'replace', size: 'replace', color: 'replace', changed_at: 'version' },
      newestBy(variants, (v) => v.variantId).map((v) => ({
        variant_id: v.variantId,
        product_id: v.productId,
        size: v.size,
        color: v.color,
        changed_at: changedAt(v.occurredAt),
      })),
    );
    // Levels are versioned by when they were read; an event from before `asOf` existed counts as read now (arrival order).
    const arrived = new Date().toISOString();
    const levels = stock.flatMap((e) =>
      e.payload.levels.map((l) => ({ ...l, locationId: e.payload.locationId, occurredAt: e.payload.asOf ?? arrived })),
    );
    await upsertRows(
      this.db,
      manager,
      'stock_fact',
      { location_id: 'key', variant_id: 'key', product_id: 'replace', available: 'replace', changed_at: 'version' },
      newestBy(levels, (l) => `${l.locationId}|${l.variantId}`)
        .sort((a, b) => (a.locationId + a.variantId < b.locationId + b.variantId ? -1 : 1))
        .map((l) => ({
          location_id: l.locationId,
          variant_id: l.variantId,
          product_id: l.productId,
          available: l.available,
          changed_at: changedAt(l.occurredAt),
        })),
      500,
    );
    const typed = stock.filter((e) => e.payload.locationType);
    await upsertRows(
      this.db,
      manager,
      'location_fact',
      { location_id: 'key', type: 'replace' },
      newestBy(typed, (e) => e.payload.locationId).map((e) => ({ location_id: e.payload.locationId, type: e.payload.locationType })),
    );
    if (products.length) this.lists.invalidate(scopes.catalog);
    if (typed.length) this.lists.invalidate(scopes.locations);
    this.lists.invalidate(...new Set(stock.map((e) => scopes.stock(e.payload.locationId))));
  }

  /** Styles released in the last NEW_ARRIVAL_DAYS days and not in the future, newest first. */
  newArrivals(now: Date): Promise<string[]> {
    const since = new Date(now.getTime() - NEW_ARRIVAL_DAYS * 86_400_000);
    const hour = now.toISOString().slice(0, 13);
    return this.lists.get(`new-arrivals:${hour}`, [scopes.catalog], LIST_TTL_SECONDS, async () => {
      const rows: Array<{ product_id: string }> = await this.db.manager.query(
        `SELECT product_id FROM product_fact WHERE released_at >= ? AND released_at <= ?
         ORDER BY released_at DESC, product_id LIMIT ${NEW_ARRIVALS_POOL}`,
        [this.db.dateParameter(since), this.db.dateParameter(now)],
      );
      return rows.map((r) => r.product_id);
    });
  }

  /** Per location, up to `limit` styles released in the last NEW_ARRIVAL_DAYS days with units there, newest first. */
  async newArrivalsAt(locationIds: readonly string[], now: Date, limit: number): Promise<Map<string, string[]>> {
    const since = new Date(now.getTime() - NEW_ARRIVAL_DAYS * 86_400_000);
    const rows = await firstRowsPerParent(this.db.manager, {
      table: `(SELECT s.location_id, s.product_id, MAX(p.released_at) AS released_at FROM stock_fact s
               JOIN product_fact p ON p.product_id = s.product_id WHERE s.available > 0 GROUP BY s.location_id, s.product_id)`,
      parentColumn: 'location_id',
      parentIds: locationIds,
      where: 'released_at >= ? AND released_at <= ?',
      params: [this.db.dateParameter(since), this.db.dateParameter(now)],
      orderBy: 'released_at DESC, product_id',
      limit,
    });
    return new Map([...rows].map(([locationId, list]) => [locationId, list.map((r) => String(r.product_id))]));
  }

  /**
   * Where online orders ship from: the locations inventory called WAREHOUSE. Until a stock.changed
   * has said so (events from before locations were known carry no type), the location holding the
   * most units of styles sold online.
   */
  shippingLocations(): Promise<string[]> {
    return this.lists.get('shipping-locations', [scopes.locations], LIST_TTL_SECONDS, async () => {
      const warehouses: Array<{ location_id: string }> = await this.db.manager.query(
        "SELECT location_id FROM location_fact WHERE type = 'WAREHOUSE' ORDER BY location_id",
      );
      if (warehouses.length) return warehouses.map((w) => w.location_id);
      const biggest: Array<{ location_id: string }> = await this.db.manager.query(
        `SELECT s.location_id FROM stock_fact s JOIN product_fact p ON p.product_id = s.product_id
         WHERE p.sold_online = ? AND s.available > 0 GROUP BY s.location_id ORDER BY SUM(s.available) DESC, s.location_id LIMIT 1`,
        [this.db.kind === 'sqlite' ? 1 : true],
      );
      return biggest.map((w) => w.location_id);
    });
  }

  /**
   * Category and whether it is sold online, of every style: read once per catalog change (held in
   * each process by the list cache), so that ranking never asks about its candidates one by one.
   */
  styleFacts(): Promise<Record<string, StyleFact>> {
    return this.lists.get('style-facts', [scopes.catalog], LIST_TTL_SECONDS, async () => {
      const rows: Array<{ product_id: string; category: string; sold_online: unknown }> = await this.db.manager.query(
        'SELECT product_id, category, sold_online FROM product_fact',
      );
      return Object.fromEntries(rows.map((r) => [r.product_id, { category: r.category, soldOnline: !!toInt(r.sold_online) }]));
    });
  }

  /** The SKUs of the given styles that have units available at the given locations, per location. */
  stocked(productIds: readonly string[], locationIds: readonly string[]): Promise<StockedVariant[]> {
    return this.stockedRows(
      productIds,
      `SELECT s.product_id, s.variant_id, s.location_id, v.size, v.color, s.available FROM stock_fact s
       LEFT JOIN variant_fact v ON v.variant_id = s.variant_id
       WHERE s.product_id IN (?) AND s.available > 0 AND s.location_id IN (${placeholders(locationIds)})`,
      locationIds,
    );
  }

  /** The SKUs of the given styles that have units available somewhere, once each (no location). */
  stockedAnywhere(productIds: readonly string[]): Promise<StockedVariant[]> {
    return this.stockedRows(
      productIds,
      `SELECT s.product_id, s.variant_id, NULL AS location_id, v.size, v.color, s.available
       FROM (SELECT product_id, variant_id, SUM(available) AS available FROM stock_fact WHERE product_id IN (?) AND available > 0 GROUP BY product_id, variant_id) s
       LEFT JOIN variant_fact v ON v.variant_id = s.variant_id`,
      [],
    );
  }

  /** Runs `sql` (whose `IN (?)` takes the styles) for the styles a chunk at a time. */
  private async stockedRows(productIds: readonly string[], sql: string, params: readonly string[]): Promise<StockedVariant[]> {
    const stocked: StockedVariant[] = [];
    for (const part of chunk(productIds, IDS_PER_STATEMENT)) {
      const rows: Array<{ product_id: string; variant_id: string; location_id: string | null; size: string | null; color: string | null; available: unknown }> =
        await this.db.manager.query(sql.replace('IN (?)', `IN (${placeholders(part)})`), [...part, ...params]);
      for (const r of rows) {
        stocked.push({ productId: r.product_id, variantId: r.variant_id, locationId: r.location_id, size: r.size, color: r.color, available: toInt(r.available) });
      }
    }
    return stocked;
  }
}

/**
 * Ids per IN list, inside SQLite's limit of 32,766 parameters (MySQL's are filled in by the client):
 * one customer's candidates (neighbours of NEIGHBOUR_SOURCES styles, holdings, lists) fit in one
 * statement, and so do many customers' until their union passes this many styles.
 */
export const IDS_PER_STATEMENT = 30_000;

export function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/** Per key the item that occurred last (the later one on a tie), in first-seen key order. */
function newestBy<T extends { occurredAt: string }>(items: T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    const held = byKey.get(key(item));
    if (!held || Date.parse(held.occurredAt) <= Date.parse(item.occurredAt)) byKey.set(key(item), item);
  }
  return [...byKey.values()];
}
