/** Top-k metrics with binary relevance, averaged over test customers. */

export interface Metrics {
  recall: number;
  hitRate: number;
  ndcg: number;
}

/**
 * Recall@k = hits / min(|truth|, k); HR@k = 1 when anything hit; NDCG@k = DCG / ideal DCG, where a hit
 * at position i (0-based) gains 1 / log2(i + 2) and the ideal puts min(|truth|, k) hits first.
 */
export function scoreList(recommended: readonly string[], truth: ReadonlySet<string>, k: number): Metrics {
  const possible = Math.min(truth.size, k);
  if (possible === 0) return { recall: 0, hitRate: 0, ndcg: 0 };
  let hits = 0;
  let dcg = 0;
  const seen = new Set<string>();
  recommended.slice(0, k).forEach((item, i) => {
    // A list that repeats an item earns it once.
    if (seen.has(item) || !truth.has(item)) return;
    seen.add(item);
    hits++;
    dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < possible; i++) ideal += 1 / Math.log2(i + 2);
  return { recall: hits / possible, hitRate: hits > 0 ? 1 : 0, ndcg: dcg / ideal };
}

export class MetricMeans {
  private readonly sum: Metrics = { recall: 0, hitRate: 0, ndcg: 0 };
  customers = 0;

  add(metrics: Metrics): void {
    this.sum.recall += metrics.recall;
    this.sum.hitRate += metrics.hitRate;
    this.sum.ndcg += metrics.ndcg;
    this.customers++;
  }

  mean(): Metrics {
    const n = Math.max(1, this.customers);
    return { recall: this.sum.recall / n, hitRate: this.sum.hitRate / n, ndcg: this.sum.ndcg / n };
  }
}
