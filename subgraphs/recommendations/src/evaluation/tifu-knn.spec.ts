import type { OrderRow } from './order-csv';
import { tifuScores, tifuVector, TifuVectors } from './tifu-knn';
import { OrderSplit } from './training-set';

describe('TIFU-KNN', () => {
  it("builds a customer's vector from time-decayed groups of baskets (computed by hand)", () => {
    // Baskets (oldest first) [A], [A, B], [C] in 2 groups: [A] | [A, B], [C] (the later group the larger).
    // Group 1: A = 1. Group 2: (0.5 × {A, B} + 1 × {C}) / 2 = {A: 0.25, B: 0.25, C: 0.5}.
    // Customer: (0.5 × group 1 + 1 × group 2) / 2 = {A: 0.375, B: 0.125, C: 0.25}.
    const v = tifuVector([{ items: [0] }, { items: [0, 1] }, { items: [2] }], { groups: 2, withinDecay: 0.5, groupDecay: 0.5 });
    expect(v.get(0)).toBeCloseTo(0.375, 12);
    expect(v.get(1)).toBeCloseTo(0.125, 12);
    expect(v.get(2)).toBeCloseTo(0.25, 12);
    // Fewer baskets than groups: one group each; an item twice in a basket counts once.
    const few = tifuVector([{ items: [0, 0] }, { items: [1] }], { groups: 7, withinDecay: 0.9, groupDecay: 0.5 });
    expect([...few]).toEqual([
      [0, 0.25],
      [1, 0.5],
    ]);
    expect(tifuVector([], { groups: 3, withinDecay: 1, groupDecay: 1 }).size).toBe(0);
  });

  it('blends the own vector with the mean of the nearest customers (Euclidean), alpha the own share', () => {
    const row = (customerId: string, itemId: string, day: number): OrderRow => ({
      customerId,
      itemId,
      at: Date.UTC(2025, 0, day),
      quantity: 1,
      locationId: null,
      category: null,
    });
    const split = new OrderSplit(Date.UTC(2025, 1, 1));
    // u1 {A, B}; u2 {A, B, C} is nearer to u1 than u3 {D}.
    for (const r of [row('u1', 'A', 1), row('u1', 'B', 1), row('u2', 'A', 2), row('u2', 'B', 2), row('u2', 'C', 2), row('u3', 'D', 3)]) split.add(r);
    const train = split.finish();
    const tifu = new TifuVectors(train, { groups: 1, withinDecay: 1, groupDecay: 1 });
    const [u1, u2, u3] = ['u1', 'u2', 'u3'].map((id) => train.customerIds.indexOf(id));
    // Distances² from u1 {A: 1, B: 1}: u2 {A: 1, B: 1, C: 1} 1, u3 {D: 1} 3.
    expect(tifu.nearest(u1, 5)).toEqual([u2, u3]);
    const seen: Array<[number, number, Record<string, number>]> = [];
    tifuScores(tifu, u1, [1, 2], [1, 0.5], train.itemIds.length, (k, alpha, score, touched) => {
      seen.push([k, alpha, Object.fromEntries(touched.filter((i) => score(i) > 0).map((i) => [train.itemIds[i], score(i)]))]);
    });
    expect(seen).toEqual([
      [1, 1, { A: 1, B: 1 }],
      [1, 0.5, { A: 1, B: 1, C: 0.5 }],
      [2, 1, { A: 1, B: 1 }],
      [2, 0.5, { A: 0.75, B: 0.75, C: 0.25, D: 0.25 }],
    ]);
  });
});
