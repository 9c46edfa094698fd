import { CUSTOMER_LINK_ENTITIES, CUSTOMER_LINK_EVENTS } from '../../../shared/events/customer-links';
import { buildFederatedSchema } from '../../../shared/graphql/federation';
import type { SubgraphDefinition } from '../../../shared/subgraph';
import { CartLineResolver } from './cart/cart-line.resolver';
import { CART_ENTITIES } from './cart/cart.entity';
import { CartResolver } from './cart/cart.resolver';
import { createCartsContext, type CartsContext } from './context';
import { CustomerCartResolver, CustomerDataExportResolver } from './customer.resolver';
import { createCartsDomain, type CartsDomain } from './domain';
import { CARTS_MIGRATIONS } from './migrations';
import { cartsReferences } from './references';
import { Customer, CustomerDataExport, Order, Product, ProductVariant } from './stubs';

const HOUR_MS = 3600 * 1000;

export const cartsSubgraph: SubgraphDefinition<CartsDomain, CartsContext> = {
  name: 'carts',
  entities: [...CART_ENTITIES, ...CUSTOMER_LINK_ENTITIES],
  migrations: CARTS_MIGRATIONS,
  createDomain: createCartsDomain,
  createContext: createCartsContext,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [CartResolver, CartLineResolver, CustomerCartResolver, CustomerDataExportResolver],
      orphanedTypes: [Customer, CustomerDataExport, Product, ProductVariant, Order],
      referenceResolvers: cartsReferences,
    }),
  consumes: {
    producers: ['customers'],
    // Merges move cart lines, unmerges move them back, erasures delete carts.
    types: CUSTOMER_LINK_EVENTS,
    handler: ({ links }) => (manager, events) => links.apply(manager, events),
  },
  periodic: [{ name: 'expire-anonymous-carts', everyMs: HOUR_MS, run: ({ expiry }) => expiry.run().then(() => undefined) }],
};
