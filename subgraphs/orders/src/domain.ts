import { CustomerLinks } from '../../../shared/events/customer-links';
import type { SubgraphInfrastructure } from '../../../shared/subgraph';
import { CustomersClient } from './customers-client/customers.client';
import { InventoryClient } from './inventory-client/inventory.client';
import { OrderErasure } from './order/order-erasure.service';
import { OrderPayments } from './order/order-payment.service';
import { OrderPlacement } from './order/order-placement.service';
import { OrderShortages } from './order/order-shortage.service';
import { OrderStatusChanges } from './order/order-status.service';
import { OrderService } from './order/order.service';
import { ReturnService } from './return/return.service';
import { StoreSaleImport } from './store-sale/store-sale.service';

/** The orders service's domain: what the resolvers, the consumer, the seed and the tests call. */
export function createOrdersDomain({ db, outbox, config, logger }: SubgraphInfrastructure) {
  // Orders follow the customers service's merges and identity links.
  const customerLinks = new CustomerLinks(db, ['customer_order']);
  const orders = new OrderService(db, outbox, customerLinks);
  const inventory = new InventoryClient(config, logger);
  const statusChanges = new OrderStatusChanges(orders, outbox);
  return {
    orders,
    customerLinks,
    inventory,
    shortages: new OrderShortages(),
    erasure: new OrderErasure(),
    placement: new OrderPlacement(db, orders, inventory, new CustomersClient(config, logger), logger, config.reservations.holdSeconds, {
      settings: config.checkout,
      timeZone: config.tzBusiness,
    }),
    statusChanges,
    payments: new OrderPayments(db, orders, statusChanges, logger),
    returns: new ReturnService(db, outbox, inventory),
    storeSales: new StoreSaleImport(db, orders, inventory, config.storeSaleWindowDays),
  };
}

export type OrdersDomain = ReturnType<typeof createOrdersDomain>;
