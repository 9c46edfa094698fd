import { LoaderFamily } from '../../../shared/loaders';
import type { RecommendationsDomain } from './domain';
import type { RecommendationContextArgs, Recommended } from './ranking/recommendation.service';

export function createRecommendationsLoaders({ recommendations, customerLinks }: RecommendationsDomain) {
  /** The customer an id stands for now: the survivor of any merges. */
  const customerRoot = customerLinks.rootLoader();
  return {
    customerRoot,
    recommendationsOfCustomer: new LoaderFamily<{ first: number; context: RecommendationContextArgs }, string, Recommended[]>(
      async ({ first, context }, ids) => {
        const lists = await recommendations.recommendFor(ids, first, context, new Date(), customerRoot);
        return ids.map((id) => lists.get(id) ?? []);
      },
    ),
    boughtTogether: new LoaderFamily<number, string, string[]>(async (first, ids) => {
      const lists = await recommendations.boughtTogether(ids, first);
      return ids.map((id) => lists.get(id) ?? []);
    }),
    bestsellers: new LoaderFamily<{ first: number; days: number }, string, string[]>(async ({ first, days }, ids) => {
      const lists = await recommendations.bestsellers(ids, days, first);
      return ids.map((id) => lists.get(id) ?? []);
    }),
    newArrivals: new LoaderFamily<number, string, string[]>(async (first, ids) => {
      const lists = await recommendations.newArrivalsAt(ids, first);
      return ids.map((id) => lists.get(id) ?? []);
    }),
  };
}

export type RecommendationsLoaders = ReturnType<typeof createRecommendationsLoaders>;
