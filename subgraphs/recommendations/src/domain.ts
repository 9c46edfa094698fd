import type { SubgraphInfrastructure } from '../../../shared/subgraph';
import { RankingService } from './ranking/ranking.service';

/** The recommendations service's domain: what the resolvers, the consumer and the tests call. */
export function createRecommendationsDomain({ db, config }: SubgraphInfrastructure) {
  return { ranking: new RankingService(db, config.tzBusiness) };
}

export type RecommendationsDomain = ReturnType<typeof createRecommendationsDomain>;
