import { HeaderMap } from '@apollo/server';
import type Redis from 'ioredis';
import type { ClientPrincipal } from '../../shared/auth/principal';
import type { Config } from '../../shared/config';
import { AppError, ErrorCode } from '../../shared/errors';

/** Counts one request in a fixed window; returns the count so far and the milliseconds left in the window. */
interface WindowCounter {
  hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
}

/** One atomic step: count, start the window on the first hit, report what is left of it. */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}`;

class RedisWindowCounter implements WindowCounter {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  async hit(key: string, windowMs: number) {
    const [count, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, this.prefix + key, windowMs)) as [number, number];
    return { count, resetInMs: ttl > 0 ? ttl : windowMs };
  }
}

/** The embedded default's counter: one process is the whole gateway. */
class MemoryWindowCounter implements WindowCounter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  async hit(key: string, windowMs: number) {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.windows.size > 10_000) for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
      this.windows.set(key, (window = { count: 0, resetAt: now + windowMs }));
    }
    window.count++;
    return { count: window.count, resetInMs: window.resetAt - now };
  }
}

/**
 * Rate limits at the gateway, counted in Redis so that every gateway replica shares them: per
 * partner key, customer and staff member, and per client address for anonymous callers.
 */
export class RateLimiter {
  private readonly counter: WindowCounter;

  constructor(private readonly limits: Config['rateLimits'], redis: Redis | undefined, redisKeyPrefix: string) {
    this.counter = redis ? new RedisWindowCounter(redis, `${redisKeyPrefix}ratelimit:`) : new MemoryWindowCounter();
  }

  /** Counts the request; over the limit, throws RATE_LIMITED (HTTP 429 with Retry-After). */
  async check(principal: ClientPrincipal, clientAddress: string): Promise<void> {
    const [bucket, limit] = this.bucketOf(principal, clientAddress);
    const windowMs = this.limits.windowSeconds * 1000;
    const { count, resetInMs } = await this.counter.hit(bucket, windowMs);
    if (count <= limit) return;
    const retryAfter = Math.max(1, Math.ceil(resetInMs / 1000));
    throw new AppError(
      ErrorCode.RATE_LIMITED,
      `rate limit of ${limit} requests per ${this.limits.windowSeconds} s reached; retry after ${retryAfter} s`,
      { retryAfter, http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter)]]) } },
    );
  }

  private bucketOf(principal: ClientPrincipal, clientAddress: string): [string, number] {
    switch (principal.kind) {
      case 'ANONYMOUS':
        return [`address:${clientAddress}`, this.limits.anonymous];
      case 'CUSTOMER':
        return [`customer:${principal.customerId}`, this.limits.customer];
      case 'STAFF':
        return [`staff:${principal.staffId}`, this.limits.staff];
      case 'PARTNER':
        return [`partner:${principal.partnerId}`, this.limits.partner];
    }
  }
}
