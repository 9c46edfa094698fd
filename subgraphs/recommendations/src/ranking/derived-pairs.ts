import type { EntityManager } from 'typeorm';
import { chunk } from '../../../../shared/db/batch';
import { toDate, toInt } from '../../../../shared/db/columns';
import type { Database } from '../../../../shared/db/database';
import { upsertRows } from '../../../../shared/db/upsert';

/**
 * A per-customer table derived from facts (what each customer bought, or viewed, of each style) and
 * the pair counts derived from it in turn (customers who have both styles among their `recent` most
 * recent ones). Purchases and views are both kept this way.
 */
export interface PairDerivation {
  /** The per-customer table: customer_id, product_id, `recencyColumn` and `countColumn`. */
  table: string;
  recencyColumn: string;
  /** How many times the customer did it (orders of the style): two or more make them a repeater. */
  countColumn: string;
  /** INSERT … SELECT that fills `table` for the customers of the placeholder list `(?, ?, …)` it is given. */
  deriveSql(placeholders: string): string;
  /** The pair table: product_id, other_product_id, weight. */
  pairTable: string;
  /** A customer's pairs come from their most recent styles only, which bounds the work per customer. */
  recent: number;
}

export interface DerivationChange {
  /** Styles whose pair counts changed. */
  pairedProducts: Set<string>;
  /** Per style: customers who now have it minus customers who had it. */
  holders: Map<string, number>;
  /** Per style: the same of customers with a count of two or more. */
  repeaters: Map<string, number>;
}

const CUSTOMERS_PER_STATEMENT = 500;

/**
 * Derives the per-customer rows of the given customers again from the facts, and moves the pair
 * counts by the difference between their contribution before and after. Since a customer's
 * contribution depends only on their own facts, the result is the same whatever order the facts
 * came in, and the same as a rebuild from scratch.
 */
export async function rederive(
  db: Database,
  manager: EntityManager,
  derivation: PairDerivation,
  customerIds: readonly string[],
): Promise<DerivationChange> {
  // Per style, per other style: the change of the pair's weight (nested, not "a|b" keys: this is the hot loop).
  const pairs = new Map<string, Map<string, number>>();
  const holders = new Map<string, number>();
  const repeaters = new Map<string, number>();
  const bump = (a: string, b: string, by: number) => {
    let row = pairs.get(a);
    if (!row) pairs.set(a, (row = new Map()));
    row.set(b, (row.get(b) ?? 0) + by);
  };
  for (const part of chunk([...new Set(customerIds)].sort(), CUSTOMERS_PER_STATEMENT)) {
    const list = part.map(() => '?').join(', ');
    // On MySQL a locking read: another transaction deriving the same customers (a merge and an order
    // consumed side by side) waits, then this one starts from what that one committed.
    const before = await holdings(manager, derivation, list, part, db.kind === 'mysql' ? ' FOR UPDATE' : '');
    await manager.query(`DELETE FROM ${derivation.table} WHERE customer_id IN (${list})`, part);
    await manager.query(derivation.deriveSql(list), part);
    const after = await holdings(manager, derivation, list, part, '');
    for (const customerId of part) {
      const was = before.get(customerId) ?? [];
      const is = after.get(customerId) ?? [];
      for (const p of was) holders.set(p.productId, (holders.get(p.productId) ?? 0) - 1);
      for (const p of is) holders.set(p.productId, (holders.get(p.productId) ?? 0) + 1);
      for (const p of was) if (p.count >= 2) repeaters.set(p.productId, (repeaters.get(p.productId) ?? 0) - 1);
      for (const p of is) if (p.count >= 2) repeaters.set(p.productId, (repeaters.get(p.productId) ?? 0) + 1);
      const oldSet = new Set(mostRecent(was, derivation.recent));
      const newSet = new Set(mostRecent(is, derivation.recent));
      // pairs(new) - pairs(old) = pairs within new touching what was added - pairs within old touching what was removed.
      pairsTouching(newSet, oldSet, (a, b) => bump(a, b, 1));
      pairsTouching(oldSet, newSet, (a, b) => bump(a, b, -1));
    }
  }
  for (const [id, delta] of holders) if (delta === 0) holders.delete(id);
  for (const [id, delta] of repeaters) if (delta === 0) repeaters.delete(id);
  // Sorted by style, then other style: concurrent transactions on MySQL lock pair rows in one order.
  const changed: Array<{ product_id: string; other_product_id: string; weight: number }> = [];
  for (const a of [...pairs.keys()].sort()) {
    const row = pairs.get(a)!;
    for (const b of [...row.keys()].sort()) {
      const weight = row.get(b)!;
      if (weight !== 0) changed.push({ product_id: a, other_product_id: b, weight });
    }
  }
  await upsertRows(db, manager, derivation.pairTable, { product_id: 'key', other_product_id: 'key', weight: 'add' }, changed, 500);
  const pairedProducts = new Set(changed.map((c) => c.product_id));
  // A pair nobody has any more is not a neighbour with weight 0: it is gone, as a rebuild would leave it.
  if (changed.some((c) => c.weight < 0)) {
    for (const part of chunk([...pairedProducts], CUSTOMERS_PER_STATEMENT)) {
      await manager.query(
        `DELETE FROM ${derivation.pairTable} WHERE weight <= 0 AND product_id IN (${part.map(() => '?').join(', ')})`,
        part,
      );
    }
  }
  return { pairedProducts, holders, repeaters };
}

async function holdings(
  manager: EntityManager,
  derivation: PairDerivation,
  list: string,
  customerIds: string[],
  lock: string,
): Promise<Map<string, Array<{ productId: string; at: number; count: number }>>> {
  const rows: Array<{ customer_id: string; product_id: string; at: unknown; times: unknown }> = await manager.query(
    `SELECT customer_id, product_id, ${derivation.recencyColumn} AS at, ${derivation.countColumn} AS times FROM ${derivation.table} WHERE customer_id IN (${list})${lock}`,
    customerIds,
  );
  const byCustomer = new Map<string, Array<{ productId: string; at: number; count: number }>>();
  for (const row of rows) {
    const list = byCustomer.get(row.customer_id) ?? [];
    list.push({ productId: row.product_id, at: toDate(row.at).getTime(), count: toInt(row.times) });
    byCustomer.set(row.customer_id, list);
  }
  return byCustomer;
}

function mostRecent(held: Array<{ productId: string; at: number }>, n: number): string[] {
  return [...held]
    .sort((a, b) => b.at - a.at || (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0))
    .slice(0, n)
    .map((h) => h.productId);
}

/** Calls `pair` for both directions of every pair within `set` that has at least one member outside `other`. */
function pairsTouching(set: Set<string>, other: Set<string>, pair: (a: string, b: string) => void): void {
  const members = [...set];
  for (const a of members) {
    if (other.has(a)) continue;
    for (const b of members) {
      if (a === b) continue;
      pair(a, b);
      // Both new: the loop reaches (b, a) itself.
      if (other.has(b)) pair(b, a);
    }
  }
}
