import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource, MigrationExecutor, type EntityManager, type EntitySchema, type Logger as OrmLogger, type MixedList } from 'typeorm';
import type { Config, ServiceName } from '../config';
import type { Logger } from '../logger';
import { currentRequestId } from '../request-scope';
import { SerialQueue } from './serial-queue';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type EntityList = MixedList<Function | string | EntitySchema>;

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export interface DatabaseOptions {
  service: ServiceName;
  entities: EntityList;
  /** MySQL migrations of this service, oldest first. Unused on SQLite, whose schema follows the entities. */
  migrations: Function[];
  /**
   * MySQL: run pending migrations (under the migration lock) rather than refuse to open a database
   * whose schema is behind. Default: MIGRATE_ON_START (off in production); `npm run migrate` sets it.
   */
  migrate?: boolean;
  config: Config;
  logger: Logger;
}

/** WAL with NORMAL: a commit does not wait for fsync, a checkpoint does; a crash loses no committed data. */
const SQLITE_SYNCHRONOUS = 'NORMAL';
/** 64 MiB: bulk loads and ranking upserts stay in memory. */
const SQLITE_CACHE_SIZE = -65536;

/** What a committed transaction did that listeners care about. */
export interface Commit {
  /** It wrote outbox rows (markOutboxWrite): the relay has events to publish. */
  wroteOutbox: boolean;
}

/** Transactions, by their manager, that wrote outbox rows. */
const outboxWriters = new WeakSet<EntityManager>();

/** Called by the outbox for the transaction it writes in: its commit wakes the relay (onCommit). */
export function markOutboxWrite(manager: EntityManager): void {
  outboxWriters.add(manager);
}

/** Counts the SQL statements a service sends, in all and per request id, for tests and `/metrics`. */
export class StatementCounter {
  count = 0;
  private readonly perRequest = new Map<string, number>();

  record(): void {
    this.count++;
    const requestId = currentRequestId();
    if (requestId === undefined) return;
    this.perRequest.set(requestId, (this.perRequest.get(requestId) ?? 0) + 1);
    // Bounded: only recent requests are kept.
    if (this.perRequest.size > 1000) this.perRequest.delete(this.perRequest.keys().next().value!);
  }

  /** Statements sent while serving the request with this id. */
  forRequest(requestId: string): number {
    return this.perRequest.get(requestId) ?? 0;
  }
}

class CountingOrmLogger implements OrmLogger {
  constructor(private readonly counter: StatementCounter, private readonly logger: Logger) {}
  logQuery(): void {
    this.counter.record();
  }
  logQueryError(error: string | Error, query: string): void {
    this.counter.record();
    this.logger.debug({ err: error, query }, 'query failed');
  }
  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ ms: time, query: query.slice(0, 500) }, 'slow query');
  }
  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }
  logMigration(message: string): void {
    this.logger.info(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    this.logger[level === 'log' ? 'debug' : level]({ message }, 'typeorm');
  }
}

/**
 * A service's own database: MySQL/MariaDB (`<DB_PREFIX><service>`, schema from migrations) when
 * MYSQL_URL is set, else an embedded SQLite file under DATA_DIR (schema synchronised from entities).
 */
export class Database {
  private readonly sqliteQueue = new SerialQueue();
  private readonly commitListeners = new Set<(commit: Commit) => void>();

  private constructor(
    readonly dataSource: DataSource,
    readonly kind: 'mysql' | 'sqlite',
    readonly statements: StatementCounter,
    private readonly reader?: DataSource,
  ) {}

  static async open(options: DatabaseOptions): Promise<Database> {
    const { config, service } = options;
    const counter = new StatementCounter();
    const ormLogger = new CountingOrmLogger(counter, options.logger);
    let dataSource: DataSource;
    if (config.mysqlUrl) {
      const server = mysqlServer(config.mysqlUrl);
      const database = `${config.dbPrefix}${service}`;
      const flavour = await ensureMysqlDatabase(server, database);
      dataSource = new DataSource({
        // TypeORM reads column defaults differently on MariaDB; naming it keeps schema diffs empty.
        type: flavour,
        ...server,
        database,
        charset: 'utf8mb4_unicode_ci',
        timezone: 'Z',
        entities: options.entities,
        migrations: options.migrations,
        migrationsTableName: 'typeorm_migrations',
        synchronize: false,
        logging: true,
        logger: ormLogger,
        maxQueryExecutionTime: 1000,
        extra: { connectionLimit: 20, enableKeepAlive: true },
      });
    } else {
      fs.mkdirSync(config.dataDir, { recursive: true });
      const sqlite = (readonly: boolean) =>
        new DataSource({
          type: 'better-sqlite3',
          database: path.join(config.dataDir, `${config.dbPrefix}${service}.sqlite`),
          entities: options.entities,
          synchronize: !readonly,
          readonly,
          enableWAL: !readonly,
          prepareDatabase: (db: { pragma(source: string): unknown }) => {
            db.pragma(`synchronous = ${SQLITE_SYNCHRONOUS}`);
            db.pragma(`cache_size = ${SQLITE_CACHE_SIZE}`);
            db.pragma('busy_timeout = 5000');
            // Checkpoints (two fsyncs each) every 40 MiB of WAL rather than every 4 MiB: bulk writes
            // (the seed, a consumer catching up) otherwise spend most of their commit time in fsync.
            db.pragma('wal_autocheckpoint = 10000');
          },
          logging: true,
          logger: ormLogger,
          maxQueryExecutionTime: 1000,
        });
      dataSource = sqlite(false);
      await dataSource.initialize();
      // TypeORM runs every statement of a better-sqlite3 DataSource on one connection, so a read
      // there would see another caller's open transaction. Reads get their own read-only connection,
      // which in WAL mode sees only committed data.
      const reader = sqlite(true);
      await reader.initialize();
      return new Database(dataSource, 'sqlite', counter, reader);
    }
    await dataSource.initialize();
    try {
      if (options.migrate ?? config.migrateOnStart) await migrateUnderLock(dataSource, `${config.dbPrefix}${service}`, options.logger);
      else await requireCurrentSchema(dataSource, service, `${config.dbPrefix}${service}`);
    } catch (err) {
      await dataSource.destroy();
      throw err;
    }
    return new Database(dataSource, 'mysql', counter);
  }

  /** For reads. On SQLite it cannot write: writes go through transaction(). */
  get manager(): EntityManager {
    return (this.reader ?? this.dataSource).manager;
  }

  /**
   * Runs `work` in one transaction. On SQLite, TypeORM shares one connection, so transactions of a
   * database run one at a time; on MySQL they run concurrently on pooled connections.
   */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.committing(work, (tracked) =>
      this.kind === 'sqlite' ? this.sqliteQueue.run(() => this.dataSource.transaction(tracked)) : this.dataSource.transaction(tracked),
    );
  }

  /**
   * A write that needs no transaction of its own (an audit's rows, one statement per 250): on MySQL
   * it runs as it is, on a pooled connection; on SQLite in transaction(), the one way to write there.
   */
  async singleStatement<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.kind === 'sqlite' ? this.transaction(work) : work(this.dataSource.manager);
  }

  /** Runs `work` through `begin` (a transaction), then tells the commit listeners what it wrote. */
  private async committing<T>(work: (manager: EntityManager) => Promise<T>, begin: (tracked: (manager: EntityManager) => Promise<T>) => Promise<T>): Promise<T> {
    let used: EntityManager | undefined;
    const result = await begin((manager) => work((used = manager)));
    const commit = { wroteOutbox: !!used && outboxWriters.has(used) };
    for (const listener of this.commitListeners) listener(commit);
    return result;
  }

  /**
   * transaction() for work that may collide with a concurrent writer of the same rows (a deadlock, a
   * lock wait timeout, a duplicate key another transaction has just committed, a WriteConflict the
   * work throws when it finds the ground moved under it): the work runs again,
   * reading what the other committed, up to `attempts` times. The work must be safe to repeat.
   */
  async transactionRetryingConflicts<T>(work: (manager: EntityManager) => Promise<T>, attempts = 5): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (this.kind === 'sqlite') return await this.transaction(work);
        // READ COMMITTED: a row read after waiting for another writer's lock shows what that writer
        // committed, not the snapshot taken before the wait (MySQL's default REPEATABLE READ).
        return await this.committing(work, (tracked) => this.dataSource.transaction('READ COMMITTED', tracked));
      } catch (err) {
        if (attempt >= attempts || !isWriteConflict(err)) throw err;
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt * Math.random()));
      }
    }
  }

  /**
   * Find options that lock the rows read until the transaction ends, on MySQL/MariaDB (`FOR SHARE` /
   * `FOR UPDATE`); nothing on SQLite, whose transactions run one at a time anyway.
   */
  rowLock(mode: 'pessimistic_read' | 'pessimistic_write'): { lock?: { mode: 'pessimistic_read' | 'pessimistic_write' } } {
    return this.kind === 'mysql' ? { lock: { mode } } : {};
  }

  /** Calls `listener` after each committed transaction (the outbox relay publishes then, if it wrote outbox rows). */
  onCommit(listener: (commit: Commit) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /**
   * A timestamp as a raw SQL parameter, in the form the entities store it: SQLite keeps UTC text
   * ("YYYY-MM-DD HH:MM:SS.SSS"), so comparisons must use the same text.
   */
  dateParameter(date: Date): Date | string {
    return this.kind === 'sqlite' ? date.toISOString().replace('T', ' ').replace('Z', '') : date;
  }

  /**
   * SQLite, for a one-off bulk load into a database that can be dropped and loaded again (the demo
   * seed): commits skip fsync (a crash of the process loses nothing committed, only a crash of the
   * machine could), sorts and temporary indexes stay in memory and the page cache is larger. Resolves
   * with the function that restores the usual settings. Nothing to do on MySQL.
   */
  async relaxForBulkLoad(): Promise<() => Promise<void>> {
    if (this.kind !== 'sqlite') return async () => undefined;
    // Between transactions (the queue): a pragma inside one would not apply.
    const pragmas = (statements: string[]) => this.sqliteQueue.run(async () => {
      for (const statement of statements) await this.dataSource.query(statement);
    });
    await pragmas(['PRAGMA synchronous = OFF', 'PRAGMA temp_store = MEMORY', 'PRAGMA cache_size = -262144']);
    return async () => {
      await pragmas([`PRAGMA synchronous = ${SQLITE_SYNCHRONOUS}`, 'PRAGMA temp_store = DEFAULT', `PRAGMA cache_size = ${SQLITE_CACHE_SIZE}`]);
      // What was written unsynced reaches the disk now.
      await pragmas(['PRAGMA wal_checkpoint(TRUNCATE)']);
    };
  }

  /** True when the database answers a trivial query. */
  async ping(): Promise<boolean> {
    try {
      await this.manager.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.sqliteQueue.idle();
    if (this.reader?.isInitialized) await this.reader.destroy();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * A service's database is missing migrations of this version, and the service may not run them itself
 * (production: `npm run migrate` is a release step). It refuses to start rather than serve a schema
 * its code does not match.
 */
export class SchemaBehindError extends Error {
  override readonly name = 'SchemaBehindError';

  constructor(
    readonly service: ServiceName,
    readonly database: string,
    /** Names of the migrations not yet applied, oldest first. */
    readonly pending: string[],
  ) {
    super(
      `The ${service} database (${database}) is behind this version of the service: ${pending.length} migration(s) pending ` +
        `(${pending.join(', ')}). Run \`npm run migrate\` with this version first (the release step); the service does not ` +
        'migrate as it starts in production (MIGRATE_ON_START).',
    );
  }
}

/** How long a migrator waits for another one to finish with the same database. */
const MIGRATION_LOCK_WAIT_SECONDS = 600;

/**
 * Runs the pending migrations while holding a MySQL named lock (GET_LOCK, on a connection of its own)
 * for this database: migrators that start together (two replicas, a replica and the release step) run
 * one after the other, and the later ones find nothing left to do. The lock is the server's and goes
 * with the connection, so a migrator that dies frees it.
 */
async function migrateUnderLock(dataSource: DataSource, database: string, logger: Logger): Promise<void> {
  // Lock names are at most 64 characters and server-wide: the database name keeps services apart.
  const name = `migrate:${database}`.length <= 64 ? `migrate:${database}` : `migrate:${createHash('sha1').update(database).digest('hex')}`;
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    let [row] = (await runner.query('SELECT GET_LOCK(?, 0) AS taken', [name])) as Array<{ taken: unknown }>;
    if (Number(row.taken) !== 1) {
      logger.info({ database, lock: name }, 'another process is migrating this database; waiting for it');
      [row] = (await runner.query('SELECT GET_LOCK(?, ?) AS taken', [name, MIGRATION_LOCK_WAIT_SECONDS])) as Array<{ taken: unknown }>;
      if (Number(row.taken) !== 1) throw new Error(`The migration lock of ${database} (${name}) was held for more than ${MIGRATION_LOCK_WAIT_SECONDS} s: is a migration stuck?`);
    }
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [name]);
    }
  } finally {
    await runner.release();
  }
}

/** Throws SchemaBehindError when migrations of this version have not been applied. */
async function requireCurrentSchema(dataSource: DataSource, service: ServiceName, database: string): Promise<void> {
  const pending = await new MigrationExecutor(dataSource).getPendingMigrations();
  if (pending.length) throw new SchemaBehindError(service, database, pending.map((m) => m.name));
}

/** Thrown by work run with transactionRetryingConflicts when a concurrent writer changed what it relies on. */
export class WriteConflict extends Error {}

/**
 * A unique or primary key violation (MySQL/MariaDB ER_DUP_ENTRY, SQLite SQLITE_CONSTRAINT_UNIQUE or
 * _PRIMARYKEY); with `index`, only one whose message names it (MySQL names the index, SQLite the
 * table's columns), so that a service can answer the business outcome it means.
 */
export function isUniqueViolation(err: unknown, index?: RegExp): boolean {
  const driverError = (err as { driverError?: { errno?: number; code?: string; message?: string } }).driverError ?? (err as { errno?: number; code?: string; message?: string });
  const unique = driverError.errno === 1062 || /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test(driverError.code ?? '');
  return unique && (!index || index.test(driverError.message ?? ''));
}

/** MySQL/MariaDB: deadlock, lock wait timeout, duplicate key. SQLite: a unique or primary key violation. */
function isWriteConflict(err: unknown): boolean {
  if (err instanceof WriteConflict) return true;
  const driverError = (err as { driverError?: { errno?: number; code?: string } }).driverError ?? (err as { errno?: number; code?: string });
  return [1213, 1205, 1062].includes(driverError.errno ?? 0) || /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test(driverError.code ?? '');
}

interface MysqlServer {
  host: string;
  port: number;
  username: string;
  password: string;
}

export function mysqlServer(url: string): MysqlServer {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    username: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password),
  };
}

/** Creates the database if missing; tells MySQL from MariaDB. */
async function ensureMysqlDatabase(server: MysqlServer, database: string): Promise<'mysql' | 'mariadb'> {
  const connection = await createConnection({
    host: server.host,
    port: server.port,
    user: server.username,
    password: server.password,
  });
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    const [rows] = await connection.query('SELECT VERSION() AS version');
    return /mariadb/i.test(String((rows as Array<{ version: string }>)[0].version)) ? 'mariadb' : 'mysql';
  } finally {
    await connection.end();
  }
}

/** Drops a service database (tests and `seed --reset`). */
export async function dropDatabase(config: Config, service: ServiceName): Promise<void> {
  if (config.mysqlUrl) {
    const server = mysqlServer(config.mysqlUrl);
    const connection = await createConnection({
      host: server.host,
      port: server.port,
      user: server.username,
      password: server.password,
    });
    try {
      await connection.query(`DROP DATABASE IF EXISTS \`${config.dbPrefix}${service}\``);
    } finally {
      await connection.end();
    }
  } else {
    const file = path.join(config.dataDir, `${config.dbPrefix}${service}.sqlite`);
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  }
}
