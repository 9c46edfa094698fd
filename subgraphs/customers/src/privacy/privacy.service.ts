import { In } from 'typeorm';
import type { Database } from '../../../../shared/db/database';
import type { Outbox } from '../../../../shared/events/outbox';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import { CustomerAddress } from '../address/address.entity';
import { CartState } from '../cart/cart-state.entity';
import { ContactRead } from '../audit/contact-read.entity';
import { Consent, ConsentChange } from '../consent/consent.entity';
import type { ConsentService } from '../consent/consent.service';
import { Customer, CustomerIdentity } from '../customer/customer.entity';
import type { CustomerDirectory } from '../customer/customer-directory';
import { CustomerErrorCode } from '../customer/customer.errors';
import type { MergeService } from '../merge/merge.service';
import { Presence } from '../presence/presence.entity';
import { OrderFact, SegmentMembership } from '../segment/segment.entity';
import type { SegmentService } from '../segment/segment.service';
import { TouchpointRow } from '../touchpoint/touchpoint.entity';

/** APPI requests: disclose everything held about a person, or erase it. */
export class PrivacyService {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly directory: CustomerDirectory,
    private readonly consents: ConsentService,
    private readonly merges: MergeService,
    private readonly segments: SegmentService,
  ) {}

  /**
   * Everything this service holds about a customer (and the records merged into them) as one JSON
   * document. Orders are the orders service's part of the export.
   */
  async export(customerId: string): Promise<Record<string, unknown> | null> {
    const manager = this.db.manager;
    const rootId = (await this.directory.rootsOf(manager, [customerId], { includeErased: true })).get(customerId);
    if (!rootId) return null;
    const ids = [rootId, ...(await this.directory.mergedInto(manager, rootId))];
    const [profile] = await manager.getRepository(Customer).findBy({ id: rootId });
    const merged = await manager.getRepository(Customer).findBy({ id: In(ids.slice(1)) });
    const byCustomer = { customerId: In(ids) };
    return {
      customerId: rootId,
      profile: pick(profile, ['id', 'displayName', 'displayNameKana', 'email', 'phone', 'createdAt', 'updatedAt', 'erasedAt']),
      mergedCustomers: merged.map((c) => pick(c, ['id', 'displayName', 'displayNameKana', 'email', 'phone', 'createdAt'])),
      identities: (await manager.getRepository(CustomerIdentity).find({ where: byCustomer, order: { linkedAt: 'ASC' } })).map((i) =>
        pick(i, ['type', 'value', 'verified', 'channel', 'linkedAt', 'linkedBy', 'verifiedBy']),
      ),
      addresses: (await manager.getRepository(CustomerAddress).find({ where: byCustomer, order: { createdAt: 'ASC', id: 'ASC' } })).map((a) =>
        pick(a, ['id', 'recipientName', 'postalCode', 'prefecture', 'city', 'line1', 'line2', 'phone', 'isDefault', 'createdAt', 'updatedAt']),
      ),
      consents: (await this.consents.of([rootId]))[0].map((c) => pick(c, ['purpose', 'granted', 'updatedAt'])),
      consentHistory: (await manager.getRepository(ConsentChange).find({ where: byCustomer, order: { changedAt: 'ASC' } })).map((c) =>
        pick(c, ['purpose', 'granted', 'changedAt', 'actorKind', 'actorId']),
      ),
      touchpoints: (await manager.getRepository(TouchpointRow).find({ where: byCustomer, order: { occurredAt: 'ASC' } })).map((t) =>
        pick(t, ['eventId', 'type', 'channel', 'occurredAt', 'productId', 'variantId', 'locationId', 'query']),
      ),
      presence: (await manager.getRepository(Presence).findBy(byCustomer)).map((p) => pick(p, ['locationId', 'method', 'since', 'expiresAt'])),
      segments: (await manager.getRepository(SegmentMembership).findBy(byCustomer)).map((m) => pick(m, ['code', 'since'])),
      // The carts service exports the carts themselves; this is what customers keeps of them (CART_ABANDONED).
      lastCartChange: (await manager.getRepository(CartState).findBy(byCustomer)).map((c) => pick(c, ['cartId', 'itemCount', 'changedAt'])),
      mergeRecords: (await this.merges.recordsOf(ids)).map((r) => pick(r, ['id', 'survivorId', 'mergedId', 'mergedAt', 'mergedById', 'unmergedAt', 'unmergedById'])),
      contactReads: (await manager.getRepository(ContactRead).find({ where: byCustomer, order: { readAt: 'ASC' } })).map((r) =>
        pick(r, ['actorKind', 'actorId', 'actorRole', 'fields', 'readAt']),
      ),
    };
  }

  /**
   * Erases a customer's personal data here and, through `customer.erased`, in every service. The id
   * stays as a tombstone; orders stay for accounting, without the person. Cannot be undone.
   */
  async erase(customerId: string): Promise<Customer> {
    return this.db.transactionRetryingConflicts(async (manager) => {
      const rootId = (await this.directory.rootsOf(manager, [customerId], { includeErased: true })).get(customerId);
      if (!rootId) throw new UserErrorException(CustomerErrorCode.NOT_FOUND, 'no such customer', ['input', 'customerId']);
      const [root] = await this.directory.lock(manager, [rootId]);
      if (root.erasedAt) throw new UserErrorException(CustomerErrorCode.CUSTOMER_ERASED, "this customer's data was erased already", ['input', 'customerId']);
      const ids = [rootId, ...(await this.directory.mergedInto(manager, rootId))];
      const now = new Date();
      const byCustomer = { customerId: In(ids) };
      await manager
        .getRepository(Customer)
        .update({ id: In(ids) }, { displayName: '', displayNameKana: null, email: null, phone: null, nameSearch: '', erasedAt: now, updatedAt: now });
      await manager.getRepository(CustomerIdentity).delete(byCustomer);
      await manager.getRepository(CustomerAddress).delete(byCustomer);
      await manager.getRepository(CartState).delete(byCustomer);
      await manager.getRepository(TouchpointRow).delete(byCustomer);
      await manager.getRepository(Consent).delete(byCustomer);
      await manager.getRepository(ConsentChange).delete(byCustomer);
      await manager.getRepository(Presence).delete(byCustomer);
      await this.segments.clear(manager, ids);
      await manager.getRepository(OrderFact).update(byCustomer, { customerId: null, originCustomerId: null, identityType: null, identityValue: null });
      await this.outbox.add(manager, [
        { type: 'customer.erased', key: rootId, occurredAt: now, payload: { customerId: rootId, erasedIds: ids, erasedAt: now.toISOString() } },
      ]);
      return Object.assign(root, { displayName: '', displayNameKana: null, email: null, phone: null, erasedAt: now });
    });
  }
}

function pick<T extends object, K extends keyof T>(row: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, row[k]])) as Pick<T, K>;
}
