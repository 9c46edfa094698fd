import { createHash, randomUUID } from 'node:crypto';
import { In, IsNull, type EntityManager } from 'typeorm';
import type { Principal } from '../../../../shared/auth/principal';
import { budgetsContactLookups } from '../../../../shared/auth/rules';
import { insertMany } from '../../../../shared/db/batch';
import type { Database } from '../../../../shared/db/database';
import { firstEntitiesPerParent } from '../../../../shared/db/per-parent';
import type { NewEvent } from '../../../../shared/events/envelope';
import type { Outbox } from '../../../../shared/events/outbox';
import type { Channel } from '../../../../shared/graphql/channel';
import { AppError, ErrorCode } from '../../../../shared/errors';
import { IdentityType } from '../../../../shared/graphql/identity';
import { isContactIdentity } from '../audit/contact-lookups';
import type { CustomerDirectory } from '../customer/customer-directory';
import type { CatalogReferences, InventoryClient } from '../inventory-client/inventory.client';
import { normalizeIdentityValue } from '../../../../shared/identity/normalize';
import type { SegmentService } from '../segment/segment.service';
import { TouchpointRow, TouchpointType } from './touchpoint.entity';
import { TrackRejectionCode } from './touchpoint.errors';

export const MAX_EVENTS_PER_BATCH = 500;
/**
 * Client event ids: printable ASCII without spaces, so that every database compares them alike (MySQL's
 * collation ignores case: ids that differ only in case count as one event of a subject).
 */
const EVENT_ID = /^[\x21-\x7e]{1,100}$/;
/** Clocks of phones and tills drift; an event further in the future than this is a client bug. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export interface TrackedEvent {
  eventId: string;
  type: TouchpointType;
  occurredAt: Date;
  channel: Channel;
  customerId?: string | null;
  identity?: { type: IdentityType; value: string } | null;
  productId?: string | null;
  variantId?: string | null;
  locationId?: string | null;
  query?: string | null;
}

export interface RejectedEvent {
  index: number;
  eventId: string;
  code: TrackRejectionCode;
  message: string;
}

export interface TrackResult {
  accepted: number;
  duplicates: string[];
  rejected: RejectedEvent[];
}

/** Why one event of a batch is refused; the others are kept. */
class Rejection extends Error {
  constructor(readonly code: TrackRejectionCode, message: string) {
    super(message);
  }
}

/** Sort key of a customer's touchpoints: newest first. */
export interface TouchpointCursor {
  occurredAt: string;
  id: string;
}

/** Behaviour from every channel: stored once per client event id, attributed to whoever owns its identity. */
export class TouchpointService {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly directory: CustomerDirectory,
    private readonly segments: SegmentService,
    private readonly catalog: InventoryClient,
  ) {}

  /**
   * Keeps a batch of events: each valid new one once, redelivered ones reported as duplicates, bad
   * ones rejected alone with their index and a code. `principal` limits whose events may be sent.
   * Products, variants and locations named must exist in inventory (asked once per batch), unless
   * `checkReferences` is false: for services, which load history they vouch for (the seed writes
   * behaviour before the stores it happened in), and for callers that checked them already.
   * ADD_TO_CART is the cart's to record (recordCartAdds): refused as RECORDED_BY_CART, unless
   * `acceptCartAdds` (history a service loads in bulk, which a cart recorded at the time).
   */
  async track(principal: Principal, events: TrackedEvent[], options: { checkReferences?: boolean; acceptCartAdds?: boolean } = {}): Promise<TrackResult> {
    if (events.length > MAX_EVENTS_PER_BATCH) {
      throw new AppError(ErrorCode.BAD_USER_INPUT, `at most ${MAX_EVENTS_PER_BATCH} events per batch`, { argument: 'input.events' });
    }
    // Asked before the transaction: no lock is held while inventory answers.
    const catalog = (options.checkReferences ?? principal.kind !== 'SERVICE') ? await this.referencesOf(events) : null;
    return this.db.transactionRetryingConflicts((manager) => this.keep(manager, principal, events, catalog, options.acceptCartAdds ?? false));
  }

  /**
   * Lines a shopper added to a cart (`cart.changed`), as ADD_TO_CART touchpoints, in the caller's
   * transaction: kept, published (`customer.event_tracked`) and classified exactly as trackEvents keeps
   * events; a redelivery is known by its event id. References are not checked: carts did.
   */
  recordCartAdds(manager: EntityManager, principal: Principal, events: TrackedEvent[]): Promise<TrackResult> {
    return this.keep(manager, principal, events, null, true);
  }

  private async keep(
    manager: EntityManager,
    principal: Principal,
    events: TrackedEvent[],
    catalog: CatalogReferences | null,
    acceptCartAdds: boolean,
  ): Promise<TrackResult> {
    const rejected: RejectedEvent[] = [];
    const duplicates: string[] = [];
    const rows: TouchpointRow[] = [];
    const known = await this.knownEvents(manager, events.map((e) => e.eventId));
    const customers = await this.directory.rootsOf(manager, events.map((e) => e.customerId).filter((id): id is string => !!id));
    // Keys a caller may not send under are never resolved (see toRow).
    const resolvable = events.flatMap((e) => (e.identity && !refusesContactKey(principal, e.identity) ? [safeIdentity(e.identity)] : [])).filter(isDefined);
    const owners = await this.directory.ownersOf(manager, resolvable, { attachingOnly: true, lock: true });
    await this.directory.holdStanding(manager, [...customers.values(), ...owners.values()]);
    const receivedAt = new Date();
    events.forEach((event, index) => {
      try {
        if (event.type === TouchpointType.ADD_TO_CART && !acceptCartAdds) {
          throw new Rejection(TrackRejectionCode.RECORDED_BY_CART, 'the cart records what is added to it (cartLinesAdd): send no ADD_TO_CART events');
        }
        // Checked before it counts as a retry: a caller learns nothing of the ids of subjects it may not send for.
        const row = this.toRow(principal, event, customers, owners, catalog, receivedAt);
        if (known.has(row.eventId, row.subjectKey!)) return duplicates.push(event.eventId);
        known.add(row.eventId, row.subjectKey!);
        rows.push(row);
      } catch (err) {
        if (!(err instanceof Rejection)) throw err;
        rejected.push({ index, eventId: event.eventId, code: err.code, message: err.message });
      }
    });
    await insertMany(manager, TouchpointRow, rows);
    await this.attributeLateLinks(manager, rows);
    await this.outbox.add(manager, rows.map(trackedEvent));
    await this.segments.refresh(manager, attributedCustomers(rows));
    return { accepted: rows.length, duplicates, rejected };
  }

  /**
   * A link of an identity may commit between our read of its owner and our insert: read the owners
   * again, now that our rows exist (a link that reads them from here on waits for us), and attribute.
   */
  private async attributeLateLinks(manager: EntityManager, rows: TouchpointRow[]): Promise<void> {
    const anonymous = rows.filter((r) => r.customerId === null && r.identityType !== null);
    if (!anonymous.length) return;
    const owners = await this.directory.ownersOf(manager, anonymous.map((r) => ({ type: r.identityType!, value: r.identityValue! })), { attachingOnly: true, lock: true });
    for (const [key, owner] of owners) {
      const [type, value] = key.split('\t');
      await this.attributeIdentity(manager, owner, type as IdentityType, value);
      for (const row of anonymous) if (row.identityType === type && row.identityValue === value) row.customerId = owner;
    }
  }

  /** Gives the history kept under an identity alone to the customer who now owns it. */
  async attributeIdentity(manager: EntityManager, customerId: string, type: IdentityType, value: string): Promise<string[]> {
    // A locking read waits for events of this identity that a concurrent trackEvents has not committed yet.
    const rows = await manager.getRepository(TouchpointRow).find({
      select: { id: true },
      where: { identityType: type, identityValue: value, customerId: IsNull() },
      ...this.db.rowLock('pessimistic_write'),
    });
    if (rows.length) {
      await manager.getRepository(TouchpointRow).update({ id: In(rows.map((r) => r.id)) }, { customerId, originCustomerId: customerId });
    }
    return rows.map((r) => r.id);
  }

  /** The newest touchpoints of each customer, optionally of some types only. */
  async newestOf(
    customerIds: readonly string[],
    limit: number,
    types: TouchpointType[] | null,
    after: TouchpointCursor | null,
  ): Promise<Map<string, TouchpointRow[]>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (types?.length) {
      where.push(`type IN (${types.map(() => '?').join(', ')})`);
      params.push(...types);
    }
    if (after) {
      const at = this.db.dateParameter(new Date(after.occurredAt));
      where.push('(occurred_at < ? OR (occurred_at = ? AND id < ?))');
      params.push(at, at, after.id);
    }
    return firstEntitiesPerParent(this.db.manager, TouchpointRow, {
      parentColumn: 'customer_id',
      parentIds: customerIds,
      where: where.join(' AND ') || undefined,
      params,
      orderBy: 'occurred_at DESC, id DESC',
      limit,
    });
  }

  /** The catalog entries the batch names (ids of a plausible length only: longer ones are rejected anyway). */
  private async referencesOf(events: TrackedEvent[]): Promise<CatalogReferences> {
    const plausible = (id: string | null | undefined): id is string => typeof id === 'string' && id.length > 0 && id.length <= 36;
    const productIds = events.map((e) => e.productId).filter(plausible);
    const variantIds = events.map((e) => e.variantId).filter(plausible);
    const locationIds = events.map((e) => e.locationId).filter(plausible);
    if (!productIds.length && !variantIds.length && !locationIds.length) return { products: new Set(), variants: new Map(), locations: new Map() };
    return this.catalog.references({ productIds, variantIds, locationIds });
  }

  /** The events of these ids kept before, with the subjects they were kept for. */
  private async knownEvents(manager: EntityManager, eventIds: string[]): Promise<KnownEvents> {
    const valid = [...new Set(eventIds.filter((id) => typeof id === 'string' && EVENT_ID.test(id)))];
    const rows = valid.length
      ? await manager.getRepository(TouchpointRow).find({ select: { eventId: true, subjectKey: true }, where: { eventId: In(valid) } })
      : [];
    return new KnownEvents(rows);
  }

  private toRow(
    principal: Principal,
    event: TrackedEvent,
    customers: Map<string, string>,
    owners: Map<string, string>,
    catalog: CatalogReferences | null,
    receivedAt: Date,
  ): TouchpointRow {
    if (!EVENT_ID.test(event.eventId)) throw new Rejection(TrackRejectionCode.INVALID_EVENT_ID, 'eventId must be 1-100 printable ASCII characters without spaces');
    if (!!event.customerId === !!event.identity) throw new Rejection(TrackRejectionCode.INVALID_SUBJECT, 'give exactly one of customerId and identity');
    if (Number.isNaN(event.occurredAt.getTime()) || event.occurredAt.getTime() > receivedAt.getTime() + FUTURE_TOLERANCE_MS) {
      throw new Rejection(TrackRejectionCode.OCCURRED_IN_FUTURE, 'occurredAt lies in the future');
    }
    const needs: Partial<Record<TouchpointType, keyof TrackedEvent>> = {
      [TouchpointType.PRODUCT_VIEW]: 'productId',
      [TouchpointType.ADD_TO_CART]: 'productId',
      [TouchpointType.SEARCH]: 'query',
      [TouchpointType.STORE_CHECK_IN]: 'locationId',
    };
    const required = needs[event.type];
    if (required && !event[required]) throw new Rejection(TrackRejectionCode.MISSING_FIELD, `${event.type} needs ${required}`);
    if (event.query && event.query.length > 200) throw new Rejection(TrackRejectionCode.INVALID_QUERY, 'query is at most 200 characters');
    for (const id of [event.productId, event.variantId, event.locationId]) {
      if (id && id.length > 36) throw new Rejection(TrackRejectionCode.INVALID_REFERENCE, 'ids are at most 36 characters');
    }
    if (catalog) refuseUnknownReferences(event, catalog);

    let customerId: string | null = null;
    let identity: { type: IdentityType; value: string } | null = null;
    let subject: string;
    if (event.customerId) {
      subject = subjectKey('CUSTOMER', event.customerId);
      customerId = customers.get(event.customerId) ?? null;
      // Customers and anonymous callers learn nothing about other ids: someone else's and an unknown one are refused alike.
      const mayName = principal.kind === 'STAFF' || principal.kind === 'SERVICE' || (principal.kind === 'CUSTOMER' && customerId === principal.customerId);
      if (!mayName) throw new Rejection(TrackRejectionCode.FORBIDDEN_SUBJECT, 'not allowed to send events for this customer');
      if (!customerId) throw new Rejection(TrackRejectionCode.UNKNOWN_CUSTOMER, 'no such customer');
    } else {
      if (refusesContactKey(principal, event.identity!)) {
        throw new Rejection(TrackRejectionCode.CONTACT_IDENTITY_NOT_ALLOWED, 'staff who see contact details masked send events with a customerId, not under an e-mail address or phone number');
      }
      identity = safeIdentity(event.identity!) ?? null;
      if (!identity) throw new Rejection(TrackRejectionCode.INVALID_IDENTITY, `not a valid ${event.identity!.type} value`);
      subject = subjectKey(identity.type, identity.value);
      const owner = owners.get(identityKey(identity)) ?? null;
      customerId = owner === null || addsToHistoryOf(principal, owner) ? owner : null;
      if (!mayTrackFor(principal, customerId, identity)) throw new Rejection(TrackRejectionCode.FORBIDDEN_SUBJECT, 'not allowed to send events for this person');
      // Only its owner, signed in, adds to a claimed device's history: sent by anyone else (anonymously,
      // or by another customer) the event is kept without the device, so that no link, verification or
      // merge ever gives it to the owner, and it is answered like any other, so that the caller learns
      // nothing about whether the device is someone's.
      if (owner !== null && customerId === null) {
        // Its ids are the stranger's, not the device's: a retry is a retry, and the owner's own ids stay free.
        subject = subjectKey(`UNATTRIBUTED ${identity.type}`, identity.value);
        identity = null;
      }
    }

    return Object.assign(new TouchpointRow(), {
      id: randomUUID(),
      eventId: event.eventId,
      subjectKey: subject,
      customerId,
      originCustomerId: customerId,
      identityType: identity?.type ?? null,
      identityValue: identity?.value ?? null,
      type: event.type,
      channel: event.channel,
      occurredAt: event.occurredAt,
      receivedAt,
      productId: event.productId ?? null,
      variantId: event.variantId ?? null,
      locationId: event.locationId ?? null,
      query: event.query?.trim() || null,
    });
  }
}

/**
 * Whose events a caller may send: staff and services anyone's; a customer their own, or a device's
 * (someone else's are kept without it: see addsToHistoryOf); an anonymous caller a device's.
 */
function mayTrackFor(principal: Principal, customerId: string | null, identity: { type: IdentityType } | null): boolean {
  switch (principal.kind) {
    case 'STAFF':
    case 'SERVICE':
      return true;
    case 'CUSTOMER':
      return customerId === principal.customerId || (customerId === null && identity?.type === IdentityType.DEVICE);
    case 'ANONYMOUS':
      return identity?.type === IdentityType.DEVICE;
    default:
      return false;
  }
}

/**
 * Staff who see contact details masked (store staff, marketing) send no event under an e-mail address
 * or phone number: whether it joined someone's history (touchpoints they read) would say whose the
 * value is, outside their look-up budget, and would write into a stranger's history. They have the
 * customer's id from a budgeted look-up.
 */
function refusesContactKey(principal: Principal, identity: { type: IdentityType }): boolean {
  return isContactIdentity(identity) && budgetsContactLookups(principal);
}

/** Whether events a caller sends under an identity join the history of the identity's owner. */
function addsToHistoryOf(principal: Principal, ownerId: string): boolean {
  switch (principal.kind) {
    case 'STAFF':
    case 'SERVICE':
      return true;
    case 'CUSTOMER':
      return principal.customerId === ownerId;
    default:
      return false;
  }
}

/** UNKNOWN_PRODUCT, UNKNOWN_VARIANT, UNKNOWN_LOCATION for ids inventory does not have; a variant of another product, or a check-in at a warehouse. */
function refuseUnknownReferences(event: TrackedEvent, catalog: CatalogReferences): void {
  if (event.productId && !catalog.products.has(event.productId)) throw new Rejection(TrackRejectionCode.UNKNOWN_PRODUCT, 'no product has this id');
  if (event.variantId) {
    const productId = catalog.variants.get(event.variantId);
    if (productId === undefined) throw new Rejection(TrackRejectionCode.UNKNOWN_VARIANT, 'no variant has this id');
    if (event.productId && productId !== event.productId) throw new Rejection(TrackRejectionCode.INVALID_REFERENCE, 'the variant is not one of the product');
  }
  if (event.locationId) {
    const location = catalog.locations.get(event.locationId);
    if (!location) throw new Rejection(TrackRejectionCode.UNKNOWN_LOCATION, 'no location has this id');
    if (event.type === TouchpointType.STORE_CHECK_IN && location.type !== 'STORE') throw new Rejection(TrackRejectionCode.NOT_A_STORE, 'a check-in is at a store');
  }
}

/**
 * Whom an event was sent for, as the touchpoint keeps it (SHA-256, hex): `CUSTOMER<TAB>id` or
 * `<TYPE><TAB>value`. Migration TouchpointSubjects computes the same for events kept before.
 */
export function subjectKey(kind: string, id: string): string {
  return createHash('sha256').update(`${kind}\t${id}`).digest('hex');
}

/** Event ids kept before, per subject; an id kept without a subject (from before subjects) counts for every subject. */
class KnownEvents {
  private readonly subjects = new Map<string, Set<string | null>>();

  constructor(rows: Array<Pick<TouchpointRow, 'eventId' | 'subjectKey'>>) {
    for (const row of rows) this.add(row.eventId, row.subjectKey);
  }

  has(eventId: string, subject: string): boolean {
    const kept = this.subjects.get(eventId.toLowerCase());
    return !!kept && (kept.has(subject) || kept.has(null));
  }

  add(eventId: string, subject: string | null): void {
    const id = eventId.toLowerCase();
    this.subjects.set(id, (this.subjects.get(id) ?? new Set()).add(subject));
  }
}

export function identityKey(identity: { type: string; value: string }): string {
  return `${identity.type}\t${identity.value}`;
}

function safeIdentity(identity: { type: IdentityType; value: string }): { type: IdentityType; value: string } | undefined {
  try {
    return { type: identity.type, value: normalizeIdentityValue(identity.type, identity.value) };
  } catch {
    return undefined;
  }
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

function attributedCustomers(rows: TouchpointRow[]): string[] {
  return [...new Set(rows.map((r) => r.customerId).filter((id): id is string => id !== null))];
}

function trackedEvent(row: TouchpointRow): NewEvent<'customer.event_tracked'> {
  return {
    type: 'customer.event_tracked',
    key: row.customerId ?? (row.identityType ? `${row.identityType}:${row.identityValue}` : `touchpoint:${row.id}`),
    occurredAt: row.occurredAt,
    payload: {
      eventId: row.eventId,
      type: row.type,
      channel: row.channel,
      occurredAt: row.occurredAt.toISOString(),
      customerId: row.customerId,
      identityType: row.identityType,
      identityValue: row.identityValue,
      productId: row.productId,
      variantId: row.variantId,
      locationId: row.locationId,
    },
  };
}
