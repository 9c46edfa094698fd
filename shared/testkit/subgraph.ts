import fs from 'node:fs';
import type { Config } from '../config';
import { dropDatabase } from '../db/database';
import { UserErrorException } from '../graphql/user-error';
import type { RequestContext } from '../http/service';
import { Platform } from '../platform';
import { openSubgraph, type OpenSubgraph, type SubgraphDefinition } from '../subgraph';
import { testConfig } from './index';

/** One subgraph opened alone for an integration test, with the platform it runs on. */
export interface TestSubgraph<TDomain, TContext extends RequestContext> {
  config: Config;
  platform: Platform;
  subgraph: OpenSubgraph<TDomain, TContext>;
  /** Stops the subgraph and the platform, then drops its database and data folder. */
  close(): Promise<void>;
}

/**
 * For integration tests: a subgraph alone on its own database (and Redis when the environment names
 * it), its consumer subscribed but nothing listening until the test calls `subgraph.listen(0)`.
 */
export async function openTestSubgraph<TDomain, TContext extends RequestContext>(
  definition: SubgraphDefinition<TDomain, TContext>,
  config: Config = testConfig(),
): Promise<TestSubgraph<TDomain, TContext>> {
  const platform = Platform.create(config);
  const subgraph = await openSubgraph(definition, platform);
  return {
    config,
    platform,
    subgraph,
    async close() {
      await subgraph.stop();
      await platform.close();
      await dropDatabase(config, definition.name);
      fs.rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}

/** The userError code a domain call ends with, or 'OK'; any other error is thrown again (failing the test). */
export async function outcomeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'OK';
  } catch (err) {
    if (err instanceof UserErrorException) return err.code;
    throw err;
  }
}
