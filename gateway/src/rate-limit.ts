import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionNode } from 'graphql';
import type Redis from 'ioredis';
import type { ClientPrincipal } from '../../shared/auth/principal';
import type { Config } from '../../shared/config';
import { AppError, ErrorCode } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service';

/** Counts `n` hits in a fixed window; returns the count so far and the milliseconds left in the window. */
interface WindowCounter {
  hit(key: string, windowMs: number, n: number): Promise<{ count: number; resetInMs: number }>;
}

/** One atomic step: count, start the window on the first hit, report what is left of it. */
const HIT_SCRIPT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
if count == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}`;

class RedisWindowCounter implements WindowCounter {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  async hit(key: string, windowMs: number, n: number) {
    const [count, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, this.prefix + key, windowMs, n)) as [number, number];
    return { count, resetInMs: ttl > 0 ? ttl : windowMs };
  }
}

/** The embedded default's counter: one process is the whole gateway. */
class MemoryWindowCounter implements WindowCounter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  async hit(key: string, windowMs: number, n: number) {
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
    await this.count(bucket, limit, 1, 'requests');
  }

  /**
   * Counts anonymous sign-ups on a budget of their own per client address (each registerCustomer of
   * a document, aliases included), so that creating customers is slower than reading the catalog.
   */
  async checkRegistrations(clientAddress: string, registrations: number): Promise<void> {
    await this.count(`registrations:${clientAddress}`, this.limits.registrations, registrations, 'registrations');
  }

  private async count(bucket: string, limit: number, n: number, what: string): Promise<void> {
    const windowMs = this.limits.windowSeconds * 1000;
    const { count, resetInMs } = await this.counter.hit(bucket, windowMs, n);
    if (count <= limit) return;
    const retryAfter = Math.max(1, Math.ceil(resetInMs / 1000));
    throw new AppError(
      ErrorCode.RATE_LIMITED,
      `rate limit of ${limit} ${what} per ${this.limits.windowSeconds} s reached; retry after ${retryAfter} s`,
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

/** How many times an operation calls `field` at its root (aliases and fragments included). */
export function rootFieldCalls(document: DocumentNode, operation: OperationDefinitionNode, field: string): number {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const count = (selections: readonly SelectionNode[], seen: Set<string>): number =>
    selections.reduce((sum, selection) => {
      if (selection.kind === Kind.FIELD) return sum + (selection.name.value === field ? 1 : 0);
      if (selection.kind === Kind.INLINE_FRAGMENT) return sum + count(selection.selectionSet.selections, seen);
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value)) return sum;
      return sum + count(fragment.selectionSet.selections, new Set([...seen, fragment.name.value]));
    }, 0);
  return count(operation.selectionSet.selections, new Set());
}

/** Anonymous sign-ups count on their own budget (RateLimiter.checkRegistrations) before anything runs. */
export function registrationLimitPlugin(rateLimiter: RateLimiter): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operation }) {
          if (contextValue.principal.kind !== 'ANONYMOUS' || operation?.operation !== 'mutation') return;
          const registrations = rootFieldCalls(document, operation, 'registerCustomer');
          if (registrations) await rateLimiter.checkRegistrations(contextValue.clientAddress, registrations);
        },
      };
    },
  };
}
