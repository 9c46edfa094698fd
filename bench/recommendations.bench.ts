import 'reflect-metadata';
import { graphql, testConfig } from '../shared/testkit';
import { mintDevelopmentToken } from '../gateway/src/auth/development-tokens';
import { discardGraphData, seedDemoData } from '../scripts/seed/seed';
import { startGraph } from '../scripts/start-all';

const RECOMMENDATIONS = `query($id: ID!, $context: RecommendationContext) { customer(id: $id) {
  recommendations(first: 10, context: $context) { score product { id name } variant { id size } reasons { code } } } }`;

/**
 * `npm run bench:recs -- SCALE REQUESTS CONCURRENCY` (default 0.2 500 8): seeds a fresh graph, then
 * asks the gateway for `Customer.recommendations` of many customers in three contexts (none, a store,
 * EC) and prints p50 and p99 latency and the SQL statements per request of the recommendations service.
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
      const latencies: number[] = [];
      const statements: number[] = [];
      let next = 0;
      const worker = async () => {
        while (next < requests) {
          const id = buyers[next++ % buyers.length];
          const started = process.hrtime.bigint();
          const response = await graphql(graph.gateway.url, RECOMMENDATIONS, { id, context }, staff);
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          if (response.errors) throw new Error(JSON.stringify(response.errors));
          statements.push(graph.subgraphs.recommendations.db.statements.forRequest(response.requestId));
        }
      };
      const started = Date.now();
      await Promise.all(Array.from({ length: concurrency }, worker));
      const seconds = (Date.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
      console.log(
        `Customer.recommendations (${label}): ${requests} requests, concurrency ${concurrency}, ${(requests / seconds).toFixed(0)} req/s; ` +
          `latency ms p50 ${pct(50)} p99 ${pct(99)}; SQL statements per request min ${Math.min(...statements)} max ${Math.max(...statements)}`,
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
