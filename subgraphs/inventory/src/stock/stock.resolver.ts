import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import type { InventoryContext } from '../context';
import { Location } from '../location/location.entity';
import { ProductVariant } from '../product/product.entity';
import { LocationAvailability, StockLevel } from './stock.entity';

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

@Resolver(() => LocationAvailability)
@Authorized(Rule.CATALOG)
export class LocationAvailabilityResolver {
  @FieldResolver(() => Location, { description: 'Where the stock is.' })
  async location(@Root() availability: LocationAvailability, @Ctx() ctx: InventoryContext) {
    return ctx.loaders.locationById.load(availability.locationId);
  }
}
