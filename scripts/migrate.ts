import 'reflect-metadata';
import { loadConfig, type ServiceName } from '../shared/config';
import { Database } from '../shared/db/database';
import { createLogger } from '../shared/logger';
import { DATABASES } from './subgraphs';

/**
 * `npm run migrate`: brings every service database up to date (MySQL: migrations; SQLite: entities).
 * The release step of a deploy: run it with the new version before its services start (in production
 * they refuse a schema that is behind). Each database is migrated under a lock of its own
 * (Database.open), so two migrators, or a migrator and a service migrating as it starts, never race.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  for (const service of Object.keys(DATABASES) as ServiceName[]) {
    const { entities, migrations } = DATABASES[service];
    const db = await Database.open({
      service,
      entities,
      migrations,
      migrate: true,
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
