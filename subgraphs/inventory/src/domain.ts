import type { SubgraphInfrastructure } from '../../../shared/subgraph';
import { LocationService } from './location/location.service';
import { ProductService } from './product/product.service';
import { OrderStock } from './reservation/order-stock.service';
import { ReservationService } from './reservation/reservation.service';
import { StockLedger } from './stock/stock-ledger';
import { StockSubjects } from './stock/stock-subjects';
import { StockService } from './stock/stock.service';

/** The inventory service's domain: what the resolvers, the seed and the tests call. */
export function createInventoryDomain({ db, cache, outbox }: SubgraphInfrastructure) {
  const locations = new LocationService(db, cache);
  const products = new ProductService(db, outbox);
  const ledger = new StockLedger(db, outbox);
  const subjects = new StockSubjects(products, locations);
  const orderStock = new OrderStock(db, ledger, outbox);
  return {
    locations,
    products,
    stock: new StockService(db, ledger, subjects, orderStock),
    reservations: new ReservationService(db, ledger, subjects),
    orderStock,
  };
}

export type InventoryDomain = ReturnType<typeof createInventoryDomain>;
