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
import { StockReservation, StockReservationLine } from './reservation/reservation.entity';
import { StockReservationLineResolver, StockReservationResolver } from './reservation/reservation.resolver';
import { StockDiscrepancy, StockLevel, StockMovement } from './stock/stock.entity';
import {
  LocationAvailabilityResolver,
  StockChangeResolver,
  StockDiscrepancyResolver,
  StockLevelResolver,
} from './stock/stock.resolver';

export const inventorySubgraph: SubgraphDefinition<InventoryDomain, InventoryContext> = {
  name: 'inventory',
  entities: [Location, Product, ProductVariant, StockLevel, StockMovement, StockDiscrepancy, StockReservation, StockReservationLine],
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
        StockChangeResolver,
        StockDiscrepancyResolver,
        StockReservationResolver,
        StockReservationLineResolver,
        LocationAvailabilityResolver,
      ],
      referenceResolvers: { ...productReferences, ...locationReference },
    }),
  consumes: {
    producers: ['orders'],
    // Store sales take stock out, cancellations and returns put it back (redeliveries are skipped).
    handler: ({ stock }) => (manager, events) => stock.applyOrderEvents(manager, events),
  },
  periodic: [{ name: 'reservations.sweep', everyMs: (config) => config.reservations.sweepSeconds * 1000, run: async ({ reservations }) => void (await reservations.sweepExpired()) }],
};
