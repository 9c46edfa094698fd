import 'reflect-metadata';
import path from 'node:path';
import { mintDevelopmentToken } from '../gateway/src/auth/development-tokens';
import { startGateway } from '../gateway/src/gateway';
import { loadConfig, SERVICE_NAMES, type Config, type SubgraphName } from '../shared/config';
import { stopOnSignals, type ReadinessCheck, type RequestContext, type RunningService } from '../shared/http/service';
import { createLogger } from '../shared/logger';
import { Platform } from '../shared/platform';
import { openSubgraph, type OpenSubgraph, type SubgraphDefinition } from '../shared/subgraph';
import { consoleDirectory, ensureConsoleBuilt } from '../console/server/build';
import { loadConsoleConfig } from '../console/server/config';
import { developmentSignIn } from '../console/server/development-sign-in';
import { startConsoleServer, type RunningConsoleServer } from '../console/server/server';
import { isSeeded, seedDemoData } from './seed/seed';
import { SUBGRAPHS } from './subgraphs';

/** Each subgraph, open, with its own domain and context types. */
export type OpenSubgraphs = {
  [K in SubgraphName]: (typeof SUBGRAPHS)[K] extends SubgraphDefinition<infer D, infer C> ? OpenSubgraph<D, C> : never;
};

/** Every subgraph's database open, its consumer subscribed and its outbox relay running. */
export interface OpenGraph {
  config: Config;
  platform: Platform;
  subgraphs: OpenSubgraphs;
  /**
   * Publishes every outbox and waits until every consumer has handled what was published
   * (`batchSize`: events per publish).
   */
  settle(options?: { batchSize?: number }): Promise<void>;
  /**
   * Runs a bulk load (the seed) with every outbox held back, then hands its events over in batches of
   * `batchSize` and waits until they are handled: consumers take them in a few large transactions
   * rather than one per commit of the load.
   */
  bulkLoad<T>(work: () => Promise<T>, options: { batchSize: number }): Promise<T>;
  close(): Promise<void>;
}

export interface RunningGraph extends OpenGraph {
  gateway: RunningService;
  stop(): Promise<void>;
}

export async function openGraph(config: Config): Promise<OpenGraph> {
  const platform = Platform.create(config);
  const subgraphs = {} as Record<SubgraphName, OpenSubgraph<unknown, RequestContext>>;
  // Every consumer subscribes before any relay publishes, so nothing is published past a consumer.
  for (const name of SERVICE_NAMES) {
    const definition: SubgraphDefinition<unknown, RequestContext> = SUBGRAPHS[name] as SubgraphDefinition<never, never>;
    subgraphs[name] = await openSubgraph(definition, platform);
  }
  for (const name of SERVICE_NAMES) {
    subgraphs[name].startRelay();
    subgraphs[name].startPeriodic();
  }
  const all = Object.values(subgraphs);
  const settle = async (options: { batchSize?: number } = {}) => {
    // A consumer may publish in turn, so flush and wait once per hop an event chain can take.
    for (let hop = 0; hop < 3; hop++) {
      for (const s of all) await s.flushOutbox(options.batchSize);
      for (const s of all) await s.consumer?.caughtUp();
    }
  };
  return {
    config,
    platform,
    // Each entry was opened from its own definition, so it has that definition's types.
    subgraphs: subgraphs as unknown as OpenSubgraphs,
    settle,
    async bulkLoad(work, options) {
      for (const s of all) s.holdOutbox();
      try {
        const result = await work();
        await settle(options);
        return result;
      } finally {
        for (const s of all) s.releaseOutbox();
      }
    },
    async close() {
      // Services of one process call each other (orders → customers, inventory): they drain together,
      // each still taking the others' calls, and only then stop listening.
      await Promise.all(all.map((s) => s.beginShutdown()));
      const deadline = Date.now() + config.shutdownGraceMs;
      await Promise.all(all.map((s) => s.drained(deadline)));
      for (const s of all) await s.stopServing();
      if (platform.embedded) {
        // In-process events live in memory: hand what is committed to the consumers before they stop.
        const timeout = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownGraceMs).unref());
        await Promise.race([settle(), timeout]);
      }
      for (const s of all) await s.release();
      await platform.close();
    },
  };
}

/**
 * Runs the whole graph in one process: five subgraphs, each on its own port with its own database,
 * and the gateway calling them over loopback HTTP.
 */
export async function startGraph(config: Config, options: { readiness?: ReadinessCheck[] } = {}): Promise<RunningGraph> {
  const graph = await openGraph(config);
  const urls: Partial<Record<SubgraphName, string>> = {};
  for (const name of SERVICE_NAMES) {
    urls[name] = (await graph.subgraphs[name].listen(config.ports[name])).url;
    // Services that call each other (orders → inventory) find the ports chosen at listen time (ephemeral in tests).
    config.subgraphUrls[name] ??= urls[name];
  }
  const gateway = await startGateway({
    config,
    logger: createLogger(config, 'gateway'),
    subgraphUrls: urls,
    platform: graph.platform,
    readiness: options.readiness,
  });
  return {
    ...graph,
    gateway,
    async stop() {
      // One shutdown delay for the whole process: every service reports not-ready at once.
      await Promise.all([gateway.beginShutdown(), ...Object.values(graph.subgraphs).map((s) => s.beginShutdown())]);
      await gateway.stop();
      await graph.close();
    },
  };
}

/**
 * `npm start`'s graph: serving at once, and seeded with the demo data set if its databases are empty;
 * until the data is there the gateway says not-ready (503, `checks.data: failing`).
 */
export async function startDemoGraph(config: Config, options: { scale: number; log: (line: string) => void }): Promise<{ graph: RunningGraph; seed(): Promise<void> }> {
  let dataReady = false;
  const graph = await startGraph(config, { readiness: [{ name: 'data', check: async () => dataReady }] });
  const seed = async () => {
    if (!(await isSeeded(graph))) {
      options.log(`Empty databases: seeding the demo data set (the gateway at ${graph.gateway.url} answers not-ready until it is done)`);
      await seedDemoData(graph, { scale: options.scale, log: (step) => options.log(`  ${step}`) });
    }
    dataReady = true;
  };
  return { graph, seed };
}

export const EXAMPLE_QUERY = `query Customer360($id: ID!) {
  customer(id: $id) {
    displayName
    identities { type value }
    purchaseSummary { lifetimeValue { amount currencyCode } orderCount byChannel { channel orderCount amount { amount } } }
    orders(first: 3) {
      edges { node { number channel placedAt location { name } total { amount }
        lines { quantity variant { sku size color availability { location { name } available } } product { name } } } }
    }
    recommendations(first: 5) { score product { name price { amount } } reasons { code message } }
  }
}`;

/**
 * The staff console (console/) beside the graph: its server forwards `/graphql` to this gateway, and
 * signs staff in with development tokens while no identity provider is configured. Built first when
 * the build is missing or behind its sources. Undefined (and said why) when it cannot be served.
 */
export async function startStaffConsole(config: Config, gatewayUrl: string, log: (line: string) => void): Promise<RunningConsoleServer | undefined> {
  const consoleConfig = loadConsoleConfig();
  const dir = consoleDirectory();
  // Production serves what was built; only development builds on the spot.
  if (config.nodeEnv !== 'production') {
    const built = await ensureConsoleBuilt(dir, log);
    if (!built.ok) {
      log(`The staff console is not served: ${built.reason}`);
      return undefined;
    }
  }
  const mint = developmentSignIn(config, consoleConfig, (holder) => mintDevelopmentToken(config.jwt, holder));
  try {
    return await startConsoleServer({
      config: { ...consoleConfig, host: config.host, gatewayUrl, staticDir: consoleConfig.staticDir ?? path.join(dir, 'dist') },
      developmentTokens: mint,
      log,
    });
  } catch (err) {
    log(`The staff console is not served: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'start-all');
  const { graph, seed } = await startDemoGraph(config, { scale: 1, log: (line) => console.log(line) });
  let staffConsole: RunningConsoleServer | undefined;
  stopOnSignals(async () => {
    await staffConsole?.close();
    await graph.stop();
  }, logger);
  [staffConsole] = await Promise.all([startStaffConsole(config, graph.gateway.url, (line) => console.log(line)), seed()]);
  const [id = 'CUSTOMER_ID'] = await graph.subgraphs.orders.domain.orders.mostOmnichannelCustomers(1);
  const url = graph.gateway.url.replace('127.0.0.1', 'localhost');
  // Customer data needs a signed-in caller: a support agent's development token (JWT_JWKS_URL unset).
  const token = config.jwt.developmentKey ? await mintDevelopmentToken(config.jwt, { role: 'SUPPORT', staffId: 'dev-support' }) : 'TOKEN';
  console.log(
    [
      '',
      `The unified commerce graph is ready: ${url}`,
      ...(staffConsole ? [`The staff console:                  ${staffConsole.url.replace('127.0.0.1', 'localhost')} (${config.jwt.developmentKey ? 'sign in by picking a role' : 'sign in with the identity provider'})`] : []),
      '',
      'Try this query as a support agent (variables: {"id": "' + id + '"}):',
      '',
      EXAMPLE_QUERY,
      '',
      `curl -s ${url} -H 'content-type: application/json' \\`,
      `  -H 'authorization: Bearer ${token}' \\`,
      `  -d '${JSON.stringify({ query: EXAMPLE_QUERY.replace(/\s+/g, ' '), variables: { id } })}'`,
      '',
      'Other callers: `npm run token -- --role STORE_STAFF --location <id>`, `npm run token -- --customer <id>`,',
      '`npm run partner-key -- create --name <name> --scopes catalog:read`; README.md lists what each may read.',
      '',
    ].join('\n'),
  );
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
