/** The recommenders compared offline: the project's `rank`, and the baselines it has to beat. */
import { purchaseHistory } from '../ranking/purchase-history';
import { NEIGHBOURS_PER_STYLE, neighbourSources, type Neighbour, type RankingInput } from '../ranking/ranking-input';
import { boughtAgain, RANKING_PARAMETERS, rank, repeatPropensity, type RankingParameters } from '../ranking/scoring';
import { tifuScores, TifuVectors, type TifuParameters } from './tifu-knn';
import type { TrainingSet } from './training-set';

export type Recommender = (customer: number, k: number) => string[];


/**
 * The k best items by score, ties to the more popular then the smaller id, filled with the most
 * popular: every baseline fills its list the same way.
 */
export function topItems(train: TrainingSet, items: Iterable<number>, score: (item: number) => number, k: number): string[] {
  const place = popularityPlace(train);
  // Kept best first; an item enters when it beats the last (insertion into at most k).
  const best: number[] = [];
  const scores: number[] = [];
  for (const item of items) {
    const s = score(item);
    if (!(s > 0)) continue;
    let i = best.length;
    if (i === k) {
      if (s < scores[k - 1] || (s === scores[k - 1] && place[item] > place[best[k - 1]])) continue;
      i = k - 1;
    }
    for (; i > 0 && (scores[i - 1] < s || (scores[i - 1] === s && place[best[i - 1]] > place[item])); i--) {
      best[i] = best[i - 1];
      scores[i] = scores[i - 1];
    }
    best[i] = item;
    scores[i] = s;
  }
  const taken = new Set(best);
  for (const item of train.popularity()) {
    if (best.length >= k) break;
    if (!taken.has(item)) best.push(item);
  }
  return best.map((i) => train.itemIds[i]);
}

const places = new WeakMap<TrainingSet, Int32Array>();
function popularityPlace(train: TrainingSet): Int32Array {
  let place = places.get(train);
  if (!place) {
    place = new Int32Array(train.itemIds.length);
    train.popularity().forEach((item, i) => (place![item] = i));
    places.set(train, place);
  }
  return place;
}

/** Global popularity: the items with the most distinct buyers, the same for everyone. */
export function popularityBaseline(train: TrainingSet): Recommender {
  return (_customer, k) => topItems(train, [], () => 0, k);
}

/**
 * Personal frequency (GP-TopFreq of the Reality Check): the customer's items by how many of their
 * orders (baskets) held them, ties to the more popular, then popular items.
 */
export function personalFrequencyBaseline(train: TrainingSet): Recommender {
  return (customer, k) => {
    const counts = new Map<number, number>();
    for (const { item } of train.occasionsOf(customer)) counts.set(item, (counts.get(item) ?? 0) + 1);
    return topItems(train, counts.keys(), (item) => counts.get(item)!, k);
  };
}

/**
 * Item-kNN (item-based collaborative filtering): cosine similarity of items over who bought them,
 * each item's `neighbours` most similar kept; an item scores the sum of its similarities to the
 * customer's items (those included: buying again counts).
 */
export function itemKnnBaseline(train: TrainingSet, neighbours: number): Recommender {
  const customersOf: number[][] = train.itemIds.map(() => []);
  train.customerIds.forEach((_, c) => train.itemsOf(c).forEach((item) => customersOf[item].push(c)));
  const co = new Int32Array(train.itemIds.length);
  const cache = new Map<number, Array<[number, number]>>();
  const similar = (item: number) => {
    let list = cache.get(item);
    if (!list) {
      const touched: number[] = [];
      for (const c of customersOf[item]) {
        for (const other of train.itemsOf(c)) if (other !== item && co[other]++ === 0) touched.push(other);
      }
      list = touched
        .map((other): [number, number] => [other, co[other] / Math.sqrt(train.buyers[item] * train.buyers[other])])
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, neighbours);
      for (const other of touched) co[other] = 0;
      cache.set(item, list);
    }
    return list;
  };
  return (customer, k) => {
    const scores = new Map<number, number>();
    for (const item of train.itemsOf(customer)) for (const [other, s] of similar(item)) scores.set(other, (scores.get(other) ?? 0) + s);
    return topItems(train, scores.keys(), (item) => scores.get(item)!, k);
  };
}

/** TIFU-KNN with the given parameters. */
export function tifuBaseline(train: TrainingSet, p: TifuParameters): Recommender {
  const tifu = new TifuVectors(train, p);
  return (customer, k) => {
    let list: string[] = [];
    tifuScores(tifu, customer, [p.neighbours], [p.alpha], train.itemIds.length, (_n, _a, score, touched) => {
      list = topItems(train, touched, score, k);
    });
    return list;
  };
}

/**
 * Per item: is its category bought again (boughtAgain, the service's rule), and its repeat rate shrunk
 * toward the category's. A file without categories is one category.
 */
export function repeatStats(train: TrainingSet, prior = RANKING_PARAMETERS.repeatPriorBuyers): { repeatable: Uint8Array; rate: Float64Array } {
  const byCategory = new Map<string, { holdings: number; repeated: number }>();
  const categoryOf = (i: number) => train.categories[i] ?? '';
  train.itemIds.forEach((_, i) => {
    const c = byCategory.get(categoryOf(i)) ?? { holdings: 0, repeated: 0 };
    c.holdings += train.buyers[i];
    c.repeated += train.repeatBuyers[i];
    byCategory.set(categoryOf(i), c);
  });
  const repeatable = new Uint8Array(train.itemIds.length);
  const rate = new Float64Array(train.itemIds.length);
  train.itemIds.forEach((_, i) => {
    const c = byCategory.get(categoryOf(i))!;
    repeatable[i] = boughtAgain(c.holdings, c.repeated) ? 1 : 0;
    rate[i] = repeatPropensity(train.repeatBuyers[i], train.buyers[i], c.holdings ? c.repeated / c.holdings : 0, prior);
  });
  return { repeatable, rate };
}

/**
 * The project's recommender: a RankingInput per customer built from the training rows as the service
 * builds it from its tables (its history as purchase-history.ts reads it, co-buyers, buyers, trend,
 * repeat rates), then the service's own `rank`.
 */
export function projectRecommender(train: TrainingSet, parameters: RankingParameters = RANKING_PARAMETERS): Recommender {
  const buyers = new Map(train.itemIds.map((id, i) => [id, train.buyers[i]]));
  const trendOf = train.trend(parameters.trendHalfLifeDays);
  const trend = new Map(train.itemIds.map((id, i) => [id, trendOf[i]]));
  const { repeatable, rate } = repeatStats(train, parameters.repeatPriorBuyers);
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
    const { lines, holdings } = train.historyOf(customer);
    const purchases = purchaseHistory(lines, holdings);
    const sources = neighbourSources(purchases.filter((p) => p.quantity > 0)).map((id) => train.indexOf(id)!);
    const input: RankingInput = {
      now,
      personal: true,
      purchases,
      views: [],
      boughtTogether: new Map(sources.map((i) => [train.itemIds[i], neighbours(i)])),
      viewedTogether: new Map(),
      buyers,
      trend,
      // Enough popular items to fill the list after leaving out everything the customer owns.
      popular: popular.slice(0, k + holdings.length),
      popularInStore: false,
      newArrivals: [],
      repeatable: (id) => repeatable[train.indexOf(id) ?? -1] === 1,
      repeatRate: (id) => rate[train.indexOf(id) ?? -1] ?? 0,
      eligible,
    };
    return rank(input, k, parameters).map((r) => r.productId);
  };
}
