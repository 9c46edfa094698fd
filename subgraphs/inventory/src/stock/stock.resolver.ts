import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireAtLocation, Rule } from '../../../../shared/auth/auth-checker';
import { connectionTypes, pageSize } from '../../../../shared/graphql/connection';
import { withUserErrors } from '../../../../shared/graphql/user-error';
import type { InventoryContext } from '../context';
import { Location } from '../location/location.entity';
import { ProductVariant } from '../product/product.entity';
import { LocationAvailability, StockDiscrepancy, StockDiscrepancyKind, StockLevel } from './stock.entity';
import { AdjustStockInput, AdjustStockPayload, TransferStockInput, TransferStockPayload } from './stock.inputs';

export const { ConnectionType: StockDiscrepancyConnection } = connectionTypes('StockDiscrepancy', StockDiscrepancy, 'stock discrepancy');

@Resolver(() => StockLevel)
@Authorized(Rule.CATALOG)
export class StockLevelResolver {
  @FieldResolver(() => ProductVariant, { description: 'The variant.' })
  async variant(@Root() level: StockLevel, @Ctx() ctx: InventoryContext) {
    return ctx.loaders.variantById.load(level.variantId);
  }

  @FieldResolver(() => Location, { description: 'Where the stock is.' })
  async location(@Root() level: StockLevel, @Ctx() ctx: InventoryContext) {
    return ctx.loaders.locationById.load(level.locationId);
  }
}

@Resolver()
export class StockChangeResolver {
  @Authorized(Rule.STOCK_CHANGE)
  @Mutation(() => AdjustStockPayload, {
    description: 'Corrects the units on hand of one SKU at one location, with a reason for the ledger (store staff: their store).',
  })
  adjustStock(@Arg('input', () => AdjustStockInput, { description: 'Where, which SKU, by how much, why.' }) input: AdjustStockInput, @Ctx() ctx: InventoryContext) {
    return withUserErrors(async () => ({ level: await ctx.domain.stock.adjust(ctx.principal, input) }));
  }

  @Authorized(Rule.STOCK_CHANGE)
  @Mutation(() => TransferStockPayload, {
    description: 'Moves goods from one location to another: both sides in one transaction, every line or none (store staff: from their store).',
  })
  transferStock(@Arg('input', () => TransferStockInput, { description: 'From where, to where, what.' }) input: TransferStockInput, @Ctx() ctx: InventoryContext) {
    return withUserErrors(() => ctx.domain.stock.transfer(ctx.principal, input));
  }
}

@Resolver(() => StockDiscrepancy)
@Authorized(Rule.STOCK_DETAIL)
export class StockDiscrepancyResolver {
  @Query(() => StockDiscrepancyConnection, {
    description:
      'Stock discrepancies newest first: store sales of more units than were counted on hand, and orders whose stock was gone when it was taken (ORDER_SHORTAGE). Staff (store staff: their own store); partners with inventory:read.',
  })
  stockDiscrepancies(
    @Ctx() ctx: InventoryContext,
    @Arg('locationId', () => ID, { nullable: true, description: 'Only this location (required for store staff); every location when absent.' }) locationId?: string,
    @Arg('first', () => Int, { nullable: true, description: 'Page size (1-100, default 20).' }) first?: number,
    @Arg('after', { nullable: true, description: 'Cursor of the item before this page.' }) after?: string,
    @Arg('kind', () => StockDiscrepancyKind, { nullable: true, description: 'Only this kind (ORDER_SHORTAGE: orders short of stock, for staff to settle); every kind when absent.' })
    kind?: StockDiscrepancyKind,
  ) {
    requireAtLocation(ctx.principal, locationId ?? null);
    return ctx.domain.stock.discrepancies(locationId ?? null, pageSize(first), after, kind ?? null);
  }

  @FieldResolver(() => Int, { description: 'Units missing: sold beyond what was counted (SALE_BEYOND_COUNT), or needed by the order and not taken (ORDER_SHORTAGE).' })
  unitsShort(@Root() discrepancy: StockDiscrepancy): number {
    return Math.max(0, discrepancy.sold - discrepancy.expectedOnHand);
  }

  @FieldResolver(() => ProductVariant, { nullable: true, description: 'The SKU sold.' })
  variant(@Root() discrepancy: StockDiscrepancy, @Ctx() ctx: InventoryContext) {
    return ctx.loaders.variantById.load(discrepancy.variantId);
  }

  @FieldResolver(() => Location, { nullable: true, description: 'Where it was sold.' })
  location(@Root() discrepancy: StockDiscrepancy, @Ctx() ctx: InventoryContext) {
    return ctx.loaders.locationById.load(discrepancy.locationId);
  }
}

@Resolver(() => LocationAvailability)
@Authorized(Rule.CATALOG)
export class LocationAvailabilityResolver {
  @FieldResolver(() => Location, { description: 'Where the stock is.' })
  async location(@Root() availability: LocationAvailability, @Ctx() ctx: InventoryContext) {
    return ctx.loaders.locationById.load(availability.locationId);
  }
}
