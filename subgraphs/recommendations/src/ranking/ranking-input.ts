/**
 * What the ranking needs to know about one customer in one context. The service builds it from its
 * database; offline evaluation (`npm run recs:evaluate`) builds it from a CSV of orders. Both then call
 * the same `rank` (scoring.ts), so what is evaluated is what is served.
 */

export type ReasonCode = 'BUY_AGAIN' | 'BOUGHT_TOGETHER' | 'VIEWED_TOGETHER' | 'POPULAR_IN_STORE' | 'POPULAR' | 'NEW_ARRIVAL';

/**
 * Pairs bought together are counted from each customer's most recent styles only (the last bought
 * first), which bounds the work per purchase; the service and offline evaluation count them alike.
 */
export const RECENT_PURCHASED_STYLES = 30;

/**
 * Neighbours kept per style, the most similar first: by co-buyers (or co-viewers) squared over the
 * neighbour's buyers, which orders a style's neighbours as the cosine `weight / sqrt(buyers(a) × buyers(b))`
 * that `rank` uses. The service reads them so, and offline evaluation keeps the same ones.
 */
export const NEIGHBOURS_PER_STYLE = 50;

/**
 * Neighbours are looked up for the customer's most recently bought or viewed styles only, this many:
 * older ones add little, and it bounds the styles one request considers (at most 100 × 50 per graph).
 */
export const NEIGHBOUR_SOURCES = 100;

/** The most recent distinct styles of a history, at most NEIGHBOUR_SOURCES: those whose neighbours are looked up. */
export function neighbourSources(history: ReadonlyArray<{ productId: string; at: Date }>): string[] {
  const newestFirst = [...history].sort((a, b) => b.at.getTime() - a.at.getTime() || (a.productId < b.productId ? -1 : 1));
  return [...new Set(newestFirst.map((h) => h.productId))].slice(0, NEIGHBOUR_SOURCES);
}

/** A weighted neighbour of a style (co-purchase or co-view count). */
export interface Neighbour {
  productId: string;
  weight: number;
}

/** A purchase of the customer: a line, or what their holdings know of older orders (`orders` of them). */
export interface Purchase {
  productId: string;
  /** The SKU bought; unknown (null) for orders known from holdings only. */
  variantId?: string | null;
  at: Date;
  /** Units kept: 0 when every unit was given back. */
  quantity: number;
  /** Orders this entry stands for (1 when not given): holdings count older orders of a style at one date. */
  orders?: number;
}

export interface RankingInput {
  /** The moment of ranking: time decay and recency are measured from it. */
  now: Date;
  /** False when the customer refused PERSONALIZATION: only popularity and new arrivals, nothing from their history. */
  personal: boolean;
  /**
   * The customer's purchases net of returns and cancellations (units kept), any order. A purchase
   * whose every unit was given back (quantity 0) is not theirs, and its style is not recommended to them.
   */
  purchases: Purchase[];
  /** The customer's product views and cart adds, any order. */
  views: Array<{ productId: string; at: Date }>;
  /** Co-purchase neighbours of (at least) the `neighbourSources` of `purchases` and `views`. */
  boughtTogether: Map<string, Neighbour[]>;
  /** Co-view neighbours of (at least) the same styles. */
  viewedTogether: Map<string, Neighbour[]>;
  /** Distinct buyers per style (normalises neighbour weights, and is its popularity); a style missing counts as 1. */
  buyers: Map<string, number>;
  /**
   * Per style, its kept order lines each decayed by its age at `now` with RANKING_PARAMETERS.trendHalfLifeDays:
   * what sells now. A style missing counts as none sold lately.
   */
  trend: Map<string, number>;
  /** Popularity in this context (a store's, or the channel's), most popular first, with a score. */
  popular: Array<{ productId: string; score: number }>;
  /** True when `popular` is a store's own bestsellers (reason POPULAR_IN_STORE rather than POPULAR). */
  popularInStore: boolean;
  /** Recently released styles available in this context, newest first. */
  newArrivals: string[];
  /** Styles that make sense to buy again (consumables, basics); others already bought are left out. */
  repeatable: (productId: string) => boolean;
  /** How likely a buyer of the style buys it again, in [0, 1] (repeatPropensity in scoring.ts). */
  repeatRate: (productId: string) => number;
  /** The context's filter: in stock at the store, or sold online and in stock for shipping. */
  eligible: (productId: string) => boolean;
}

export interface RankedReason {
  code: ReasonCode;
  /** The customer's style that led to it (BUY_AGAIN, BOUGHT_TOGETHER, VIEWED_TOGETHER). */
  becauseOf?: string;
}

export interface Ranked {
  productId: string;
  score: number;
  /** Strongest first. */
  reasons: RankedReason[];
}
