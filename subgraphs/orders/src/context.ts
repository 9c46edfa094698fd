import type { RequestContext } from '../../../shared/http/service';
import type { OrdersDomain } from './domain';
import { createOrdersLoaders, type OrdersLoaders } from './loaders';

export interface OrdersContext extends RequestContext {
  domain: OrdersDomain;
  loaders: OrdersLoaders;
}

export function createOrdersContext(base: RequestContext, domain: OrdersDomain): OrdersContext {
  const loaders = createOrdersLoaders(domain);
  return { ...base, domain, loaders, customerRoot: (customerId) => loaders.customerRoot.load(customerId) };
}
