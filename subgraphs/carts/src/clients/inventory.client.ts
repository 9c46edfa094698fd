import type { Config } from '../../../../shared/config';
import { ServiceClient } from '../../../../shared/http/service-client';
import type { Logger } from '../../../../shared/logger';

/** What a cart needs to know of a variant now: its product, whether it is sold, its price, tax and stock. */
export interface VariantFacts {
  id: string;
  productId: string;
  /** Sold in the EC site and the app (a style taken off sale online is still sold in stores). */
  soldOnline: boolean;
  /** Tax-inclusive unit price, minor units. */
  unitPrice: number;
  currencyCode: string;
  /** Consumption tax rate of the style, basis points (1000 = 10 %). */
  taxRateBp: number;
  /** Units available per location id. */
  available: Map<string, number>;
}

/**
 * The inventory subgraph as the carts service asks it, signed as a SERVICE principal: the catalog's
 * prices, tax and availability at the moment a cart is read or changed (a cart keeps only variants
 * and quantities).
 */
export class InventoryClient {
  private readonly client: ServiceClient;

  constructor(config: Config, logger: Logger) {
    this.client = new ServiceClient(config, logger, { caller: 'carts', target: 'inventory' });
  }

  /** Variants by id, in input order; null for an id the catalog does not know. One call. */
  async variants(ids: readonly string[]): Promise<Array<VariantFacts | null>> {
    if (ids.length === 0) return [];
    const data = await this.client.request<{
      _entities: Array<{
        id: string;
        price: { amount: number; currencyCode: string };
        product: { id: string; soldOnline: boolean; taxRate: number };
        availability: Array<{ available: number; location: { id: string } }>;
      } | null>;
    }>(
      `query CartVariants($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on ProductVariant { id price { amount currencyCode } product { id soldOnline taxRate } availability { available location { id } } }
        }
      }`,
      { representations: ids.map((id) => ({ __typename: 'ProductVariant', id })) },
    );
    return data._entities.map((v) =>
      v === null
        ? null
        : {
            id: v.id,
            productId: v.product.id,
            soldOnline: v.product.soldOnline,
            unitPrice: v.price.amount,
            currencyCode: v.price.currencyCode,
            taxRateBp: Math.round(v.product.taxRate * 10_000),
            available: new Map(v.availability.map((a) => [a.location.id, a.available])),
          },
    );
  }
}
