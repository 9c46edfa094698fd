/** Pure ranking: the service and offline evaluation run this same code on the state they hold. */
import { neighbourSources, type RankedReason, type Ranked, type RankingInput, type ReasonCode } from './ranking-input';

const DAY_MS = 86_400_000;
/** Ownership evidence halves every 90 days: about a fashion season, or a few cycles of a basic. */
export const PURCHASE_HALF_LIFE_DAYS = 90;
/** Browsing intent fades faster than ownership. */
export const VIEW_HALF_LIFE_DAYS = 30;
/** A view says less about taste than a purchase. */
export const VIEW_WEIGHT = 0.5;
/**
 * A neighbour is indirect evidence: at full similarity it counts half a purchase of the style itself,
 * so a style the customer keeps buying is not pushed out by styles merely like what they bought.
 */
export const NEIGHBOUR_WEIGHT = 0.5;
/**
 * A style bought in the last day is not offered again yet, however repeatable: "you bought this
 * before" for the socks just paid for at the till says nothing.
 */
export const JUST_BOUGHT_MS = DAY_MS;
/** Being viewed together says less than being bought together. */
export const CO_VIEW_WEIGHT = 0.5;
/** Context (popularity, newness) lifts a personal match by at most a fifth: it orders near-equals, never overturns clear evidence. */
export const CONTEXT_BOOST = 0.2;
/** The newest arrival counts as half the context's top seller. */
export const NEW_ARRIVAL_WEIGHT = 0.5;

interface Evidence {
  score: number;
  /** Per reason code: its summed contribution and the single source that contributed most. */
  reasons: Map<ReasonCode, { score: number; best: number; becauseOf: string }>;
}

function decay(ageMs: number, halfLifeDays: number): number {
  return Math.pow(2, -Math.max(0, ageMs) / (halfLifeDays * DAY_MS));
}

function add(evidence: Map<string, Evidence>, productId: string, code: ReasonCode, amount: number, becauseOf: string) {
  if (!(amount > 0)) return;
  const entry = evidence.get(productId) ?? { score: 0, reasons: new Map() };
  entry.score += amount;
  const reason = entry.reasons.get(code) ?? { score: 0, best: 0, becauseOf };
  reason.score += amount;
  // Sources arrive sorted by id, so an equal contribution keeps the first: deterministic.
  if (amount > reason.best) Object.assign(reason, { best: amount, becauseOf });
  entry.reasons.set(code, reason);
  evidence.set(productId, entry);
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What the customer's own history says, per candidate style: BUY_AGAIN (decayed count of purchase
 * occasions of repeatable styles) and neighbours of what they bought or viewed, normalised like a
 * cosine (weight / sqrt(buyers(a) * buyers(b))) and weighted by how recent the source is.
 */
function personalEvidence(input: RankingInput, allowed: (productId: string) => boolean): Map<string, Evidence> {
  const now = input.now.getTime();
  const evidence = new Map<string, Evidence>();
  const purchases = input.purchases
    .filter((p) => p.quantity > 0)
    .sort((a, b) => byId(a.productId, b.productId) || a.at.getTime() - b.at.getTime());
  // Two lines of one style in one order (two sizes) are one occasion, not two.
  const occasions = new Set<string>();
  const sources = new Map<string, number>();
  for (const { productId, at } of purchases) {
    const recency = decay(now - at.getTime(), PURCHASE_HALF_LIFE_DAYS);
    sources.set(productId, Math.max(sources.get(productId) ?? 0, recency));
    const occasion = `${productId}\u0000${at.getTime()}`;
    if (occasions.has(occasion) || !input.repeatable(productId) || !allowed(productId)) continue;
    occasions.add(occasion);
    add(evidence, productId, 'BUY_AGAIN', recency, productId);
  }
  for (const { productId, at } of input.views) {
    const recency = VIEW_WEIGHT * decay(now - at.getTime(), VIEW_HALF_LIFE_DAYS);
    sources.set(productId, Math.max(sources.get(productId) ?? 0, recency));
  }
  const buyers = (productId: string) => Math.max(1, input.buyers.get(productId) ?? 1);
  const graphs = [
    { code: 'BOUGHT_TOGETHER' as const, neighbours: input.boughtTogether, weight: NEIGHBOUR_WEIGHT },
    { code: 'VIEWED_TOGETHER' as const, neighbours: input.viewedTogether, weight: NEIGHBOUR_WEIGHT * CO_VIEW_WEIGHT },
  ];
  // Neighbours of the most recent styles only, as the service reads them.
  const recent = new Set(neighbourSources([...purchases, ...input.views]));
  for (const [source, recency] of [...sources].filter(([id]) => recent.has(id)).sort((a, b) => byId(a[0], b[0]))) {
    for (const { code, neighbours, weight: graphWeight } of graphs) {
      for (const { productId, weight } of neighbours.get(source) ?? []) {
        if (productId === source || !(weight > 0) || !allowed(productId)) continue;
        // Capped at 1: co-view counts are not bounded by buyers as co-buyers are.
        const similarity = Math.min(1, weight / Math.sqrt(buyers(source) * buyers(productId)));
        add(evidence, productId, code, graphWeight * recency * similarity, source);
      }
    }
  }
  return evidence;
}

/** Popularity and newness in this context, each scaled to at most 1 (the top seller, the newest arrival). */
function contextEvidence(input: RankingInput): Map<string, { popular: number; fresh: number }> {
  const context = new Map<string, { popular: number; fresh: number }>();
  const top = input.popular.reduce((max, p) => Math.max(max, p.score), 0);
  for (const { productId, score } of input.popular) {
    if (!(top > 0) || !(score > 0)) continue;
    const entry = context.get(productId) ?? { popular: 0, fresh: 0 };
    entry.popular = Math.max(entry.popular, score / top);
    context.set(productId, entry);
  }
  input.newArrivals.forEach((productId, i) => {
    const entry = context.get(productId) ?? { popular: 0, fresh: 0 };
    entry.fresh = Math.max(entry.fresh, 1 - i / input.newArrivals.length);
    context.set(productId, entry);
  });
  return context;
}

/**
 * Ranks styles for one customer in one context. Personal evidence (BUY_AGAIN, BOUGHT_TOGETHER,
 * VIEWED_TOGETHER) is summed, then lifted by up to CONTEXT_BOOST by popularity in the context and
 * newness; styles with only context behind them fill the list below every personal match. Leaves out
 * what is not eligible, what the customer bought unless repeatable (and not bought in the last day),
 * and what they cancelled or returned (and kept none of); with `personal: false` nothing of the customer's history is used. Ties
 * go to the smaller product id.
 */
export function rank(input: RankingInput, first: number): Ranked[] {
  if (!(first > 0)) return [];
  const history = input.personal ? input.purchases : [];
  const owned = new Set(history.filter((p) => p.quantity > 0).map((p) => p.productId));
  const givenBack = new Set(history.filter((p) => !(p.quantity > 0) && !owned.has(p.productId)).map((p) => p.productId));
  const justBought = new Set(
    history.filter((p) => p.quantity > 0 && input.now.getTime() - p.at.getTime() < JUST_BOUGHT_MS).map((p) => p.productId),
  );
  const verdicts = new Map<string, boolean>();
  const allowed = (productId: string) => {
    let verdict = verdicts.get(productId);
    if (verdict === undefined) {
      verdict =
        input.eligible(productId) &&
        !givenBack.has(productId) &&
        (!owned.has(productId) || (input.repeatable(productId) && !justBought.has(productId)));
      verdicts.set(productId, verdict);
    }
    return verdict;
  };
  const personal = input.personal ? personalEvidence(input, allowed) : new Map<string, Evidence>();
  const context = contextEvidence(input);
  const popularCode: ReasonCode = input.popularInStore ? 'POPULAR_IN_STORE' : 'POPULAR';
  const contextReasons = (productId: string): Array<{ code: ReasonCode; strength: number }> => {
    const c = context.get(productId);
    if (!c) return [];
    return [
      { code: popularCode, strength: c.popular },
      { code: 'NEW_ARRIVAL' as const, strength: NEW_ARRIVAL_WEIGHT * c.fresh },
    ].filter((r) => r.strength > 0);
  };
  // Context strength in [0, 1]: the top seller that is also the newest arrival gets 1.
  const contextStrength = (productId: string) =>
    contextReasons(productId).reduce((sum, r) => sum + r.strength, 0) / (1 + NEW_ARRIVAL_WEIGHT);
  const sortByStrength = (a: { code: ReasonCode; strength: number }, b: { code: ReasonCode; strength: number }) =>
    b.strength - a.strength || byId(a.code, b.code);

  const ranked: Ranked[] = [];
  for (const [productId, evidence] of personal) {
    const reasons = [...evidence.reasons]
      .map(([code, r]) => ({ code, strength: r.score, becauseOf: r.becauseOf }))
      .sort(sortByStrength)
      .map(({ code, becauseOf }): RankedReason => ({ code, becauseOf }));
    reasons.push(...contextReasons(productId).sort(sortByStrength).map(({ code }) => ({ code })));
    ranked.push({ productId, score: evidence.score * (1 + CONTEXT_BOOST * contextStrength(productId)), reasons });
  }
  // Half the weakest personal match: context alone never outranks the customer's own evidence.
  const floor = ranked.length ? ranked.reduce((min, r) => Math.min(min, r.score), Infinity) / 2 : 1;
  for (const productId of context.keys()) {
    if (personal.has(productId) || !allowed(productId)) continue;
    const reasons = contextReasons(productId).sort(sortByStrength).map(({ code }) => ({ code }));
    ranked.push({ productId, score: floor * contextStrength(productId), reasons });
  }
  return ranked.sort((a, b) => b.score - a.score || byId(a.productId, b.productId)).slice(0, first);
}
