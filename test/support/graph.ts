import { mintDevelopmentToken, type TokenFor } from '../../gateway/src/auth/development-tokens';
import { startGateway } from '../../gateway/src/gateway';
import { SERVICE_NAMES, type Config } from '../../shared/config';
import type { RunningService } from '../../shared/http/service';
import { createLogger } from '../../shared/logger';
import { testConfig } from '../../shared/testkit';
import type { DemoData } from '../../scripts/seed/demo-data';
import { discardGraphData, seedDemoData } from '../../scripts/seed/seed';
import { startGraph, type RunningGraph } from '../../scripts/start-all';

export interface TestGraph extends RunningGraph {
  data: DemoData;
  /** Headers that sign a request in as this customer or staff member (development tokens). */
  as(holder: TokenFor): Promise<Record<string, string>>;
  /** Stops the graph and removes its databases, Redis keys and files. */
  teardown(): Promise<void>;
}

/**
 * A test graph's configuration. Redis is given longer than production's 500 ms to answer: on a loaded
 * CI machine a cache read can take longer, and a read that times out skips the cache, so a test that
 * counts the statements a request sent would count one more. Tests of a hung Redis set their own.
 */
export function graphConfig(overrides: Record<string, string> = {}): Config {
  return testConfig({ REDIS_COMMAND_TIMEOUT_MS: '5000', ...overrides });
}

/** The whole graph on ephemeral ports, seeded with a small demo data set. */
export async function startTestGraph(options: { scale?: number; config?: Config } = {}): Promise<TestGraph> {
  const config = options.config ?? graphConfig();
  const graph = await startGraph(config);
  try {
    const data = await seedDemoData(graph, { scale: options.scale ?? 0.02 });
    return {
      ...graph,
      data,
      as: (holder) => bearer(config, holder),
      async teardown() {
        await graph.stop();
        await discardGraphData(config);
      },
    };
  } catch (err) {
    await graph.stop();
    throw err;
  }
}

/** `Authorization: Bearer <development token>` for a customer or a staff member. */
export async function bearer(config: Config, holder: TokenFor): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await mintDevelopmentToken(config.jwt, holder)}` };
}

/**
 * A second gateway in front of a test graph's subgraphs, with configuration of its own (rate limits,
 * a JWKS, a safelist) and the graph's databases, data folder and Redis prefix.
 */
export async function startExtraGateway(graph: TestGraph, overrides: Record<string, string>): Promise<RunningService> {
  const config: Config = {
    ...testConfig(overrides),
    dbPrefix: graph.config.dbPrefix,
    dataDir: graph.config.dataDir,
    redisKeyPrefix: graph.config.redisKeyPrefix,
  };
  const subgraphUrls = Object.fromEntries(SERVICE_NAMES.map((name) => [name, graph.subgraphs[name].url!]));
  return startGateway({ config, logger: createLogger(config, 'gateway'), subgraphUrls, platform: graph.platform });
}
