import { randomUUID } from 'node:crypto';
import type { Cache } from '../../../../shared/cache';
import type { Database } from '../../../../shared/db/database';
import type { Logger } from '../../../../shared/logger';

/** How long a list is cached when no event retires it first. */
export const LIST_TTL_SECONDS = 300;
/** A generation outlives every list cached under it, so an expired generation never revives a stale list. */
const GENERATION_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Cached lists (bestsellers, new arrivals, neighbours) in the platform cache, keyed by the
 * generations of the scopes they depend on (a store's sales, a location's stock, a style's pairs,
 * the catalog). An event handler marks scopes changed; once its transaction commits, their
 * generations move on, so no reader caches what the transaction had not yet committed.
 */
export class ListCache {
  private readonly pending = new Set<string>();

  constructor(
    private readonly cache: Cache,
    db: Database,
    private readonly logger: Logger,
  ) {
    db.onCommit(() => this.flush());
  }

  /** The list named `key`, computed and cached for `ttlSeconds` unless one of `scopes` changes first. */
  async get<T>(key: string, scopes: string[], ttlSeconds: number, compute: () => Promise<T>): Promise<T> {
    const lists = await this.getMany([key], () => scopes, ttlSeconds, async () => new Map([[key, await compute()]]));
    return lists.get(key)!;
  }

  /**
   * Lists for many keys at once: those not cached are computed together by `computeMissing` (one
   * query for all, not one per key) and cached. `scopesOf` names what each key's list depends on.
   */
  async getMany<T>(
    keys: readonly string[],
    scopesOf: (key: string) => string[],
    ttlSeconds: number,
    computeMissing: (keys: string[]) => Promise<Map<string, T>>,
  ): Promise<Map<string, T>> {
    const everything = (await this.cache.get<string>(generationKey(scopes.everything))) ?? '0';
    const cacheKeys = await Promise.all(
      keys.map(async (key) => {
        const generations = await Promise.all(scopesOf(key).map((s) => this.cache.get<string>(generationKey(s))));
        return `recs:list:${key}:${everything},${generations.map((g) => g ?? '0').join(',')}`;
      }),
    );
    const found = new Map<string, T>();
    const missing: string[] = [];
    await Promise.all(
      keys.map(async (key, i) => {
        const hit = await this.cache.get<T>(cacheKeys[i]);
        if (hit === undefined) missing.push(key);
        else found.set(key, hit);
      }),
    );
    if (missing.length) {
      const computed = await computeMissing(missing);
      await Promise.all(
        missing.map((key) => {
          const value = computed.get(key)!;
          found.set(key, value);
          return this.cache.set(cacheKeys[keys.indexOf(key)], value, ttlSeconds);
        }),
      );
    }
    return found;
  }

  /** Marks scopes changed by the transaction in progress. */
  invalidate(...scopes: string[]): void {
    for (const scope of scopes) this.pending.add(scope);
  }

  /** Marks scopes changed by work done outside a transaction (a rebuild), at once. */
  async invalidateNow(...scopes: string[]): Promise<void> {
    await Promise.all(scopes.map((s) => this.cache.set(generationKey(s), randomUUID(), GENERATION_TTL_SECONDS)));
  }

  private flush(): void {
    if (!this.pending.size) return;
    const scopes = [...this.pending];
    this.pending.clear();
    // Issued now, in order on the cache's connection: a read sent after the commit sees the new generation.
    // While Redis does not answer, lists are not cached at all; a generation it missed meanwhile (Redis
    // hung rather than down) leaves the lists under the old one to expire on their own (LIST_TTL_SECONDS).
    this.invalidateNow(...scopes).catch((err) => this.logger.warn({ err }, 'cache invalidation failed; lists expire on their own'));
  }
}

function generationKey(scope: string): string {
  return `recs:generation:${scope}`;
}

/** The scopes lists depend on. */
export const scopes = {
  sales: (scope: string) => `sales:${scope}`,
  stock: (locationId: string) => `stock:${locationId}`,
  /** A style's pairs in co_purchase or co_view. */
  pairs: (pairTable: string, productId: string) => `${pairTable}:${productId}`,
  catalog: 'catalog',
  /** Location types and the stock picture that picks shipping locations. */
  locations: 'locations',
  /** Every list (a rebuild). */
  everything: 'everything',
};
