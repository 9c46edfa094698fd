import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { Cache } from '../../shared/cache';
import type { ClientPrincipal } from '../../shared/auth/principal';
import type { Config } from '../../shared/config';
import { AppError, ErrorCode } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service';
import { rootFieldCalls } from './root-fields';

/**
 * Whom an address counts as: an IPv4 address itself, an IPv6 address its /64 network (one subscriber
 * line is given a whole /64, so counting single addresses would let one caller count as billions).
 */
export function clientNetwork(address: string): string {
  const plain = address.split('%')[0];
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped) return mapped[1];
  if (!plain.includes(':')) return plain;
  const [head, tail] = plain.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => parseInt(g || '0', 16).toString(16)).join(':')}::/64`;
}

/**
 * Rate limits at the gateway, counted in Redis so that every gateway replica shares them: per
 * partner key, customer and staff member, and per client address for anonymous callers.
 */
export class RateLimiter {
  /** `counter`: the gateway's cache (Redis, or in memory when embedded: one process is the whole gateway). */
  constructor(private readonly limits: Config['rateLimits'], private readonly counter: Cache) {}

  /** Counts the request; over the limit, throws RATE_LIMITED (HTTP 429 with Retry-After). */
  async check(principal: ClientPrincipal, clientAddress: string): Promise<void> {
    const [bucket, limit] = this.bucketOf(principal, clientAddress);
    await this.count(bucket, limit, 1, 'requests');
  }

  /**
   * Counts anonymous writes on budgets of their own per client address (ANONYMOUS_WRITES: each call
   * of a document, aliases included), so that creating customers or taking stock is slower than
   * reading the catalog.
   */
  async checkAnonymousWrites(clientAddress: string, write: AnonymousWrite, calls: number): Promise<void> {
    await this.count(`${write}:${clientNetwork(clientAddress)}`, this.limits[write], calls, write === 'registrations' ? 'registrations' : 'guest orders');
  }

  private async count(bucket: string, limit: number, n: number, what: string): Promise<void> {
    const windowMs = this.limits.windowSeconds * 1000;
    const { count, resetInMs } = await this.counter.hit(`ratelimit:${bucket}`, windowMs, n);
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
        return [`address:${clientNetwork(clientAddress)}`, this.limits.anonymous];
      case 'CUSTOMER':
        return [`customer:${principal.customerId}`, this.limits.customer];
      case 'STAFF':
        return [`staff:${principal.staffId}`, this.limits.staff];
      case 'PARTNER':
        return [`partner:${principal.partnerId}`, this.limits.partner];
    }
  }
}

type AnonymousWrite = 'registrations' | 'guestOrders';

/** The mutations anonymous callers may make that write more than a behaviour event: each on its budget. */
const ANONYMOUS_WRITES: Record<string, AnonymousWrite> = { registerCustomer: 'registrations', placeOrder: 'guestOrders', checkoutCart: 'guestOrders' };

/** Anonymous sign-ups and guest orders count on their own budgets (RateLimiter.checkAnonymousWrites) before anything runs. */
export function anonymousWritesLimitPlugin(rateLimiter: RateLimiter): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operation }) {
          if (contextValue.principal.kind !== 'ANONYMOUS' || operation?.operation !== 'mutation') return;
          for (const [field, write] of Object.entries(ANONYMOUS_WRITES)) {
            const calls = rootFieldCalls(document, operation, field);
            if (calls) await rateLimiter.checkAnonymousWrites(contextValue.clientAddress, write, calls);
          }
        },
      };
    },
  };
}
