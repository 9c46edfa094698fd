import type { EventBus, EventConsumer } from '../../../shared/events/bus';
import type { EventEnvelope } from '../../../shared/events/envelope';
import type { Logger } from '../../../shared/logger';
import type { RequestRedis } from '../../../shared/redis';

/** How long the customer a sign-in subject names is remembered, unless an event makes it forget sooner. */
export const SUBJECT_CACHE_SECONDS = 60;

/**
 * Which customer a token's subject named when last asked, kept briefly so that a request costs no
 * call to the customers service. It forgets a customer as soon as the customers service says it
 * was erased, merged away or unmerged (forget), and for a while after refuses to remember what a
 * sign-in that was in flight at that moment learnt (a tombstone), so a stale answer never lingers.
 */
export interface SubjectCache {
  get(subject: string): Promise<string | undefined>;
  /** Remembers `subject` → `customerId`, unless the customer was forgotten within the cache time. */
  set(subject: string, customerId: string): Promise<void>;
  /** Forgets every subject that named these customers. */
  forget(customerIds: string[]): Promise<void>;
}

/**
 * Redis: `subject:<s>` → customer, `subjects:<customer>` the set of subjects naming them, `forgotten:<customer>`.
 * While Redis is unavailable it is bypassed: nothing is remembered, so every sign-in asks the
 * customers service (always right, only slower). Forgetting is the exception: it fails, so that the
 * event that asked for it is handled again once Redis answers (events travel on Redis anyway).
 */
export class RedisSubjectCache implements SubjectCache {
  /** KEYS: subject key, subjects-of set, tombstone. ARGV: customer id, subject, seconds. */
  private static readonly SET = `
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1`;

  /** KEYS: subjects-of set, tombstone. ARGV: subject key prefix, seconds. */
  private static readonly FORGET = `
redis.call('SET', KEYS[2], '1', 'EX', ARGV[2])
for _, subject in ipairs(redis.call('SMEMBERS', KEYS[1])) do redis.call('DEL', ARGV[1] .. subject) end
redis.call('DEL', KEYS[1])
return 1`;

  constructor(private readonly redis: RequestRedis, private readonly prefix: string) {}

  async get(subject: string) {
    return (await this.redis.runOr((r) => r.get(`${this.prefix}subject:${subject}`), null)) ?? undefined;
  }

  async set(subject: string, customerId: string) {
    await this.redis.runOr(
      (r) =>
        r.eval(
          RedisSubjectCache.SET,
          3,
          `${this.prefix}subject:${subject}`,
          `${this.prefix}subjects:${customerId}`,
          `${this.prefix}forgotten:${customerId}`,
          customerId,
          subject,
          SUBJECT_CACHE_SECONDS,
        ),
      undefined,
    );
  }

  async forget(customerIds: string[]) {
    for (const id of customerIds) {
      await this.redis.run((r) =>
        r.eval(RedisSubjectCache.FORGET, 2, `${this.prefix}subjects:${id}`, `${this.prefix}forgotten:${id}`, `${this.prefix}subject:`, SUBJECT_CACHE_SECONDS),
      );
    }
  }
}

/** The embedded default's: one process is the whole gateway. */
export class MemorySubjectCache implements SubjectCache {
  private readonly customerOf = new Map<string, { customerId: string; expiresAt: number }>();
  private readonly subjectsOf = new Map<string, Set<string>>();
  private readonly forgottenUntil = new Map<string, number>();

  async get(subject: string) {
    const entry = this.customerOf.get(subject);
    if (entry && entry.expiresAt > Date.now()) return entry.customerId;
    if (entry) this.drop(subject, entry.customerId);
    return undefined;
  }

  async set(subject: string, customerId: string) {
    const now = Date.now();
    if ((this.forgottenUntil.get(customerId) ?? 0) > now) return;
    this.customerOf.set(subject, { customerId, expiresAt: now + SUBJECT_CACHE_SECONDS * 1000 });
    this.subjectsOf.set(customerId, (this.subjectsOf.get(customerId) ?? new Set()).add(subject));
  }

  async forget(customerIds: string[]) {
    const until = Date.now() + SUBJECT_CACHE_SECONDS * 1000;
    for (const id of customerIds) {
      this.forgottenUntil.set(id, until);
      for (const subject of this.subjectsOf.get(id) ?? []) this.customerOf.delete(subject);
      this.subjectsOf.delete(id);
    }
    for (const [id, expiry] of this.forgottenUntil) if (expiry <= Date.now()) this.forgottenUntil.delete(id);
  }

  private drop(subject: string, customerId: string) {
    this.customerOf.delete(subject);
    this.subjectsOf.get(customerId)?.delete(subject);
    if (this.subjectsOf.get(customerId)?.size === 0) this.subjectsOf.delete(customerId);
  }
}

/** The customers whose sign-ins an event of the customers service changes. */
export function customersChangedBy(event: EventEnvelope): string[] {
  switch (event.type) {
    case 'customer.erased': {
      const { customerId, erasedIds } = event.payload as { customerId: string; erasedIds: string[] };
      return [customerId, ...erasedIds];
    }
    case 'customer.merged':
      return [(event.payload as { mergedId: string }).mergedId];
    case 'customer.identity_unlinked':
      // An EC_ACCOUNT unlinked no longer signs its subject in as this customer.
      return [(event.payload as { customerId: string }).customerId];
    case 'customer.unmerged': {
      // holderId: who held the records until the unmerge (the survivor, or who it was merged into since).
      const { survivorId, mergedId, restoredIds, holderId } = event.payload as {
        survivorId: string;
        mergedId: string;
        restoredIds: string[];
        holderId?: string;
      };
      return [holderId ?? survivorId, survivorId, mergedId, ...restoredIds];
    }
    default:
      return [];
  }
}

/** The gateway's consumer of the customers service's events, in `group`. */
export function forgetChangedSubjects(bus: EventBus, group: string, cache: SubjectCache, logger: Logger): EventConsumer {
  return bus.consume({
    group,
    producers: ['customers'],
    logger,
    handler: async (events) => {
      const changed = [...new Set(events.flatMap(customersChangedBy))];
      if (changed.length) await cache.forget(changed);
    },
  });
}
