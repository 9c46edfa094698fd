import type { RequestContext } from '../../../shared/http/service';
import type { CustomersDomain } from './domain';
import { createCustomersLoaders, type CustomersLoaders } from './loaders';

export interface CustomersContext extends RequestContext {
  domain: CustomersDomain;
  loaders: CustomersLoaders;
}

export function createCustomersContext(base: RequestContext, domain: CustomersDomain): CustomersContext {
  return { ...base, domain, loaders: createCustomersLoaders(domain) };
}
