import 'reflect-metadata';
import { SERVICE_NAMES } from '../shared/config';
import { graphql, testConfig } from '../shared/testkit';
import { mintDevelopmentToken } from '../gateway/src/auth/development-tokens';
import { discardGraphData, seedDemoData } from '../scripts/seed/seed';
import { EXAMPLE_QUERY, startGraph } from '../scripts/start-all';

/**
 * `npm run bench`: seeds a fresh graph (`-- SCALE REQUESTS CONCURRENCY`, default 0.2 500 8), then sends the
 * customer 360 query of the README through the gateway for many customers at a fixed concurrency and
 * prints latency percentiles and SQL statements per request and service. Figures, not assertions.
 */
async function main(): Promise<void> {
  const scale = Number(process.argv[2] ?? 0.2);
  const requests = Number(process.argv[3] ?? 500);
  const concurrency = Number(process.argv[4] ?? 8);
  const config = testConfig({ LOG_LEVEL: 'warn' });
  const graph = await startGraph(config);
  try {
    const seedStart = Date.now();
    const data = await seedDemoData(graph, { scale });
    console.log(`seeded scale ${scale} on ${graph.subgraphs.orders.db.kind} in ${Date.now() - seedStart} ms`);
    const buyers = [...new Set(data.orders.map((o) => o.customerId).filter((id): id is string => !!id))];
    // As a support agent: every customer, contact details in full (so each request is audited too).
    const support = { authorization: `Bearer ${await mintDevelopmentToken(config.jwt, { role: 'SUPPORT', staffId: 'bench' })}` };
    const latencies: number[] = [];
    const statements = new Map<string, number[]>(SERVICE_NAMES.map((n) => [n, []]));
    let next = 0;
    const worker = async () => {
      while (next < requests) {
        const id = buyers[next++ % buyers.length];
        const started = process.hrtime.bigint();
        const response = await graphql(graph.gateway.url, EXAMPLE_QUERY, { id }, support);
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        if (response.errors) throw new Error(JSON.stringify(response.errors));
        for (const name of SERVICE_NAMES) statements.get(name)!.push(graph.subgraphs[name].db.statements.forRequest(response.requestId));
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (Date.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
    console.log(`customer 360 query: ${requests} requests, concurrency ${concurrency}, ${(requests / seconds).toFixed(0)} req/s`);
    console.log(`latency ms: p50 ${pct(50)}  p90 ${pct(90)}  p99 ${pct(99)}  max ${latencies[latencies.length - 1].toFixed(1)}`);
    for (const [name, counts] of statements) {
      console.log(`SQL statements per request, ${name}: min ${Math.min(...counts)} max ${Math.max(...counts)}`);
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
