import { CUSTOMER_LINK_ENTITIES, CUSTOMER_LINK_EVENTS } from '../../../shared/events/customer-links';
import { buildFederatedSchema } from '../../../shared/graphql/federation';
import type { SubgraphDefinition } from '../../../shared/subgraph';
import { createOrdersContext, type OrdersContext } from './context';
import { CustomerDataExport, CustomerDataExportResolver } from './customer/customer-data-export';
import { customerReference } from './customer/customer.reference';
import { CustomerOrdersResolver } from './customer/customer.resolver';
import { Customer } from './customer/customer.stub';
import { createOrdersDomain, type OrdersDomain } from './domain';
import { ORDERS_MIGRATIONS } from './migrations';
import { Order, OrderLine } from './order/order.entity';
import { orderReference } from './order/order.reference';
import { OrderLineResolver, OrderResolver } from './order/order.resolver';
import { OrderReturn, OrderReturnLine } from './return/return.entity';
import { OrderReturnLineResolver, OrderReturnResolver } from './return/return.resolver';
import { StoreSaleResolver } from './store-sale/store-sale.resolver';

/** How often overdue konbini orders are looked for: a deadline is days away, a minute late is on time. */
const KONBINI_SWEEP_MS = 60_000;

export const ordersSubgraph: SubgraphDefinition<OrdersDomain, OrdersContext> = {
  name: 'orders',
  entities: [Order, OrderLine, OrderReturn, OrderReturnLine, ...CUSTOMER_LINK_ENTITIES],
  migrations: ORDERS_MIGRATIONS,
  createDomain: createOrdersDomain,
  createContext: createOrdersContext,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [
        OrderResolver,
        OrderLineResolver,
        OrderReturnResolver,
        OrderReturnLineResolver,
        StoreSaleResolver,
        CustomerOrdersResolver,
        CustomerDataExportResolver,
      ],
      orphanedTypes: [Customer, CustomerDataExport],
      referenceResolvers: { ...orderReference, ...customerReference },
    }),
  consumes: {
    // Merges and identity links from customers; orders short of stock from inventory.
    producers: ['customers', 'inventory'],
    // Nothing else: stock.changed, customer.event_tracked and the rest are acknowledged unhandled.
    types: [...CUSTOMER_LINK_EVENTS, 'stock.shortage'],
    handler: ({ customerLinks, erasure, shortages }) => async (manager, events) => {
      // CustomerLinks applies the customers service's events; erasures also take the orders' shipping addresses.
      await erasure.apply(manager, events, customerLinks);
      await shortages.apply(manager, events);
    },
  },
  periodic: [
    // Konbini payments not made by their deadline: the order is cancelled and its stock goes back.
    { name: 'payments.konbini-deadline', everyMs: KONBINI_SWEEP_MS, run: async ({ payments }) => void (await payments.cancelOverdueKonbini()) },
  ],
};
