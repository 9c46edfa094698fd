import 'reflect-metadata';
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { PRINCIPAL_HEADER, signPrincipal, type ClientPrincipal } from '../shared/auth/principal';
import { loadConfig, SERVICE_NAMES, type SubgraphName } from '../shared/config';
import { EXAMPLE_QUERY } from '../scripts/start-all';
import { Cluster, freePort, type ServiceProcess } from '../test/support/cluster';
import type { LoadPlan, LoadReport } from './load-generator';
import { BENCH_PRINCIPAL_HEADER } from './stock-gateway';

/**
 * `npm run bench -- [--scale 0.2] [--seconds 10] [--rounds 2] [--connections 16] [--only <scenario|arm>]`: the graph as in
 * production, each service its own process running dist/ on MariaDB (MYSQL_URL, else the local
 * server) and a Redis of its own, seeded with the demo data at the given scale. Each scenario runs
 * through this gateway, through stock @apollo/gateway over the same subgraphs (bench/stock-gateway.ts),
 * through Hive Gateway with the Rust query planner (bench/hive-gateway.ts)
 * and, where one subgraph answers it, against that subgraph directly; the arms take turns, round after
 * round, and the load comes from autocannon in a process of its own (bench/load-generator.ts). It
 * prints requests per second, latency, CPU ms per request of each process (from /proc), SQL statements
 * per request of each subgraph (db_statements_total), peak RSS, and each goal of the issue "A busy day
 * on a small machine" as met or not met. Figures only: nothing here is a test. `--profile <dir>`
 * writes a V8 CPU profile of every process there; `--only "customer 360 (support)|gateway"` runs only the
 * arms whose name contains it (the goals are then not judged), to profile one.
 */

const ROOT = path.join(__dirname, '..');
/** docker-compose.yml's NODE_OPTIONS of a service: the bench runs the services as it does. */
const SERVICE_NODE_OPTIONS = '--max-old-space-size=160';
const ISSUER = 'https://bench.idp.example/';

type Arm = 'gateway' | 'stock' | 'hive' | 'direct';
const PROCESSES = ['gateway', 'stock-gateway', 'hive-gateway', ...SERVICE_NAMES] as const;
type ProcessName = (typeof PROCESSES)[number];

interface Scenario {
  name: string;
  /** What each arm sends: the URL, headers and bodies of its requests (built just before a run: signed principals expire). */
  arms: Partial<Record<Arm, () => Promise<Omit<LoadPlan, 'connections' | 'seconds'>>>>;
}

interface Sample {
  report: LoadReport;
  cpuMs: Record<ProcessName, number>;
  statements: Record<SubgraphName, number>;
}

const CATALOG = `query Catalog { products(first: 20) { edges { node { id code name price { amount currencyCode }
  variants { id sku color size } } } } }`;
const RECOMMENDATIONS_IN_STORE = `query RecommendationsInStore($id: ID!, $locationId: ID!) { customer(id: $id) {
  recommendations(first: 10, context: { locationId: $locationId }) { score product { id name } variant { id size } reasons { code } } } }`;
// The same list asked of the recommendations service alone, as the gateway's query plan does.
const RECOMMENDATIONS_DIRECT = `query($r: [_Any!]!, $locationId: ID!) { _entities(representations: $r) { ... on Customer {
  recommendations(first: 10, context: { locationId: $locationId }) { score product { id } variant { id } reasons { code } } } } }`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '0.2' },
      seconds: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '2' },
      connections: { type: 'string', default: '16' },
      // V8 CPU profiles of every process, written to this folder when they stop (open them in Chrome DevTools).
      profile: { type: 'string' },
      // Only the arms whose "scenario|arm" contains this (to profile one); the goals are not judged then.
      only: { type: 'string' },
    },
  });
  const [scale, seconds, rounds, connections] = [values.scale, values.seconds, values.rounds, values.connections].map(Number);
  const mysqlUrl = loadConfig().mysqlUrl ?? 'mysql://root@127.0.0.1:3306';
  console.log('building dist/ (production runs compiled code)…');
  await promisify(execFile)('npm', ['run', '-s', 'build'], { cwd: ROOT });

  const idp = await startIdentityProvider();
  const signingKey = randomBytes(36).toString('base64url');
  const started = Date.now();
  const cluster = await Cluster.create({ scale, mysqlUrl });
  const buyers = [...new Set(cluster.data.orders.map((o) => o.customerId).filter((id): id is string => !!id))];
  const store = cluster.data.locations.find((l) => l.type === 'STORE')!;
  console.log(`seeded scale ${scale} (${cluster.data.orders.length} orders, ${buyers.length} buyers) in ${((Date.now() - started) / 1000).toFixed(0)} s`);

  try {
    const production = {
      NODE_ENV: 'production',
      INTERNAL_SIGNING_KEY: signingKey,
      JWT_JWKS_URL: idp.jwksUrl,
      JWT_ISSUER: ISSUER,
      SHUTDOWN_DELAY_MS: '0',
      LOG_LEVEL: 'warn',
      // As docker-compose.yml runs each service: a heap of 160 MB keeps a process under 256 MB RSS.
      NODE_OPTIONS: SERVICE_NODE_OPTIONS,
    };
    const nodeOptions = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values.profile)}`] : [];
    const metricsPorts = {} as Record<SubgraphName, number>;
    const processes = {} as Record<ProcessName, ServiceProcess<string>>;
    for (const service of SERVICE_NAMES) {
      metricsPorts[service] = await freePort();
      processes[service] = await cluster.start(service, { nodeOptions, env: { ...production, METRICS_PORT: String(metricsPorts[service]) } });
    }
    processes.gateway = await cluster.start('gateway', { nodeOptions, env: { ...production, METRICS_PORT: String(await freePort()) } });
    // The comparison arms (stock @apollo/gateway; Hive Gateway with the Rust query planner) as TypeScript.
    for (const [name, program] of [['stock-gateway', 'bench/stock-gateway.ts'], ['hive-gateway', 'bench/hive-gateway.ts']] as const) {
      const port = await freePort();
      processes[name] = await cluster.launch(name, [...nodeOptions, '-r', 'ts-node/register/transpile-only', program], port, { ...production, GATEWAY_PORT: String(port) });
    }

    const support: ClientPrincipal = { kind: 'STAFF', role: 'SUPPORT', staffId: 'bench-support' };
    const clerk: ClientPrincipal = { kind: 'STAFF', role: 'STORE_STAFF', staffId: 'bench-clerk', locationId: store.id };
    const body = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
    const throughGateway = async (principal: ClientPrincipal | undefined, bodies: string[]) => ({
      url: processes.gateway.url,
      headers: principal ? { authorization: `Bearer ${await idp.token(principal)}` } : ({} as Record<string, string>),
      bodies,
    });
    const throughStock = (principal: ClientPrincipal, bodies: string[], engine: 'stock-gateway' | 'hive-gateway' = 'stock-gateway') => ({
      url: processes[engine].url,
      headers: { [BENCH_PRINCIPAL_HEADER]: JSON.stringify(principal) },
      bodies,
    });
    const direct = async (service: SubgraphName, principal: ClientPrincipal, bodies: string[]) => ({
      url: processes[service].url,
      headers: { [PRINCIPAL_HEADER]: signPrincipal(principal, signingKey) },
      bodies,
    });
    const catalog = [body(CATALOG)];
    const customer360 = buyers.map((id) => body(EXAMPLE_QUERY, { id }));
    const inStore = buyers.map((id) => body(RECOMMENDATIONS_IN_STORE, { id, locationId: store.id }));
    const inStoreDirect = buyers.map((id) => body(RECOMMENDATIONS_DIRECT, { r: [{ __typename: 'Customer', id }], locationId: store.id }));
    const scenarios: Scenario[] = [
      {
        name: 'catalog page (anonymous)',
        arms: {
          gateway: () => throughGateway(undefined, catalog),
          stock: async () => throughStock({ kind: 'ANONYMOUS' }, catalog),
          hive: async () => throughStock({ kind: 'ANONYMOUS' }, catalog, 'hive-gateway'),
          direct: () => direct('inventory', { kind: 'ANONYMOUS' }, catalog),
        },
      },
      {
        name: 'customer 360 (support)',
        arms: {
          gateway: () => throughGateway(support, customer360),
          stock: async () => throughStock(support, customer360),
          hive: async () => throughStock(support, customer360, 'hive-gateway'),
        },
      },
      {
        name: 'recommendations in a store (clerk)',
        arms: {
          gateway: () => throughGateway(clerk, inStore),
          stock: async () => throughStock(clerk, inStore),
          hive: async () => throughStock(clerk, inStore, 'hive-gateway'),
          direct: () => direct('recommendations', clerk, inStoreDirect),
        },
      },
    ];

    const run = async (plan: Omit<LoadPlan, 'connections' | 'seconds'>, load: { connections: number; seconds: number }): Promise<Sample> => {
      const before = await snapshot(processes, metricsPorts);
      const report = await generateLoad({ ...plan, ...load });
      const after = await snapshot(processes, metricsPorts);
      if (report.failures) throw new Error(`${report.failures} failed requests to ${plan.url}; first: ${report.firstFailure}`);
      return {
        report,
        cpuMs: mapValues(after.cpuMs, (ms, name) => (ms - before.cpuMs[name]) / report.requests),
        statements: mapValues(after.statements, (n, name) => (n - before.statements[name]) / report.requests),
      };
    };

    const armsOf = (scenario: Scenario) =>
      (Object.entries(scenario.arms) as Array<[Arm, NonNullable<Scenario['arms'][Arm]>]>).filter(([arm]) => !values.only || `${scenario.name}|${arm}`.includes(values.only));
    console.log(`warming up each arm (3 s), then ${rounds} rounds of ${seconds} s per arm at ${connections} connections, arms in turn`);
    for (const scenario of scenarios) for (const [, plan] of armsOf(scenario)) await run(await plan(), { connections, seconds: 3 });
    const samples = new Map<string, Sample[]>();
    for (let round = 0; round < rounds; round++) {
      for (const scenario of scenarios) {
        const arms = armsOf(scenario);
        for (let i = 0; i < arms.length; i++) {
          const [arm, plan] = arms[(i + round) % arms.length];
          const key = `${scenario.name}|${arm}`;
          samples.set(key, [...(samples.get(key) ?? []), await run(await plan(), { connections, seconds })]);
        }
      }
    }
    if (values.only) {
      console.log(['', ...tableOf(samples)].join('\n'));
      if (values.profile) await Promise.all(Object.values(processes).map((proc) => cluster.kill(proc, 'SIGTERM')));
      return;
    }
    const single = {
      customer360: await run(await scenarios[1].arms.gateway!(), { connections: 1, seconds: 5 }),
      inStore: await run(await scenarios[2].arms.gateway!(), { connections: 1, seconds: 5 }),
    };
    const asSupport = (await throughGateway(support, [])).headers;
    const fewest = await statementsOf(customerWithOrders(cluster, 'fewest'), asSupport, processes.gateway.url, metricsPorts);
    const most = await statementsOf(customerWithOrders(cluster, 'most'), asSupport, processes.gateway.url, metricsPorts);
    const peakRssMb = mapValues(
      Object.fromEntries(PROCESSES.map((name) => [name, processes[name].child.pid!])) as Record<ProcessName, number>,
      (pid) => peakRss(pid),
    );
    const [{ version: database }] = await cluster.sql<{ version: string }>('inventory', 'SELECT VERSION() AS version');
    const redis = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).match(/v=(\S+)/)![1];
    report({ machine: { database, redis }, scale, seconds, rounds, connections, samples, single, peakRssMb, sqlByOrders: { fewest, most } });
    // A profile is written as a process exits of itself: SIGTERM, not the teardown's SIGKILL.
    if (values.profile) await Promise.all(Object.values(processes).map((proc) => cluster.kill(proc, 'SIGTERM')));
  } finally {
    await cluster.teardown();
    await new Promise((resolve) => idp.server.close(resolve));
  }
}

/** An identity provider of the bench's own: a JWKS on this machine and tokens signed with its key, as production verifies them. */
async function startIdentityProvider() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const keys = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' }] });
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(keys));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    token: (principal: ClientPrincipal) => {
      if (principal.kind !== 'STAFF') throw new Error('the bench signs in staff only');
      return new SignJWT({ role: principal.role, ...(principal.locationId ? { location_id: principal.locationId } : {}) })
        .setProtectedHeader({ alg: 'RS256', kid: 'bench' })
        .setSubject(principal.staffId)
        .setIssuer(ISSUER)
        .setAudience('unified-commerce-graph')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey);
    },
  };
}

async function generateLoad(plan: LoadPlan): Promise<LoadReport> {
  const file = path.join(os.tmpdir(), `ucg-bench-plan-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(plan));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['-r', 'ts-node/register/transpile-only', 'bench/load-generator.ts', file], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(stdout) as LoadReport;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

const CLOCK_TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** CPU time (user + system) a process has used, from /proc. */
function cpuMsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
}

/** Peak resident memory of a process so far (VmHWM), in MB. */
function peakRss(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1];
  return Number(kb) / 1024;
}

async function statementsNow(metricsPorts: Record<SubgraphName, number>): Promise<Record<SubgraphName, number>> {
  const statements = {} as Record<SubgraphName, number>;
  for (const service of SERVICE_NAMES) {
    const text = await fetch(`http://127.0.0.1:${metricsPorts[service]}/metrics/${service}`).then((r) => r.text());
    statements[service] = Number(/^db_statements_total(?:\{[^}]*\})? (\d+)/m.exec(text)![1]);
  }
  return statements;
}

async function snapshot(processes: Record<ProcessName, ServiceProcess<string>>, metricsPorts: Record<SubgraphName, number>) {
  const statements = await statementsNow(metricsPorts);
  const cpuMs = Object.fromEntries(PROCESSES.map((name) => [name, cpuMsOf(processes[name].child.pid!)])) as Record<ProcessName, number>;
  return { statements, cpuMs };
}

function customerWithOrders(cluster: Cluster, which: 'fewest' | 'most'): { id: string; orders: number } {
  const counts = new Map<string, number>();
  for (const order of cluster.data.orders) if (order.customerId) counts.set(order.customerId, (counts.get(order.customerId) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => a[1] - b[1]);
  const [id, orders] = which === 'fewest' ? sorted[0] : sorted[sorted.length - 1];
  return { id, orders };
}

/**
 * SQL statements of one customer 360 request, in all subgraphs: the fewest of five tries (background jobs
 * send some too), less what reading the counters itself sends (a scrape of /metrics counts dead letters).
 */
async function statementsOf(customer: { id: string; orders: number }, headers: Record<string, string>, url: string, metricsPorts: Record<SubgraphName, number>) {
  const total = async () => Object.values(await statementsNow(metricsPorts)).reduce((a, b) => a + b, 0);
  let scrape = Infinity;
  for (let i = 0; i < 5; i++) {
    const before = await total();
    scrape = Math.min(scrape, (await total()) - before);
  }
  let fewest = Infinity;
  for (let i = 0; i < 5; i++) {
    const before = await total();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: EXAMPLE_QUERY, variables: { id: customer.id } }) });
    const answer = (await response.json()) as { errors?: unknown };
    if (answer.errors) throw new Error(`customer 360 of ${customer.id}: ${JSON.stringify(answer.errors)}`);
    fewest = Math.min(fewest, (await total()) - before - scrape);
  }
  return { ...customer, statements: fewest };
}

interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
  cpuMs: Record<ProcessName, number>;
  statements: Record<SubgraphName, number>;
}

/** The rounds of one arm together: requests over time, CPU and statements per request weighted by requests, mean latencies. */
function combine(samples: Sample[]): Figures {
  const requests = samples.reduce((sum, s) => sum + s.report.requests, 0);
  const weighted = <K extends string>(pick: (s: Sample) => Record<K, number>) =>
    mapValues(pick(samples[0]), (_v, key) => samples.reduce((sum, s) => sum + pick(s)[key] * s.report.requests, 0) / requests);
  return {
    perSecond: requests / samples.reduce((sum, s) => sum + s.report.seconds, 0),
    p50: samples.reduce((sum, s) => sum + s.report.p50, 0) / samples.length,
    p99: samples.reduce((sum, s) => sum + s.report.p99, 0) / samples.length,
    cpuMs: weighted((s) => s.cpuMs),
    statements: weighted((s) => s.statements),
  };
}

const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);
const ms = (value: number) => value.toFixed(value < 10 ? 2 : 1);

/** The figures of each arm run, as table lines. */
function tableOf(samples: Map<string, Sample[]>): string[] {
  const rows = [...samples].map(([key, of]) => {
    const f = combine(of);
    const [scenario, arm] = key.split('|');
    const busy = Object.entries(f.cpuMs).filter(([, v]) => v >= 0.05).map(([name, v]) => `${name} ${ms(v)}`);
    const queried = Object.entries(f.statements).filter(([, v]) => v >= 0.05).map(([name, v]) => `${name} ${v.toFixed(1)}`);
    return `| ${scenario} | ${arm} | ${f.perSecond.toFixed(0)} | ${ms(f.p50)} / ${ms(f.p99)} | ${ms(sum(f.cpuMs))}: ${busy.join(', ')} | ${sum(f.statements).toFixed(1)}: ${queried.join(', ') || '—'} |`;
  });
  return [
    '| scenario | arm | req/s | p50 / p99 ms | CPU ms per request: all, by process | SQL statements per request: all, by service |',
    '|---|---|---|---|---|---|',
    ...rows,
  ];
}

function report(run: {
  machine: { database: string; redis: string };
  scale: number;
  seconds: number;
  rounds: number;
  connections: number;
  samples: Map<string, Sample[]>;
  single: { customer360: Sample; inStore: Sample };
  peakRssMb: Record<ProcessName, number>;
  sqlByOrders: { fewest: { orders: number; statements: number }; most: { orders: number; statements: number } };
}): void {
  const cpus = os.cpus();
  const machine =
    `${cpus.length} × ${cpus[0].model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}, Node ${process.version}, ` +
    `MariaDB ${run.machine.database}, Redis ${run.machine.redis}; scale ${run.scale}, ${run.connections} connections, ${run.rounds} rounds of ${run.seconds} s per arm`;
  const figures = new Map([...run.samples].map(([key, samples]) => [key, combine(samples)]));
  const at = (scenario: string, arm: Arm) => figures.get(`${scenario}|${arm}`)!;
  const catalog = 'catalog page (anonymous)';
  const c360 = 'customer 360 (support)';
  const inStore = 'recommendations in a store (clerk)';
  const { fewest, most } = run.sqlByOrders;
  const goals: Array<[string, string, boolean]> = [
    ['catalog page ≥ 500 req/s through the gateway', `${at(catalog, 'gateway').perSecond.toFixed(0)} req/s`, at(catalog, 'gateway').perSecond >= 500],
    ['catalog page: inventory ≤ 1.5 ms CPU per request', `${ms(at(catalog, 'gateway').cpuMs.inventory)} ms`, at(catalog, 'gateway').cpuMs.inventory <= 1.5],
    ['customer 360 ≥ 160 req/s', `${at(c360, 'gateway').perSecond.toFixed(0)} req/s`, at(c360, 'gateway').perSecond >= 160],
    ['customer 360 ≤ 10 ms CPU per request in all processes', `${ms(sum(at(c360, 'gateway').cpuMs))} ms`, sum(at(c360, 'gateway').cpuMs) <= 10],
    [
      'customer 360 ≤ 12 SQL statements in all, the same for few and many orders',
      `${fewest.statements} (${fewest.orders} orders), ${most.statements} (${most.orders} orders)`,
      Math.max(fewest.statements, most.statements) <= 12 && fewest.statements === most.statements,
    ],
    ['recommendations in a store: ≤ 3 ms CPU in recommendations', `${ms(at(inStore, 'gateway').cpuMs.recommendations)} ms`, at(inStore, 'gateway').cpuMs.recommendations <= 3],
    ['recommendations in a store: ≤ 4 statements in recommendations', at(inStore, 'gateway').statements.recommendations.toFixed(1), at(inStore, 'gateway').statements.recommendations <= 4],
    ['recommendations in a store: p50 ≤ 10 ms at concurrency 1', `${ms(run.single.inStore.report.p50)} ms`, run.single.inStore.report.p50 <= 10],
    ...[catalog, c360, inStore].map((scenario): [string, string, boolean] => {
      const [own, stock] = [at(scenario, 'gateway').cpuMs.gateway, at(scenario, 'stock').cpuMs['stock-gateway']];
      return [`${scenario}: gateway CPU per request ≤ stock @apollo/gateway's`, `${ms(own)} ms vs ${ms(stock)} ms`, own <= stock];
    }),
    [
      'catalog page through the gateway ≥ 0.85 × the subgraph called directly',
      `${(at(catalog, 'gateway').perSecond / at(catalog, 'direct').perSecond).toFixed(2)} ×`,
      at(catalog, 'gateway').perSecond >= 0.85 * at(catalog, 'direct').perSecond,
    ],
    [
      'every process ≤ 256 MB RSS',
      Object.entries(run.peakRssMb).map(([name, mb]) => `${name} ${mb.toFixed(0)}`).join(', ') + ' MB',
      Object.values(run.peakRssMb).every((mb) => mb <= 256),
    ],
  ];
  console.log(
    [
      '',
      `Machine: ${machine}`,
      '',
      ...tableOf(run.samples),
      '',
      `At concurrency 1 through the gateway: customer 360 p50 ${ms(run.single.customer360.report.p50)} ms, recommendations in a store p50 ${ms(run.single.inStore.report.p50)} ms`,
      '',
      '| goal | measured | |',
      '|---|---|---|',
      ...goals.map(([goal, measured, met]) => `| ${goal} | ${measured} | ${met ? 'met' : 'not met'} |`),
      '',
      'A faster engine, Hive Gateway with the Rust query planner (@graphql-hive/router-runtime), against this gateway:',
      '',
      '| scenario | req/s: Hive, this gateway | gateway process CPU ms per request: Hive, this gateway |',
      '|---|---|---|',
      ...[catalog, c360, inStore].map((scenario) => {
        const [hive, own] = [at(scenario, 'hive'), at(scenario, 'gateway')];
        return `| ${scenario} | ${hive.perSecond.toFixed(0)}, ${own.perSecond.toFixed(0)} | ${ms(hive.cpuMs['hive-gateway'])}, ${ms(own.cpuMs.gateway)} |`;
      }),
    ].join('\n'),
  );
}

function mapValues<K extends string, V, W>(record: Record<K, V>, f: (value: V, key: K) => W): Record<K, W> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v as V, k as K)])) as Record<K, W>;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
