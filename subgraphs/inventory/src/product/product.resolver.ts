import { Arg, Authorized, Ctx, Directive, FieldResolver, Float, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { AppError, ErrorCode } from '../../../../shared/errors';
import { connectionTypes, pageSize } from '../../../../shared/graphql/connection';
import { Money, money } from '../../../../shared/graphql/money';
import { SafeIntScalar } from '../../../../shared/graphql/scalars';
import type { InventoryContext } from '../context';
import { GeoInput } from '../location/location.entity';
import { LocationAvailability, StockLevel } from '../stock/stock.entity';
import { Product, ProductVariant } from './product.entity';
import { ProductFilter } from './product.inputs';
import { variantPrice } from './product.service';

/** SKUs per variantsBySku call: a POS import of 1,000 transactions, with room to spare. */
const MAX_SKUS_PER_LOOKUP = 5000;

export const { ConnectionType: ProductConnection } = connectionTypes('Product', Product, 'style');

@Resolver(() => Product)
@Authorized(Rule.CATALOG)
export class ProductResolver {
  @Query(() => Product, { nullable: true, description: 'A style by id.' })
  product(@Arg('id', () => ID, { description: 'Product id.' }) id: string, @Ctx() ctx: InventoryContext) {
    return ctx.loaders.productById.load(id);
  }

  @Query(() => Product, { nullable: true, description: 'A style by its style code.' })
  productByCode(@Arg('code', { description: 'Style code, e.g. ST-00042.' }) code: string, @Ctx() ctx: InventoryContext) {
    return ctx.loaders.productByCode.load(code);
  }

  @Query(() => ProductConnection, { description: 'Styles in style-code order, optionally filtered.' })
  products(
    @Ctx() ctx: InventoryContext,
    @Arg('filter', () => ProductFilter, { nullable: true, description: 'Which styles.' }) filter?: ProductFilter,
    @Arg('first', () => Int, { nullable: true, description: 'Page size (1-100, default 20).' }) first?: number,
    @Arg('after', { nullable: true, description: 'Cursor of the item before this page.' }) after?: string,
  ) {
    return ctx.domain.products.list(filter, pageSize(first), after);
  }

  @FieldResolver(() => Money, { description: 'Tax-inclusive price of the style.' })
  price(@Root() product: Product): Money {
    return money(product.price, product.currencyCode);
  }

  @FieldResolver(() => Float, { description: 'Consumption tax rate included in the price: 0.1, or 0.08 for the reduced rate.' })
  taxRate(@Root() product: Product): number {
    return product.taxRateBp / 10_000;
  }

  @FieldResolver(() => [ProductVariant], { description: 'Sizes and colours of the style, sizes in order.' })
  variants(@Root() product: Product, @Ctx() ctx: InventoryContext) {
    return ctx.loaders.variantsByProductId.load(product.id);
  }

  @FieldResolver(() => [LocationAvailability], {
    description: 'Stock of the style per location, summed over its variants.',
  })
  async availability(
    @Root() product: Product,
    @Ctx() ctx: InventoryContext,
    @Arg('locationIds', () => [ID], { nullable: true, description: 'Only these locations.' }) locationIds?: string[],
    @Arg('near', () => GeoInput, { nullable: true, description: 'Only locations within this circle.' }) near?: GeoInput,
  ) {
    const ids = await ctx.loaders.locationFilter.load({ locationIds, near });
    return ctx.loaders.availabilityOfProduct.load(ids, product.id);
  }

  @FieldResolver(() => SafeIntScalar, { description: 'Units available to sell across every location (a sum: may outgrow a 32-bit Int).' })
  totalAvailable(@Root() product: Product, @Ctx() ctx: InventoryContext) {
    return ctx.loaders.totalAvailableOfProduct.load(product.id);
  }
}

@Resolver(() => ProductVariant)
@Authorized(Rule.CATALOG)
export class ProductVariantResolver {
  @Query(() => ProductVariant, { nullable: true, description: 'A variant by its SKU.' })
  variantBySku(@Arg('sku', { description: 'Stock keeping unit.' }) sku: string, @Ctx() ctx: InventoryContext) {
    return ctx.loaders.variantBySku.load(sku);
  }

  @Authorized(Rule.SERVICE)
  @Directive('@inaccessible')
  @Query(() => [ProductVariant], {
    nullable: 'items',
    description: `Variants by SKU, in the order given, null for an unknown SKU (at most ${MAX_SKUS_PER_LOOKUP}); for services (the POS import).`,
  })
  variantsBySku(@Arg('skus', () => [String], { description: 'Stock keeping units.' }) skus: string[], @Ctx() ctx: InventoryContext) {
    if (skus.length > MAX_SKUS_PER_LOOKUP) {
      throw new AppError(ErrorCode.BAD_USER_INPUT, `skus takes at most ${MAX_SKUS_PER_LOOKUP} values`, { argument: 'skus' });
    }
    // One loader batch: one SQL statement for the whole list.
    return Promise.all(skus.map((sku) => ctx.loaders.variantBySku.load(sku)));
  }

  @FieldResolver(() => Product, { description: 'The style this variant belongs to.' })
  async product(@Root() variant: ProductVariant, @Ctx() ctx: InventoryContext) {
    return ctx.loaders.productById.load(variant.productId);
  }

  @FieldResolver(() => Money, { description: 'Tax-inclusive price of this variant.' })
  async price(@Root() variant: ProductVariant, @Ctx() ctx: InventoryContext): Promise<Money> {
    const product = (await ctx.loaders.productById.load(variant.productId))!;
    return money(variantPrice(variant, product), product.currencyCode);
  }

  @FieldResolver(() => [StockLevel], { description: 'Stock of this variant per location.' })
  async availability(
    @Root() variant: ProductVariant,
    @Ctx() ctx: InventoryContext,
    @Arg('locationIds', () => [ID], { nullable: true, description: 'Only these locations.' }) locationIds?: string[],
    @Arg('near', () => GeoInput, { nullable: true, description: 'Only locations within this circle.' }) near?: GeoInput,
  ) {
    const ids = await ctx.loaders.locationFilter.load({ locationIds, near });
    return ctx.loaders.stockOfVariant.load(ids, variant.id);
  }

  @FieldResolver(() => SafeIntScalar, { description: 'Units available to sell across every location (a sum: may outgrow a 32-bit Int).' })
  totalAvailable(@Root() variant: ProductVariant, @Ctx() ctx: InventoryContext) {
    return ctx.loaders.totalAvailableOfVariant.load(variant.id);
  }
}
