/**
 * Choosing the baselines' parameters on a validation split (a TrainingSet whose truth lies inside the
 * training period): each gets the settings that serve it best there, never any seen on the test period.
 */
import { MetricMeans, scoreList, type MeanMetrics } from './metrics';
import { itemKnnBaseline, topItems, type Recommender } from './recommenders';
import { tifuScores, TifuVectors, TIFU_PUBLISHED, type TifuParameters } from './tifu-knn';
import type { TrainingSet } from './training-set';

/** Scores a recommender's top-k lists against the split's truth. */
export function measure(train: TrainingSet, recommend: Recommender, k: number): MeanMetrics {
  const means = new MetricMeans();
  for (const { customer, truth } of train.testCustomers) {
    const history = new Set([...train.itemsOf(customer)].map((i) => train.itemIds[i]));
    means.add(scoreList(recommend(customer, k), truth, k, history));
  }
  return means.mean();
}

export const ITEM_KNN_NEIGHBOURS = [10, 20, 50, 100, 200, 400, 1000];
/** Without a validation split, the size the literature most often uses. */
export const ITEM_KNN_DEFAULT = 50;

/** Item-kNN's neighbourhood size with the best validation Recall@k. */
export function tuneItemKnn(validation: TrainingSet, k: number): { neighbours: number; recall: number } {
  let best = { neighbours: ITEM_KNN_DEFAULT, recall: -1 };
  for (const neighbours of ITEM_KNN_NEIGHBOURS) {
    const { recall } = measure(validation, itemKnnBaseline(validation, neighbours), k);
    if (recall > best.recall) best = { neighbours, recall };
  }
  return best;
}

/** The grids searched; `neighbours` and `alpha` are scored all at once from one neighbour search. */
export const TIFU_GRID = {
  groups: [1, 2, 3, 5, 7, 10],
  withinDecay: [0.6, 0.8, 0.9, 1],
  groupDecay: [0.5, 0.7, 0.8, 0.9, 1],
  neighbours: [10, 30, 50, 100, 300],
  alpha: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
};

/**
 * TIFU-KNN's parameters by coordinate search from the published ones: the vector's parameters one at
 * a time over their grid, each with the best neighbours and alpha, until a pass changes nothing.
 */
export function tuneTifu(validation: TrainingSet, k: number): { parameters: TifuParameters; recall: number; tried: number } {
  const scored = new Map<string, { parameters: TifuParameters; recall: number }>();
  const bestFor = (vector: Pick<TifuParameters, 'groups' | 'withinDecay' | 'groupDecay'>) => {
    const key = `${vector.groups}/${vector.withinDecay}/${vector.groupDecay}`;
    let found = scored.get(key);
    if (!found) {
      const tifu = new TifuVectors(validation, vector);
      const counts = TIFU_GRID.neighbours.filter((n) => n < validation.customerIds.length);
      const sums = new Map<string, number>();
      for (const { customer, truth } of validation.testCustomers) {
        tifuScores(tifu, customer, counts.length ? counts : [1], TIFU_GRID.alpha, validation.itemIds.length, (neighbours, alpha, score, touched) => {
          const list = topItems(validation, touched, score, k);
          const key = `${neighbours}/${alpha}`;
          sums.set(key, (sums.get(key) ?? 0) + scoreList(list, truth, k).recall);
        });
      }
      found = { parameters: { ...vector, neighbours: TIFU_PUBLISHED.neighbours, alpha: TIFU_PUBLISHED.alpha }, recall: -1 };
      for (const [combination, sum] of sums) {
        const recall = sum / Math.max(1, validation.testCustomers.length);
        const [neighbours, alpha] = combination.split('/').map(Number);
        if (recall > found.recall) found = { parameters: { ...vector, neighbours, alpha }, recall };
      }
      scored.set(key, found);
    }
    return found;
  };
  let best = bestFor(TIFU_PUBLISHED);
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of ['groups', 'withinDecay', 'groupDecay'] as const) {
      for (const value of TIFU_GRID[name]) {
        const candidate = bestFor({ ...best.parameters, [name]: value });
        if (candidate.recall > best.recall) (best = candidate), (changed = true);
      }
    }
  }
  return { ...best, tried: scored.size };
}

