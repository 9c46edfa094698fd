import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionNode } from 'graphql';
import type { Cache } from '../../shared/cache';
import type { ClientPrincipal } from '../../shared/auth/principal';
import type { Config } from '../../shared/config';
import { AppError, ErrorCode } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service';

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
   * Counts anonymous sign-ups on a budget of their own per client address (each registerCustomer of
   * a document, aliases included), so that creating customers is slower than reading the catalog.
   */
  async checkRegistrations(clientAddress: string, registrations: number): Promise<void> {
    await this.count(`registrations:${clientAddress}`, this.limits.registrations, registrations, 'registrations');
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
