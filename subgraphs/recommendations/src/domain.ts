import { CustomerLinks } from '../../../shared/events/customer-links';
import type { SubgraphInfrastructure } from '../../../shared/subgraph';
import { CatalogService } from './catalog/catalog.service';
import { ListCache } from './ranking/list-cache';
import { RankingService } from './ranking/ranking.service';
import { RecommendationService } from './ranking/recommendation.service';

/** The recommendations service's domain: what the resolvers, the consumer and the tests call. */
export function createRecommendationsDomain({ db, config, cache, logger }: SubgraphInfrastructure) {
  // Purchase lines and views follow the customers service's merges and identity links.
  const customerLinks = new CustomerLinks(db, ['purchase_line', 'product_view']);
  const lists = new ListCache(cache, db, logger);
  const catalog = new CatalogService(db, lists);
  return {
    ranking: new RankingService(db, config.tzBusiness, customerLinks, lists, config.internalSigningKey),
    recommendations: new RecommendationService(db, catalog, lists, customerLinks, config.tzBusiness, config.presenceTtlMinutes),
    catalog,
    customerLinks,
    lists,
  };
}

export type RecommendationsDomain = ReturnType<typeof createRecommendationsDomain>;
