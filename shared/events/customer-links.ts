import DataLoader from 'dataloader';
import { Column, Entity, Index, PrimaryColumn, type EntityManager } from 'typeorm';
import { chunk } from '../db/batch';
import { IdColumn, toInt } from '../db/columns';
import type { Database } from '../db/database';
import { upsertRows } from '../db/upsert';
import type { EventType, IdentityFact } from './catalog';
import { isEvent, type EventEnvelope } from './envelope';

/**
 * The columns of a table whose rows CustomerLinks attributes to customers (see the class): its
 * entity extends this, so every such table has the same shape.
 */
export abstract class CustomerAttributedRow {
  /** The customer now, after merges; null when anonymous or erased. */
  @Column({ type: 'varchar', length: 36, name: 'customer_id', nullable: true })
  customerId!: string | null;

  /** Whom the row was first attributed to (when recorded, or when its identity was linked): an unmerge gives it back. */
  @Column({ type: 'varchar', length: 36, name: 'attributed_customer_id', nullable: true })
  attributedCustomerId!: string | null;

  /** The identity the record came with (e.g. a membership card), which may be linked to a customer later. */
  @Column({ type: 'varchar', length: 16, name: 'identity_type', nullable: true })
  identityType!: string | null;

  @Column({ type: 'varchar', length: 320, name: 'identity_value', nullable: true })
  identityValue!: string | null;
}

/** A customer id merged away by the customers service, and the customer it was merged into. */
@Entity('customer_merge')
@Index('idx_customer_merge_survivor', ['survivorId'])
export class CustomerMergeRow {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'merged_id' })
  mergedId!: string;

  @IdColumn({ name: 'survivor_id' })
  survivorId!: string;

  @IdColumn({ name: 'merge_id' })
  mergeId!: string;
}

/** Who an identity (membership card, app install, ...) belongs to, as `customer.identity_linked` said. */
@Entity('identity_owner')
@Index('idx_identity_owner_customer', ['customerId'])
export class IdentityOwnerRow {
  @PrimaryColumn({ type: 'varchar', length: 16, name: 'identity_type' })
  identityType!: string;

  @PrimaryColumn({ type: 'varchar', length: 320, name: 'identity_value' })
  identityValue!: string;

  @IdColumn({ name: 'customer_id' })
  customerId!: string;
}

/**
 * The events of the customers service CustomerLinks.apply() handles, for a consumer's declared types
 * (ConsumeOptions.types): every other event of that stream leaves its maps and records as they are.
 */
export const CUSTOMER_LINK_EVENTS = [
  'customer.identity_linked',
  'customer.identity_unlinked',
  'customer.merged',
  'customer.unmerged',
  'customer.erased',
] as const satisfies readonly EventType[];

const LINK_TYPES: ReadonlySet<string> = new Set(CUSTOMER_LINK_EVENTS);

/** The entities a service that keeps customer-attributed records includes in its database. */
export const CUSTOMER_LINK_ENTITIES = [CustomerMergeRow, IdentityOwnerRow];

/** Who a record belongs to: whom it was first attributed to, and who that is now, after merges. */
export interface Attribution {
  attributedCustomerId: string | null;
  customerId: string | null;
}

/** A merge chain longer than this is a loop (a merged-away id is never merged again). */
const MAX_CHAIN = 32;
const IDS_PER_STATEMENT = 500;

/**
 * A consumer's local copy of the customers service's merges and identity owners, and what they mean
 * for its tables of records attributed to customers. Each table has the columns `customer_id` (the
 * customer now, after merges), `attributed_customer_id` (whom the record was first attributed to: at
 * recording, or when its identity was linked), `identity_type` and `identity_value` (nullable).
 */
export class CustomerLinks {
  constructor(
    private readonly db: Database,
    private readonly tables: readonly string[],
  ) {}

  /**
   * The customer each id stands for now (itself unless merged away), following chains of merges, in
   * one statement. Without a manager it reads committed data (request-time reference resolution).
   */
  async rootsOf(ids: readonly string[], manager: EntityManager = this.db.manager): Promise<Map<string, string>> {
    const roots = new Map(ids.map((id) => [id, id]));
    const deepest = new Map<string, number>();
    for (const part of chunk([...new Set(ids)], IDS_PER_STATEMENT)) {
      const rows: Array<{ start_id: string; customer_id: string; depth: unknown }> = await manager.query(
        `WITH RECURSIVE chain (start_id, customer_id, depth) AS (
           SELECT merged_id, survivor_id, 1 FROM customer_merge WHERE merged_id IN (${part.map(() => '?').join(', ')})
           UNION ALL
           SELECT chain.start_id, m.survivor_id, chain.depth + 1
           FROM chain JOIN customer_merge m ON m.merged_id = chain.customer_id
           WHERE chain.depth < ${MAX_CHAIN}
         )
         SELECT start_id, customer_id, depth FROM chain`,
        part,
      );
      for (const row of rows) {
        const depth = toInt(row.depth);
        if (depth <= (deepest.get(row.start_id) ?? 0)) continue;
        deepest.set(row.start_id, depth);
        roots.set(row.start_id, row.customer_id);
      }
    }
    return roots;
  }

  /** A per-request loader of `rootsOf`: what a reference to a customer id resolves to. */
  rootLoader(): DataLoader<string, string> {
    return new DataLoader(async (ids) => {
      const roots = await this.rootsOf(ids);
      return ids.map((id) => roots.get(id)!);
    });
  }

  /**
   * Attribution of new records, in input order: the customer given, else the known owner of the
   * identity, else nobody; and who that customer is now.
   */
  async attribute(
    manager: EntityManager,
    records: Array<{ customerId: string | null; identity: IdentityFact | null }>,
  ): Promise<Attribution[]> {
    const owners = await this.ownersOf(
      manager,
      records.filter((r) => !r.customerId && r.identity).map((r) => r.identity!),
    );
    const attributed = records.map((r) => r.customerId ?? (r.identity ? owners.get(identityKey(r.identity)) ?? null : null));
    const roots = await this.rootsOf(attributed.filter((id): id is string => id !== null), manager);
    return attributed.map((id) => ({ attributedCustomerId: id, customerId: id === null ? null : roots.get(id)! }));
  }

  /**
   * Applies the customers service's events, in order, to the maps and to the records. Returns the
   * customers whose records changed (before and after), for state derived from them.
   */
  async apply(manager: EntityManager, events: EventEnvelope[]): Promise<Set<string>> {
    const touched = new Set<string>();
    const add = (ids: Iterable<string>) => {
      for (const id of ids) touched.add(id);
    };
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      // Only the declared ones: a branch added below without joining the list would never run.
      if (!LINK_TYPES.has(event.type)) continue;
      if (isEvent(event, 'customer.identity_linked')) {
        // The links up to the next event of another declared type, at once.
        const run = [event.payload];
        for (; i + 1 < events.length && !(LINK_TYPES.has(events[i + 1].type) && events[i + 1].type !== event.type); i++) {
          const next = events[i + 1];
          if (isEvent(next, 'customer.identity_linked')) run.push(next.payload);
        }
        add(await this.identitiesLinked(manager, run));
      } else if (isEvent(event, 'customer.identity_unlinked')) await this.identityUnlinked(manager, event.payload);
      else if (isEvent(event, 'customer.merged')) add(await this.merged(manager, event.payload));
      else if (isEvent(event, 'customer.unmerged')) add(await this.unmerged(manager, event.payload));
      else if (isEvent(event, 'customer.erased')) add(await this.erased(manager, event.payload));
    }
    return touched;
  }

  /**
   * A run of `customer.identity_linked` with no merge, unmerge or erasure between them: each identity
   * ends with the customer that linked it last, and the records made with it alone join whoever linked
   * it first (later links of the run find them someone's already, as one at a time they would).
   */
  private async identitiesLinked(
    manager: EntityManager,
    links: Array<{ customerId: string; identityType: string; identityValue: string }>,
  ): Promise<string[]> {
    const first = new Map<string, (typeof links)[number]>();
    const last = new Map<string, (typeof links)[number]>();
    for (const link of links) {
      const key = identityKey({ type: link.identityType, value: link.identityValue });
      if (!first.has(key)) first.set(key, link);
      last.set(key, link);
    }
    await upsertRows(
      this.db,
      manager,
      'identity_owner',
      { identity_type: 'key', identity_value: 'key', customer_id: 'replace' },
      [...last.keys()].sort().map((key) => {
        const link = last.get(key)!;
        return { identity_type: link.identityType, identity_value: link.identityValue, customer_id: link.customerId };
      }),
    );
    const roots = await this.rootsOf(links.map((l) => l.customerId), manager);
    // Records made with the identity alone join the customer; records already someone's stay theirs.
    for (const { customerId, identityType, identityValue } of first.values()) {
      for (const table of this.tables) {
        await manager.query(
          `UPDATE ${table} SET customer_id = ?, attributed_customer_id = ? WHERE customer_id IS NULL AND identity_type = ? AND identity_value = ?`,
          [roots.get(customerId)!, customerId, identityType, identityValue],
        );
      }
    }
    return links.map((l) => roots.get(l.customerId)!);
  }

  private async identityUnlinked(
    manager: EntityManager,
    { identityType, identityValue }: { identityType: string; identityValue: string },
  ): Promise<void> {
    // Events of one producer arrive in order, so whoever the map names, this unlink supersedes it.
    // What the identity brought stays with the customer.
    await manager.query('DELETE FROM identity_owner WHERE identity_type = ? AND identity_value = ?', [
      identityType,
      identityValue,
    ]);
  }

  private async merged(
    manager: EntityManager,
    { mergeId, survivorId, mergedId }: { mergeId: string; survivorId: string; mergedId: string },
  ): Promise<string[]> {
    await upsertRows(this.db, manager, 'customer_merge', { merged_id: 'key', survivor_id: 'replace', merge_id: 'replace' }, [
      { merged_id: mergedId, survivor_id: survivorId, merge_id: mergeId },
    ]);
    // The survivor may itself have been merged away already: its records went to its root, so go there too.
    const root = (await this.rootsOf([mergedId], manager)).get(mergedId)!;
    return [...(await this.move(manager, 'customer_id = ?', [mergedId], root)), root];
  }

  private async unmerged(
    manager: EntityManager,
    { mergeId, mergedId, restoredIds }: { mergeId: string; mergedId: string; restoredIds: string[] },
  ): Promise<string[]> {
    await manager.query('DELETE FROM customer_merge WHERE merged_id = ? AND merge_id = ?', [mergedId, mergeId]);
    const root = (await this.rootsOf([mergedId], manager)).get(mergedId)!;
    const ids = [...new Set([mergedId, ...restoredIds])];
    return [...(await this.move(manager, `attributed_customer_id IN (${ids.map(() => '?').join(', ')})`, ids, root)), root];
  }

  private async erased(manager: EntityManager, { customerId, erasedIds }: { customerId: string; erasedIds: string[] }): Promise<string[]> {
    const ids = [...new Set([customerId, ...erasedIds])];
    const previous: string[] = [];
    for (const table of this.tables) {
      const { where, params } = recordsOf(table, ids);
      previous.push(...(await previousCustomers(manager, table, where, params)));
      await manager.query(
        `UPDATE ${table} SET customer_id = NULL, attributed_customer_id = NULL, identity_type = NULL, identity_value = NULL
         WHERE ${where}`,
        params,
      );
    }
    const list = ids.map(() => '?').join(', ');
    await manager.query(`DELETE FROM identity_owner WHERE customer_id IN (${list})`, ids);
    await manager.query(`DELETE FROM customer_merge WHERE merged_id IN (${list}) OR survivor_id IN (${list})`, [...ids, ...ids]);
    return [...previous, ...ids];
  }

  /**
   * Deletes the records of erased customers in one of the tables outright, where an anonymised copy
   * would serve nothing (apply() only anonymises). Call it before apply() handles the erasure, while
   * the identity owners are still known. Returns the customers the records belonged to.
   */
  async deleteRecordsOf(manager: EntityManager, table: string, customerIds: string[]): Promise<string[]> {
    const { where, params } = recordsOf(table, customerIds);
    const previous = await previousCustomers(manager, table, where, params);
    await manager.query(`DELETE FROM ${table} WHERE ${where}`, params);
    return previous;
  }

  /** Gives the records matching `where` to `customerId`. Returns the customers they belonged to before. */
  private async move(manager: EntityManager, where: string, params: unknown[], customerId: string): Promise<string[]> {
    const previous: string[] = [];
    for (const table of this.tables) {
      previous.push(...(await previousCustomers(manager, table, where, params)));
      await manager.query(`UPDATE ${table} SET customer_id = ? WHERE ${where}`, [customerId, ...params]);
    }
    return previous;
  }

  private async ownersOf(manager: EntityManager, identities: IdentityFact[]): Promise<Map<string, string>> {
    const owners = new Map<string, string>();
    const unique = [...new Map(identities.map((i) => [identityKey(i), i])).values()];
    for (const part of chunk(unique, IDS_PER_STATEMENT)) {
      const rows: Array<{ identity_type: string; identity_value: string; customer_id: string }> = await manager.query(
        `SELECT identity_type, identity_value, customer_id FROM identity_owner WHERE ${part
          .map(() => '(identity_type = ? AND identity_value = ?)')
          .join(' OR ')}`,
        part.flatMap((i) => [i.type, i.value]),
      );
      for (const row of rows) owners.set(identityKey({ type: row.identity_type, value: row.identity_value }), row.customer_id);
    }
    return owners;
  }
}

/**
 * SQL condition on a record read for a customer reference: its customer is not merged away here. Once
 * a service has applied a merge its records of the merged-away id have moved to the survivor, except
 * one a writer attributed while the merge was being applied: read with this condition, an id with
 * records is never one merged away (mergedAwayAmong).
 */
export function notMergedAway(customerColumn: string): string {
  return `NOT EXISTS (SELECT 1 FROM customer_merge mm WHERE mm.merged_id = ${customerColumn})`;
}

/**
 * Of `ids` that have no records here (read with notMergedAway), those merged away, with the customer
 * each stands for now: an id with records stands for itself, and only the others cost the merge chain.
 */
export async function mergedAwayAmong(ids: readonly string[], hasRecords: (id: string) => boolean, roots: DataLoader<string, string>): Promise<Map<string, string>> {
  const unknown = [...new Set(ids.filter((id) => !hasRecords(id)))];
  if (!unknown.length) return new Map();
  const resolved = await roots.loadMany(unknown);
  const moved = new Map<string, string>();
  unknown.forEach((id, i) => {
    const root = resolved[i];
    if (root instanceof Error) throw root;
    if (root !== id) moved.set(id, root);
  });
  return moved;
}

/**
 * Each customer's records, read under the ids as asked (`read` applies notMergedAway) and, for ids
 * merged away (mergedAwayAmong), read again under their survivors: a customer with history costs no
 * merge chain.
 */
export async function recordsFollowingMerges<T>(
  ids: readonly string[],
  roots: DataLoader<string, string>,
  read: (ids: readonly string[]) => Promise<Map<string, T[]>>,
): Promise<Map<string, T[]>> {
  const records = await read(ids);
  const moved = await mergedAwayAmong(ids, (id) => !!records.get(id)?.length, roots);
  if (!moved.size) return records;
  const ofSurvivors = await read([...new Set(moved.values())]);
  for (const [id, root] of moved) records.set(id, ofSurvivors.get(root) ?? []);
  return records;
}

function identityKey(identity: IdentityFact): string {
  return `${identity.type}\u0000${identity.value}`;
}

/** The records in `table` of these customers: theirs now, first attributed to them, or made with an identity of theirs. */
function recordsOf(table: string, customerIds: string[]): { where: string; params: string[] } {
  const list = customerIds.map(() => '?').join(', ');
  return {
    where:
      `customer_id IN (${list}) OR attributed_customer_id IN (${list}) OR EXISTS (` +
      `SELECT 1 FROM identity_owner o WHERE o.identity_type = ${table}.identity_type ` +
      `AND o.identity_value = ${table}.identity_value AND o.customer_id IN (${list}))`,
    params: [...customerIds, ...customerIds, ...customerIds],
  };
}

async function previousCustomers(manager: EntityManager, table: string, where: string, params: unknown[]): Promise<string[]> {
  const rows: Array<{ customer_id: string | null }> = await manager.query(`SELECT DISTINCT customer_id FROM ${table} WHERE ${where}`, params);
  return rows.map((r) => r.customer_id).filter((id): id is string => id !== null);
}
