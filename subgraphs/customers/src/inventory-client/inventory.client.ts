import type { Config } from '../../../../shared/config';
import { AppError, ErrorCode } from '../../../../shared/errors';
import { ServiceClient } from '../../../../shared/http/service-client';
import type { Logger } from '../../../../shared/logger';

/** What the customers service needs to know of a location before it records someone there. */
export interface LocationFacts {
  id: string;
  type: 'STORE' | 'WAREHOUSE';
  beaconIds: string[];
}

/** The catalog entries a batch of behaviour events or a check-in names; unknown ids are absent. */
export interface CatalogReferences {
  products: Set<string>;
  /** Variant id → its product's id. */
  variants: Map<string, string>;
  locations: Map<string, LocationFacts>;
}

export interface ReferenceIds {
  productIds?: Iterable<string>;
  variantIds?: Iterable<string>;
  locationIds?: Iterable<string>;
}

type Fact = { kind: 'Product' } | { kind: 'ProductVariant'; productId: string } | { kind: 'Location'; location: LocationFacts };

/** Known entries are remembered this long: styles and stores come and go rarely, and never by the second. */
const KNOWN_TTL_MS = 60_000;
const MAX_REMEMBERED = 20_000;
const TIMEOUT_MS = 5_000;

/**
 * The inventory subgraph as the customers service asks it whether the products, variants and
 * locations a client names exist: one federation `_entities` request per call, signed as a SERVICE
 * principal. Entries found are remembered briefly in this process; ids not found are asked again, so
 * a new style is known as soon as inventory has it.
 */
export class InventoryClient {
  private readonly known = new Map<string, { fact: Fact; until: number }>();
  private readonly client: ServiceClient;

  constructor(config: Config, logger: Logger) {
    this.client = new ServiceClient(config, logger, { caller: 'customers', target: 'inventory', timeoutMs: TIMEOUT_MS, unavailable });
  }

  /** Which of these ids exist, with the facts a caller checks (a variant's product, a location's type and beacons). */
  async references(ids: ReferenceIds): Promise<CatalogReferences> {
    const wanted: Array<{ __typename: Fact['kind']; id: string }> = [
      ...[...new Set(ids.productIds ?? [])].map((id) => ({ __typename: 'Product' as const, id })),
      ...[...new Set(ids.variantIds ?? [])].map((id) => ({ __typename: 'ProductVariant' as const, id })),
      ...[...new Set(ids.locationIds ?? [])].map((id) => ({ __typename: 'Location' as const, id })),
    ];
    const now = Date.now();
    const facts = new Map<string, Fact>();
    const missing = wanted.filter((ref) => {
      const hit = this.known.get(`${ref.__typename}:${ref.id}`);
      if (hit && hit.until > now) facts.set(`${ref.__typename}:${ref.id}`, hit.fact);
      return !(hit && hit.until > now);
    });
    if (missing.length) {
      const entities = await this.entities(missing);
      missing.forEach((ref, i) => {
        const fact = factOf(ref.__typename, entities[i]);
        if (!fact) return;
        facts.set(`${ref.__typename}:${ref.id}`, fact);
        this.remember(`${ref.__typename}:${ref.id}`, fact, now);
      });
    }
    const result: CatalogReferences = { products: new Set(), variants: new Map(), locations: new Map() };
    for (const [key, fact] of facts) {
      const id = key.slice(key.indexOf(':') + 1);
      if (fact.kind === 'Product') result.products.add(id);
      else if (fact.kind === 'ProductVariant') result.variants.set(id, fact.productId);
      else result.locations.set(id, fact.location);
    }
    return result;
  }

  private remember(key: string, fact: Fact, now: number): void {
    if (this.known.size >= MAX_REMEMBERED) {
      for (const [k, entry] of this.known) if (entry.until <= now) this.known.delete(k);
      // Still full of live entries: forget the oldest half (a Map iterates in insertion order).
      if (this.known.size >= MAX_REMEMBERED) for (const k of [...this.known.keys()].slice(0, MAX_REMEMBERED / 2)) this.known.delete(k);
    }
    this.known.set(key, { fact, until: now + KNOWN_TTL_MS });
  }

  private async entities(representations: Array<{ __typename: string; id: string }>): Promise<Array<Entity | null>> {
    const data = await this.client.request<{ _entities: Array<Entity | null> }>(
      `query CatalogReferences($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Product { id }
          ... on ProductVariant { id product { id } }
          ... on Location { id type beaconIds }
        }
      }`,
      { representations },
    );
    return data._entities;
  }
}

type Entity = { id: string; product?: { id: string }; type?: 'STORE' | 'WAREHOUSE'; beaconIds?: string[] };

function factOf(kind: Fact['kind'], entity: Entity | null): Fact | null {
  if (!entity) return null;
  if (kind === 'Product') return { kind };
  if (kind === 'ProductVariant') return entity.product ? { kind, productId: entity.product.id } : null;
  return entity.type ? { kind, location: { id: entity.id, type: entity.type, beaconIds: entity.beaconIds ?? [] } } : null;
}

function unavailable(): AppError {
  return new AppError(ErrorCode.UNAVAILABLE, 'the inventory service cannot check the catalog now; try again', { service: 'inventory' });
}
