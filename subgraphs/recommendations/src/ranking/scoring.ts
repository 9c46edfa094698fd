/** Pure ranking: the service and offline evaluation run this same code on the state they hold. */
import { neighbourSources, type RankedReason, type Ranked, type RankingInput, type ReasonCode } from './ranking-input';

const DAY_MS = 86_400_000;

/**
 * What the ranking weighs, chosen on validation splits inside the training periods of the UCI Online
 * Retail file and of the demo orders (README: "How styles are ranked"), never on their test periods;
 * offline evaluation may pass others to compare.
 */
export interface RankingParameters {
  /** An order of a style counts 2^(-age / half-life): slowly, as restocking habits last. */
  purchaseHalfLifeDays: number;
  /** A neighbour at similarity 1 of a style bought once counts this share of buying the style itself. */
  neighbourWeight: number;
  /** BUY_AGAIN is scaled by the style's repeat rate (repeatPropensity) to this power. */
  repeatExponent: number;
  /**
   * BUY_AGAIN is scaled by the units the customer took of the style per order to this power: who buys
   * a style by the dozen stocks it, and restocks it (a pack of socks, a wholesaler's case).
   */
  unitsPerOrderExponent: number;
  /** Demand: buyers^popularityExponent × ((trend + TREND_PRIOR) / buyers)^trendExponent. */
  popularityExponent: number;
  trendExponent: number;
  /**
   * Kept order lines decay with this half-life in a style's trend (RankingInput.trend), where the input
   * is built; the service stores trends with it (trend.ts), so a change needs `npm run recs:rebuild`.
   */
  trendHalfLifeDays: number;
  /** A style's repeat rate leans on its category's with the weight of this many buyers (repeatPropensity). */
  repeatPriorBuyers: number;
}

export const RANKING_PARAMETERS: RankingParameters = {
  purchaseHalfLifeDays: 365,
  neighbourWeight: 0.075,
  repeatExponent: 0.75,
  unitsPerOrderExponent: 0.15,
  popularityExponent: 0.25,
  trendExponent: 0.75,
  trendHalfLifeDays: 10,
  repeatPriorBuyers: 5,
};

/** A style with no recent line is not ruled out: it weighs as if a hundredth of a line had been sold today. */
export const TREND_PRIOR = 0.01;

/**
 * The share of a style's buyers who bought it in two orders or more, shrunk toward its category's
 * share: a style few bought says little by itself.
 */
export function repeatPropensity(repeatBuyers: number, buyers: number, categoryRate: number, prior = RANKING_PARAMETERS.repeatPriorBuyers): number {
  return (repeatBuyers + prior * categoryRate) / (Math.max(0, buyers) + prior);
}

/** A category is bought again when at least this share of its holdings were bought in two orders or more... */
export const REPEAT_SHARE = 0.1;
/** ...and only with enough holdings to say so. */
export const REPEAT_MIN_HOLDINGS = 20;

/** Whether styles of a category with these holdings (customer × style), `repeated` of them in two orders or more, are offered again. */
export function boughtAgain(holdings: number, repeated: number): boolean {
  return holdings >= REPEAT_MIN_HOLDINGS && repeated >= REPEAT_SHARE * holdings;
}

/** Browsing intent fades faster than ownership. */
export const VIEW_HALF_LIFE_DAYS = 30;
/** A view says less about taste than a purchase. */
export const VIEW_WEIGHT = 0.5;
/** A neighbour's weight (see RankingParameters), exported for tests. */
export const NEIGHBOUR_WEIGHT = RANKING_PARAMETERS.neighbourWeight;
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
  let entry = evidence.get(productId);
  if (!entry) evidence.set(productId, (entry = { score: 0, reasons: new Map() }));
  entry.score += amount;
  let reason = entry.reasons.get(code);
  if (!reason) entry.reasons.set(code, (reason = { score: 0, best: 0, becauseOf }));
  reason.score += amount;
  // Sources arrive sorted by id, so an equal contribution keeps the first: deterministic.
  if (amount > reason.best) {
    reason.best = amount;
    reason.becauseOf = becauseOf;
  }
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What the customer's own history says, per candidate style: BUY_AGAIN (decayed count of the orders
 * of a repeatable style, scaled by how often its buyers buy it again), co-purchase neighbours of what
 * they bought and co-view neighbours of what they bought or viewed, normalised like a cosine
 * (weight / sqrt(buyers(a) * buyers(b))) and weighted by how much the source counts (its decayed
 * orders, plus a recent view for co-views).
 */
function personalEvidence(input: RankingInput, allowed: (productId: string) => boolean, p: RankingParameters): Map<string, Evidence> {
  const now = input.now.getTime();
  const evidence = new Map<string, Evidence>();
  const purchases = input.purchases
    .filter((x) => x.quantity > 0)
    .sort((a, b) => byId(a.productId, b.productId) || a.at.getTime() - b.at.getTime());
  // Two lines of one style in one order (two sizes) are one occasion, not two.
  const occasions = new Set<string>();
  const orders = new Map<string, number>();
  // Per style, units kept (every line) and orders (undecayed): the units it is bought by per order.
  const bulk = new Map<string, { units: number; orders: number }>();
  for (const { productId, at, orders: count, quantity } of purchases) {
    const b = bulk.get(productId) ?? { units: 0, orders: 0 };
    b.units += quantity;
    bulk.set(productId, b);
    const occasion = `${productId}\u0000${at.getTime()}`;
    if (occasions.has(occasion)) continue;
    occasions.add(occasion);
    b.orders += count ?? 1;
    orders.set(productId, (orders.get(productId) ?? 0) + (count ?? 1) * decay(now - at.getTime(), p.purchaseHalfLifeDays));
  }
  const sources = new Map(orders);
  for (const [productId, weight] of orders) {
    if (input.repeatable(productId) && allowed(productId)) {
      const { units, orders: count } = bulk.get(productId)!;
      const perOrder = Math.pow(Math.max(1, units / Math.max(1, count)), p.unitsPerOrderExponent);
      add(evidence, productId, 'BUY_AGAIN', weight * perOrder * Math.pow(input.repeatRate(productId), p.repeatExponent), productId);
    }
  }
  // Styles bought lead through both graphs, a style only looked at through co-views only: a shopper
  // who only looked is never told "bought with what you bought".
  const lastViews = new Map<string, number>();
  for (const { productId, at } of input.views) {
    lastViews.set(productId, Math.max(lastViews.get(productId) ?? 0, VIEW_WEIGHT * decay(now - at.getTime(), VIEW_HALF_LIFE_DAYS)));
  }
  const viewed = new Map(sources);
  for (const [productId, weight] of lastViews) viewed.set(productId, (viewed.get(productId) ?? 0) + weight);
  const buyers = (productId: string) => Math.max(1, input.buyers.get(productId) ?? 1);
  const graphs = [
    { code: 'BOUGHT_TOGETHER' as const, neighbours: input.boughtTogether, weight: p.neighbourWeight, sources },
    { code: 'VIEWED_TOGETHER' as const, neighbours: input.viewedTogether, weight: p.neighbourWeight * CO_VIEW_WEIGHT, sources: viewed },
  ];
  // Neighbours of the most recent styles only, as the service reads them.
  const recent = new Set(neighbourSources([...purchases, ...input.views]));
  for (const { code, neighbours, weight: graphWeight, sources: from } of graphs) {
    for (const [source, weight] of [...from].filter(([id]) => recent.has(id)).sort((a, b) => byId(a[0], b[0]))) {
      const sourceBuyers = buyers(source);
      for (const { productId, weight: pairs } of neighbours.get(source) ?? []) {
        if (productId === source || !(pairs > 0) || !allowed(productId)) continue;
        // Capped at 1: co-view counts are not bounded by buyers as co-buyers are.
        const similarity = Math.min(1, pairs / Math.sqrt(sourceBuyers * buyers(productId)));
        add(evidence, productId, code, graphWeight * weight * similarity, source);
      }
    }
  }
  return evidence;
}

/**
 * How much a style is in demand: popular (buyers), and more so when it sells now (its trend, per
 * buyer). Multiplies the personal evidence: of two styles a customer bought as often, the one others
 * buy now is the likelier to be bought again, and the same holds for neighbours.
 */
function demand(input: RankingInput, productId: string, p: RankingParameters): number {
  const buyers = Math.max(1, input.buyers.get(productId) ?? 1);
  const trend = input.trend.get(productId) ?? 0;
  return Math.pow(buyers, p.popularityExponent) * Math.pow((trend + TREND_PRIOR) / buyers, p.trendExponent);
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
 * VIEWED_TOGETHER) is summed, multiplied by the style's demand, then lifted by up to CONTEXT_BOOST by
 * popularity in the context and newness; styles with only context behind them fill the list below every personal match. Leaves out
 * what is not eligible, what the customer bought unless repeatable (and not bought in the last day),
 * and what they cancelled or returned (and kept none of); with `personal: false` nothing of the customer's history is used. Ties
 * go to the smaller product id.
 */
export function rank(input: RankingInput, first: number, parameters: RankingParameters = RANKING_PARAMETERS): Ranked[] {
  return scoreStyles(input, parameters).select(input.eligible, first);
}

/**
 * Styles scored for one customer in one context, whatever is eligible: a style's score does not depend
 * on whether others are eligible, so `select` gives `rank`'s list for any filter, and the service can
 * score once and filter as it learns what is in stock.
 */
export interface ScoredStyles {
  /** The first `first` of the styles `eligible` lets through, as `rank` orders them. */
  select(eligible: (productId: string) => boolean, first: number): Ranked[];
}

export function scoreStyles(input: RankingInput, parameters: RankingParameters = RANKING_PARAMETERS): ScoredStyles {
  const history = input.personal ? input.purchases : [];
  const owned = new Set(history.filter((p) => p.quantity > 0).map((p) => p.productId));
  const givenBack = new Set(history.filter((p) => !(p.quantity > 0) && !owned.has(p.productId)).map((p) => p.productId));
  const justBought = new Set(
    history.filter((p) => p.quantity > 0 && input.now.getTime() - p.at.getTime() < JUST_BOUGHT_MS).map((p) => p.productId),
  );
  const verdicts = new Map<string, boolean>();
  // What her history rules out; eligibility in the context is `select`'s.
  const allowed = (productId: string) => {
    let verdict = verdicts.get(productId);
    if (verdict === undefined) {
      verdict = !givenBack.has(productId) && (!owned.has(productId) || (input.repeatable(productId) && !justBought.has(productId)));
      verdicts.set(productId, verdict);
    }
    return verdict;
  };
  const personal = input.personal ? personalEvidence(input, allowed, parameters) : new Map<string, Evidence>();
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
  const contextStrength = (productId: string) => {
    const c = context.get(productId);
    return c ? (c.popular + NEW_ARRIVAL_WEIGHT * c.fresh) / (1 + NEW_ARRIVAL_WEIGHT) : 0;
  };
  const sortByStrength = (a: { code: ReasonCode; strength: number }, b: { code: ReasonCode; strength: number }) =>
    b.strength - a.strength || byId(a.code, b.code);
  const byScore = (a: { productId: string; score: number }, b: { productId: string; score: number }) => b.score - a.score || byId(a.productId, b.productId);
  const contextCodes = (productId: string): RankedReason[] => contextReasons(productId).sort(sortByStrength).map(({ code }) => ({ code }));
  // Reasons are spelt out for the styles selected only: a customer may have thousands of matches.
  const reasonsOf = (productId: string, evidence: Evidence): RankedReason[] => [
    ...[...evidence.reasons]
      .map(([code, r]) => ({ code, strength: r.score, becauseOf: r.becauseOf }))
      .sort(sortByStrength)
      .map(({ code, becauseOf }): RankedReason => ({ code, becauseOf })),
    ...contextCodes(productId),
  ];

  const matches = [...personal].map(([productId, evidence]) => ({
    productId,
    evidence,
    score: evidence.score * demand(input, productId, parameters) * (1 + CONTEXT_BOOST * contextStrength(productId)),
  }));
  matches.sort(byScore);
  // Context alone, strongest first (its score is set against the weakest personal match selected).
  const fill = [...context.keys()]
    .filter((productId) => !personal.has(productId) && allowed(productId))
    .map((productId) => ({ productId, strength: contextStrength(productId) }))
    .sort((a, b) => b.strength - a.strength || byId(a.productId, b.productId));

  return {
    select(eligible, first) {
      if (!(first > 0)) return [];
      const ranked: Ranked[] = [];
      let weakest = Infinity;
      for (const match of matches) {
        if (!eligible(match.productId)) continue;
        weakest = match.score;
        if (ranked.length < first) ranked.push({ productId: match.productId, score: match.score, reasons: reasonsOf(match.productId, match.evidence) });
      }
      // Half the weakest personal match: context alone never outranks the customer's own evidence.
      const floor = Number.isFinite(weakest) ? weakest / 2 : 1;
      for (const { productId, strength } of fill) {
        if (ranked.length >= first) break;
        if (!eligible(productId)) continue;
        ranked.push({ productId, score: floor * strength, reasons: contextCodes(productId) });
      }
      return ranked;
    },
  };
}
