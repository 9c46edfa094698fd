import type { SubgraphInfrastructure } from '../../../shared/subgraph';
import { LocationService } from './location/location.service';
import { ProductService } from './product/product.service';
import { StockService } from './stock/stock.service';

/** The inventory service's domain: what the resolvers, the seed and the tests call. */
export function createInventoryDomain({ db, cache, outbox }: SubgraphInfrastructure) {
  return {
    locations: new LocationService(db, cache),
    products: new ProductService(db, outbox),
    stock: new StockService(db, outbox),
  };
}

export type InventoryDomain = ReturnType<typeof createInventoryDomain>;
