import 'reflect-metadata';
import { SERVICE_NAMES } from '../shared/config';
import { graphql, testConfig } from '../shared/testkit';
import { mintDevelopmentToken } from '../gateway/src/auth/development-tokens';
import { discardGraphData, seedDemoData } from '../scripts/seed/seed';
import { EXAMPLE_QUERY, startGraph } from '../scripts/start-all';
import { runLoad } from './load';

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
    const statements = new Map<string, number[]>(SERVICE_NAMES.map((n) => [n, []]));
    const load = await runLoad(requests, concurrency, async (i) => {
      const response = await graphql(graph.gateway.url, EXAMPLE_QUERY, { id: buyers[i % buyers.length] }, support);
      if (response.errors) throw new Error(JSON.stringify(response.errors));
      for (const name of SERVICE_NAMES) statements.get(name)!.push(graph.subgraphs[name].db.statements.forRequest(response.requestId));
    });
    const { latencies, percentile: pct } = load;
    console.log(`customer 360 query: ${requests} requests, concurrency ${concurrency}, ${load.perSecond.toFixed(0)} req/s`);
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
