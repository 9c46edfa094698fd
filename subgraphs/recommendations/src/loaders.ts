import { LoaderFamily } from '../../../shared/loaders';
import type { RecommendationsDomain } from './domain';
import type { Scored } from './ranking/scoring';

export function createRecommendationsLoaders({ ranking, customerLinks }: RecommendationsDomain) {
  return {
    /** The customer an id stands for now: the survivor of any merges. */
    customerRoot: customerLinks.rootLoader(),
    recommendationsOfCustomer: new LoaderFamily<number, string, Scored[]>(async (first, ids) => {
      const lists = await ranking.recommendFor(ids, first);
      return ids.map((id) => lists.get(id) ?? []);
    }),
    boughtTogether: new LoaderFamily<number, string, string[]>(async (first, ids) => {
      const lists = await ranking.boughtTogether(ids, first);
      return ids.map((id) => lists.get(id) ?? []);
    }),
    bestsellers: new LoaderFamily<{ first: number; days: number }, string, string[]>(async ({ first, days }, ids) => {
      const lists = await ranking.bestsellers(ids, days, first);
      return ids.map((id) => lists.get(id) ?? []);
    }),
  };
}

export type RecommendationsLoaders = ReturnType<typeof createRecommendationsLoaders>;
