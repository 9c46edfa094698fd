import { randomUUID } from 'node:crypto';
import { In, IsNull, type EntityManager } from 'typeorm';
import type { Principal } from '../../../../shared/auth/principal';
import { linksSignInIdentities } from '../../../../shared/auth/rules';
import { insertMany } from '../../../../shared/db/batch';
import { containsPattern, likeClause } from '../../../../shared/db/like';
import { isUniqueViolation, type Database } from '../../../../shared/db/database';
import type { NewEvent } from '../../../../shared/events/envelope';
import type { Outbox } from '../../../../shared/events/outbox';
import { decodeCursor, toConnection, type Connection } from '../../../../shared/graphql/connection';
import { Channel } from '../../../../shared/graphql/channel';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import type { ContactLookups } from '../audit/contact-lookups';
import { SegmentMembership } from '../segment/segment.entity';
import type { SegmentService } from '../segment/segment.service';
import type { TouchpointService } from '../touchpoint/touchpoint.service';
import { attachesHistory, type CustomerDirectory } from './customer-directory';
import { IdentityType } from '../../../../shared/graphql/identity';
import { Customer, CustomerIdentity } from './customer.entity';
import type { CustomerFilter } from './customer.inputs';
import { identityProblemOf, normalizeEmail, normalizeIdentityValue, normalizePhone } from '../../../../shared/identity/normalize';
import { CustomerErrorCode } from './customer.errors';
import { actorLabel, SIGNED_IN_SUBJECT, yieldsTo } from './identity-provenance';
import { foldName, nameSearchKey } from './name-fold';

export interface NewIdentity {
  type: IdentityType;
  value: string;
  verified?: boolean;
  channel: Channel;
  linkedAt?: Date;
  /** Who linked it (identity-provenance.ts); unknown for history loaded in bulk. */
  linkedBy?: string | null;
  /** Who vouched for it, when verified. */
  verifiedBy?: string | null;
}

/** A sign-up (the storefront's, or staff at a till): who registers decides what the keys are worth. */
export interface Registration {
  displayName: string;
  displayNameKana?: string | null;
  email?: string | null;
  phone?: string | null;
  /** Where the customer registers. */
  channel: Channel;
  identities: Array<{ type: IdentityType; value: string }>;
}

/** An identity of a registration or profile change, with the input field it came from (for userErrors). */
type KeyedIdentity = NewIdentity & { field: string[] | null };

/**
 * The most identities one customer holds: a few keys per channel, and devices. Bounded so that
 * nobody can grow a record without limit (the gateway's cost model counts `Customer.identities` at 50).
 */
export const MAX_IDENTITIES_PER_CUSTOMER = 20;

/** The unique index of identities, as MySQL (its name) or SQLite (its columns) names it in a violation. */
const IDENTITY_INDEX = /uq_identity|customer_identity\.(type|value)/;

export interface NewCustomer {
  id?: string;
  displayName: string;
  displayNameKana?: string | null;
  email?: string | null;
  phone?: string | null;
  /** Where the customer registered. */
  channel: Channel;
  createdAt?: Date;
  identities: NewIdentity[];
}

export interface ProfileChanges {
  displayName?: string | null;
  displayNameKana?: string | null;
  email?: string | null;
  phone?: string | null;
}

/** Customers and their identities: registration, profile, linking keys, look-ups. */
export class CustomerService {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly directory: CustomerDirectory,
    private readonly touchpoints: TouchpointService,
    private readonly segments: SegmentService,
    private readonly lookups: ContactLookups,
  ) {}

  /**
   * Creates customers with their identities (values normalised) and publishes `customer.registered`
   * and `customer.identity_linked`. A value that already belongs to someone fails the whole batch.
   */
  async registerMany(inputs: NewCustomer[]): Promise<Customer[]> {
    const customers = inputs.map(newCustomer);
    const identities = inputs.flatMap((input, i) => input.identities.map((identity) => newIdentity(customers[i], identity)));
    await this.db.transaction(async (manager) => {
      await insertMany(manager, Customer, customers);
      await insertMany(manager, CustomerIdentity, identities);
      await this.outbox.add(manager, [
        ...customers.map((c, i) => registeredEvent(c, inputs[i].channel)),
        ...identities.map((identity) => identityEvent('customer.identity_linked', identity)),
      ]);
    });
    return customers;
  }

  /**
   * Registers one customer (the storefront's sign-up, or staff at a till). The keys given, and the
   * e-mail address and phone number as EMAIL and PHONE identities, are linked: verified when staff or a
   * service register, unverified for an anonymous sign-up, and the subject of a signed-in registrant's
   * token as their verified EC_ACCOUNT. An EC_ACCOUNT in the input is EC_ACCOUNT_NOT_ALLOWED unless
   * support or a service gives it; a key that belongs to someone else is IDENTITY_TAKEN, unless its
   * holder's link gives way to this one (yieldsTo). History kept under the new verified keys alone
   * joins the new customer. E-mail addresses and phone numbers given by a masked role spend its look-up
   * budget and are audited (ContactLookups).
   */
  async register(principal: Principal, input: Registration): Promise<Customer> {
    const identities = registrationIdentities(principal, input);
    if (identities.length > MAX_IDENTITIES_PER_CUSTOMER) throw identityLimitReached(['input', 'identities']);
    await this.lookups.guardContactWrite(principal, identities, (contacts) => this.directory.ownersOf(this.db.manager, contacts));
    return this.linking(['input'], async (manager) => {
      await this.settleHolders(manager, null, identities, true);
      const customer = newCustomer({ ...input, identities });
      const rows = identities.map((identity) => newIdentity(customer, identity));
      await manager.getRepository(Customer).insert(customer);
      await insertMany(manager, CustomerIdentity, rows);
      await this.outbox.add(manager, [registeredEvent(customer, input.channel)]);
      for (const row of rows) await this.attach(manager, row);
      await this.segments.refresh(manager, [customer.id]);
      return customer;
    });
  }

  /**
   * Changes a standing customer's profile; a field left out stays, a null clears it (not the name). A
   * new e-mail address or phone number also becomes an (unverified) EMAIL or PHONE identity, so look-ups
   * find the customer by it; one that belongs to someone else is IDENTITY_TAKEN. Clearing the contact
   * field leaves the identity (unlinkIdentity removes it). Contact details given spend the caller's
   * budget (ContactLookups): a masked role's look-ups, or a customer's contact links.
   */
  async update(principal: Principal, customerId: string, changes: ProfileChanges): Promise<Customer> {
    const email = changes.email ? normalizeEmail(changes.email) : changes.email;
    const phone = changes.phone ? normalizePhone(changes.phone) : changes.phone;
    const contacts = contactIdentities(principal, email, phone, Channel.EC);
    await this.lookups.guardContactWrite(principal, contacts, (values) => this.directory.ownersOf(this.db.manager, values));
    return this.linking(['input'], async (manager) => {
      const customer = await this.directory.standing(manager, customerId, { lock: true });
      if (changes.displayName !== undefined) {
        if (!changes.displayName?.trim()) throw new UserErrorException(CustomerErrorCode.INVALID_NAME, 'the name cannot be empty', ['input', 'displayName']);
        customer.displayName = changes.displayName.trim();
      }
      if (changes.displayNameKana !== undefined) customer.displayNameKana = changes.displayNameKana?.trim() || null;
      if (email !== undefined) customer.email = email || null;
      if (phone !== undefined) customer.phone = phone || null;
      const fresh = await this.settleHolders(manager, customer.id, contacts, false);
      await insertMany(manager, CustomerIdentity, fresh.map((i) => newIdentity(customer, { ...i, linkedAt: new Date() })));
      customer.nameSearch = nameSearchKey(customer.displayName, customer.displayNameKana);
      customer.updatedAt = new Date();
      await manager.getRepository(Customer).save(customer);
      return customer;
    });
  }

  /**
   * Links an identity to a customer (or the customer a merge gave them to). A customer's own word does
   * not verify a key; staff who saw it (and services) do, unless `verified` is false. An EC_ACCOUNT is
   * EC_ACCOUNT_NOT_ALLOWED unless support or a service links it. Linking it again is a no-op (or
   * verifies it); an identity of someone else is IDENTITY_TAKEN, unless their link is an unverified
   * claim and this one is verified: then it moves here (yieldsTo). A customer holds at most
   * MAX_IDENTITIES_PER_CUSTOMER (IDENTITY_LIMIT_REACHED). What was kept under the identity alone
   * (behaviour, store sales) joins the customer once the link is verified. An e-mail address or phone
   * number spends the caller's budget (ContactLookups).
   */
  async link(
    principal: Principal,
    customerId: string,
    identity: { type: IdentityType; value: string },
    requestedVerified: boolean | undefined,
    channel: Channel,
  ): Promise<Customer> {
    const value = normalizeIdentityValue(identity.type, identity.value);
    if (identity.type === IdentityType.EC_ACCOUNT && !linksSignInIdentities(principal)) throw ecAccountNotAllowed(['input', 'identity']);
    const verified = principal.kind === 'CUSTOMER' ? false : (requestedVerified ?? true);
    const actor = actorLabel(principal);
    const field = ['input', 'identity'];
    await this.lookups.guardContactWrite(principal, [{ type: identity.type, value }], (contacts) => this.directory.ownersOf(this.db.manager, contacts));
    return this.linking(field, async (manager) => {
      const customer = await this.directory.standing(manager, customerId, { lock: true });
      const existing = (await this.directory.holdersOf(manager, [{ type: identity.type, value }], { lock: true })).get(`${identity.type}\t${value}`);
      if (existing?.customerId === customer.id) {
        // Verified now: what was kept under the key joins the customer only from here on.
        if (verified && !existing.verified) {
          await manager.getRepository(CustomerIdentity).update({ id: existing.id }, { verified: true, verifiedBy: actor });
          if (!attachesHistory(existing)) await this.attach(manager, { ...existing, verified: true, verifiedBy: actor });
        }
        return customer;
      }
      await this.settleHolders(manager, customer.id, [{ type: identity.type, value, verified, channel, field }], false);
      const row = newIdentity(customer, { type: identity.type, value, verified, verifiedBy: verified ? actor : null, linkedBy: actor, channel, linkedAt: new Date() });
      await manager.getRepository(CustomerIdentity).insert(row);
      await this.attach(manager, row);
      return customer;
    });
  }

  /**
   * Unlinks an identity; what it brought stays with the customer. Whether an e-mail address or phone
   * number was theirs is an answer too: it spends the caller's budget (ContactLookups).
   */
  async unlink(principal: Principal, customerId: string, identity: { type: IdentityType; value: string }): Promise<Customer> {
    const value = normalizeIdentityValue(identity.type, identity.value);
    await this.lookups.guardContactWrite(principal, [{ type: identity.type, value }], (contacts) => this.directory.ownersOf(this.db.manager, contacts));
    return this.db.transactionRetryingConflicts(async (manager) => {
      const customer = await this.directory.standing(manager, customerId, { lock: true });
      const existing = await manager.getRepository(CustomerIdentity).findOneBy({ type: identity.type, value, customerId: customer.id });
      if (!existing) throw new UserErrorException(CustomerErrorCode.IDENTITY_NOT_LINKED, 'this identity is not linked to the customer', ['input', 'identity']);
      await manager.getRepository(CustomerIdentity).delete({ id: existing.id });
      await this.outbox.add(manager, [identityEvent('customer.identity_unlinked', existing)]);
      return customer;
    });
  }

  /** Customers by id; a merged-away id answers its survivor, an erased one its tombstone. */
  async byIds(ids: readonly string[]): Promise<Array<Customer | null>> {
    const repository = this.db.manager.getRepository(Customer);
    // The ids asked for, whole: most stand for themselves, so one statement answers them. Keyed by
    // the exact id: a collation that ignores case must not make `ABC` name `abc`.
    const asked = new Map((await repository.findBy({ id: In([...new Set(ids)]) })).map((c) => [c.id, c]));
    const mergedAway = [...asked.values()].filter((c) => c.mergedIntoId).map((c) => c.id);
    const survivors = new Map<string, Customer>();
    const roots = mergedAway.length ? await this.directory.rootsOf(this.db.manager, mergedAway, { includeErased: true }) : new Map<string, string>();
    if (roots.size) for (const c of await repository.findBy({ id: In([...new Set(roots.values())]) })) survivors.set(c.id, c);
    return ids.map((id) => {
      const customer = asked.get(id);
      return customer?.mergedIntoId ? survivors.get(roots.get(id) ?? '') ?? null : customer ?? null;
    });
  }

  /** Every identity of these customers, oldest link first. */
  identitiesOf(customerIds: readonly string[]): Promise<CustomerIdentity[]> {
    return this.db.manager
      .getRepository(CustomerIdentity)
      .find({ where: { customerId: In([...customerIds]) }, order: { linkedAt: 'ASC', id: 'ASC' } });
  }

  /** The ids merged into each customer (directly or through chains) that are still merged. */
  mergedIdsOf(customerIds: readonly string[]): Promise<string[][]> {
    return this.directory.mergedIntoEach(this.db.manager, customerIds);
  }

  /** The customer an identity belongs to, looked up by its normalised value. */
  async byIdentity(type: IdentityType, value: string): Promise<Customer | null> {
    const normalized = normalizeIdentityValue(type, value);
    const owner = (await this.directory.ownersOf(this.db.manager, [{ type, value: normalized }])).get(`${type}\t${normalized}`);
    return owner ? (await this.byIds([owner]))[0] : null;
  }

  /**
   * The customer a sign-in subject names: a customer id (a merged-away id names its survivor), or a
   * verified EC_ACCOUNT identity of the identity provider (one typed in by anyone signs nobody in).
   * Null when neither names a standing customer: the subject may register.
   */
  async customerIdOfSubject(subject: string): Promise<string | null> {
    const byId = (await this.directory.rootsOf(this.db.manager, [subject])).get(subject);
    if (byId) return byId;
    let value: string;
    try {
      value = normalizeIdentityValue(IdentityType.EC_ACCOUNT, subject);
    } catch (err) {
      if (identityProblemOf(err)) return null; // no account can have it
      throw err;
    }
    const owners = await this.directory.ownersOf(this.db.manager, [{ type: IdentityType.EC_ACCOUNT, value }], { attachingOnly: true });
    return owners.get(`${IdentityType.EC_ACCOUNT}\t${value}`) ?? null;
  }

  /**
   * Standing customers in id order: by name or reading (full/half width and hiragana/katakana
   * folded), by identity, or in a segment.
   */
  async list(filter: CustomerFilter | undefined, first: number, after?: string | null): Promise<Connection<Customer>> {
    const cursor = decodeCursor(after, ['string']);
    const qb = this.db.manager.getRepository(Customer).createQueryBuilder('c').where({ mergedIntoId: IsNull(), erasedAt: IsNull() });
    if (filter?.name) qb.andWhere(likeClause('c.name_search', 'name'), { name: containsPattern(foldName(filter.name)) });
    if (filter?.identity) {
      const value = normalizeIdentityValue(filter.identity.type, filter.identity.value);
      qb.andWhere('c.id IN (SELECT i.customer_id FROM customer_identity i WHERE i.type = :type AND i.value = :value)', { type: filter.identity.type, value });
    }
    if (filter?.segment) {
      qb.andWhere(`c.id IN (SELECT m.customer_id FROM ${this.db.manager.getRepository(SegmentMembership).metadata.tableName} m WHERE m.code = :segment)`, {
        segment: filter.segment,
      });
    }
    if (cursor) qb.andWhere('c.id > :after', { after: cursor[0] });
    const rows = await qb.orderBy('c.id', 'ASC').take(first + 1).getMany();
    return toConnection(rows, first, (c) => [c.id], cursor !== null);
  }

  /**
   * Settles who holds each identity about to be linked to `customerId` (null: a customer being
   * registered), and returns those the customer does not hold yet. Past MAX_IDENTITIES_PER_CUSTOMER:
   * IDENTITY_LIMIT_REACHED (asked first, so that a full record answers nothing about other holders).
   * One that someone else holds is IDENTITY_TAKEN, unless their link gives way to this claim
   * (yieldsTo): then they lose it here.
   */
  private async settleHolders(manager: EntityManager, customerId: string | null, identities: KeyedIdentity[], registration: boolean): Promise<KeyedIdentity[]> {
    const holders = await this.directory.holdersOf(manager, identities, { lock: true });
    const fresh = identities.filter((i) => holders.get(`${i.type}\t${i.value}`)?.customerId !== customerId);
    if (customerId !== null && fresh.length) {
      const held = await manager.getRepository(CustomerIdentity).countBy({ customerId });
      if (held + fresh.length > MAX_IDENTITIES_PER_CUSTOMER) throw identityLimitReached(fresh[0].field);
    }
    const yielding: CustomerIdentity[] = [];
    for (const identity of fresh) {
      const holder = holders.get(`${identity.type}\t${identity.value}`);
      if (!holder) continue;
      if (!yieldsTo(holder, { verified: identity.verified ?? false, registration })) {
        throw new UserErrorException(CustomerErrorCode.IDENTITY_TAKEN, 'this identity belongs to another customer', identity.field);
      }
      yielding.push(holder);
    }
    for (const holder of yielding) await this.release(manager, holder);
    return fresh;
  }

  /**
   * An unverified claim gives way: the key leaves its holder (and their contact field, if it held the
   * same value), and `customer.identity_unlinked` tells every service, as an unlink would.
   */
  private async release(manager: EntityManager, holder: CustomerIdentity): Promise<void> {
    await manager.getRepository(CustomerIdentity).delete({ id: holder.id });
    if (holder.type === IdentityType.EMAIL) await manager.getRepository(Customer).update({ id: holder.customerId, email: holder.value }, { email: null, updatedAt: new Date() });
    if (holder.type === IdentityType.PHONE) await manager.getRepository(Customer).update({ id: holder.customerId, phone: holder.value }, { phone: null, updatedAt: new Date() });
    await this.outbox.add(manager, [identityEvent('customer.identity_unlinked', holder)]);
  }

  /**
   * A transaction that links identities. A duplicate key on identities that outlasts the retries (a
   * concurrent link kept winning) is the business outcome it is, IDENTITY_TAKEN, not a failure.
   */
  private async linking<T>(field: string[] | null, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.db.transactionRetryingConflicts(work);
    } catch (err) {
      if (isUniqueViolation(err, IDENTITY_INDEX)) throw new UserErrorException(CustomerErrorCode.IDENTITY_TAKEN, 'this identity belongs to another customer', field);
      throw err;
    }
  }

  /**
   * A link that brings history (attachesHistory): what was kept under the key alone joins the
   * customer here, and `customer.identity_linked` tells the other services to do the same.
   */
  private async attach(manager: EntityManager, identity: CustomerIdentity): Promise<void> {
    if (!attachesHistory(identity)) return;
    await this.outbox.add(manager, [identityEvent('customer.identity_linked', identity)]);
    await this.touchpoints.attributeIdentity(manager, identity.customerId, identity.type, identity.value);
    await this.segments.attributeIdentity(manager, identity.customerId, identity.type, identity.value);
    await this.segments.refresh(manager, [identity.customerId]);
  }
}

/**
 * The identities a registration links, values normalised, each key once (the first mention wins: the
 * token's subject, then the keys given, then the contact details).
 */
function registrationIdentities(principal: Principal, input: Registration): KeyedIdentity[] {
  const linkedBy = actorLabel(principal);
  // Staff who register someone saw the keys they enter (a card, the app on a phone); nobody vouches for an anonymous sign-up's.
  const vouched = principal.kind !== 'ANONYMOUS';
  const keyed = new Map<string, KeyedIdentity>();
  const add = (identity: KeyedIdentity) => {
    const key = `${identity.type}\t${identity.value}`;
    if (!keyed.has(key)) keyed.set(key, identity);
  };
  const subject = principal.kind === 'ANONYMOUS' && principal.subject !== undefined ? normalizeIdentityValue(IdentityType.EC_ACCOUNT, principal.subject) : null;
  if (subject !== null) {
    add({ type: IdentityType.EC_ACCOUNT, value: subject, verified: true, verifiedBy: SIGNED_IN_SUBJECT, linkedBy, channel: input.channel, field: null });
  }
  input.identities.forEach((identity, index) => {
    const field = ['input', 'identities', String(index)];
    const value = normalizeIdentityValue(identity.type, identity.value);
    if (identity.type === IdentityType.EC_ACCOUNT && value !== subject && !linksSignInIdentities(principal)) throw ecAccountNotAllowed(field);
    add({ type: identity.type, value, verified: vouched, verifiedBy: vouched ? linkedBy : null, linkedBy, channel: input.channel, field });
  });
  const email = input.email ? normalizeEmail(input.email) : null;
  const phone = input.phone ? normalizePhone(input.phone) : null;
  for (const contact of contactIdentities(principal, email, phone, input.channel)) add(contact);
  return [...keyed.values()];
}

/**
 * A contact address typed into a profile proves nothing about who owns it: its identity finds the
 * customer and is theirs alone, but brings no history until someone verifies it.
 */
function contactIdentities(principal: Principal, email: string | null | undefined, phone: string | null | undefined, channel: Channel): KeyedIdentity[] {
  const linkedBy = actorLabel(principal);
  return [
    ...(email ? [{ type: IdentityType.EMAIL, value: email, verified: false, linkedBy, channel, field: ['input', 'email'] }] : []),
    ...(phone ? [{ type: IdentityType.PHONE, value: phone, verified: false, linkedBy, channel, field: ['input', 'phone'] }] : []),
  ];
}

function identityLimitReached(field: string[] | null): UserErrorException {
  return new UserErrorException(
    CustomerErrorCode.IDENTITY_LIMIT_REACHED,
    `a customer holds at most ${MAX_IDENTITIES_PER_CUSTOMER} identities: unlink one first`,
    field,
  );
}

function ecAccountNotAllowed(field: string[]): UserErrorException {
  return new UserErrorException(
    CustomerErrorCode.EC_ACCOUNT_NOT_ALLOWED,
    "an EC account comes from the customer's own sign-in (register signed in), or from support after checking",
    field,
  );
}

function newCustomer(input: NewCustomer): Customer {
  const createdAt = input.createdAt ?? new Date();
  const displayName = input.displayName.trim();
  const displayNameKana = input.displayNameKana?.trim() || null;
  return Object.assign(new Customer(), {
    id: input.id ?? randomUUID(),
    displayName,
    displayNameKana,
    email: input.email ? normalizeEmail(input.email) : null,
    phone: input.phone ? normalizePhone(input.phone) : null,
    nameSearch: nameSearchKey(displayName, displayNameKana),
    mergedIntoId: null,
    erasedAt: null,
    createdAt,
    updatedAt: createdAt,
  });
}

function newIdentity(customer: Customer, identity: NewIdentity): CustomerIdentity {
  return Object.assign(new CustomerIdentity(), {
    customerId: customer.id,
    originCustomerId: customer.id,
    type: identity.type,
    value: normalizeIdentityValue(identity.type, identity.value),
    verified: identity.verified ?? false,
    channel: identity.channel,
    linkedAt: identity.linkedAt ?? customer.createdAt,
    linkedBy: identity.linkedBy ?? null,
    verifiedBy: identity.verified ? (identity.verifiedBy ?? null) : null,
  });
}

function registeredEvent(customer: Customer, channel: Channel): NewEvent<'customer.registered'> {
  return { type: 'customer.registered', key: customer.id, occurredAt: customer.createdAt, payload: { customerId: customer.id, channel } };
}

function identityEvent(
  type: 'customer.identity_linked' | 'customer.identity_unlinked',
  identity: CustomerIdentity,
): NewEvent<'customer.identity_linked' | 'customer.identity_unlinked'> {
  return {
    type,
    key: identity.customerId,
    occurredAt: new Date(),
    payload: { customerId: identity.customerId, identityType: identity.type, identityValue: identity.value },
  };
}
