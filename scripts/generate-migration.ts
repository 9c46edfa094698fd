import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type ServiceName } from '../shared/config';
import { Database, dropDatabase } from '../shared/db/database';
import { createLogger } from '../shared/logger';
import { DATABASES } from './subgraphs';

/**
 * `npm run migration:generate -- <service> <Name>`: applies a service's migrations to a scratch MySQL
 * database, asks TypeORM what the entities still need, and writes that as a new migration.
 */
async function main(): Promise<void> {
  const [service, name] = process.argv.slice(2) as [ServiceName, string];
  if (!(service in DATABASES) || !/^[A-Z][A-Za-z0-9]+$/.test(name ?? '')) {
    throw new Error(`usage: npm run migration:generate -- <${Object.keys(DATABASES).join('|')}> <PascalCaseName>`);
  }
  const base = loadConfig();
  if (!base.mysqlUrl) throw new Error('MYSQL_URL must point at a MySQL/MariaDB server to generate migrations.');
  const config = { ...base, dbPrefix: 'migration_scratch_' };
  await dropDatabase(config, service);
  const { migrationsFolder, ...storage } = DATABASES[service];
  const db = await Database.open({
    service,
    ...storage,
    // A scratch database, brought up to the last migration before it is compared with the entities.
    migrate: true,
    config,
    logger: createLogger({ logLevel: 'warn' }, 'migrations'),
  });
  try {
    const { upQueries, downQueries } = await db.dataSource.driver.createSchemaBuilder().log();
    if (!upQueries.length) {
      console.log(`${service}: the migrations already match the entities.`);
      return;
    }
    const timestamp = Date.now();
    const className = `${name}${timestamp}`;
    const quote = (q: { query: string }) => `    await queryRunner.query(${JSON.stringify(q.query)});`;
    const file = path.join(migrationsFolder, `${timestamp}-${name}.ts`);
    fs.writeFileSync(
      file,
      `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${upQueries.map(quote).join('\n')}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${[...downQueries].reverse().map(quote).join('\n')}
  }
}
`,
    );
    console.log(`wrote ${path.relative(process.cwd(), file)}; add ${className} to migrations/index.ts`);
  } finally {
    await db.close();
    await dropDatabase(config, service);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
