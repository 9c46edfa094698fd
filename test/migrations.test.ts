import { SERVICE_NAMES } from '../shared/config';
import { Database, dropDatabase } from '../shared/db/database';
import { EVENT_ENTITIES } from '../shared/events/outbox.entity';
import { createLogger } from '../shared/logger';
import { configuredServers, testConfig } from '../shared/testkit';
import { SUBGRAPHS } from '../scripts/subgraphs';

// Migrations only exist for MySQL/MariaDB; the embedded SQLite schema follows the entities.
const onMysql = configuredServers().mysql ? describe : describe.skip;
const config = testConfig();

onMysql('MySQL migrations', () => {
  afterAll(async () => {
    for (const service of SERVICE_NAMES) await dropDatabase(config, service);
  });

  it.each(SERVICE_NAMES)('build exactly the schema the %s entities describe, and roll back cleanly', async (service) => {
    const definition = SUBGRAPHS[service];
    const db = await Database.open({
      service,
      entities: [...(definition.entities as []), ...EVENT_ENTITIES],
      migrations: definition.migrations,
      config,
      logger: createLogger({ logLevel: 'warn' }, 'test'),
    });
    try {
      expect(db.kind).toBe('mysql');
      const pending = await db.dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      for (let i = 0; i < definition.migrations.length; i++) await db.dataSource.undoLastMigration();
      const tables: Array<Record<string, string>> = await db.dataSource.query('SHOW TABLES');
      expect(tables.map((t) => Object.values(t)[0])).toEqual(['typeorm_migrations']);
      await db.dataSource.runMigrations();
      expect((await db.dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
