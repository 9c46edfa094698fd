import { MetricMeans, scoreList } from './metrics';

describe('scoreList', () => {
  it('computes Recall, HR and NDCG with binary relevance', () => {
    const m = scoreList(['x', 'a', 'y', 'b'], new Set(['a', 'b', 'c']), 10);
    expect(m.recall).toBeCloseTo(2 / 3, 10);
    expect(m.hitRate).toBe(1);
    // DCG: hits at positions 2 and 4 -> 1/log2(3) + 1/log2(5); ideal: three hits first -> 1 + 1/log2(3) + 1/2.
    expect(m.ndcg).toBeCloseTo((0.63093 + 0.43068) / (1 + 0.63093 + 0.5), 4);
  });

  it('divides by min(|truth|, k): a perfect list of k scores 1 even when more was bought', () => {
    const truth = new Set('abcdefghijkl'.split(''));
    const m = scoreList('abcdefghij'.split(''), truth, 10);
    expect(m).toMatchObject({ recall: 1, hitRate: 1, ndcg: 1 });
    expect(scoreList(['a'], new Set(['a']), 10)).toMatchObject({ recall: 1, hitRate: 1, ndcg: 1 });
  });

  it('counts only the first k, and a repeated item once', () => {
    const list = [...'0123456789'.split(''), 'a'];
    expect(scoreList(list, new Set(['a']), 10)).toMatchObject({ recall: 0, hitRate: 0, ndcg: 0 });
    const m = scoreList(['a', 'a', 'b'], new Set(['a', 'b']), 3);
    expect(m.recall).toBe(1);
    expect(m.ndcg).toBeCloseTo((1 + 0.5) / (1 + 0.63093), 4);
  });

  it('splits the recall into items bought before (repeat) and new ones (explore), each over min(|part|, k)', () => {
    // Bought before: a, b, z. Truth: a, b (repeat), c, d, e (explore). The list hits a and c.
    const m = scoreList(['a', 'x', 'c', 'z'], new Set(['a', 'b', 'c', 'd', 'e']), 10, new Set(['a', 'b', 'z']));
    expect(m.recall).toBeCloseTo(2 / 5, 12);
    expect(m.repeatRecall).toBeCloseTo(1 / 2, 12);
    expect(m.exploreRecall).toBeCloseTo(1 / 3, 12);
    // k = 2: the list's first two hold a only; each part divides by at most k.
    const top2 = scoreList(['a', 'c'], new Set(['a', 'b', 'c', 'd', 'e']), 2, new Set(['a', 'b', 'z']));
    expect([top2.recall, top2.repeatRecall, top2.exploreRecall]).toEqual([1, 0.5, 1 / 2]);
    // A truth without repeat items has no repeat recall (and the reverse).
    expect(scoreList(['c'], new Set(['c']), 10, new Set(['a']))).toMatchObject({ repeatRecall: null, exploreRecall: 1 });
    expect(scoreList(['c'], new Set(['a']), 10, new Set(['a']))).toMatchObject({ repeatRecall: 0, exploreRecall: null });
  });

  it('averages over customers, the repeat and explore recall over the customers who have such items', () => {
    const means = new MetricMeans();
    means.add(scoreList(['a'], new Set(['a']), 10));
    means.add(scoreList(['b'], new Set(['a']), 10));
    means.add(scoreList(['a', 'b'], new Set(['a', 'b']), 10, new Set(['a'])));
    const mean = means.mean();
    expect(mean).toMatchObject({ recall: 2 / 3, hitRate: 2 / 3 });
    expect(mean.ndcg).toBeCloseTo(2 / 3, 12);
    expect(mean.repeat).toEqual({ recall: 1, customers: 1 });
    expect(mean.explore).toEqual({ recall: 2 / 3, customers: 3 });
    expect(means.customers).toBe(3);
  });
});
