import DataLoader from 'dataloader';
import { byKeys, groupByKeys } from '../../../shared/loaders';
import type { VariantFacts } from './clients/inventory.client';
import type { CartLineRow, CartRow } from './cart/cart.entity';
import type { CartsDomain } from './domain';

export function createCartsLoaders({ carts, customerLinks, inventory }: CartsDomain) {
  return {
    /** The customer an id stands for now: the survivor of any merges. */
    customerRoot: customerLinks.rootLoader(),
    cartById: new DataLoader<string, CartRow | null>(async (ids) => byKeys(ids, await carts.byIds(ids), (c) => c.id)),
    /** A customer's (a root id's) active cart. */
    activeCartOfCustomer: new DataLoader<string, CartRow | null>(async (ids) => byKeys(ids, await carts.activeOfCustomers(ids), (c) => c.activeCustomerId!)),
    linesByCartId: new DataLoader<string, CartLineRow[]>(async (ids) => groupByKeys(ids, await carts.linesOf(ids), (l) => l.cartId)),
    /** The catalog's facts now, one inventory call for every variant a request reads. */
    variantFacts: new DataLoader<string, VariantFacts | null>(async (ids) => inventory.variants(ids)),
  };
}

export type CartsLoaders = ReturnType<typeof createCartsLoaders>;
