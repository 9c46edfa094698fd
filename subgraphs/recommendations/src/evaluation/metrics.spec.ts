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
    expect(m).toEqual({ recall: 1, hitRate: 1, ndcg: 1 });
    expect(scoreList(['a'], new Set(['a']), 10)).toEqual({ recall: 1, hitRate: 1, ndcg: 1 });
  });

  it('counts only the first k, and a repeated item once', () => {
    const list = [...'0123456789'.split(''), 'a'];
    expect(scoreList(list, new Set(['a']), 10)).toEqual({ recall: 0, hitRate: 0, ndcg: 0 });
    const m = scoreList(['a', 'a', 'b'], new Set(['a', 'b']), 3);
    expect(m.recall).toBe(1);
    expect(m.ndcg).toBeCloseTo((1 + 0.5) / (1 + 0.63093), 4);
  });

  it('averages over customers', () => {
    const means = new MetricMeans();
    means.add(scoreList(['a'], new Set(['a']), 10));
    means.add(scoreList(['b'], new Set(['a']), 10));
    expect(means.mean()).toEqual({ recall: 0.5, hitRate: 0.5, ndcg: 0.5 });
    expect(means.customers).toBe(2);
  });
});
