import fs from 'node:fs';
import { testConfig } from '../shared/testkit';
import { isSeeded, resetAll, seedDemoData } from '../scripts/seed/seed';
import { openGraph, startDemoGraph } from '../scripts/start-all';
import { deliveredOrder } from './support/orders';

const config = testConfig();

afterAll(async () => {
  await resetAll(config);
  fs.rmSync(config.dataDir, { recursive: true, force: true });
});

describe('demo data lifecycle', () => {
  it('seeds an empty graph, reuses the data on the next start, and starts afresh after a reset', async () => {
    let graph = await openGraph(config);
    expect(await isSeeded(graph)).toBe(false);
    const data = await seedDemoData(graph, { scale: 0.01 });
    await graph.close();

    graph = await openGraph(config);
    expect(await isSeeded(graph)).toBe(true);
    const [customer] = await graph.subgraphs.customers.domain.customers.byIds([data.customers[0].id]);
    expect(customer?.displayName).toBe(data.customers[0].displayName);
    await graph.close();

    await resetAll(config);
    graph = await openGraph(config);
    expect(await isSeeded(graph)).toBe(false);
    await graph.close();
  });

  it("says not-ready at npm start's gateway until the demo data is there, showing each step", async () => {
    const steps: string[] = [];
    const { graph, seed } = await startDemoGraph(config, { scale: 0.01, log: (line) => steps.push(line) });
    try {
      const readiness = () => fetch(graph.gateway.url.replace(/\/graphql$/, '/readyz')).then(async (r) => ({ status: r.status, data: ((await r.json()) as { checks: Record<string, string> }).checks.data }));
      expect(await readiness()).toEqual({ status: 503, data: 'failing' });
      await seed();
      expect(await readiness()).toEqual({ status: 200, data: 'ok' });
      expect(steps[0]).toMatch(/^Empty databases: seeding/);
      expect(steps.slice(1).map((s) => s.trim().split(':')[0].split(' (')[0])).toEqual(['inventory', 'customers', 'touchpoints', 'orders', 'events consumed']);
    } finally {
      await graph.stop();
      await resetAll(config);
    }
  });

  it('recognises a seed that stopped half way', async () => {
    const graph = await openGraph(config);
    try {
      await graph.subgraphs.orders.domain.orders.recordOrders([deliveredOrder({ customerId: 'c-1', productId: 'p-1', variantId: 'v-1', unitPrice: 990 })]);
      await expect(isSeeded(graph)).rejects.toThrow('--reset');
    } finally {
      await graph.close();
      await resetAll(config);
    }
  });

  it('hands events committed just before shutdown to their consumers', async () => {
    let graph = await openGraph(config);
    await graph.subgraphs.orders.domain.orders.recordOrders([
      deliveredOrder({ customerId: 'c-late', productId: 'p-late', variantId: 'v-late', unitPrice: 1990 }),
    ]);
    await graph.close();

    graph = await openGraph(config);
    try {
      await graph.settle();
      const recommendations = await graph.subgraphs.recommendations.domain.recommendations.recommendFor(['c-late'], 5);
      // p-late is now owned by c-late, so the popular p-late is not recommended back to them...
      expect(recommendations.get('c-late')!.map((r) => r.productId)).not.toContain('p-late');
      // ...but is the most popular style for anyone else.
      const others = await graph.subgraphs.recommendations.domain.recommendations.recommendFor(['c-other'], 5);
      expect(others.get('c-other')!.map((r) => r.productId)).toEqual(['p-late']);
    } finally {
      await graph.close();
    }
  });
});
