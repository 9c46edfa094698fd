import { Readable } from 'node:stream';
import { evaluateOrders } from './evaluate';

describe('evaluateOrders', () => {
  const csv = `customer_id,item_id,timestamp,quantity
u1,A,2025-01-01,1
u1,B,2025-01-02,1
u2,A,2025-01-01,1
u2,C,2025-01-03,1
u3,A,2025-01-05,1
u3,B,2025-01-05,1
u1,C,2025-02-10,1
u2,B,2025-02-10,1
u4,A,2025-02-10,1
`;

  it('scores the project ranking and both baselines on the same test customers', async () => {
    const report = await evaluateOrders(Readable.from([csv]), { cutoff: new Date('2025-02-01'), k: 2 });
    expect(report.testCustomers).toBe(2);
    const [recommender, popularity, own] = report.results.map((r) => r.metrics);
    // Nobody bought anything twice, so nothing is repeatable: rank leaves out what each owns and
    // recommends the co-purchase neighbour each then bought (u1: C through A, u2: B through A).
    expect(recommender).toEqual({ recall: 1, hitRate: 1, ndcg: 1 });
    // Popularity [A, B]: u1 misses, u2 hits B at position 2.
    expect(popularity.recall).toBe(0.5);
    expect(popularity.hitRate).toBe(0.5);
    expect(popularity.ndcg).toBeCloseTo(1 / Math.log2(3) / 2, 10);
    // Their own items [A, B] and [A, C] miss.
    expect(own).toEqual({ recall: 0, hitRate: 0, ndcg: 0 });
  });
});
