import { randomUUID } from 'node:crypto';
import { In, MoreThan } from 'typeorm';
import type { Principal } from '../../../../shared/auth/principal';
import { budgetsContactLookups } from '../../../../shared/auth/rules';
import type { Database } from '../../../../shared/db/database';
import { Channel } from '../../../../shared/graphql/channel';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import type { IdentityType } from '../../../../shared/graphql/identity';
import { isContactIdentity } from '../audit/contact-lookups';
import type { CustomerDirectory } from '../customer/customer-directory';
import { CustomerErrorCode } from '../customer/customer.errors';
import type { InventoryClient } from '../inventory-client/inventory.client';
import { normalizeIdentityValue } from '../../../../shared/identity/normalize';
import { TouchpointType } from '../touchpoint/touchpoint.entity';
import type { TouchpointService } from '../touchpoint/touchpoint.service';
import { CheckInMethod, Presence } from './presence.entity';

export interface CheckIn {
  customerId?: string | null;
  identity?: { type: IdentityType; value: string } | null;
  locationId: string;
  method: CheckInMethod;
  beaconId?: string | null;
}

/** Which store a customer is standing in: set by a check-in, gone when it expires or another replaces it. */
export class PresenceService {
  constructor(
    private readonly db: Database,
    private readonly directory: CustomerDirectory,
    private readonly touchpoints: TouchpointService,
    private readonly catalog: InventoryClient,
    private readonly ttlMinutes: number,
  ) {}

  /**
   * Records a check-in, and the check-in as a touchpoint (and so an event for recommendations). The
   * customer is the one named, or the one a verified key names, or else the signed-in customer; the
   * location must be a store, and the beacon heard (a BEACON check-in names it) one of its own.
   */
  async checkIn(principal: Principal, input: CheckIn, now = new Date()): Promise<Presence> {
    const customerId = await this.customerOf(principal, input).catch((err) => {
      // A customer learns nothing about other ids or keys: unknown ones are refused like someone else's.
      throw principal.kind === 'CUSTOMER' && err instanceof UserErrorException && err.code === CustomerErrorCode.UNKNOWN_CUSTOMER ? forbiddenSubject() : err;
    });
    if (principal.kind === 'CUSTOMER' && principal.customerId !== customerId) throw forbiddenSubject();
    if (principal.kind === 'STAFF' && principal.role === 'STORE_STAFF' && principal.locationId !== input.locationId) {
      throw new UserErrorException(CustomerErrorCode.OTHER_LOCATION, 'store staff check customers in at their own store only', ['input', 'locationId']);
    }
    await this.requireStore(input);
    const presence = Object.assign(new Presence(), {
      customerId,
      locationId: input.locationId,
      method: input.method,
      beaconId: input.beaconId ?? null,
      since: now,
      expiresAt: new Date(now.getTime() + this.ttlMinutes * 60_000),
    });
    await this.db.transaction((manager) => manager.getRepository(Presence).save(presence));
    await this.touchpoints.track(
      principal,
      [
        {
          eventId: `check-in:${randomUUID()}`,
          type: TouchpointType.STORE_CHECK_IN,
          channel: input.method === CheckInMethod.STAFF ? Channel.STORE : Channel.APP,
          occurredAt: now,
          customerId,
          locationId: input.locationId,
        },
      ],
      { checkReferences: false }, // requireStore asked inventory already
    );
    return presence;
  }

  /** Who is in a store now (check-ins not expired), the latest check-in first. */
  async presentAt(locationId: string, limit: number, now = new Date()): Promise<Presence[]> {
    return this.db.manager.getRepository(Presence).find({
      where: { locationId, expiresAt: MoreThan(now) },
      order: { since: 'DESC', customerId: 'ASC' },
      take: limit,
    });
  }

  /** The current presence of each customer, null where none or expired. */
  async of(customerIds: readonly string[], now = new Date()): Promise<Array<Presence | null>> {
    const rows = await this.db.manager.getRepository(Presence).find({ where: { customerId: In([...customerIds]) } });
    return customerIds.map((id) => rows.find((r) => r.customerId === id && r.expiresAt > now) ?? null);
  }

  /**
   * Who checks in: the customer named, the owner of a verified key (or a DEVICE), or the signed-in
   * customer. Staff who see contact details masked name them by id or by another key: checking someone
   * in by an e-mail address or phone number would say whose it is, outside their look-up budget.
   */
  private async customerOf(principal: Principal, input: CheckIn): Promise<string> {
    if (input.customerId && input.identity) {
      throw new UserErrorException(CustomerErrorCode.INVALID_SUBJECT, 'give at most one of customerId and identity', ['input']);
    }
    const named = input.customerId ?? (input.identity ? null : principal.kind === 'CUSTOMER' ? principal.customerId : null);
    if (!named && !input.identity) throw new UserErrorException(CustomerErrorCode.INVALID_SUBJECT, 'give customerId or identity', ['input']);
    if (!input.locationId || input.locationId.length > 36) throw new UserErrorException(CustomerErrorCode.INVALID_REFERENCE, 'not a location id', ['input', 'locationId']);
    if (input.identity && isContactIdentity(input.identity) && budgetsContactLookups(principal)) {
      throw new UserErrorException(
        CustomerErrorCode.CONTACT_IDENTITY_NOT_ALLOWED,
        'name the customer by id (customerByIdentity finds it, within your look-up budget) or by a card or app key',
        ['input', 'identity'],
      );
    }
    let customerId: string | undefined;
    if (named) {
      customerId = (await this.directory.rootsOf(this.db.manager, [named])).get(named);
    } else {
      const { type } = input.identity!;
      const value = normalizeIdentityValue(type, input.identity!.value);
      // A key typed in by anyone is no proof of whose it is: it checks nobody in until verified.
      customerId = (await this.directory.ownersOf(this.db.manager, [{ type, value }], { attachingOnly: true })).get(`${type}\t${value}`);
    }
    if (!customerId) throw new UserErrorException(CustomerErrorCode.UNKNOWN_CUSTOMER, 'no customer has this id or verified identity', ['input']);
    return customerId;
  }

  /** UNKNOWN_LOCATION, NOT_A_STORE, MISSING_BEACON or BEACON_NOT_AT_LOCATION, from what inventory knows now. */
  private async requireStore(input: CheckIn): Promise<void> {
    const location = (await this.catalog.references({ locationIds: [input.locationId] })).locations.get(input.locationId);
    if (!location) throw new UserErrorException(CustomerErrorCode.UNKNOWN_LOCATION, 'no location has this id', ['input', 'locationId']);
    if (location.type !== 'STORE') throw new UserErrorException(CustomerErrorCode.NOT_A_STORE, 'customers check in at stores', ['input', 'locationId']);
    if (input.method === CheckInMethod.BEACON && !input.beaconId) {
      throw new UserErrorException(CustomerErrorCode.MISSING_BEACON, 'a BEACON check-in names the beacon heard', ['input', 'beaconId']);
    }
    if (input.beaconId && !location.beaconIds.includes(input.beaconId)) {
      throw new UserErrorException(CustomerErrorCode.BEACON_NOT_AT_LOCATION, 'this beacon is not one of the location', ['input', 'beaconId']);
    }
  }
}

function forbiddenSubject(): UserErrorException {
  return new UserErrorException(CustomerErrorCode.FORBIDDEN_SUBJECT, 'a customer checks in only themselves', ['input', 'customerId']);
}
