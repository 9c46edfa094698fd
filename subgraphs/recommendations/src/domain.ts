import { CustomerLinks } from '../../../shared/events/customer-links';
import type { SubgraphInfrastructure } from '../../../shared/subgraph';
import { RankingService } from './ranking/ranking.service';

/** The recommendations service's domain: what the resolvers, the consumer and the tests call. */
export function createRecommendationsDomain({ db, config }: SubgraphInfrastructure) {
  // Purchase lines follow the customers service's merges and identity links.
  const customerLinks = new CustomerLinks(db, 'purchase_line');
  return { ranking: new RankingService(db, config.tzBusiness, customerLinks), customerLinks };
}

export type RecommendationsDomain = ReturnType<typeof createRecommendationsDomain>;
