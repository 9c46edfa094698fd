import DataLoader from 'dataloader';
import { byKeys, groupByKeys, LoaderFamily } from '../../../shared/loaders';
import type { InventoryDomain } from './domain';
import type { Location } from './location/location.entity';
import type { LocationFilter } from './location/location.service';
import type { Product, ProductVariant } from './product/product.entity';
import type { LocationAvailability, StockLevel } from './stock/stock.entity';

export interface StockPageArgs {
  first: number;
  after: string | null;
  productId: string | null;
}

/** Per-request loaders: every reference and list child of the inventory graph goes through one. */
export function createInventoryLoaders({ products, locations, stock }: InventoryDomain) {
  return {
    productById: new DataLoader<string, Product | null>(async (ids) =>
      byKeys(ids, await products.productsByIds(ids), (p) => p.id),
    ),
    productByCode: new DataLoader<string, Product | null>(async (codes) =>
      byKeys(codes, await products.productsByCodes(codes), (p) => p.code),
    ),
    variantById: new DataLoader<string, ProductVariant | null>(async (ids) =>
      byKeys(ids, await products.variantsByIds(ids), (v) => v.id),
    ),
    variantBySku: new DataLoader<string, ProductVariant | null>(async (skus) =>
      byKeys(skus, await products.variantsBySkus(skus), (v) => v.sku),
    ),
    variantsByProductId: new DataLoader<string, ProductVariant[]>(async (ids) =>
      groupByKeys(ids, await products.variantsByProductIds(ids), (v) => v.productId),
    ),
    /** The location ids a `locationIds`/`near` argument pair means, worked out once per request. */
    locationFilter: new DataLoader<LocationFilter, string[] | null, string>(
      (filters) => Promise.all(filters.map((f) => locations.resolveFilter(f))),
      { cacheKeyFn: (f) => JSON.stringify([f.locationIds ?? null, f.near ?? null]) },
    ),
    locationById: new DataLoader<string, Location | null>(async (ids) =>
      byKeys(ids, await locations.byIds(ids), (l) => l.id),
    ),
    /** Keyed by variant id; the family's argument is the resolved location filter (null: all). */
    stockOfVariant: new LoaderFamily<string[] | null, string, StockLevel[]>(async (locationIds, ids) =>
      groupByKeys(ids, await stock.levelsOfVariants(ids, locationIds), (s) => s.variantId),
    ),
    availabilityOfProduct: new LoaderFamily<string[] | null, string, LocationAvailability[]>(async (locationIds, ids) =>
      groupByKeys(ids, await stock.availabilityOfProducts(ids, locationIds), (a) => a.productId),
    ),
    totalAvailableOfVariant: new DataLoader<string, number>(async (ids) => {
      const totals = await stock.totalAvailable('variant_id', ids);
      return ids.map((id) => totals.get(id) ?? 0);
    }),
    totalAvailableOfProduct: new DataLoader<string, number>(async (ids) => {
      const totals = await stock.totalAvailable('product_id', ids);
      return ids.map((id) => totals.get(id) ?? 0);
    }),
    stockPageAtLocation: new LoaderFamily<StockPageArgs, string, StockLevel[]>(async (args, ids) => {
      const pages = await stock.pageAtLocations(ids, args.first, args.after, args.productId);
      return ids.map((id) => pages.get(id) ?? []);
    }),
  };
}

export type InventoryLoaders = ReturnType<typeof createInventoryLoaders>;
