import { randomUUID } from 'node:crypto';
import { In, MoreThan, type EntityManager } from 'typeorm';
import { actorOf, type Principal } from '../../../../shared/auth/principal';
import { WriteConflict, type Database } from '../../../../shared/db/database';
import type { Outbox } from '../../../../shared/events/outbox';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import { CustomerAddress } from '../address/address.entity';
import { AddressErrorCode } from '../address/address.errors';
import { MAX_ADDRESSES_PER_CUSTOMER, type AddressService } from '../address/address.service';
import { CartState } from '../cart/cart-state.entity';
import { Consent, ConsentChange, ConsentPurpose, grantedIn } from '../consent/consent.entity';
import { Customer, CustomerIdentity } from '../customer/customer.entity';
import { CustomerErrorCode } from '../customer/customer.errors';
import { MAX_IDENTITIES_PER_CUSTOMER } from '../customer/customer.service';
import type { CustomerDirectory } from '../customer/customer-directory';
import { Presence } from '../presence/presence.entity';
import { OrderFact } from '../segment/segment.entity';
import type { SegmentService } from '../segment/segment.service';
import type { ConsentService } from '../consent/consent.service';
import { TouchpointRow } from '../touchpoint/touchpoint.entity';
import { MergeRecord, type ConsentState, type MergeSnapshot } from './merge-record.entity';

/** What a merge would do, for staff to check before they merge. */
export interface MergePreview {
  survivorId: string;
  mergedId: string;
  identitiesMoving: CustomerIdentity[];
  touchpointsMoving: number;
  ordersMoving: number;
  addressesMoving: number;
  conflicts: Array<{ field: string; survivorValue: string | null; mergedValue: string | null; resolution: string }>;
}

/** Tables whose rows follow a customer through merges: `customer_id` now, `origin_customer_id` first. */
const ATTRIBUTED = [CustomerIdentity, TouchpointRow, OrderFact, CustomerAddress] as const;

/**
 * Merging two records of one person into a survivor, and undoing it. Rows keep the customer they were
 * first attributed to (origin), so an unmerge gives back exactly what was the merged customer's, even
 * after further merges in a chain.
 */
export class MergeService {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly directory: CustomerDirectory,
    private readonly segments: SegmentService,
    private readonly consents: ConsentService,
    private readonly addresses: AddressService,
  ) {}

  async preview(survivorId: string, mergedId: string): Promise<MergePreview> {
    const manager = this.db.manager;
    const [survivor, merged] = await this.pair(manager, survivorId, mergedId, false);
    const identitiesMoving = await manager.getRepository(CustomerIdentity).find({ where: { customerId: merged.id }, order: { linkedAt: 'ASC', id: 'ASC' } });
    const touchpointsMoving = await manager.getRepository(TouchpointRow).count({ where: { customerId: merged.id } });
    const ordersMoving = await manager.getRepository(OrderFact).count({ where: { customerId: merged.id } });
    const addressesMoving = await manager.getRepository(CustomerAddress).count({ where: { customerId: merged.id } });
    const conflicts: MergePreview['conflicts'] = [];
    for (const field of ['displayName', 'displayNameKana', 'email', 'phone'] as const) {
      const [mine, theirs] = [survivor[field], merged[field]];
      if (mine && theirs && mine !== theirs) conflicts.push({ field, survivorValue: mine, mergedValue: theirs, resolution: 'SURVIVOR_KEPT' });
    }
    const consents = await manager.getRepository(Consent).find({ where: { customerId: In([survivor.id, merged.id]) } });
    for (const purpose of Object.values(ConsentPurpose)) {
      const mine = grantedIn(consents, survivor.id, purpose);
      const theirs = grantedIn(consents, merged.id, purpose);
      if (mine !== theirs) conflicts.push({ field: `consents.${purpose}`, survivorValue: String(mine), mergedValue: String(theirs), resolution: 'NOT_GRANTED' });
    }
    return { survivorId: survivor.id, mergedId: merged.id, identitiesMoving, touchpointsMoving, ordersMoving, addressesMoving, conflicts };
  }

  /**
   * Merges `mergedId` into `survivorId` (or into whoever stands for it now). Both rows are locked, so
   * concurrent merges of the same pair, or of a chain, run one after the other and lose nothing. Two
   * customers who hold more than MAX_IDENTITIES_PER_CUSTOMER together are IDENTITY_LIMIT_REACHED:
   * unlink the keys that are stale first; more than MAX_ADDRESSES_PER_CUSTOMER addresses together,
   * TOO_MANY_ADDRESSES: remove the stale ones first.
   */
  async merge(principal: Principal, survivorId: string, mergedId: string): Promise<MergeRecord> {
    return this.db.transactionRetryingConflicts(async (manager) => {
      const [survivor, merged] = await this.pair(manager, survivorId, mergedId, true);
      const identities = await manager.getRepository(CustomerIdentity).countBy({ customerId: In([survivor.id, merged.id]) });
      if (identities > MAX_IDENTITIES_PER_CUSTOMER) {
        throw new UserErrorException(CustomerErrorCode.IDENTITY_LIMIT_REACHED, `together they hold ${identities} identities; a customer holds at most ${MAX_IDENTITIES_PER_CUSTOMER}`, ['input', 'mergedId']);
      }
      const addresses = await manager.getRepository(CustomerAddress).countBy({ customerId: In([survivor.id, merged.id]) });
      if (addresses > MAX_ADDRESSES_PER_CUSTOMER) {
        throw new UserErrorException(AddressErrorCode.TOO_MANY_ADDRESSES, `together they keep ${addresses} addresses; a customer keeps at most ${MAX_ADDRESSES_PER_CUSTOMER}`, ['input', 'mergedId']);
      }
      const now = new Date();
      const consents = await manager.getRepository(Consent).find({ where: { customerId: In([survivor.id, merged.id]) } });
      const stateOf = (id: string): ConsentState[] =>
        consents.filter((c) => c.customerId === id).map((c) => ({ purpose: c.purpose, granted: c.granted, updatedAt: c.updatedAt?.toISOString() ?? null }));
      const survivorDefault = await this.addresses.defaultOf(manager, survivor.id);
      const mergedDefault = await this.addresses.defaultOf(manager, merged.id);
      const snapshot: MergeSnapshot = {
        consents: { survivor: stateOf(survivor.id), merged: stateOf(merged.id) },
        filledContacts: {},
        presenceMoved: false,
        mergedDefaultAddressId: mergedDefault,
      };

      for (const table of ATTRIBUTED) await manager.getRepository(table).update({ customerId: merged.id }, { customerId: survivor.id });
      // The survivor's default stays hers; without one, the merged customer's becomes it.
      await this.addresses.settleDefaults(manager, [survivor.id], new Map([[survivor.id, survivorDefault ?? mergedDefault]]));
      // The merged-away id's cart moves to the survivor's in carts, which then reports the survivor's.
      await manager.getRepository(CartState).delete({ customerId: merged.id });
      await this.mergeConsents(manager, principal, survivor.id, merged.id, consents);
      for (const field of ['email', 'phone'] as const) {
        if (!survivor[field] && merged[field]) {
          survivor[field] = merged[field];
          snapshot.filledContacts[field] = null;
        }
      }
      snapshot.presenceMoved = await this.movePresence(manager, survivor.id, merged.id);
      await manager.getRepository(Customer).update({ id: survivor.id }, { email: survivor.email, phone: survivor.phone, updatedAt: now });
      await manager.getRepository(Customer).update({ id: merged.id }, { mergedIntoId: survivor.id, updatedAt: now });

      const actor = actorOf(principal);
      const record = Object.assign(new MergeRecord(), {
        id: randomUUID(),
        survivorId: survivor.id,
        mergedId: merged.id,
        mergedByKind: actor.kind,
        mergedById: actor.id,
        mergedAt: now,
        unmergedAt: null,
        unmergedById: null,
        snapshot: JSON.stringify(snapshot),
      });
      await manager.getRepository(MergeRecord).insert(record);
      await this.segments.clear(manager, [merged.id]);
      await this.segments.refresh(manager, [survivor.id]);
      await this.outbox.add(manager, [
        {
          type: 'customer.merged',
          key: survivor.id,
          occurredAt: now,
          payload: { mergeId: record.id, survivorId: survivor.id, mergedId: merged.id, mergedAt: now.toISOString() },
        },
      ]);
      return record;
    });
  }

  /** Undoes a merge: both customers as they were before it, the merged one with what it brought. */
  async unmerge(principal: Principal, mergeId: string): Promise<MergeRecord> {
    return this.db.transactionRetryingConflicts(async (manager) => {
      // The record first: of two concurrent unmerges, the second waits here and then sees the first's.
      const recordQuery = manager.getRepository(MergeRecord).createQueryBuilder('r').where({ id: mergeId });
      if (this.db.kind === 'mysql') recordQuery.setLock('pessimistic_write');
      const record = await recordQuery.getOne();
      if (!record) throw new UserErrorException('NOT_FOUND', 'no such merge', ['input', 'mergeId']);
      const [merged] = await this.directory.lock(manager, [record.mergedId]);
      if (record.unmergedAt) throw new UserErrorException('ALREADY_UNMERGED', 'this merge was undone already', ['input', 'mergeId']);
      if (merged.erasedAt) throw new UserErrorException('CUSTOMER_ERASED', "this customer's data was erased", ['input', 'mergeId']);
      const holderId = (await this.directory.rootsOf(manager, [record.survivorId], { includeErased: true })).get(record.survivorId)!;
      const [holder] = await this.directory.lock(manager, [holderId]);
      if (holder.mergedIntoId) throw new WriteConflict('merged meanwhile');
      const now = new Date();
      const restoredIds = [merged.id, ...(await this.directory.mergedInto(manager, merged.id))];
      for (const table of ATTRIBUTED) {
        await manager.getRepository(table).update({ originCustomerId: In(restoredIds), customerId: holderId }, { customerId: merged.id });
      }
      const snapshot = JSON.parse(record.snapshot) as MergeSnapshot;
      // Each with one default again: the merged customer's own from before the merge, if it came back.
      await this.addresses.settleDefaults(manager, [merged.id, holderId], new Map([[merged.id, snapshot.mergedDefaultAddressId ?? null]]));
      const withdrawnSince = new Set(
        (await manager.getRepository(ConsentChange).find({ where: { customerId: holderId, granted: false, changedAt: MoreThan(this.db.dateParameter(record.mergedAt) as Date) } }))
          .filter((change) => change.actorId !== record.mergedById || change.actorKind !== record.mergedByKind)
          .map((change) => change.purpose),
      );
      await this.restoreConsents(manager, principal, record.survivorId, snapshot.consents.survivor, withdrawnSince);
      await this.restoreConsents(manager, principal, merged.id, snapshot.consents.merged, withdrawnSince);
      if (Object.keys(snapshot.filledContacts).length) {
        await manager.getRepository(Customer).update({ id: record.survivorId }, { ...snapshot.filledContacts, updatedAt: now });
      }
      await manager.getRepository(Customer).update({ id: merged.id }, { mergedIntoId: null, updatedAt: now });
      const actor = actorOf(principal);
      record.unmergedAt = now;
      record.unmergedById = actor.id;
      await manager.getRepository(MergeRecord).update({ id: record.id }, { unmergedAt: now, unmergedById: actor.id });
      await this.segments.refresh(manager, [holderId, merged.id]);
      await this.outbox.add(manager, [
        {
          type: 'customer.unmerged',
          key: merged.id,
          occurredAt: now,
          payload: { mergeId: record.id, survivorId: record.survivorId, mergedId: merged.id, restoredIds, holderId },
        },
      ]);
      return record;
    });
  }

  /** Merge records in which these customers took part, oldest first. */
  recordsOf(customerIds: readonly string[]): Promise<MergeRecord[]> {
    return this.db.manager.getRepository(MergeRecord).find({
      where: [{ survivorId: In([...customerIds]) }, { mergedId: In([...customerIds]) }],
      order: { mergedAt: 'ASC' },
    });
  }

  /** The two standing customers a merge request names, locked when `lock`. */
  private async pair(manager: EntityManager, survivorId: string, mergedId: string, lock: boolean): Promise<[Customer, Customer]> {
    const roots = await this.directory.rootsOf(manager, [survivorId, mergedId], { includeErased: true });
    const survivorRoot = roots.get(survivorId);
    const mergedRoot = roots.get(mergedId);
    if (!survivorRoot) throw new UserErrorException('NOT_FOUND', 'no such customer', ['input', 'survivorId']);
    if (!mergedRoot) throw new UserErrorException('NOT_FOUND', 'no such customer', ['input', 'mergedId']);
    if (survivorRoot === mergedRoot) {
      throw new UserErrorException(survivorId === mergedId ? 'SAME_CUSTOMER' : 'ALREADY_MERGED', 'these are one customer already', ['input', 'mergedId']);
    }
    if (mergedRoot !== mergedId) throw new UserErrorException('ALREADY_MERGED', 'this customer was merged into another already', ['input', 'mergedId']);
    const rows = lock ? await this.directory.lock(manager, [survivorRoot, mergedRoot]) : await manager.getRepository(Customer).findBy({ id: In([survivorRoot, mergedRoot]) });
    const survivor = rows.find((c) => c.id === survivorRoot)!;
    const merged = rows.find((c) => c.id === mergedRoot)!;
    // Another merge committed while we waited for the locks: start again from what it left.
    if (survivor.mergedIntoId || merged.mergedIntoId) throw new WriteConflict('merged meanwhile');
    if (survivor.erasedAt || merged.erasedAt) throw new UserErrorException('CUSTOMER_ERASED', "a customer's data was erased", ['input']);
    return [survivor, merged];
  }

  /** Per purpose the more restrictive choice wins (a purpose never chosen counts at its default). */
  private async mergeConsents(manager: EntityManager, principal: Principal, survivorId: string, mergedId: string, consents: Consent[]): Promise<void> {
    const withdrawn = Object.values(ConsentPurpose).filter((purpose) => grantedIn(consents, survivorId, purpose) && !grantedIn(consents, mergedId, purpose));
    await this.consents.set(manager, survivorId, withdrawn.map((purpose) => ({ purpose, granted: false })), principal);
    await manager.getRepository(Consent).delete({ customerId: mergedId });
  }

  /**
   * Puts a customer's choices back as a snapshot recorded them, except that a consent withdrawn on the
   * record that held it since the merge stays withdrawn: an unmerge never grants what the person refused.
   */
  private async restoreConsents(
    manager: EntityManager,
    principal: Principal,
    customerId: string,
    states: ConsentState[],
    withdrawnSince: Set<ConsentPurpose>,
  ): Promise<void> {
    const current = await this.consents.currentOf(manager, [customerId]);
    const snapshot = states.map((state) => ({ ...state, customerId }));
    const choices = Object.values(ConsentPurpose)
      .map((purpose) => ({ purpose, granted: grantedIn(snapshot, customerId, purpose) && !withdrawnSince.has(purpose) }))
      .filter((choice) => grantedIn(current, customerId, choice.purpose) !== choice.granted);
    await this.consents.set(manager, customerId, choices, principal);
  }

  /** The newer of the two presences stays, with the survivor. */
  private async movePresence(manager: EntityManager, survivorId: string, mergedId: string): Promise<boolean> {
    const presences = await manager.getRepository(Presence).findBy({ customerId: In([survivorId, mergedId]) });
    const theirs = presences.find((p) => p.customerId === mergedId);
    if (!theirs) return false;
    const mine = presences.find((p) => p.customerId === survivorId);
    await manager.getRepository(Presence).delete({ customerId: mergedId });
    if (mine && mine.since >= theirs.since) return false;
    await manager.getRepository(Presence).save(Object.assign(new Presence(), { ...theirs, customerId: survivorId }));
    return true;
  }
}
