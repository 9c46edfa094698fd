import { In, IsNull, MoreThan, type EntityManager } from 'typeorm';
import { chunk } from '../../../../shared/db/batch';
import { WriteConflict, type Database } from '../../../../shared/db/database';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import { IdentityType } from '../../../../shared/graphql/identity';
import { Customer, CustomerIdentity } from './customer.entity';
import { CustomerErrorCode } from './customer.errors';

/** Identities per statement that looks them up (ownersOf). */
const IDENTITIES_PER_STATEMENT = 500;

/** Who is who: merged ids followed to the customer that stands for them, identities to their owner. */
export class CustomerDirectory {
  constructor(private readonly db: Database) {}

  /**
   * The standing customer each id stands for now: itself, or the survivor a merge (or a chain of
   * merges) gave it to. Unknown ids are left out, and so are erased ones unless `includeErased`.
   */
  async rootsOf(manager: EntityManager, ids: readonly string[], options: { includeErased?: boolean } = {}): Promise<Map<string, string>> {
    const roots = new Map<string, string>();
    let pending = new Map<string, string[]>([...new Set(ids)].map((id) => [id, [id]]));
    // One query per level of merge chain; chains are short (a person is rarely merged twice).
    for (let depth = 0; pending.size && depth < 32; depth++) {
      const rows = await manager.getRepository(Customer).find({
        select: { id: true, mergedIntoId: true, erasedAt: true },
        where: { id: In([...pending.keys()]) },
      });
      const next = new Map<string, string[]>();
      for (const row of rows) {
        // Ids are compared exactly: a collation that ignores case must not make `ABC` name `abc`.
        const askedFor = pending.get(row.id);
        if (!askedFor) continue;
        if (row.mergedIntoId) next.set(row.mergedIntoId, [...(next.get(row.mergedIntoId) ?? []), ...askedFor]);
        else if (!row.erasedAt || options.includeErased) for (const id of askedFor) roots.set(id, row.id);
      }
      pending = next;
    }
    return roots;
  }

  /** The customer an id stands for now (see rootsOf), erased ones included; undefined when unknown. */
  async rootOf(id: string): Promise<string | undefined> {
    return (await this.rootsOf(this.db.manager, [id], { includeErased: true })).get(id);
  }

  /**
   * The standing customer that owns each identity (keyed `TYPE\tvalue`, values normalised). With
   * `attachingOnly`, only links that bring history with them (and name their owner: see
   * attachesHistory) count.
   */
  async ownersOf(
    manager: EntityManager,
    identities: Array<{ type: string; value: string }>,
    options: { attachingOnly?: boolean; lock?: boolean } = {},
  ): Promise<Map<string, string>> {
    const rows: CustomerIdentity[] = [];
    // A statement per chunk: SQLite refuses a condition nested more than 1,000 deep, and each identity is an OR.
    for (const part of chunk(identities, IDENTITIES_PER_STATEMENT)) {
      // With `lock` (in a transaction; FOR SHARE): a link of one of these identities that has not committed yet is waited for.
      rows.push(
        ...(await manager.getRepository(CustomerIdentity).find({
          select: { customerId: true, type: true, value: true, verified: true },
          where: part.map((i) => ({ type: i.type as CustomerIdentity['type'], value: i.value })),
          ...(options.lock ? this.db.rowLock('pessimistic_read') : {}),
        })),
      );
    }
    return new Map(rows.filter((r) => !options.attachingOnly || attachesHistory(r)).map((r) => [`${r.type}\t${r.value}`, r.customerId]));
  }

  /**
   * The links of these identities (values normalised), keyed `TYPE\tvalue`, whoever holds them. With
   * `lock` (in a transaction; FOR UPDATE): a holder cannot change or lose one until we commit.
   */
  async holdersOf(manager: EntityManager, identities: Array<{ type: string; value: string }>, options: { lock?: boolean } = {}): Promise<Map<string, CustomerIdentity>> {
    if (!identities.length) return new Map();
    const rows = await manager.getRepository(CustomerIdentity).find({
      where: identities.map((i) => ({ type: i.type as CustomerIdentity['type'], value: i.value })),
      ...(options.lock ? this.db.rowLock('pessimistic_write') : {}),
    });
    return new Map(rows.map((r) => [`${r.type}\t${r.value}`, r]));
  }

  /** Every id merged into `customerId`, directly or through a chain, that is still merged. */
  async mergedInto(manager: EntityManager, customerId: string): Promise<string[]> {
    return (await this.mergedIntoEach(manager, [customerId]))[0];
  }

  /** mergedInto for several customers, one query per level of the merge chains. */
  async mergedIntoEach(manager: EntityManager, customerIds: readonly string[]): Promise<string[][]> {
    const found = new Map(customerIds.map((id) => [id, [] as string[]]));
    let level = new Map(customerIds.map((id) => [id, id])); // an id of this level → the customer asked about
    while (level.size) {
      const rows = await manager.getRepository(Customer).find({ select: { id: true, mergedIntoId: true }, where: { mergedIntoId: In([...level.keys()]) } });
      const next = new Map<string, string>();
      for (const row of rows) {
        const asked = level.get(row.mergedIntoId!)!;
        found.get(asked)!.push(row.id);
        next.set(row.id, asked);
      }
      level = next;
    }
    return customerIds.map((id) => found.get(id)!);
  }

  /**
   * Locks customer rows until the transaction ends (MySQL/MariaDB: SELECT … FOR UPDATE, in id order so
   * that two transactions cannot wait for each other); SQLite runs one transaction at a time anyway.
   */
  async lock(manager: EntityManager, ids: readonly string[], mode: 'pessimistic_write' | 'pessimistic_read' = 'pessimistic_write'): Promise<Customer[]> {
    return manager.getRepository(Customer).find({ where: { id: In([...ids]) }, order: { id: 'ASC' }, ...this.db.rowLock(mode) });
  }

  /**
   * For writers of rows attributed to customers (touchpoints, order facts): holds the customers they
   * write for (FOR SHARE) so that a merge or erasure of them waits, or, if one committed first, starts
   * the work again so that it writes for the survivor.
   */
  async holdStanding(manager: EntityManager, ids: readonly string[]): Promise<void> {
    if (!ids.length) return;
    const rows = await this.lock(manager, [...new Set(ids)], 'pessimistic_read');
    if (rows.some((c) => c.mergedIntoId || c.erasedAt)) throw new WriteConflict('merged or erased meanwhile');
  }

  /** Standing (neither merged away nor erased) customer ids, in id order, a page at a time. */
  async standingIds(after: string | null, limit: number): Promise<string[]> {
    const rows = await this.db.manager.getRepository(Customer).find({
      select: { id: true },
      where: { mergedIntoId: IsNull(), erasedAt: IsNull(), ...(after ? { id: MoreThan(after) } : {}) },
      order: { id: 'ASC' },
      take: limit,
    });
    return rows.map((r) => r.id);
  }

  /** A standing customer, following merges; NOT_FOUND / CUSTOMER_ERASED as user errors. */
  async standing(manager: EntityManager, customerId: string, options: { lock?: boolean } = {}): Promise<Customer> {
    const rootId = (await this.rootsOf(manager, [customerId], { includeErased: true })).get(customerId);
    const [customer] = rootId ? (options.lock ? await this.lock(manager, [rootId]) : await manager.getRepository(Customer).findBy({ id: rootId })) : [];
    if (!customer) throw new UserErrorException(CustomerErrorCode.NOT_FOUND, 'no such customer', ['input', 'customerId']);
    if (customer.erasedAt) throw new UserErrorException(CustomerErrorCode.CUSTOMER_ERASED, "this customer's data was erased", ['input', 'customerId']);
    if (customer.mergedIntoId) throw new WriteConflict('merged meanwhile'); // while we waited for the lock
    return customer;
  }
}

/**
 * Whether a link names its owner where it matters: brings the history kept under the identity with it
 * (behaviour, card-only store sales), is announced to other services (`customer.identity_linked`),
 * checks its owner in, and (EC_ACCOUNT) signs its owner in. Only when someone vouched for it (the
 * customer's own sign-in token, staff who checked it, a service), and for the DEVICE key of a
 * browser, which a customer links from that browser. A membership card, app install, LINE id, e-mail
 * address or account id typed in by anyone is not proof that it is theirs.
 */
export function attachesHistory(identity: { type: IdentityType; verified: boolean }): boolean {
  return identity.verified || identity.type === IdentityType.DEVICE;
}
