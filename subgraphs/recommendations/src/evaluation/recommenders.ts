/** The recommenders compared offline: the project's `rank`, and two baselines it has to beat. */
import { NEIGHBOURS_PER_STYLE, type Neighbour, type RankingInput } from '../ranking/ranking-input';
import { rank } from '../ranking/scoring';
import type { TrainingSet } from './training-set';

export type Recommender = (customer: number, k: number) => string[];

/**
 * An item is repeatable when at least this share of its buyers bought it on two or more days: one in
 * ten coming back is a habit, not an accident. Decided from the data, as the file says nothing of categories.
 */
export const REPEAT_RATE = 0.1;

/** Baseline 1: the most popular items (distinct buyers), the same for everyone. */
export function popularityBaseline(train: TrainingSet): Recommender {
  return (_customer, k) => train.popularity().slice(0, k).map((i) => train.itemIds[i]);
}

/** Baseline 2: the customer's own most-bought items (occasions, then units), filled with popular ones. */
export function ownHistoryBaseline(train: TrainingSet): Recommender {
  return (customer, k) => {
    const counts = new Map<number, { occasions: number; units: number }>();
    for (const { item, quantity } of train.occasionsOf(customer)) {
      const c = counts.get(item) ?? { occasions: 0, units: 0 };
      c.occasions++;
      c.units += quantity;
      counts.set(item, c);
    }
    const own = [...counts]
      .sort(([a, x], [b, y]) => y.occasions - x.occasions || y.units - x.units || (train.itemIds[a] < train.itemIds[b] ? -1 : 1))
      .slice(0, k)
      .map(([item]) => item);
    const chosen = new Set(own);
    for (const item of train.popularity()) {
      if (own.length >= k) break;
      if (!chosen.has(item)) own.push(item);
    }
    return own.map((i) => train.itemIds[i]);
  };
}

/**
 * The project's recommender: a RankingInput per customer built from the training rows as the service
 * builds it from its tables (co-buyers, distinct buyers, popularity), then the service's own `rank`.
 */
export function projectRecommender(train: TrainingSet): Recommender {
  const buyers = new Map(train.itemIds.map((id, i) => [id, train.buyers[i]]));
  const repeatable = (id: string) => {
    const i = train.indexOf(id);
    return i !== undefined && train.repeatBuyers[i] >= REPEAT_RATE * train.buyers[i];
  };
  const eligible = (id: string) => train.indexOf(id) !== undefined;
  const popular = train.popularity().map((i) => ({ productId: train.itemIds[i], score: train.buyers[i] }));
  const neighbourCache = new Map<number, Neighbour[]>();
  const neighbours = (source: number): Neighbour[] => {
    let list = neighbourCache.get(source);
    if (!list) {
      const cosine = (n: { item: number; weight: number }) => n.weight / Math.sqrt(train.buyers[source] * train.buyers[n.item]);
      list = train
        .coPurchases(source)
        .map((n) => ({ ...n, similarity: cosine(n) }))
        .sort((a, b) => b.similarity - a.similarity || (train.itemIds[a.item] < train.itemIds[b.item] ? -1 : 1))
        .slice(0, NEIGHBOURS_PER_STYLE)
        .map((n) => ({ productId: train.itemIds[n.item], weight: n.weight }));
      neighbourCache.set(source, list);
    }
    return list;
  };
  const now = new Date(train.cutoff);
  return (customer, k) => {
    const items = train.itemsOf(customer);
    const input: RankingInput = {
      now,
      personal: true,
      purchases: train.occasionsOf(customer).map((o) => ({ productId: train.itemIds[o.item], at: new Date(o.at), quantity: o.quantity })),
      views: [],
      boughtTogether: new Map([...items].map((i) => [train.itemIds[i], neighbours(i)])),
      viewedTogether: new Map(),
      buyers,
      // Enough popular items to fill the list after leaving out everything the customer owns.
      popular: popular.slice(0, k + items.length),
      popularInStore: false,
      newArrivals: [],
      repeatable,
      eligible,
    };
    return rank(input, k).map((r) => r.productId);
  };
}
