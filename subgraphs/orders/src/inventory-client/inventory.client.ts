import type { Config } from '../../../../shared/config';
import { AppError, ErrorCode } from '../../../../shared/errors';
import type { Logger } from '../../../../shared/logger';
import { ServiceClient, type RequestOptions } from '../../../../shared/http/service-client';

/** What the orders service needs to know of a variant before it reserves it. */
export interface VariantFacts {
  id: string;
  productId: string;
  soldOnline: boolean;
  /** The catalog's tax-inclusive unit price now, minor units (the reservation fixes the price charged). */
  unitPrice: number;
  /** Units available per location id. */
  available: Map<string, number>;
}

export interface LocationFacts {
  id: string;
  type: 'STORE' | 'WAREHOUSE';
  pickupEnabled: boolean;
}

export interface ReservedLine {
  variantId: string;
  productId: string;
  quantity: number;
  /** The catalog's tax-inclusive unit price when the stock was reserved, minor units. */
  unitPrice: number;
  currencyCode: string;
  /** Consumption tax rate, a fraction (0.1). */
  taxRate: number;
}

export interface Reservation {
  id: string;
  locationId: string;
  lines: ReservedLine[];
}

export interface SkuFacts {
  id: string;
  sku: string;
  productId: string;
  /** The catalog's tax rate of the style, basis points (1000 = 10 %). */
  taxRateBp: number;
}

/** A userError of the inventory service, passed on under its own code. */
export interface InventoryRefusal {
  code: string;
  field: string[] | null;
  message: string;
}

type Payload<K extends string, T> = Record<K, T & { userErrors: InventoryRefusal[] }>;

/**
 * The inventory subgraph as the orders service calls it: GraphQL over HTTP, signed as a SERVICE
 * principal, because placing an order must reserve stock atomically for the caller (see
 * ARCHITECTURE.md). Everything else between the two services travels as events.
 */
export class InventoryClient {
  private readonly client: ServiceClient;

  constructor(config: Config, logger: Logger) {
    this.client = new ServiceClient(config, logger, { caller: 'orders', target: 'inventory' });
  }

  /** Variants (null for an unknown id, in input order) with their stock per location, and every location. */
  async catalogFor(variantIds: string[]): Promise<{ variants: Array<VariantFacts | null>; locations: LocationFacts[] }> {
    const data = await this.request<{
      _entities: Array<{
        id: string;
        price: { amount: number };
        product: { id: string; soldOnline: boolean };
        availability: Array<{ available: number; location: { id: string } }>;
      } | null>;
      locations: LocationFacts[];
    }>(
      `query OrderPlanning($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on ProductVariant { id price { amount } product { id soldOnline } availability { available location { id } } }
        }
        locations { id type pickupEnabled }
      }`,
      { representations: variantIds.map((id) => ({ __typename: 'ProductVariant', id })) },
    );
    return {
      variants: data._entities.map((v) =>
        v === null
          ? null
          : {
              id: v.id,
              productId: v.product.id,
              soldOnline: v.product.soldOnline,
              unitPrice: v.price.amount,
              available: new Map(v.availability.map((a) => [a.location.id, a.available])),
            },
      ),
      locations: data.locations,
    };
  }

  /** A location by id, null when unknown. */
  async location(id: string): Promise<LocationFacts | null> {
    const data = await this.request<{ location: LocationFacts | null }>(
      'query OrderLocation($id: ID!) { location(id: $id) { id type pickupEnabled } }',
      { id },
    );
    return data.location;
  }

  /** Variants by SKU (unknown SKUs are missing from the map). */
  async variantsBySku(skus: string[]): Promise<Map<string, SkuFacts>> {
    if (skus.length === 0) return new Map();
    const data = await this.request<{ variantsBySku: Array<{ id: string; sku: string; product: { id: string; taxRate: number } } | null> }>(
      'query StoreSaleVariants($skus: [String!]!) { variantsBySku(skus: $skus) { id sku product { id taxRate } } }',
      { skus },
    );
    return new Map(
      data.variantsBySku
        .filter((v) => v !== null)
        .map((v) => [v.sku, { id: v.id, sku: v.sku, productId: v.product.id, taxRateBp: Math.round(v.product.taxRate * 10_000) }]),
    );
  }

  /**
   * Reserves the lines at a location; the same idempotency key gives the same reservation. A refusal
   * (INSUFFICIENT_STOCK, UNKNOWN_VARIANT, ...) is returned, not thrown.
   */
  async reserve(input: {
    idempotencyKey: string;
    locationId: string;
    lines: Array<{ variantId: string; quantity: number }>;
    ttlSeconds: number;
  }): Promise<Reservation | InventoryRefusal> {
    const data = await this.request<
      Payload<
        'reserveStock',
        {
          reservation: {
            id: string;
            locationId: string;
            lines: Array<{ variant: { id: string; product: { id: string } }; quantity: number; unitPrice: { amount: number; currencyCode: string }; taxRate: number }>;
          } | null;
        }
      >
    >(
      `mutation ReserveForOrder($input: ReserveStockInput!) {
        reserveStock(input: $input) {
          reservation { id locationId lines { variant { id product { id } } quantity unitPrice { amount currencyCode } taxRate } }
          userErrors { field code message }
        }
      }`,
      { input },
      // The same idempotency key gives the same reservation: safe to send again.
      { idempotent: true },
    );
    const { reservation, userErrors } = data.reserveStock;
    if (userErrors.length || !reservation) return userErrors[0] ?? { code: 'RESERVATION_FAILED', field: null, message: 'no reservation' };
    return {
      id: reservation.id,
      locationId: reservation.locationId,
      lines: reservation.lines.map((l) => ({
        variantId: l.variant.id,
        productId: l.variant.product.id,
        quantity: l.quantity,
        unitPrice: l.unitPrice.amount,
        currencyCode: l.unitPrice.currencyCode,
        taxRate: l.taxRate,
      })),
    };
  }

  /**
   * Takes a placed order's stock out through its reservation (idempotent): the fast path of what
   * `order.placed` guarantees. Inventory commits the hold even after its time, or takes the units
   * again if it lapsed, and reports what was gone as a shortage (`stock.shortage`).
   */
  async commitForOrder(reservationId: string, orderId: string): Promise<void> {
    await this.settle('commitReservationForOrder', { reservationId, orderId });
  }

  /** Gives a reservation's stock back (idempotent). */
  async release(reservationId: string): Promise<void> {
    await this.settle('releaseReservation', { reservationId });
  }

  private async settle(
    mutation: 'commitReservationForOrder' | 'releaseReservation',
    input: { reservationId: string; orderId?: string },
  ): Promise<void> {
    const inputType = mutation === 'commitReservationForOrder' ? 'CommitReservationForOrderInput' : 'ReleaseReservationInput';
    const data = await this.request<Payload<typeof mutation, { reservation: { id: string; status: string } | null }>>(
      `mutation SettleReservation($input: ${inputType}!) {
        ${mutation}(input: $input) { reservation { id status } userErrors { field code message } }
      }`,
      { input },
      // Committing or releasing a reservation twice changes nothing the second time.
      { idempotent: true },
    );
    const [refusal] = data[mutation].userErrors;
    if (refusal) throw new AppError(ErrorCode.UNAVAILABLE, `inventory refused ${mutation}: ${refusal.code}`);
  }

  private request<T>(query: string, variables: Record<string, unknown>, options?: RequestOptions): Promise<T> {
    return this.client.request<T>(query, variables, options);
  }
}
