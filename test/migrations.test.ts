import type { ServiceName } from '../shared/config';
import { Database, dropDatabase } from '../shared/db/database';
import { createLogger } from '../shared/logger';
import { configuredServers, testConfig } from '../shared/testkit';
import { DATABASES } from '../scripts/subgraphs';

// Migrations only exist for MySQL/MariaDB; the embedded SQLite schema follows the entities.
const onMysql = configuredServers().mysql ? describe : describe.skip;
const config = testConfig();
const SERVICES = Object.keys(DATABASES) as ServiceName[];

onMysql('MySQL migrations', () => {
  afterAll(async () => {
    for (const service of SERVICES) await dropDatabase(config, service);
  });

  it.each(SERVICES)('build exactly the schema the %s entities describe, and roll back cleanly', async (service) => {
    const { entities, migrations } = DATABASES[service];
    const db = await Database.open({
      service,
      entities,
      migrations,
      config,
      logger: createLogger({ logLevel: 'warn' }, 'test'),
    });
    try {
      expect(db.kind).toBe('mysql');
      const pending = await db.dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      for (let i = 0; i < migrations.length; i++) await db.dataSource.undoLastMigration();
      const tables: Array<Record<string, string>> = await db.dataSource.query('SHOW TABLES');
      expect(tables.map((t) => Object.values(t)[0])).toEqual(['typeorm_migrations']);
      await db.dataSource.runMigrations();
      expect((await db.dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
      // Identity values compare byte for byte, as SQLite and the code compare them (exactCollation).
      const identityColumns: Array<{ column: string; collation: string }> = await db.dataSource.query(
        `SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME) AS \`column\`, COLLATION_NAME AS collation FROM information_schema.COLUMNS
         WHERE TABLE_SCHEMA = DATABASE() AND (COLUMN_NAME = 'identity_value' OR (TABLE_NAME = 'customer_identity' AND COLUMN_NAME = 'value'))`,
      );
      for (const { column, collation } of identityColumns) expect({ column, collation: ['utf8mb4_nopad_bin', 'utf8mb4_0900_bin'].includes(collation) }).toEqual({ column, collation: true });
    } finally {
      await db.close();
    }
  });
});
