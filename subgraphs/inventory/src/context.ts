import type { RequestContext } from '../../../shared/http/service';
import type { InventoryDomain } from './domain';
import { createInventoryLoaders, type InventoryLoaders } from './loaders';

export interface InventoryContext extends RequestContext {
  domain: InventoryDomain;
  loaders: InventoryLoaders;
}

export function createInventoryContext(base: RequestContext, domain: InventoryDomain): InventoryContext {
  return { ...base, domain, loaders: createInventoryLoaders(domain) };
}
