import { UserErrorException } from '../../../../shared/graphql/user-error';
import type { Location } from '../location/location.entity';
import type { LocationService } from '../location/location.service';
import type { Product, ProductVariant } from '../product/product.entity';
import type { ProductService } from '../product/product.service';

export interface StockLineRequest {
  variantId: string;
  quantity: number;
}

/** A requested line with what the catalog knows of its SKU. */
export interface ResolvedLine {
  variant: ProductVariant;
  product: Product;
  quantity: number;
  /** Input path of the line, e.g. ["input", "lines", "2"]. */
  field: string[];
}

/**
 * What stock changes are about, checked before anything moves: the location and SKUs exist, the
 * quantities are in range. Each failure is a userError pointing at the input field.
 */
export class StockSubjects {
  constructor(private readonly products: ProductService, private readonly locations: LocationService) {}

  async location(id: string, field: string[]): Promise<Location> {
    const [location] = await this.locations.byIds([id]);
    if (!location) throw new UserErrorException('UNKNOWN_LOCATION', `no location ${id}`, field);
    return location;
  }

  /** The lines with their SKUs and styles, in input order; `maxQuantity` bounds each line. */
  async lines(lines: StockLineRequest[], field: string[], maxQuantity: number): Promise<ResolvedLine[]> {
    lines.forEach((line, i) => {
      if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > maxQuantity) {
        throw new UserErrorException('INVALID_QUANTITY', `quantity must be between 1 and ${maxQuantity}`, [...field, String(i), 'quantity']);
      }
    });
    const skus = await this.skus(lines.map((l) => l.variantId));
    return lines.map((line, i) => {
      const sku = skus.get(line.variantId);
      if (!sku) throw new UserErrorException('UNKNOWN_VARIANT', `no variant ${line.variantId}`, [...field, String(i), 'variantId']);
      return { ...sku, quantity: line.quantity, field: [...field, String(i)] };
    });
  }

  /** One SKU and its style. */
  async variant(id: string, field: string[]): Promise<{ variant: ProductVariant; product: Product }> {
    const sku = (await this.skus([id])).get(id);
    if (!sku) throw new UserErrorException('UNKNOWN_VARIANT', `no variant ${id}`, field);
    return sku;
  }

  private async skus(variantIds: string[]): Promise<Map<string, { variant: ProductVariant; product: Product }>> {
    const variants = await this.products.variantsByIds(variantIds);
    const products = new Map((await this.products.productsByIds([...new Set(variants.map((v) => v.productId))])).map((p) => [p.id, p]));
    return new Map(variants.map((variant) => [variant.id, { variant, product: products.get(variant.productId)! }]));
  }
}
