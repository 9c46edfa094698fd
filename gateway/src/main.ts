import 'reflect-metadata';
import { loadConfig } from '../../shared/config';
import { stopOnSignals } from '../../shared/http/service';
import { createLogger } from '../../shared/logger';
import { Platform } from '../../shared/platform';
import { startGateway } from './gateway';

/** Starts the gateway alone; subgraph URLs come from config (or the supergraph's defaults). */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'gateway');
  const platform = Platform.create(config);
  const gateway = await startGateway({ config, logger, subgraphUrls: {}, platform });
  stopOnSignals(async () => {
    await gateway.stop();
    await platform.close();
  }, logger);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
