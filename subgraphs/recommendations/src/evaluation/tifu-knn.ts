/**
 * TIFU-KNN (Hu, He, Gao & Zhang, "Modeling Personalized Item Frequency Information for Next-basket
 * Recommendation", SIGIR 2020), a baseline the recommender has to beat: each customer is a vector of
 * time-decayed item frequencies over their baskets (orders), and the prediction blends their own
 * vector with the mean of their k nearest neighbours' (Euclidean distance), `alpha` the own share.
 */
import type { Basket, TrainingSet } from './training-set';

export interface TifuParameters {
  /** Baskets are split into this many groups of consecutive baskets (fewer baskets: one group each). */
  groups: number;
  /** Within a group, a basket j places before the group's last weighs withinDecay^j. */
  withinDecay: number;
  /** Group g places before the last weighs groupDecay^g. */
  groupDecay: number;
  /** Nearest customers averaged. */
  neighbours: number;
  /** The customer's own vector's share of the prediction; 1 - alpha is the neighbours'. */
  alpha: number;
}

/** The parameters the authors give for their data sets (the tuning starts there). */
export const TIFU_PUBLISHED: TifuParameters = { groups: 7, withinDecay: 0.9, groupDecay: 0.7, neighbours: 300, alpha: 0.7 };

/**
 * A customer's vector: baskets (oldest first) split into min(groups, n) groups of consecutive baskets,
 * as equal as can be with the later groups the larger (as the authors' code splits them); a group's
 * vector is the mean of its baskets' indicator vectors, each decayed by its place before the group's
 * last basket; the customer's is the mean of the group vectors, each decayed by its place before the
 * last group.
 */
export function tifuVector(baskets: ReadonlyArray<Pick<Basket, 'items'>>, p: Pick<TifuParameters, 'groups' | 'withinDecay' | 'groupDecay'>): Map<number, number> {
  const vector = new Map<number, number>();
  const n = baskets.length;
  if (!n) return vector;
  const groups = Math.min(p.groups, n);
  const base = Math.floor(n / groups);
  const larger = n % groups;
  let start = 0;
  for (let g = 0; g < groups; g++) {
    const size = base + (g >= groups - larger ? 1 : 0);
    const groupWeight = Math.pow(p.groupDecay, groups - 1 - g) / groups;
    for (let j = 0; j < size; j++) {
      const weight = (groupWeight * Math.pow(p.withinDecay, size - 1 - j)) / size;
      for (const item of new Set(baskets[start + j].items)) vector.set(item, (vector.get(item) ?? 0) + weight);
    }
    start += size;
  }
  return vector;
}

/** Sparse vectors of every training customer, and their nearest neighbours by Euclidean distance. */
export class TifuVectors {
  readonly vectors: Array<{ items: Int32Array; values: Float64Array }>;
  private readonly norms: Float64Array;
  /** Per item, the customers whose vector has it and the value (compressed sparse columns). */
  private readonly holderStart: Int32Array;
  private readonly holderCustomer: Int32Array;
  private readonly holderValue: Float64Array;
  private readonly dots: Float64Array;

  constructor(train: TrainingSet, p: Pick<TifuParameters, 'groups' | 'withinDecay' | 'groupDecay'>) {
    this.vectors = train.customerIds.map((_, c) => {
      const v = tifuVector(train.basketsOf(c), p);
      return { items: Int32Array.from(v.keys()), values: Float64Array.from(v.values()) };
    });
    this.norms = Float64Array.from(this.vectors, (v) => v.values.reduce((s, x) => s + x * x, 0));
    const items = train.itemIds.length;
    this.holderStart = new Int32Array(items + 1);
    for (const v of this.vectors) for (const item of v.items) this.holderStart[item + 1]++;
    for (let i = 0; i < items; i++) this.holderStart[i + 1] += this.holderStart[i];
    this.holderCustomer = new Int32Array(this.holderStart[items]);
    this.holderValue = new Float64Array(this.holderStart[items]);
    const next = this.holderStart.slice(0, items);
    this.vectors.forEach((v, c) =>
      v.items.forEach((item, i) => {
        this.holderCustomer[next[item]] = c;
        this.holderValue[next[item]++] = v.values[i];
      }),
    );
    this.dots = new Float64Array(this.vectors.length);
  }

  /** The other customers nearest first (ties: the smaller index), at most `k`. */
  nearest(customer: number, k: number): number[] {
    const { items, values } = this.vectors[customer];
    const dots = this.dots;
    dots.fill(0);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      for (let h = this.holderStart[item]; h < this.holderStart[item + 1]; h++) dots[this.holderCustomer[h]] += values[i] * this.holderValue[h];
    }
    const own = this.norms[customer];
    const distance = new Float64Array(this.norms.length);
    for (let other = 0; other < distance.length; other++) distance[other] = this.norms[other] + own - 2 * dots[other];
    distance[customer] = Infinity;
    const count = Math.min(k, distance.length - 1);
    if (count <= 0) return [];
    // The count-th smallest distance bounds the neighbours: only those at most that far are sorted.
    const bound = kthSmallest(distance.slice(), count);
    const near: number[] = [];
    for (let other = 0; other < distance.length; other++) if (distance[other] <= bound && other !== customer) near.push(other);
    near.sort((a, b) => distance[a] - distance[b] || a - b);
    return near.slice(0, count);
  }
}

/**
 * Scores for each (neighbours, alpha) of the grids at once, from one neighbour search: `visit` gets
 * each combination's item score, and the items that may score above zero.
 */
export function tifuScores(
  tifu: TifuVectors,
  customer: number,
  neighbourCounts: readonly number[],
  alphas: readonly number[],
  itemCount: number,
  visit: (neighbours: number, alpha: number, score: (item: number) => number, touched: readonly number[]) => void,
): void {
  const counts = [...neighbourCounts].sort((a, b) => a - b);
  const nearest = tifu.nearest(customer, counts[counts.length - 1]);
  const sum = new Float64Array(itemCount);
  const own = new Float64Array(itemCount);
  const marked = new Uint8Array(itemCount);
  const touched: number[] = [];
  const mine = tifu.vectors[customer];
  mine.items.forEach((item, i) => {
    own[item] = mine.values[i];
    if (!marked[item]) (marked[item] = 1), touched.push(item);
  });
  let used = 0;
  for (const k of counts) {
    for (; used < Math.min(k, nearest.length); used++) {
      const v = tifu.vectors[nearest[used]];
      for (let i = 0; i < v.items.length; i++) {
        const item = v.items[i];
        sum[item] += v.values[i];
        if (!marked[item]) (marked[item] = 1), touched.push(item);
      }
    }
    const mean = used ? 1 / used : 0;
    for (const alpha of alphas) visit(k, alpha, (item) => alpha * own[item] + (1 - alpha) * sum[item] * mean, touched);
  }
}

/** The k-th smallest value (1-based) of `values`, which it reorders (quickselect). */
function kthSmallest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return values[target];
  }
  return values[target];
}
