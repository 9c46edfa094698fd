import { actorOf, type Principal } from '../../../../shared/auth/principal';
import { budgetsContactLookups } from '../../../../shared/auth/rules';
import type { Cache } from '../../../../shared/cache';
import { AppError, ErrorCode } from '../../../../shared/errors';
import { IdentityType } from '../../../../shared/graphql/identity';
import { currentRequestId } from '../../../../shared/request-scope';
import type { ContactAuditService } from './contact-audit.service';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** An identity whose value is a contact detail: what masked roles see masked. */
export function isContactIdentity(identity: { type: IdentityType | string }): boolean {
  return identity.type === IdentityType.EMAIL || identity.type === IdentityType.PHONE;
}

/**
 * Look-ups of customers by e-mail address or phone number by staff who see those details masked
 * (store staff, marketing). Without a bound, a look-up is an oracle for a masked value: a clerk who
 * sees `+81******5678` tries the candidates until one finds the customer. So each look-up, alias or
 * not, found or not, is counted against a per-minute budget of the staff member, shared by every
 * replica through the cache (Redis; in memory when embedded, or while Redis is down), and recorded
 * on the contact-read trail before anything is answered. Over the budget: RATE_LIMITED, nothing
 * looked up. A write that answers whether a value is someone else's (IDENTITY_TAKEN) is the same
 * oracle, and spends the same budget (guardContactWrite); customers, who may link addresses to
 * themselves, spend an hourly budget of their own on it.
 */
export class ContactLookups {
  constructor(
    private readonly cache: Cache,
    private readonly audit: ContactAuditService,
    private readonly perMinute: number,
    private readonly customerLinksPerHour: number,
  ) {}

  /**
   * Runs `lookup` for `principal`; a contact look-up by a masked role is counted first and audited
   * with whoever it found (`found`) before the result is returned.
   */
  async guard<T>(principal: Principal, requestId: string, type: IdentityType, lookup: () => Promise<T>, found: (result: T) => string[]): Promise<T> {
    if (!budgetsContactLookups(principal) || !isContactIdentity({ type })) return lookup();
    await this.spendMasked(principal, 1);
    const result = await lookup();
    const ids = found(result);
    await this.record(principal, requestId, (ids.length ? ids : [null]).map((customerId) => ({ type, customerId })));
    return result;
  }

  /**
   * Before a write that resolves e-mail addresses or phone numbers (normalised) against who holds
   * them, and so answers IDENTITY_TAKEN or not: by a masked role, each value counts against the
   * look-up budget and is recorded on the trail with its holder (`holders`, keyed `TYPE\tvalue`) or
   * null; by a customer, each one not theirs already counts against their hourly budget of contact
   * links. Over a budget:
   * RATE_LIMITED, before anything is resolved or written. Other identity types, and other callers
   * (support and admins see the values anyway; anonymous sign-ups have the gateway's registration
   * budget), pass untouched.
   */
  async guardContactWrite(
    principal: Principal,
    identities: Array<{ type: IdentityType; value: string }>,
    holders: (contacts: Array<{ type: IdentityType; value: string }>) => Promise<Map<string, string>>,
    requestId = currentRequestId() ?? 'none',
  ): Promise<void> {
    const contacts = identities.filter(isContactIdentity);
    if (!contacts.length) return;
    if (budgetsContactLookups(principal)) {
      await this.spendMasked(principal, contacts.length);
      const owners = await holders(contacts);
      await this.record(principal, requestId, contacts.map(({ type, value }) => ({ type, customerId: owners.get(`${type}\t${value}`) ?? null })));
    } else if (principal.kind === 'CUSTOMER') {
      // Their own values answer nothing they do not know (a profile saved again costs nothing).
      const owners = await holders(contacts);
      const tried = contacts.filter(({ type, value }) => owners.get(`${type}\t${value}`) !== principal.customerId).length;
      if (tried) await this.spend(`contact-links:${principal.customerId}`, HOUR_MS, tried, this.customerLinksPerHour, 'e-mail addresses and phone numbers you may link are limited to %d an hour');
    }
  }

  private async record(principal: Principal, requestId: string, lookups: Array<{ type: IdentityType; customerId: string | null }>): Promise<void> {
    const actor = actorOf(principal);
    const readAt = new Date();
    await this.audit.record(
      lookups.map(({ type, customerId }) => ({
        actorKind: actor.kind,
        actorId: actor.id,
        actorRole: actor.role,
        customerId,
        fields: [`lookup.${type}`],
        readAt,
        requestId,
      })),
    );
  }

  private spendMasked(principal: Principal, n: number): Promise<void> {
    return this.spend(`masked-lookups:${actorOf(principal).id}`, MINUTE_MS, n, this.perMinute, 'look-ups by e-mail address or phone number are limited to %d a minute for your role');
  }

  /**
   * Counts `n` against a budget of `limit` per window; RATE_LIMITED (with retryAfter) past it. The
   * cache counts in this process while Redis is unavailable (RedisCache.hit), so the budget holds.
   */
  private async spend(key: string, windowMs: number, n: number, limit: number, what: string): Promise<void> {
    const window = await this.cache.hit(key, windowMs, n);
    if (window.count <= limit) return;
    const retryAfter = Math.max(1, Math.ceil(window.resetInMs / 1000));
    throw new AppError(ErrorCode.RATE_LIMITED, `${what.replace('%d', String(limit))}; retry after ${retryAfter} s`, { retryAfter });
  }
}
