import 'reflect-metadata';
import { loadConfig, SERVICE_NAMES } from '../shared/config';
import { Database } from '../shared/db/database';
import { EVENT_ENTITIES } from '../shared/events/outbox.entity';
import { createLogger } from '../shared/logger';
import { SUBGRAPHS } from './subgraphs';

/** `npm run migrate`: brings every service database up to date (MySQL: migrations; SQLite: entities). */
async function main(): Promise<void> {
  const config = loadConfig();
  for (const service of SERVICE_NAMES) {
    const definition = SUBGRAPHS[service];
    const db = await Database.open({
      service,
      entities: [...(definition.entities as []), ...EVENT_ENTITIES],
      migrations: definition.migrations,
      config,
      logger: createLogger(config, 'migrate'),
    });
    await db.close();
    console.log(`${service}: schema up to date (${db.kind})`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
