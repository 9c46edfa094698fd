import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { connectionTypes, decodeCursor, pageSize, toConnection } from '../../../../shared/graphql/connection';
import type { InventoryContext } from '../context';
import { StockLevel } from '../stock/stock.entity';
import { GeoInput, GeoPoint, Location, LocationType } from './location.entity';

export const { ConnectionType: StockLevelConnection } = connectionTypes('StockLevel', StockLevel, 'stock level');

@Resolver(() => Location)
@Authorized(Rule.CATALOG)
export class LocationResolver {
  @Query(() => Location, { nullable: true, description: 'A store or warehouse by id.' })
  location(@Arg('id', () => ID, { description: 'Location id.' }) id: string, @Ctx() ctx: InventoryContext) {
    return ctx.loaders.locationById.load(id);
  }

  @Query(() => [Location], { description: 'Stores and warehouses; nearest first when `near` is given.' })
  locations(
    @Ctx() ctx: InventoryContext,
    @Arg('type', () => LocationType, { nullable: true, description: 'Only this type.' }) type?: LocationType,
    @Arg('near', () => GeoInput, { nullable: true, description: 'Only locations within this circle.' }) near?: GeoInput,
  ) {
    return ctx.domain.locations.list(type, near);
  }

  @Query(() => Location, { nullable: true, description: 'The store an in-store beacon belongs to.' })
  locationByBeacon(@Arg('beaconId', { description: 'Beacon id the app detected.' }) beaconId: string, @Ctx() ctx: InventoryContext) {
    return ctx.domain.locations.byBeacon(beaconId);
  }

  @FieldResolver(() => GeoPoint, { description: 'Where the location is.' })
  geo(@Root() location: Location): GeoPoint {
    return { lat: location.lat, lng: location.lng };
  }

  @FieldResolver(() => StockLevelConnection, { description: 'Stock held here, in variant order.' })
  async stock(
    @Root() location: Location,
    @Ctx() ctx: InventoryContext,
    @Arg('first', () => Int, { nullable: true, description: 'Page size (1-100, default 20).' }) first?: number,
    @Arg('after', { nullable: true, description: 'Cursor of the item before this page.' }) after?: string,
    @Arg('productId', () => ID, { nullable: true, description: 'Only variants of this style.' }) productId?: string,
  ) {
    const size = pageSize(first);
    const cursor = decodeCursor(after, ['string']);
    const rows = await ctx.loaders.stockPageAtLocation.load(
      { first: size, after: cursor ? String(cursor[0]) : null, productId: productId ?? null },
      location.id,
    );
    return toConnection(rows, size, (s) => [s.variantId], cursor !== null);
  }
}
