import type Redis from 'ioredis';

/** A small key/value cache for hot read-mostly data: Redis when configured, in-memory otherwise. */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  delete(...keys: string[]): Promise<void>;
  /** Returns the cached value, or computes, stores and returns it. */
  getOrSet<T>(key: string, ttlSeconds: number, compute: () => Promise<T>): Promise<T>;
  /**
   * Counts `n` hits (default one) of `key` in a fixed window that starts with its first hit: the count
   * so far in the window and the milliseconds left of it. Atomic across processes in Redis.
   */
  hit(key: string, windowMs: number, n?: number): Promise<{ count: number; resetInMs: number }>;
}

abstract class BaseCache implements Cache {
  abstract get<T>(key: string): Promise<T | undefined>;
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

export class RedisCache extends BaseCache {
  constructor(private readonly redis: Redis, private readonly prefix: string) {
    super();
  }

  async get<T>(key: string): Promise<T | undefined> {
    const raw = await this.redis.get(this.prefix + key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.prefix + key, JSON.stringify(value), 'EX', ttlSeconds);
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length) await this.redis.del(...keys.map((k) => this.prefix + k));
  }

  async hit(key: string, windowMs: number, n = 1): Promise<{ count: number; resetInMs: number }> {
    const [count, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, this.prefix + key, windowMs, n)) as [number, number];
    return { count, resetInMs: ttl > 0 ? ttl : windowMs };
  }
}
