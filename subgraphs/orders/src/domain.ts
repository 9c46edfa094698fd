import type { SubgraphInfrastructure } from '../../../shared/subgraph';
import { OrderService } from './order/order.service';

/** The orders service's domain: what the resolvers, the seed and the tests call. */
export function createOrdersDomain({ db, outbox }: SubgraphInfrastructure) {
  return { orders: new OrderService(db, outbox) };
}

export type OrdersDomain = ReturnType<typeof createOrdersDomain>;
