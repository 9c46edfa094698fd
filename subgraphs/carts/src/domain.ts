import { CustomerLinks } from '../../../shared/events/customer-links';
import type { SubgraphInfrastructure } from '../../../shared/subgraph';
import { CartExpiry } from './cart/cart-expiry';
import { CartLinks } from './cart/cart-links';
import { CartService } from './cart/cart.service';
import { CheckoutService } from './checkout/checkout.service';
import { CustomersClient } from './clients/customers.client';
import { InventoryClient } from './clients/inventory.client';
import { OrdersClient } from './clients/orders.client';

/** The carts service's domain: what the resolvers, the consumer, the periodic jobs and the tests call. */
export function createCartsDomain({ db, config, logger, outbox }: SubgraphInfrastructure) {
  // Only the merge map: carts follow merges by moving lines (CartLinks), not by re-attributing rows.
  const customerLinks = new CustomerLinks(db, []);
  const inventory = new InventoryClient(config, logger);
  const carts = new CartService(db, outbox, inventory, customerLinks, config.carts.maxLineQuantity);
  return {
    carts,
    checkout: new CheckoutService(db, carts, new OrdersClient(config, logger), new CustomersClient(config, logger), customerLinks),
    links: new CartLinks(carts, customerLinks),
    expiry: new CartExpiry(db, config.carts.anonymousIdleDays),
    customerLinks,
    inventory,
  };
}

export type CartsDomain = ReturnType<typeof createCartsDomain>;
