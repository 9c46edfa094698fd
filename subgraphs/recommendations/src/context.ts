import type { RequestContext } from '../../../shared/http/service';
import type { RecommendationsDomain } from './domain';
import { createRecommendationsLoaders, type RecommendationsLoaders } from './loaders';

export interface RecommendationsContext extends RequestContext {
  domain: RecommendationsDomain;
  loaders: RecommendationsLoaders;
}

export function createRecommendationsContext(base: RequestContext, domain: RecommendationsDomain): RecommendationsContext {
  const loaders = createRecommendationsLoaders(domain);
  return { ...base, domain, loaders, customerRoot: (customerId) => loaders.customerRoot.load(customerId) };
}
