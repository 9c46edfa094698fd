import { Readable } from 'node:stream';
import { evaluateOrders } from './evaluate';
import { TIFU_PUBLISHED } from './tifu-knn';
import { ITEM_KNN_DEFAULT } from './tuning';

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

  it('scores the project ranking and every baseline on the same test customers', async () => {
    const report = await evaluateOrders(Readable.from([csv]), { cutoff: new Date('2025-02-01'), k: 2 });
    expect(report.testCustomers).toBe(2);
    expect(report.results.map((r) => r.name)).toEqual([
      'recommender (rank)',
      'baseline: global popularity',
      'baseline: personal frequency + popularity',
      `baseline: item-kNN (${ITEM_KNN_DEFAULT} neighbours)`,
      'baseline: TIFU-KNN (m=7 rb=0.9 rg=0.7 k=300 alpha=0.7)',
    ]);
    // Nobody bought anything in two orders, so nothing is bought again: rank leaves out what each owns
    // and recommends the co-purchase neighbour each then bought (u1: C through A, u2: B through A).
    const [recommender, popularity, frequency, itemKnn, tifu] = report.results.map((r) => r.metrics);
    expect(recommender).toMatchObject({ recall: 1, hitRate: 1, ndcg: 1, explore: { recall: 1, customers: 2 }, repeat: { customers: 0 } });
    // Popularity [A, B]: u1 misses, u2 hits B at position 2.
    expect(popularity).toMatchObject({ recall: 0.5, hitRate: 0.5 });
    expect(popularity.ndcg).toBeCloseTo(1 / Math.log2(3) / 2, 10);
    // Their own items [A, B] and [A, C] miss.
    expect(frequency).toMatchObject({ recall: 0, hitRate: 0, ndcg: 0 });
    // Item-kNN: u1's A and B point back at each other (0.82) before C (0.58); u2's A points at B first.
    expect(itemKnn).toMatchObject({ recall: 0.5, hitRate: 0.5, ndcg: 0.5 });
    // TIFU-KNN keeps mostly their own items: u1 [B, A], u2 [A, C].
    expect(tifu).toMatchObject({ recall: 0, hitRate: 0 });
  });

  it('tunes the baselines on a validation split before the cutoff, or keeps their defaults without one', async () => {
    const report = await evaluateOrders(Readable.from([csv]), { cutoff: new Date('2025-02-01'), k: 2 });
    // The test period lasts 10 days (to 2025-02-10), so does the validation period: nobody bought in it.
    expect(report.validation).toBeNull();
    expect(report.tuned).toEqual({ itemKnnNeighbours: ITEM_KNN_DEFAULT, tifu: TIFU_PUBLISHED, tifuSettingsTried: 0 });
    const tuned = await evaluateOrders(Readable.from([csv]), { cutoff: new Date('2025-02-01'), k: 2, validationCutoff: new Date('2025-01-03') });
    // Trained on 2025-01-01 and 01-02; u2 (A, then C on 01-03) is the one validation customer.
    expect(tuned.validation).toMatchObject({ cutoff: new Date('2025-01-03'), trainingRows: 3, testCustomers: 1 });
    expect(tuned.validation!.results).toHaveLength(5);
    expect(tuned.tuned.tifuSettingsTried).toBeGreaterThan(0);
    // The test figures of the models whose parameters do not depend on the validation are the same.
    expect(tuned.results.slice(0, 3)).toEqual(report.results.slice(0, 3));
  });
});
