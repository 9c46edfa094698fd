import { CustomerLinks } from '../../../shared/events/customer-links';
import type { SubgraphInfrastructure } from '../../../shared/subgraph';
import { OrderService } from './order/order.service';

/** The orders service's domain: what the resolvers, the consumer, the seed and the tests call. */
export function createOrdersDomain({ db, outbox }: SubgraphInfrastructure) {
  // Orders follow the customers service's merges and identity links.
  const customerLinks = new CustomerLinks(db, 'customer_order');
  return { orders: new OrderService(db, outbox, customerLinks), customerLinks };
}

export type OrdersDomain = ReturnType<typeof createOrdersDomain>;
