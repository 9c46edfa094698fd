/** Pure ranking: the service and offline evaluation run this same code on the state they hold. */

export type ReasonCode = 'BOUGHT_TOGETHER' | 'POPULAR';

export interface Scored {
  productId: string;
  score: number;
  reason: ReasonCode;
  /** For BOUGHT_TOGETHER: the customer's style that contributed most. */
  becauseOf?: string;
}

export interface CustomerState {
  /** Every style the customer bought. */
  owned: Set<string>;
  /** The customer's most recent distinct styles, newest first. */
  recent: string[];
}

/**
 * Bought-together neighbours of the customer's recent styles, scored by cosine similarity of their
 * buyer sets (co-buyers / sqrt(buyers(a) * buyers(b))), summed over sources; then filled with the
 * most popular styles. Nothing the customer already owns is returned.
 */
export function rankForCustomer(
  state: CustomerState,
  neighbours: Map<string, Array<{ productId: string; weight: number }>>,
  buyers: Map<string, number>,
  popular: string[],
  first: number,
): Scored[] {
  const scores = new Map<string, { score: number; best: number; because: string }>();
  for (const source of state.recent) {
    const sourceBuyers = buyers.get(source) ?? 1;
    for (const { productId, weight } of neighbours.get(source) ?? []) {
      if (state.owned.has(productId)) continue;
      const similarity = weight / Math.sqrt(sourceBuyers * (buyers.get(productId) ?? 1));
      const entry = scores.get(productId) ?? { score: 0, best: 0, because: source };
      entry.score += similarity;
      if (similarity > entry.best) Object.assign(entry, { best: similarity, because: source });
      scores.set(productId, entry);
    }
  }
  const ranked: Scored[] = [...scores]
    .sort((a, b) => b[1].score - a[1].score || (a[0] < b[0] ? -1 : 1))
    .slice(0, first)
    .map(([productId, s]) => ({ productId, score: s.score, reason: 'BOUGHT_TOGETHER', becauseOf: s.because }));
  const chosen = new Set(ranked.map((r) => r.productId));
  // Popularity fill scores below every personal match: the most popular gets half the lowest personal score.
  const floor = ranked.length ? ranked[ranked.length - 1].score / 2 : 1;
  for (const [rank, productId] of popular.entries()) {
    if (ranked.length >= first) break;
    if (state.owned.has(productId) || chosen.has(productId)) continue;
    ranked.push({ productId, score: floor / (rank + 1), reason: 'POPULAR' });
    chosen.add(productId);
  }
  return ranked;
}
