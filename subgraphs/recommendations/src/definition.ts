import { CUSTOMER_LINK_ENTITIES } from '../../../shared/events/customer-links';
import { isEvent } from '../../../shared/events/envelope';
import { buildFederatedSchema } from '../../../shared/graphql/federation';
import type { SubgraphDefinition } from '../../../shared/subgraph';
import { createRecommendationsContext, type RecommendationsContext } from './context';
import { customerReference } from './customer.reference';
import { createRecommendationsDomain, type RecommendationsDomain } from './domain';
import { RECOMMENDATIONS_MIGRATIONS } from './migrations';
import { CATALOG_ENTITIES } from './catalog/catalog.entity';
import { RANKING_ENTITIES } from './ranking/ranking.entity';
import {
  CustomerRecommendationsResolver,
  LocationRecommendationsResolver,
  ProductRecommendationsResolver,
} from './ranking/ranking.resolver';
import { Customer, Location, Product, ProductVariant } from './stubs';

export const recommendationsSubgraph: SubgraphDefinition<RecommendationsDomain, RecommendationsContext> = {
  name: 'recommendations',
  entities: [...RANKING_ENTITIES, ...CATALOG_ENTITIES, ...CUSTOMER_LINK_ENTITIES],
  migrations: RECOMMENDATIONS_MIGRATIONS,
  createDomain: createRecommendationsDomain,
  createContext: createRecommendationsContext,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [CustomerRecommendationsResolver, ProductRecommendationsResolver, LocationRecommendationsResolver],
      orphanedTypes: [Customer, Product, ProductVariant, Location],
      referenceResolvers: customerReference,
    }),
  consumes: {
    producers: ['orders', 'customers', 'inventory'],
    handler: ({ ranking, catalog }) => async (manager, events) => {
      // Sales and customers' events wait while the ranking state is rebuilt; stock and catalog (not derived) go on.
      if (events.some((e) => e.producer !== 'inventory')) await ranking.assertNotRebuilding(manager);
      // A batch comes from one producer. Within it, what is given back refers to orders placed before it.
      const placed = events.filter((e) => isEvent(e, 'order.placed'));
      if (placed.length) await ranking.recordOrders(manager, placed);
      const givenBack = events.filter((e) => isEvent(e, 'order.cancelled') || isEvent(e, 'order.returned'));
      if (givenBack.length) await ranking.recordGivenBack(manager, givenBack as Parameters<typeof ranking.recordGivenBack>[1]);
      const linked = events.filter((e) => isEvent(e, 'customer.identity_linked'));
      if (linked.length) await ranking.releaseLinkedIdentities(manager, linked);
      // Behaviour first: a check-in or view of a customer erased later in the batch is then erased too.
      const tracked = events.filter((e) => isEvent(e, 'customer.event_tracked'));
      if (tracked.length) await ranking.recordBehaviour(manager, tracked);
      const fromCustomers = events.filter((e) => e.producer === 'customers' && !isEvent(e, 'customer.event_tracked'));
      if (fromCustomers.length) await ranking.applyCustomerEvents(manager, fromCustomers);
      if (events.some((e) => e.producer === 'inventory')) await catalog.apply(manager, events);
    },
  },
};
