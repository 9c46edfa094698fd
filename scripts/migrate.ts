import 'reflect-metadata';
import { loadConfig, type ServiceName } from '../shared/config';
import { Database } from '../shared/db/database';
import { createLogger } from '../shared/logger';
import { DATABASES } from './subgraphs';

/** `npm run migrate`: brings every service database up to date (MySQL: migrations; SQLite: entities). */
async function main(): Promise<void> {
  const config = loadConfig();
  for (const service of Object.keys(DATABASES) as ServiceName[]) {
    const { entities, migrations } = DATABASES[service];
    const db = await Database.open({
      service,
      entities,
      migrations,
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
