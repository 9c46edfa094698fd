import { RedisUnavailableError, type RequestRedis } from './redis';

/**
 * A small key/value cache for hot read-mostly data: Redis when configured, in-memory otherwise.
 * No method fails for want of Redis (see RedisCache).
 */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  /**
   * Several keys in one round trip, in the order given (undefined where absent); undefined as a whole
   * when the cache cannot be asked now (Redis unavailable), which a caller may need to tell from absence.
   */
  getMany<T>(keys: readonly string[]): Promise<Array<T | undefined> | undefined>;
  /** Calls `listener` each time the cache answers again after it could not be asked (never in memory). */
  onRecovery(listener: () => void): void;
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  delete(...keys: string[]): Promise<void>;
  /** Returns the cached value, or computes, stores and returns it. */
  getOrSet<T>(key: string, ttlSeconds: number, compute: () => Promise<T>): Promise<T>;
  /**
   * Counts `n` hits (default one) of `key` in a fixed window that starts with its first hit: the count
   * so far in the window and the milliseconds left of it. Atomic across processes in Redis; counted
   * in this process while Redis is unavailable.
   */
  hit(key: string, windowMs: number, n?: number): Promise<{ count: number; resetInMs: number }>;
}

abstract class BaseCache implements Cache {
  abstract get<T>(key: string): Promise<T | undefined>;
  abstract getMany<T>(keys: readonly string[]): Promise<Array<T | undefined> | undefined>;
  abstract onRecovery(listener: () => void): void;
  abstract set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  abstract delete(...keys: string[]): Promise<void>;
  abstract hit(key: string, windowMs: number, n?: number): Promise<{ count: number; resetInMs: number }>;

  async getOrSet<T>(key: string, ttlSeconds: number, compute: () => Promise<T>): Promise<T> {
    const hit = await this.get<T>(key);
    if (hit !== undefined) return hit;
    const value = await compute();
    await this.set(key, value, ttlSeconds);
    return value;
  }
}

const SWEEP_FROM = 10_000;

export class MemoryCache extends BaseCache {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  /** Size at which expired entries are swept out (entries nobody reads again would stay for ever). */
  private sweepAt = SWEEP_FROM;

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return JSON.parse(entry.value) as T;
  }

  getMany<T>(keys: readonly string[]): Promise<Array<T | undefined>> {
    return Promise.all(keys.map((key) => this.get<T>(key)));
  }

  onRecovery(): void {}

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    // Stored as JSON so that callers get the same copies Redis would give them.
    this.entries.set(key, { value: JSON.stringify(value), expiresAt: Date.now() + ttlSeconds * 1000 });
    if (this.entries.size < this.sweepAt) return;
    const now = Date.now();
    for (const [k, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(k);
    // Sweeping again only once the live entries have doubled keeps each set O(1) on average.
    this.sweepAt = Math.max(SWEEP_FROM, this.entries.size * 2);
  }

  async delete(...keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }

  async hit(key: string, windowMs: number, n = 1): Promise<{ count: number; resetInMs: number }> {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.windows.size > 10_000) for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
      this.windows.set(key, (window = { count: 0, resetAt: now + windowMs }));
    }
    window.count += n;
    return { count: window.count, resetInMs: window.resetAt - now };
  }
}

/** One atomic step: count, start the window on the first hit, report what is left of it. */
const HIT_SCRIPT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
if count == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}`;

/** Invalidations kept for a Redis that comes back (beyond this, entries age out on their TTL). */
const MAX_PENDING_DELETES = 10_000;

/**
 * The cache in Redis, shared by the replicas of a service. Redis is an accelerator, not a
 * dependency: while it is unavailable a read is a miss, a write is skipped, a deletion is kept and
 * sent once Redis answers again (so a Redis that kept its data serves nothing stale), and counters
 * (`hit`) are counted in this process, so that limits still apply, per process, until Redis returns.
 * None of it waits longer than Redis's command timeout (REDIS_COMMAND_TIMEOUT_MS).
 */
export class RedisCache extends BaseCache {
  private readonly localCounters = new MemoryCache();
  private readonly pendingDeletes = new Set<string>();

  constructor(private readonly redis: RequestRedis, private readonly prefix: string) {
    super();
    redis.onRecovery(() => void this.replayDeletes());
  }

  async get<T>(key: string): Promise<T | undefined> {
    const raw = await this.redis.runOr((r) => r.get(this.prefix + key), null);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async getMany<T>(keys: readonly string[]): Promise<Array<T | undefined> | undefined> {
    if (!keys.length) return [];
    const raw = await this.redis.runOr((r) => r.mget(...keys.map((k) => this.prefix + k)), undefined);
    return raw?.map((value) => (value === null ? undefined : (JSON.parse(value) as T)));
  }

  onRecovery(listener: () => void): void {
    this.redis.onRecovery(listener);
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    await this.redis.runOr((r) => r.set(this.prefix + key, JSON.stringify(value), 'EX', ttlSeconds), undefined);
  }

  async delete(...keys: string[]): Promise<void> {
    if (!keys.length) return;
    try {
      await this.redis.run((r) => r.del(...keys.map((k) => this.prefix + k)));
    } catch (err) {
      skipWhenUnavailable(err);
      for (const key of keys) if (this.pendingDeletes.size < MAX_PENDING_DELETES) this.pendingDeletes.add(key);
    }
  }

  async hit(key: string, windowMs: number, n = 1): Promise<{ count: number; resetInMs: number }> {
    try {
      const [count, ttl] = (await this.redis.run((r) => r.eval(HIT_SCRIPT, 1, this.prefix + key, windowMs, n))) as [number, number];
      return { count, resetInMs: ttl > 0 ? ttl : windowMs };
    } catch (err) {
      skipWhenUnavailable(err);
      return this.localCounters.hit(key, windowMs, n);
    }
  }

  private async replayDeletes(): Promise<void> {
    const keys = [...this.pendingDeletes];
    this.pendingDeletes.clear();
    if (keys.length) await this.delete(...keys);
  }
}

/** Swallows RedisUnavailableError (the caller goes on without Redis); rethrows anything else. */
function skipWhenUnavailable(err: unknown): void {
  if (!(err instanceof RedisUnavailableError)) throw err;
}
