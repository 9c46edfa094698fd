import { randomUUID } from 'node:crypto';
import type { Cache } from '../../../../shared/cache';
import type { Database } from '../../../../shared/db/database';
import type { Logger } from '../../../../shared/logger';

/** How long a list is cached when no event retires it first. */
export const LIST_TTL_SECONDS = 300;
/**
 * Lists held in each process (the oldest go first): a style's neighbours are the most numerous, and
 * this many of them take some 20 MB.
 */
const HELD_LISTS = 5000;
/** A list read from the cache is held here at most this long (its remaining TTL there is not known). */
const HELD_FETCHED_SECONDS = 60;
/**
 * A scope's generation is read from the cache at most this often per process (a process's own
 * changes count at once): what another replica's event retired may be served this long after it.
 */
export const GENERATION_READ_MS = 200;
/** Generations known per process: those of every style's pairs of a busy day, and more. */
const KNOWN_GENERATIONS = 50_000;
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
  /** Generations this process read or moved lately, by scope. */
  private readonly known = new Map<string, { generation: string; at: number }>();
  /** Lists this process has read or computed lately, parsed, by their full cache key. */
  private readonly held = new Map<string, { value: unknown; expiresAt: number }>();

  constructor(
    private readonly cache: Cache,
    db: Pick<Database, 'onCommit'>,
    private readonly logger: Logger,
  ) {
    db.onCommit(() => this.flush());
    // Generations moved while Redis could not be told are lost: after an outage every list is retired.
    cache.onRecovery(() => {
      this.held.clear();
      this.known.clear();
      this.invalidateNow(scopes.everything).catch((err) => this.logger.warn({ err }, 'cache invalidation failed; lists expire on their own'));
    });
  }

  /** The list named `key`, computed and cached for `ttlSeconds` unless one of `scopes` changes first. */
  async get<T>(key: string, scopes: string[], ttlSeconds: number, compute: () => Promise<T>): Promise<T> {
    const lists = await this.getMany([key], () => scopes, ttlSeconds, async () => new Map([[key, await compute()]]));
    return lists.get(key)!;
  }

  /**
   * Lists for many keys at once: those not cached are computed together by `computeMissing` (one
   * query for all, not one per key) and cached. `scopesOf` names what each key's list depends on.
   * Two round trips to the cache at most (the generations, then the lists this process does not
   * hold); what is returned is shared with other requests and must not be changed.
   */
  async getMany<T>(
    keys: readonly string[],
    scopesOf: (key: string) => string[],
    ttlSeconds: number,
    computeMissing: (keys: string[]) => Promise<Map<string, T>>,
  ): Promise<Map<string, T>> {
    const scopesByKey = keys.map(scopesOf);
    const generations = await this.generationsOf([scopes.everything, ...scopesByKey.flat()]);
    // Without the generations (Redis unavailable) nothing held can be trusted, nor cached: lists are computed.
    if (!generations) return keys.length ? computeMissing([...keys]) : new Map();
    const everything = generations.get(scopes.everything)!;
    const cacheKeys = keys.map((key, i) => `recs:list:${key}:${everything},${scopesByKey[i].map((s) => generations.get(s)).join(',')}`);
    const now = Date.now();
    const found = new Map<string, T>();
    const notHeld: number[] = [];
    keys.forEach((key, i) => {
      const held = this.held.get(cacheKeys[i]);
      if (held && held.expiresAt > now) found.set(key, held.value as T);
      else notHeld.push(i);
    });
    const fetched = (await this.cache.getMany<T>(notHeld.map((i) => cacheKeys[i]))) ?? [];
    const missing: number[] = [];
    notHeld.forEach((i, n) => {
      if (fetched[n] === undefined) return missing.push(i);
      found.set(keys[i], fetched[n]!);
      this.hold(cacheKeys[i], fetched[n], now + Math.min(ttlSeconds, HELD_FETCHED_SECONDS) * 1000);
    });
    if (missing.length) {
      const computed = await computeMissing(missing.map((i) => keys[i]));
      await Promise.all(
        missing.map((i) => {
          const value = computed.get(keys[i])!;
          found.set(keys[i], value);
          this.hold(cacheKeys[i], value, now + ttlSeconds * 1000);
          return this.cache.set(cacheKeys[i], value, ttlSeconds);
        }),
      );
    }
    return found;
  }

  /**
   * The generation of each scope: as this process last read or moved it when that was less than
   * GENERATION_READ_MS ago, the rest in one read; undefined when the cache cannot be asked.
   */
  private async generationsOf(names: readonly string[]): Promise<Map<string, string> | undefined> {
    const now = Date.now();
    const generations = new Map<string, string>();
    const stale: string[] = [];
    for (const name of new Set(names)) {
      const known = this.known.get(name);
      if (known && now - known.at < GENERATION_READ_MS) generations.set(name, known.generation);
      else stale.push(name);
    }
    if (!stale.length) return generations;
    const read = await this.cache.getMany<string>(stale.map(generationKey));
    if (!read) return undefined;
    stale.forEach((name, i) => {
      const generation = read[i] ?? '0';
      generations.set(name, generation);
      this.known.delete(name);
      this.known.set(name, { generation, at: now });
    });
    // The oldest known first (insertion order): those are read again anyway.
    while (this.known.size > KNOWN_GENERATIONS) this.known.delete(this.known.keys().next().value!);
    return generations;
  }

  /**
   * Keeps a list in this process under its key, generations included: a scope that changes moves the
   * key, so what is held is never served after an event retired it (only until its TTL otherwise).
   */
  private hold(cacheKey: string, value: unknown, expiresAt: number): void {
    this.held.delete(cacheKey);
    this.held.set(cacheKey, { value, expiresAt });
    // A Map iterates in insertion order: the first key is the one held longest.
    if (this.held.size > HELD_LISTS) this.held.delete(this.held.keys().next().value!);
  }

  /** Marks scopes changed by the transaction in progress. */
  invalidate(...scopes: string[]): void {
    for (const scope of scopes) this.pending.add(scope);
  }

  /** Marks scopes changed by work done outside a transaction (a rebuild), at once. */
  async invalidateNow(...scopes: string[]): Promise<void> {
    await Promise.all(
      scopes.map(async (scope) => {
        const generation = randomUUID();
        // Until the cache has it, this process reads the generation there again (and, while Redis does not answer, caches nothing).
        this.known.delete(scope);
        await this.cache.set(generationKey(scope), generation, GENERATION_TTL_SECONDS);
        this.known.set(scope, { generation, at: Date.now() });
      }),
    );
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
