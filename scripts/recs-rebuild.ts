import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from '../shared/config';
import { Database } from '../shared/db/database';
import { EVENT_ENTITIES } from '../shared/events/outbox.entity';
import { Outbox } from '../shared/events/outbox';
import { createLogger } from '../shared/logger';
import { Platform } from '../shared/platform';
import { recommendationsSubgraph as recommendations } from '../subgraphs/recommendations/src/definition';

/**
 * `npm run recs:rebuild [-- --force]`: derives the recommendations service's ranking state (what
 * customers own and viewed, co-purchase and co-view pairs, popularity, sales per day and store) again
 * from the facts it stored, in batches. The service may keep running: its consumer leaves sales and
 * customers' events waiting in their streams until the rebuild has finished. `--force` starts again
 * over a rebuild that was interrupted.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { force: { type: 'boolean', default: false } } });
  const config = loadConfig();
  const logger = createLogger(config, 'recs-rebuild');
  const platform = Platform.create(config);
  const db = await Database.open({
    service: recommendations.name,
    entities: [...(recommendations.entities as []), ...EVENT_ENTITIES],
    migrations: recommendations.migrations,
    config,
    logger,
  });
  try {
    const domain = recommendations.createDomain({ config, logger, db, cache: platform.cache(recommendations.name), outbox: new Outbox(recommendations.name) });
    const started = Date.now();
    await domain.ranking.rebuild((message) => console.log(`${message} (${Date.now() - started} ms)`), { force: values.force });
  } finally {
    await db.close();
    await platform.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
