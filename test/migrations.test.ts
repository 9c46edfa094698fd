import { randomBytes } from 'node:crypto';
import type { Config, ServiceName } from '../shared/config';
import { Database, dropDatabase, SchemaBehindError } from '../shared/db/database';
import { createLogger } from '../shared/logger';
import { Platform } from '../shared/platform';
import { openSubgraph } from '../shared/subgraph';
import { configuredServers, testConfig } from '../shared/testkit';
import { DATABASES, SUBGRAPHS } from '../scripts/subgraphs';

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

  describe('as a release step', () => {
    const logger = createLogger({ logLevel: 'warn' }, 'test');
    const open = (config: Config, service: ServiceName, migrate?: boolean, migrations = DATABASES[service].migrations) =>
      Database.open({ service, entities: DATABASES[service].entities, migrations, migrate, config, logger });
    const applied = async (db: Database) =>
      ((await db.dataSource.query('SELECT name FROM typeorm_migrations ORDER BY id')) as Array<{ name: string }>).map((r) => r.name);
    const nameOf = (migration: Function) => (new (migration as new () => { name?: string })().name ?? migration.name);

    it.each(SERVICES)('lets two migrators start at once on a fresh %s database: both finish, and each migration runs once', async (service) => {
      const fresh = testConfig();
      try {
        const both = await Promise.all([open(fresh, service, true), open(fresh, service, true)]);
        await Promise.all(both.map((db) => db.close()));
        // Opened as production opens it: nothing is pending.
        const db = await open(fresh, service, false);
        try {
          expect(await applied(db)).toEqual(DATABASES[service].migrations.map(nameOf));
        } finally {
          await db.close();
        }
      } finally {
        await dropDatabase(fresh, service);
      }
    });

    it('refuses to start a service in production whose database misses a migration, naming it, and starts once `npm run migrate` ran', async () => {
      const production = testConfig({ NODE_ENV: 'production', INTERNAL_SIGNING_KEY: randomBytes(48).toString('base64') });
      expect(production.migrateOnStart).toBe(false);
      const { migrations } = DATABASES.orders;
      const platform = Platform.create(production);
      try {
        // The database as the version before left it: every migration but the last.
        await (await open(production, 'orders', true, migrations.slice(0, -1))).close();
        await expect(openSubgraph(SUBGRAPHS.orders, platform)).rejects.toMatchObject({
          name: 'SchemaBehindError',
          service: 'orders',
          pending: [nameOf(migrations[migrations.length - 1])],
        });
        await expect(openSubgraph(SUBGRAPHS.orders, platform)).rejects.toBeInstanceOf(SchemaBehindError);
        // The release step (`npm run migrate` opens each database with migrate: true).
        await (await open(production, 'orders', true)).close();
        const orders = await openSubgraph(SUBGRAPHS.orders, platform);
        await orders.release();
      } finally {
        await platform.close();
        await dropDatabase(production, 'orders');
      }
    });
  });
});
