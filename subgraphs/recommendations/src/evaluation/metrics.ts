/** Top-k metrics with binary relevance, averaged over test customers. */

export interface Metrics {
  recall: number;
  hitRate: number;
  ndcg: number;
  /**
   * Recall@k on the items of the truth the customer had bought before ("repeat") and on those new to
   * them ("explore"), each over min(|that part|, k); null when the truth has no such item. As in Li et
   * al., "A Next Basket Recommendation Reality Check" (TOIS 2023), which shows how far a model's
   * score comes from buying again.
   */
  repeatRecall: number | null;
  exploreRecall: number | null;
}

/**
 * Recall@k = hits / min(|truth|, k); HR@k = 1 when anything hit; NDCG@k = DCG / ideal DCG, where a hit
 * at position i (0-based) gains 1 / log2(i + 2) and the ideal puts min(|truth|, k) hits first. `history`
 * (what the customer bought before) splits the recall into repeat and explore.
 */
export function scoreList(
  recommended: readonly string[],
  truth: ReadonlySet<string>,
  k: number,
  history: ReadonlySet<string> = new Set(),
): Metrics {
  const possible = Math.min(truth.size, k);
  let repeatTruth = 0;
  for (const item of truth) if (history.has(item)) repeatTruth++;
  const exploreTruth = truth.size - repeatTruth;
  let hits = 0;
  let repeatHits = 0;
  let dcg = 0;
  const seen = new Set<string>();
  recommended.slice(0, k).forEach((item, i) => {
    // A list that repeats an item earns it once.
    if (seen.has(item) || !truth.has(item)) return;
    seen.add(item);
    hits++;
    if (history.has(item)) repeatHits++;
    dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < possible; i++) ideal += 1 / Math.log2(i + 2);
  return {
    recall: possible ? hits / possible : 0,
    hitRate: hits > 0 ? 1 : 0,
    ndcg: possible ? dcg / ideal : 0,
    repeatRecall: repeatTruth ? repeatHits / Math.min(repeatTruth, k) : null,
    exploreRecall: exploreTruth ? (hits - repeatHits) / Math.min(exploreTruth, k) : null,
  };
}

export interface MeanMetrics {
  recall: number;
  hitRate: number;
  ndcg: number;
  /** Means over the customers whose truth has repeat (explore) items; `customers` counts them. */
  repeat: { recall: number; customers: number };
  explore: { recall: number; customers: number };
}

export class MetricMeans {
  private sum = { recall: 0, hitRate: 0, ndcg: 0, repeat: 0, explore: 0 };
  private repeatCustomers = 0;
  private exploreCustomers = 0;
  customers = 0;

  add(metrics: Metrics): void {
    this.sum.recall += metrics.recall;
    this.sum.hitRate += metrics.hitRate;
    this.sum.ndcg += metrics.ndcg;
    if (metrics.repeatRecall !== null) (this.sum.repeat += metrics.repeatRecall), this.repeatCustomers++;
    if (metrics.exploreRecall !== null) (this.sum.explore += metrics.exploreRecall), this.exploreCustomers++;
    this.customers++;
  }

  mean(): MeanMetrics {
    const n = Math.max(1, this.customers);
    return {
      recall: this.sum.recall / n,
      hitRate: this.sum.hitRate / n,
      ndcg: this.sum.ndcg / n,
      repeat: { recall: this.sum.repeat / Math.max(1, this.repeatCustomers), customers: this.repeatCustomers },
      explore: { recall: this.sum.explore / Math.max(1, this.exploreCustomers), customers: this.exploreCustomers },
    };
  }
}
