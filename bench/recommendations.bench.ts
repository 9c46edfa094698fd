import 'reflect-metadata';
import { graphql, testConfig } from '../shared/testkit';
import { mintDevelopmentToken } from '../gateway/src/auth/development-tokens';
import { discardGraphData, seedDemoData } from '../scripts/seed/seed';
import { startGraph } from '../scripts/start-all';
import { runLoad } from './load';

const RECOMMENDATIONS = `query($id: ID!, $context: RecommendationContext) { customer(id: $id) {
  recommendations(first: 10, context: $context) { score product { id name } variant { id size } reasons { code } } } }`;

/**
 * `npm run bench:recs -- SCALE REQUESTS CONCURRENCY` (default 0.2 500 8): seeds a fresh graph, then
 * asks the gateway for `Customer.recommendations` of many customers in three contexts (none, a store,
 * EC), twice, and prints p50 and p99 latency of the second pass and the SQL statements per request of
 * the recommendations service.
 */
async function main(): Promise<void> {
  const scale = Number(process.argv[2] ?? 0.2);
  const requests = Number(process.argv[3] ?? 500);
  const concurrency = Number(process.argv[4] ?? 8);
  const config = testConfig({ LOG_LEVEL: 'warn' });
  const graph = await startGraph(config);
  try {
    const data = await seedDemoData(graph, { scale });
    console.log(`seeded scale ${scale} on ${graph.subgraphs.recommendations.db.kind}, cache ${config.redisUrl ? 'redis' : 'memory'}`);
    const buyers = [...new Set(data.orders.map((o) => o.customerId).filter((id): id is string => !!id))];
    const staff = { authorization: `Bearer ${await mintDevelopmentToken(config.jwt, { role: 'SUPPORT', staffId: 'bench' })}` };
    const store = data.locations.find((l) => l.type === 'STORE')!.id;
    for (const [label, context] of [
      ['no context', null],
      ['store', { locationId: store }],
      ['EC', { channel: 'EC' }],
    ] as const) {
      const statements: number[] = [];
      const send = async (i: number) => {
        const response = await graphql(graph.gateway.url, RECOMMENDATIONS, { id: buyers[i % buyers.length], context }, staff);
        if (response.errors) throw new Error(JSON.stringify(response.errors));
        statements.push(graph.subgraphs.recommendations.db.statements.forRequest(response.requestId));
      };
      // A first pass fills the cached lists (neighbours of styles, bestsellers), as traffic keeps them filled.
      await runLoad(requests, concurrency, send);
      const cold = { min: Math.min(...statements), max: Math.max(...statements) };
      statements.length = 0;
      const load = await runLoad(requests, concurrency, send);
      console.log(
        `Customer.recommendations (${label}): ${requests} requests, concurrency ${concurrency}, ${load.perSecond.toFixed(0)} req/s; ` +
          `latency ms p50 ${load.percentile(50)} p99 ${load.percentile(99)}; SQL statements per request min ${Math.min(...statements)} ` +
          `max ${Math.max(...statements)} (first pass, lists not yet cached: ${cold.min}-${cold.max})`,
      );
    }
  } finally {
    await graph.stop();
    await discardGraphData(config);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
