import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import type { Principal } from '../../../../shared/auth/principal';
import type { Database } from '../../../../shared/db/database';
import { Channel } from '../../../../shared/graphql/channel';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import type { IdentityType } from '../../../../shared/graphql/identity';
import type { CustomerDirectory } from '../customer/customer-directory';
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
    private readonly ttlMinutes: number,
  ) {}

  /** Records a check-in, and the check-in as a touchpoint (and so an event for recommendations). */
  async checkIn(principal: Principal, input: CheckIn, now = new Date()): Promise<Presence> {
    const customerId = await this.customerOf(input).catch((err) => {
      // A customer learns nothing about other ids or keys: unknown ones are refused like someone else's.
      throw principal.kind === 'CUSTOMER' && err instanceof UserErrorException && err.code === 'UNKNOWN_CUSTOMER' ? forbiddenSubject() : err;
    });
    if (principal.kind === 'CUSTOMER' && principal.customerId !== customerId) throw forbiddenSubject();
    if (principal.kind === 'STAFF' && principal.role === 'STORE_STAFF' && principal.locationId !== input.locationId) {
      throw new UserErrorException('OTHER_LOCATION', 'store staff check customers in at their own store only', ['input', 'locationId']);
    }
    const presence = Object.assign(new Presence(), {
      customerId,
      locationId: input.locationId,
      method: input.method,
      beaconId: input.beaconId ?? null,
      since: now,
      expiresAt: new Date(now.getTime() + this.ttlMinutes * 60_000),
    });
    await this.db.transaction((manager) => manager.getRepository(Presence).save(presence));
    await this.touchpoints.track(principal, [
      {
        eventId: `check-in:${randomUUID()}`,
        type: TouchpointType.STORE_CHECK_IN,
        channel: input.method === CheckInMethod.STAFF ? Channel.STORE : Channel.APP,
        occurredAt: now,
        customerId,
        locationId: input.locationId,
      },
    ]);
    return presence;
  }

  /** The current presence of each customer, null where none or expired. */
  async of(customerIds: readonly string[], now = new Date()): Promise<Array<Presence | null>> {
    const rows = await this.db.manager.getRepository(Presence).find({ where: { customerId: In([...customerIds]) } });
    return customerIds.map((id) => rows.find((r) => r.customerId === id && r.expiresAt > now) ?? null);
  }

  private async customerOf(input: CheckIn): Promise<string> {
    if (!!input.customerId === !!input.identity) {
      throw new UserErrorException('INVALID_SUBJECT', 'give exactly one of customerId and identity', ['input']);
    }
    if (!input.locationId || input.locationId.length > 36) throw new UserErrorException('INVALID_REFERENCE', 'not a location id', ['input', 'locationId']);
    let customerId: string | undefined;
    if (input.customerId) {
      customerId = (await this.directory.rootsOf(this.db.manager, [input.customerId])).get(input.customerId);
    } else {
      const value = normalizeIdentityValue(input.identity!.type, input.identity!.value);
      customerId = (await this.directory.ownersOf(this.db.manager, [{ type: input.identity!.type, value }])).get(`${input.identity!.type}\t${value}`);
    }
    if (!customerId) throw new UserErrorException('UNKNOWN_CUSTOMER', 'no customer has this id or identity', ['input']);
    return customerId;
  }
}

function forbiddenSubject(): UserErrorException {
  return new UserErrorException('FORBIDDEN_SUBJECT', 'a customer checks in only themselves', ['input', 'customerId']);
}
