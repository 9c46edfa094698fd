import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { mintDevelopmentToken, type TokenFor } from '../../gateway/src/auth/development-tokens';
import { loadConfig, SERVICE_NAMES, type Config, type ServiceName, type SubgraphName } from '../../shared/config';
import { mysqlServer } from '../../shared/db/database';
import { freePort, startPrivateRedis, type PrivateRedis } from '../../shared/testkit/private-redis';

export { freePort };
import type { DemoData } from '../../scripts/seed/demo-data';
import { discardGraphData, seedDemoData } from '../../scripts/seed/seed';
import { startGraph } from '../../scripts/start-all';

/**
 * The graph as it runs in production, for fault tests: each service its own process (started as
 * `npm run start:<service>` does), on MySQL and a redis-server of the cluster's own (which a test
 * may stop and start again empty), every service on a fixed port so that a restarted one is found
 * where it was.
 */

const ROOT = path.resolve(__dirname, '../..');
const ENTRY: Record<ServiceName, string> = {
  gateway: 'gateway/src/main.ts',
  customers: 'subgraphs/customers/src/main.ts',
  orders: 'subgraphs/orders/src/main.ts',
  inventory: 'subgraphs/inventory/src/main.ts',
  recommendations: 'subgraphs/recommendations/src/main.ts',
  carts: 'subgraphs/carts/src/main.ts',
};
const START_TIMEOUT_MS = 90_000;

/** One running process of a service. */
export interface ServiceProcess<T extends string = ServiceName> {
  service: T;
  url: string;
  port: number;
  child: ChildProcess;
  /** Resolves with the exit code (null: killed by a signal) once the process has exited. */
  exited: Promise<number | null>;
}

export interface ClusterOptions {
  /** Demo data scale of the seed (small: the fault suite keeps to CI's time). */
  scale: number;
  /** Environment of every process (and of the seed), over the cluster's own. */
  env?: Record<string, string>;
  /** The MySQL/MariaDB server (default: MYSQL_URL). */
  mysqlUrl?: string;
}

export class Cluster {
  private readonly running = new Set<ServiceProcess<string>>();

  private constructor(
    readonly env: Record<string, string>,
    readonly config: Config,
    readonly redis: PrivateRedis,
    readonly data: DemoData,
    private readonly ports: Record<ServiceName, number>,
    private readonly logDir: string,
  ) {}

  /** Seeds fresh databases (its own prefix) and a private Redis; starts no process. */
  static async create(options: ClusterOptions): Promise<Cluster> {
    const mysqlUrl = options.mysqlUrl ?? process.env.MYSQL_URL;
    if (!mysqlUrl) throw new Error('the fault suite runs on MySQL (MYSQL_URL)');
    const redis = await startPrivateRedis();
    const run = Math.random().toString(36).slice(2, 10);
    const ports = {} as Record<ServiceName, number>;
    for (const service of ['gateway', ...SERVICE_NAMES] as ServiceName[]) ports[service] = await freePort();
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      MYSQL_URL: mysqlUrl,
      REDIS_URL: redis.url,
      DB_PREFIX: `f${run}_`,
      REDIS_KEY_PREFIX: `fault:${run}:`,
      DATA_DIR: path.join(os.tmpdir(), `ucg-fault-${run}`),
      RATE_LIMIT_ANONYMOUS: '1000000',
      RATE_LIMIT_CUSTOMER: '1000000',
      RATE_LIMIT_STAFF: '1000000',
      RATE_LIMIT_PARTNER: '1000000',
      RATE_LIMIT_GUEST_ORDERS: '1000000',
      ...Object.fromEntries(SERVICE_NAMES.map((name) => [`${name.toUpperCase()}_URL`, `http://127.0.0.1:${ports[name]}/graphql`])),
      ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [`${name.toUpperCase()}_PORT`, String(port)])),
      ...options.env,
    };
    // The seed runs in this process, on ephemeral ports, and leaves its events in the outboxes or the streams.
    const seedConfig = loadConfig({
      ...env,
      ...Object.fromEntries(['gateway', ...SERVICE_NAMES].map((name) => [`${name.toUpperCase()}_PORT`, '0'])),
      ...Object.fromEntries(SERVICE_NAMES.map((name) => [`${name.toUpperCase()}_URL`, ''])),
      SHUTDOWN_DELAY_MS: '0',
    });
    const graph = await startGraph(seedConfig);
    let data: DemoData;
    try {
      data = await seedDemoData(graph, { scale: options.scale });
      await graph.settle();
    } finally {
      await graph.stop();
    }
    const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ucg-fault-logs-'));
    return new Cluster(env, loadConfig(env), redis, data, ports, logDir);
  }

  url(service: ServiceName): string {
    return `http://127.0.0.1:${this.ports[service]}/graphql`;
  }

  get gatewayUrl(): string {
    return this.url('gateway');
  }

  /**
   * Starts a process of `service` as `npm run start:<service>` does (scripts/launch.js: ts-node, or
   * dist/ when `env` says NODE_ENV=production) and waits until it reports ready.
   */
  async start(service: ServiceName, options: { port?: number; env?: Record<string, string>; nodeOptions?: string[] } = {}): Promise<ServiceProcess> {
    const port = options.port ?? this.ports[service];
    const args = [...(options.nodeOptions ?? []), 'scripts/launch.js', ENTRY[service]];
    return this.launch(service, args, port, { [`${service.toUpperCase()}_PORT`]: String(port), ...options.env });
  }

  /** Starts another program beside the services (`node <args>`, the cluster's environment and `env`), ready once /readyz answers on `port`. */
  async launch<T extends string>(label: T, args: string[], port: number, env: Record<string, string> = {}): Promise<ServiceProcess<T>> {
    const logFile = path.join(this.logDir, `${label}-${port}.log`);
    const out = fs.openSync(logFile, 'a');
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...this.env, ...env }, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const proc = { service: label, port, url: `http://127.0.0.1:${port}/graphql`, child, exited };
    this.running.add(proc);
    void exited.then(() => this.running.delete(proc));
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await ready(port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`${label} did not start (exit ${child.exitCode}):\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
      }
      await sleep(100);
    }
    return proc;
  }

  /** Starts every service, the subgraphs first, each in its own process (`env` over the cluster's). */
  async startAll(env: Record<string, string> = {}): Promise<Record<ServiceName, ServiceProcess>> {
    const started = await Promise.all(SERVICE_NAMES.map((service) => this.start(service, { env })));
    const gateway = await this.start('gateway', { env });
    return Object.fromEntries([...started, gateway].map((p) => [p.service, p])) as Record<ServiceName, ServiceProcess>;
  }

  /** Sends `signal` to the process and waits until it has exited. */
  async kill(proc: ServiceProcess<string>, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill(signal);
    return proc.exited;
  }

  /** Runs a `npm run <script>` of the project against the cluster (its output, or an error with it). */
  async script(entry: string, args: string[] = []): Promise<string> {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', entry, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...this.env },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`${entry} ${args.join(' ')} exited with ${code}:\n${output}`);
    return output;
  }

  /** Rows of a query on a service's database. */
  async sql<T = RowDataPacket>(service: SubgraphName, statement: string, params: unknown[] = []): Promise<T[]> {
    const server = mysqlServer(this.config.mysqlUrl!);
    const connection = await createConnection({
      host: server.host,
      port: server.port,
      user: server.username,
      password: server.password,
      database: `${this.config.dbPrefix}${service}`,
      supportBigNumbers: true,
      bigNumberStrings: false,
    });
    try {
      const [rows] = await connection.query(statement, params);
      return rows as T[];
    } finally {
      await connection.end();
    }
  }

  as(holder: TokenFor): Promise<Record<string, string>> {
    return mintDevelopmentToken(this.config.jwt, holder).then((token) => ({ authorization: `Bearer ${token}` }));
  }

  /** The last lines each process logged (for a failing test's message). */
  tail(): string {
    return fs
      .readdirSync(this.logDir)
      .map((file) => `--- ${file}\n${fs.readFileSync(path.join(this.logDir, file), 'utf8').slice(-2000)}`)
      .join('\n');
  }

  /** Kills every process, stops the private Redis and drops the databases. */
  async teardown(): Promise<void> {
    await Promise.all([...this.running].map((proc) => this.kill(proc)));
    await this.redis.start();
    await discardGraphData(this.config);
    await this.redis.stop();
    fs.rmSync(this.logDir, { recursive: true, force: true });
  }
}

async function ready(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `condition` holds, checking every `everyMs`; fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, condition: () => Promise<T | false | undefined | null>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${timeoutMs} ms${last ? ` (last error: ${last})` : ''}`);
    await sleep(everyMs);
  }
}
