/**
 * What the ranking reads of some customers, in one statement: their latest purchase lines (with the
 * SKU's size and colour), views, holdings, a refusal of PERSONALIZATION and, when asked, where they
 * checked in; with the popularity of each style they hold or viewed.
 */
import type DataLoader from 'dataloader';
import { toDate, toInt } from '../../../../shared/db/columns';
import type { Database } from '../../../../shared/db/database';
import { mergedAwayAmong, notMergedAway } from '../../../../shared/events/customer-links';
import type { Holding, HistoryLine } from './purchase-history';

/** A style's popularity as stored: distinct buyers, those who bought it in two orders or more, its trend counter (trend.ts). */
export interface StylePopularity {
  buyers: number;
  repeatBuyers: number;
  trend: number;
}

export interface CustomerState {
  refused: Set<string>;
  /** Per customer, the store they checked into (when presence was asked for). */
  presentAt: Map<string, string>;
  /** Per customer, the most recent lines first, each with its SKU's size and colour. */
  lines: Map<string, Array<HistoryLine & { size: string | null; color: string | null }>>;
  /** Per customer, the most recent views first. */
  views: Map<string, Array<{ productId: string; at: Date }>>;
  holdings: Map<string, Holding[]>;
  /** Of every style held or viewed by these customers. */
  popularity: Map<string, StylePopularity>;
}

export interface StateLimits {
  lines: number;
  views: number;
  holdings: number;
}

interface StateRow {
  kind: 'line' | 'view' | 'holding' | 'refused' | 'presence';
  customer_id: string;
  product_id: string | null;
  variant_id: string | null;
  order_id: string | null;
  at: unknown;
  until_at: unknown;
  n: unknown;
  orders: unknown;
  size: string | null;
  color: string | null;
  buyers: unknown;
  repeat_buyers: unknown;
  trend: unknown;
}

/** The latest `limit` rows per customer of a table, ranked as firstRowsPerParent ranks them; none of an id merged away here. */
const latest = (table: string, orderBy: string, ids: string) =>
  `(SELECT t.*, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY ${orderBy}) AS rn FROM ${table} t
    WHERE customer_id IN (${ids}) AND ${notMergedAway('t.customer_id')})`;

/**
 * Reads the state of `customerIds`; `presentSince` asks for check-ins at or after it too. Every kind
 * of row comes in one UNION ALL, so a request costs one round trip however many kinds it needs.
 */
export async function readCustomerState(
  db: Database,
  customerIds: readonly string[],
  limits: StateLimits,
  presentSince: Date | null,
): Promise<CustomerState> {
  const state: CustomerState = {
    refused: new Set(),
    presentAt: new Map(),
    lines: new Map(customerIds.map((id) => [id, []])),
    views: new Map(customerIds.map((id) => [id, []])),
    holdings: new Map(customerIds.map((id) => [id, []])),
    popularity: new Map(),
  };
  if (!customerIds.length) return state;
  const ids = customerIds.map(() => '?').join(', ');
  const popularityColumns = 'p.buyers, p.repeat_buyers, p.trend';
  const parts = [
    `SELECT 'line' AS kind, l.customer_id, l.product_id, l.variant_id, l.order_id, l.placed_at AS at, NULL AS until_at,
            l.quantity - l.returned_quantity AS n, 0 AS orders, v.size, v.color, NULL AS buyers, NULL AS repeat_buyers, NULL AS trend, l.rn
     FROM ${latest('purchase_line', 'placed_at DESC, id DESC', ids)} l LEFT JOIN variant_fact v ON v.variant_id = l.variant_id WHERE l.rn <= ?`,
    `SELECT 'view', w.customer_id, w.product_id, NULL, NULL, w.occurred_at, NULL, 0, 0, NULL, NULL, ${popularityColumns}, w.rn
     FROM ${latest('product_view', 'occurred_at DESC, id DESC', ids)} w LEFT JOIN product_popularity p ON p.product_id = w.product_id WHERE w.rn <= ?`,
    `SELECT 'holding', h.customer_id, h.product_id, NULL, NULL, h.first_bought_at, h.last_bought_at, h.units, h.orders, NULL, NULL, ${popularityColumns}, h.rn
     FROM ${latest('customer_product', 'last_bought_at DESC, product_id', ids)} h LEFT JOIN product_popularity p ON p.product_id = h.product_id WHERE h.rn <= ?`,
    `SELECT 'refused', customer_id, NULL, NULL, NULL, changed_at, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, 0
     FROM personalization_choice WHERE customer_id IN (${ids}) AND refused = ?`,
  ];
  const params: unknown[] = [
    ...customerIds, limits.lines,
    ...customerIds, limits.views,
    ...customerIds, limits.holdings,
    ...customerIds, db.kind === 'sqlite' ? 1 : true,
  ];
  if (presentSince) {
    parts.push(
      `SELECT 'presence', customer_id, location_id, NULL, NULL, checked_in_at, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, 0
       FROM customer_presence p WHERE customer_id IN (${ids}) AND checked_in_at >= ? AND ${notMergedAway('p.customer_id')}`,
    );
    params.push(...customerIds, db.dateParameter(presentSince));
  }
  const rows: StateRow[] = await db.manager.query(`${parts.join('\nUNION ALL\n')}\nORDER BY kind, customer_id, rn`, params);
  for (const r of rows) {
    const customerId = String(r.customer_id);
    const productId = String(r.product_id);
    if (r.kind === 'refused') state.refused.add(customerId);
    else if (r.kind === 'presence') state.presentAt.set(customerId, productId);
    else if (r.kind === 'line') {
      state.lines.get(customerId)?.push({
        productId,
        variantId: String(r.variant_id),
        orderId: String(r.order_id),
        at: toDate(r.at),
        quantity: toInt(r.n),
        size: r.size,
        color: r.color,
      });
    } else {
      if (r.buyers !== null && r.buyers !== undefined) {
        state.popularity.set(productId, { buyers: toInt(r.buyers), repeatBuyers: toInt(r.repeat_buyers), trend: Number(r.trend) });
      }
      if (r.kind === 'view') state.views.get(customerId)?.push({ productId, at: toDate(r.at) });
      else {
        state.holdings.get(customerId)?.push({ productId, units: toInt(r.n), orders: toInt(r.orders), firstAt: toDate(r.at), lastAt: toDate(r.until_at) });
      }
    }
  }
  return state;
}

/**
 * readCustomerState of ids as references give them, without a statement for the merge chain when each
 * has lines, views, holdings or a check-in here: an id merged away (mergedAwayAmong) gets its survivor's state.
 */
export async function readStateFollowingMerges(
  db: Database,
  customerIds: readonly string[],
  limits: StateLimits,
  presentSince: Date | null,
  roots: DataLoader<string, string>,
): Promise<CustomerState> {
  const state = await readCustomerState(db, customerIds, limits, presentSince);
  const hasRecords = (id: string) =>
    state.lines.get(id)!.length > 0 || state.views.get(id)!.length > 0 || state.holdings.get(id)!.length > 0 || state.presentAt.has(id);
  const moved = await mergedAwayAmong(customerIds, hasRecords, roots);
  if (!moved.size) return state;
  const ofSurvivors = await readCustomerState(db, [...new Set(moved.values())], limits, presentSince);
  for (const [id, root] of moved) {
    state.lines.set(id, ofSurvivors.lines.get(root)!);
    state.views.set(id, ofSurvivors.views.get(root)!);
    state.holdings.set(id, ofSurvivors.holdings.get(root)!);
    if (ofSurvivors.refused.has(root)) state.refused.add(id);
    else state.refused.delete(id);
    const at = ofSurvivors.presentAt.get(root);
    if (at) state.presentAt.set(id, at);
    else state.presentAt.delete(id);
  }
  for (const [productId, popularity] of ofSurvivors.popularity) state.popularity.set(productId, popularity);
  return state;
}
