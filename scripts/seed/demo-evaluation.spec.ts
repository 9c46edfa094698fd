import { Readable } from 'node:stream';
import { evaluateOrders } from '../../subgraphs/recommendations/src/evaluation/evaluate';
import { generateDemoData } from './demo-data';
import { demoOrdersCsv } from './demo-orders-csv';
import { DEMO_SEED } from './seed';

describe('offline evaluation of the demo orders (the figures in README.md)', () => {
  it('ranks better than both baselines on every metric', async () => {
    const { orders } = generateDemoData({ scale: 1, seed: DEMO_SEED, anchor: new Date('2026-11-23T00:00:00Z') });
    const csv = Readable.from((function* () {
      for (const line of demoOrdersCsv(orders)) yield `${line}\n`;
    })());
    const report = await evaluateOrders(csv, { cutoff: new Date('2026-08-25T00:00:00Z'), k: 10 });
    expect(report.read.malformed).toBe(0);
    expect(report.testCustomers).toBeGreaterThan(1000);
    const [recommender, ...baselines] = report.results;
    expect(recommender.name).toMatch(/rank/);
    for (const baseline of baselines) {
      for (const metric of ['recall', 'hitRate', 'ndcg'] as const) expect(recommender.metrics[metric]).toBeGreaterThan(baseline.metrics[metric]);
    }
  });
});
