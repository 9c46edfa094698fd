import { CUSTOMER_LINK_ENTITIES } from '../../../shared/events/customer-links';
import { isEvent } from '../../../shared/events/envelope';
import { buildFederatedSchema } from '../../../shared/graphql/federation';
import type { SubgraphDefinition } from '../../../shared/subgraph';
import { createRecommendationsContext, type RecommendationsContext } from './context';
import { customerReference } from './customer.reference';
import { createRecommendationsDomain, type RecommendationsDomain } from './domain';
import { RECOMMENDATIONS_MIGRATIONS } from './migrations';
import { RANKING_ENTITIES } from './ranking/ranking.entity';
import {
  CustomerRecommendationsResolver,
  LocationRecommendationsResolver,
  ProductRecommendationsResolver,
} from './ranking/ranking.resolver';
import { Customer, Location, Product } from './stubs';

export const recommendationsSubgraph: SubgraphDefinition<RecommendationsDomain, RecommendationsContext> = {
  name: 'recommendations',
  entities: [...RANKING_ENTITIES, ...CUSTOMER_LINK_ENTITIES],
  migrations: RECOMMENDATIONS_MIGRATIONS,
  createDomain: createRecommendationsDomain,
  createContext: createRecommendationsContext,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [CustomerRecommendationsResolver, ProductRecommendationsResolver, LocationRecommendationsResolver],
      orphanedTypes: [Customer, Product, Location],
      referenceResolvers: customerReference,
    }),
  consumes: {
    producers: ['orders', 'customers'],
    handler: ({ ranking }) => async (manager, events) => {
      // A batch comes from one producer: orders' facts, or the customers service's links and consents.
      const placed = events.filter((e) => isEvent(e, 'order.placed'));
      if (placed.length) await ranking.recordOrders(manager, placed);
      const fromCustomers = events.filter((e) => e.producer === 'customers');
      if (fromCustomers.length) await ranking.applyCustomerEvents(manager, fromCustomers);
    },
  },
};
