import type { RequestContext } from '../../../shared/http/service';
import type { CartsDomain } from './domain';
import { createCartsLoaders, type CartsLoaders } from './loaders';

export interface CartsContext extends RequestContext {
  domain: CartsDomain;
  loaders: CartsLoaders;
}

export function createCartsContext(base: RequestContext, domain: CartsDomain): CartsContext {
  return { ...base, domain, loaders: createCartsLoaders(domain) };
}
