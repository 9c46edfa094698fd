import { actorOf, type Principal } from '../../../../shared/auth/principal';
import { budgetsContactLookups } from '../../../../shared/auth/rules';
import { MemoryCache, type Cache } from '../../../../shared/cache';
import { AppError, ErrorCode } from '../../../../shared/errors';
import { IdentityType } from '../../../../shared/graphql/identity';
import type { Logger } from '../../../../shared/logger';
import type { ContactAuditService } from './contact-audit.service';

const WINDOW_MS = 60_000;

/**
 * Look-ups of customers by e-mail address or phone number by staff who see those details masked
 * (store staff, marketing). Without a bound, a look-up is an oracle for a masked value: a clerk who
 * sees `+81******5678` tries the candidates until one finds the customer. So each look-up, alias or
 * not, found or not, is counted against a per-minute budget of the staff member, shared by every
 * replica through the cache (Redis; in memory when embedded, or while Redis is down), and recorded
 * on the contact-read trail before anything is answered. Over the budget: RATE_LIMITED, nothing
 * looked up.
 */
export class ContactLookups {
  private readonly fallback = new MemoryCache();

  constructor(
    private readonly cache: Cache,
    private readonly audit: ContactAuditService,
    private readonly perMinute: number,
    private readonly logger: Logger,
  ) {}

  /**
   * Runs `lookup` for `principal`; a contact look-up by a masked role is counted first and audited
   * with whoever it found (`found`) before the result is returned.
   */
  async guard<T>(principal: Principal, requestId: string, type: IdentityType, lookup: () => Promise<T>, found: (result: T) => string[]): Promise<T> {
    if (!budgetsContactLookups(principal) || (type !== IdentityType.EMAIL && type !== IdentityType.PHONE)) return lookup();
    await this.spend(principal);
    const result = await lookup();
    const actor = actorOf(principal);
    const ids = found(result);
    const readAt = new Date();
    await this.audit.record(
      (ids.length ? ids : [null]).map((customerId) => ({
        actorKind: actor.kind,
        actorId: actor.id,
        actorRole: actor.role,
        customerId,
        fields: [`lookup.${type}`],
        readAt,
        requestId,
      })),
    );
    return result;
  }

  private async spend(principal: Principal): Promise<void> {
    const key = `masked-lookups:${actorOf(principal).id}`;
    let window: { count: number; resetInMs: number };
    try {
      window = await this.cache.hit(key, WINDOW_MS);
    } catch (err) {
      // Redis is an accelerator, not a dependency of a request: count in this process meanwhile.
      this.logger.warn({ err }, 'look-up budget counted in memory: the cache did not answer');
      window = await this.fallback.hit(key, WINDOW_MS);
    }
    if (window.count <= this.perMinute) return;
    const retryAfter = Math.max(1, Math.ceil(window.resetInMs / 1000));
    throw new AppError(
      ErrorCode.RATE_LIMITED,
      `look-ups by e-mail address or phone number are limited to ${this.perMinute} a minute for your role; retry after ${retryAfter} s`,
      { retryAfter },
    );
  }
}
