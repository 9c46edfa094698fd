import { In, type EntityManager } from 'typeorm';
import { actorOf, type Principal } from '../../../../shared/auth/principal';
import { insertMany } from '../../../../shared/db/batch';
import type { Database } from '../../../../shared/db/database';
import { firstEntitiesPerParent } from '../../../../shared/db/per-parent';
import type { Outbox } from '../../../../shared/events/outbox';
import type { Customer } from '../customer/customer.entity';
import type { CustomerDirectory } from '../customer/customer-directory';
import { Consent, CONSENT_DEFAULTS, ConsentChange, ConsentPurpose, grantedIn } from './consent.entity';

/** How many changes `Customer.consentHistory` lists: it grows with every toggle (the gateway's cost model counts 100). */
export const CONSENT_HISTORY_LISTED = 100;

export interface ConsentChoice {
  purpose: ConsentPurpose;
  granted: boolean;
}

/** Consents per purpose, their history, and `customer.consent_changed` for every change. */
export class ConsentService {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly directory: CustomerDirectory,
  ) {}

  /** Changes a standing customer's consents (a merged-away id: the survivor's). */
  async update(principal: Principal, customerId: string, choices: ConsentChoice[]): Promise<Customer> {
    return this.db.transactionRetryingConflicts(async (manager) => {
      const customer = await this.directory.standing(manager, customerId, { lock: true });
      await this.set(manager, customer.id, choices, principal);
      return customer;
    });
  }

  /** Sets choices for a customer in the caller's transaction; unchanged choices leave no record. */
  async set(manager: EntityManager, customerId: string, choices: ConsentChoice[], principal: Principal, at = new Date()): Promise<void> {
    const current = await this.currentOf(manager, [customerId]);
    const stored = new Set(current.map((c) => c.purpose));
    // A first choice is recorded even when it equals the default: the customer was asked.
    const changes = choices.filter((c) => !stored.has(c.purpose) || grantedIn(current, customerId, c.purpose) !== c.granted);
    if (!changes.length) return;
    const actor = actorOf(principal);
    for (const change of changes) {
      await manager.getRepository(Consent).save(Object.assign(new Consent(), { customerId, purpose: change.purpose, granted: change.granted, updatedAt: at }));
    }
    await insertMany(
      manager,
      ConsentChange,
      changes.map((c) => Object.assign(new ConsentChange(), { customerId, ...c, changedAt: at, actorKind: actor.kind, actorId: actor.id })),
    );
    await this.outbox.add(
      manager,
      changes.map((c) => ({
        type: 'customer.consent_changed' as const,
        key: customerId,
        occurredAt: at,
        payload: { customerId, purpose: c.purpose, granted: c.granted, changedAt: at.toISOString() },
      })),
    );
  }

  /** Stored choices of these customers (purposes never chosen are absent). */
  currentOf(manager: EntityManager, customerIds: readonly string[]): Promise<Consent[]> {
    return manager.getRepository(Consent).find({ where: { customerId: In([...customerIds]) } });
  }

  /** Every purpose for each customer, the ones never chosen at their default. */
  async of(customerIds: readonly string[]): Promise<Consent[][]> {
    const stored = await this.currentOf(this.db.manager, customerIds);
    return customerIds.map((customerId) =>
      Object.values(ConsentPurpose).map(
        (purpose) =>
          stored.find((c) => c.customerId === customerId && c.purpose === purpose) ??
          Object.assign(new Consent(), { customerId, purpose, granted: CONSENT_DEFAULTS[purpose], updatedAt: null }),
      ),
    );
  }

  /** The `limit` most recent changes of each customer's consents (one statement), oldest of them first. */
  async recentHistoryOf(customerIds: readonly string[], limit = CONSENT_HISTORY_LISTED): Promise<ConsentChange[][]> {
    const newest = await firstEntitiesPerParent(this.db.manager, ConsentChange, {
      parentColumn: 'customer_id',
      parentIds: customerIds,
      orderBy: 'changed_at DESC, id DESC',
      limit,
    });
    return customerIds.map((id) => [...(newest.get(id) ?? [])].reverse());
  }

  /** Of these customers, those who let partners see their personal data. */
  async sharingWithPartners(customerIds: readonly string[]): Promise<Set<string>> {
    const rows = await this.db.manager.getRepository(Consent).find({
      select: { customerId: true },
      where: { customerId: In([...customerIds]), purpose: ConsentPurpose.PARTNER_SHARING, granted: true },
    });
    return new Set(rows.map((r) => r.customerId));
  }
}
