import { buildFederatedSchema } from '../../../shared/graphql/federation';
import type { SubgraphDefinition } from '../../../shared/subgraph';
import { createInventoryContext, type InventoryContext } from './context';
import { createInventoryDomain, type InventoryDomain } from './domain';
import { Location } from './location/location.entity';
import { locationReference } from './location/location.reference';
import { LocationResolver } from './location/location.resolver';
import { INVENTORY_MIGRATIONS } from './migrations';
import { Product, ProductVariant } from './product/product.entity';
import { productReferences } from './product/product.reference';
import { ProductResolver, ProductVariantResolver } from './product/product.resolver';
import { StockLevel, StockMovement } from './stock/stock.entity';
import { LocationAvailabilityResolver, StockLevelResolver } from './stock/stock.resolver';

export const inventorySubgraph: SubgraphDefinition<InventoryDomain, InventoryContext> = {
  name: 'inventory',
  entities: [Location, Product, ProductVariant, StockLevel, StockMovement],
  migrations: INVENTORY_MIGRATIONS,
  createDomain: createInventoryDomain,
  createContext: createInventoryContext,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [
        ProductResolver,
        ProductVariantResolver,
        LocationResolver,
        StockLevelResolver,
        LocationAvailabilityResolver,
      ],
      referenceResolvers: { ...productReferences, ...locationReference },
    }),
};
