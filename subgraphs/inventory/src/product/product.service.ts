import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { insertMany } from '../../../../shared/db/batch';
import { containsPattern, likeClause } from '../../../../shared/db/like';
import type { Database } from '../../../../shared/db/database';
import type { Outbox } from '../../../../shared/events/outbox';
import { decodeCursor, toConnection, type Connection } from '../../../../shared/graphql/connection';
import { DEFAULT_CURRENCY } from '../../../../shared/graphql/money';
import { Product, ProductVariant } from './product.entity';
import type { ProductFilter } from './product.inputs';

export interface NewVariant {
  id?: string;
  sku: string;
  color: string;
  size: string;
  priceOverride?: number | null;
}

export interface NewProduct {
  id?: string;
  code: string;
  name: string;
  brand: string;
  category: string;
  price: number;
  taxRateBp?: number;
  releasedAt: Date;
  soldOnline: boolean;
  variants: NewVariant[];
}

export const STANDARD_TAX_RATE_BP = 1000;

export class ProductService {
  constructor(private readonly db: Database, private readonly outbox: Outbox) {}

  /** Creates styles with their variants and announces each with `product.changed`. */
  async createProducts(inputs: NewProduct[]): Promise<Product[]> {
    const now = new Date();
    const products: Product[] = [];
    const variants: ProductVariant[] = [];
    for (const input of inputs) {
      const product = Object.assign(new Product(), {
        id: input.id ?? randomUUID(),
        code: input.code,
        name: input.name,
        brand: input.brand,
        category: input.category,
        price: input.price,
        currencyCode: DEFAULT_CURRENCY,
        taxRateBp: input.taxRateBp ?? STANDARD_TAX_RATE_BP,
        releasedAt: input.releasedAt,
        soldOnline: input.soldOnline,
        updatedAt: now,
      });
      products.push(product);
      input.variants.forEach((v, position) =>
        variants.push(
          Object.assign(new ProductVariant(), {
            id: v.id ?? randomUUID(),
            productId: product.id,
            sku: v.sku,
            color: v.color,
            size: v.size,
            position,
            priceOverride: v.priceOverride ?? null,
          }),
        ),
      );
    }
    await this.db.transaction(async (manager) => {
      await insertMany(manager, Product, products);
      await insertMany(manager, ProductVariant, variants);
      await this.outbox.add(
        manager,
        products.map((p) => ({
          type: 'product.changed' as const,
          key: p.id,
          occurredAt: p.releasedAt < now ? p.releasedAt : now,
          payload: {
            productId: p.id,
            code: p.code,
            brand: p.brand,
            category: p.category,
            price: p.price,
            releasedAt: p.releasedAt.toISOString(),
            soldOnline: p.soldOnline,
            variantIds: variants.filter((v) => v.productId === p.id).map((v) => v.id),
            variants: variants.filter((v) => v.productId === p.id).map((v) => ({ variantId: v.id, size: v.size, color: v.color })),
          },
        })),
      );
    });
    return products;
  }

  productsByIds(ids: readonly string[]): Promise<Product[]> {
    return this.db.manager.getRepository(Product).findBy({ id: In([...ids]) });
  }

  productsByCodes(codes: readonly string[]): Promise<Product[]> {
    return this.db.manager.getRepository(Product).findBy({ code: In([...codes]) });
  }

  variantsByIds(ids: readonly string[]): Promise<ProductVariant[]> {
    return this.db.manager.getRepository(ProductVariant).findBy({ id: In([...ids]) });
  }

  variantsBySkus(skus: readonly string[]): Promise<ProductVariant[]> {
    return this.db.manager.getRepository(ProductVariant).findBy({ sku: In([...skus]) });
  }

  variantsByProductIds(productIds: readonly string[]): Promise<ProductVariant[]> {
    return this.db.manager
      .getRepository(ProductVariant)
      .find({ where: { productId: In([...productIds]) }, order: { productId: 'ASC', position: 'ASC' } });
  }

  /** Styles in code order, filtered, one page. */
  async list(filter: ProductFilter | undefined, first: number, after?: string | null): Promise<Connection<Product>> {
    const cursor = decodeCursor(after, ['string']);
    const qb = this.db.manager.getRepository(Product).createQueryBuilder('p');
    if (filter?.category) qb.andWhere('p.category = :category', { category: filter.category });
    if (filter?.brand) qb.andWhere('p.brand = :brand', { brand: filter.brand });
    if (filter?.soldOnline !== undefined && filter?.soldOnline !== null) {
      qb.andWhere('p.sold_online = :soldOnline', { soldOnline: filter.soldOnline });
    }
    if (filter?.search) {
      qb.andWhere(`(${likeClause('p.name', 'search')} OR ${likeClause('p.code', 'search')})`, {
        search: containsPattern(filter.search),
      });
    }
    if (cursor) qb.andWhere('p.code > :after', { after: cursor[0] });
    const rows = await qb.orderBy('p.code', 'ASC').take(first + 1).getMany();
    return toConnection(rows, first, (p) => [p.code], cursor !== null);
  }
}

/** The price a variant sells at: its own, or its style's. */
export function variantPrice(variant: ProductVariant, product: Product): number {
  return variant.priceOverride ?? product.price;
}
