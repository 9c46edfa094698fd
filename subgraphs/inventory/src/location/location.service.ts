import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import type { Cache } from '../../../../shared/cache';
import { insertMany } from '../../../../shared/db/batch';
import type { Database } from '../../../../shared/db/database';
import { AppError, ErrorCode } from '../../../../shared/errors';
import { distanceKm } from './geo';
import { Location, LocationType, type GeoInput } from './location.entity';

export interface NewLocation {
  id?: string;
  code: string;
  name: string;
  type: LocationType;
  address: string;
  lat: number;
  lng: number;
  pickupEnabled: boolean;
  beaconIds?: string[];
}

export interface LocationFilter {
  locationIds?: string[] | null;
  near?: GeoInput | null;
}

const ALL_LOCATIONS_KEY = 'locations:all';
const DEFAULT_RADIUS_KM = 10;
const MAX_LOCATION_IDS = 100;

export class LocationService {
  constructor(private readonly db: Database, private readonly cache: Cache) {}

  async createLocations(inputs: NewLocation[]): Promise<Location[]> {
    const now = new Date();
    const rows = inputs.map((input) =>
      Object.assign(new Location(), { ...input, id: input.id ?? randomUUID(), beaconIds: input.beaconIds ?? [], createdAt: now }),
    );
    await this.db.transaction((manager) => insertMany(manager, Location, rows));
    await this.cache.delete(ALL_LOCATIONS_KEY);
    return rows;
  }

  /** Every location: there are tens, read often, so they are cached briefly. */
  async all(): Promise<Location[]> {
    const rows = await this.cache.getOrSet(ALL_LOCATIONS_KEY, 60, () =>
      this.db.manager.getRepository(Location).find({ order: { code: 'ASC' } }),
    );
    return rows.map((row) => Object.assign(new Location(), row, { createdAt: new Date(row.createdAt) }));
  }

  /** From the cached list: an order's store or a stock level's location costs no statement. */
  async byIds(ids: readonly string[]): Promise<Location[]> {
    const wanted = new Set(ids);
    return (await this.all()).filter((location) => wanted.has(location.id));
  }

  /** Locations of a type, nearest first when `near` is given (only those within its radius). */
  async list(type?: LocationType | null, near?: GeoInput | null): Promise<Location[]> {
    const all = (await this.all()).filter((l) => !type || l.type === type);
    if (!near) return all;
    validateNear(near);
    return all
      .map((location) => ({ location, km: distanceKm(near, location) }))
      .filter(({ km }) => km <= (near.radiusKm ?? DEFAULT_RADIUS_KM))
      .sort((a, b) => a.km - b.km)
      .map(({ location }) => location);
  }

  /** Ids of the locations a stock question is about; null means every location. */
  async resolveFilter(filter: LocationFilter): Promise<string[] | null> {
    if (!filter.locationIds && !filter.near) return null;
    if (filter.locationIds && filter.locationIds.length > MAX_LOCATION_IDS) {
      throw new AppError(ErrorCode.BAD_USER_INPUT, `locationIds takes at most ${MAX_LOCATION_IDS} ids`, {
        argument: 'locationIds',
      });
    }
    let ids = filter.locationIds ?? null;
    if (filter.near) {
      const nearIds = (await this.list(null, filter.near)).map((l) => l.id);
      ids = ids ? ids.filter((id) => nearIds.includes(id)) : nearIds;
    }
    return ids;
  }

  async byBeacon(beaconId: string): Promise<Location | null> {
    return (await this.all()).find((l) => l.beaconIds.includes(beaconId)) ?? null;
  }
}

function validateNear(near: GeoInput): void {
  if (Math.abs(near.lat) > 90 || Math.abs(near.lng) > 180) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, 'near must be a valid latitude and longitude', { argument: 'near' });
  }
  if (near.radiusKm !== undefined && near.radiusKm !== null && !(near.radiusKm > 0 && near.radiusKm <= 20000)) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, 'near.radiusKm must be between 0 and 20000', { argument: 'near' });
  }
}
