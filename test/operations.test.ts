import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import diagnosticsChannel from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import path from 'node:path';
import { PRINCIPAL_HEADER, signPrincipal } from '../shared/auth/principal';
import { SERVICE_NAMES } from '../shared/config';
import { REQUEST_ID_HEADER } from '../shared/request-scope';
import { configuredServers, graphql } from '../shared/testkit';
import { startTestGraph, type TestGraph } from './support/graph';

let graph: TestGraph;
const root = path.join(__dirname, '..');

// Every TCP connection this process opens, to show that the graph talks only to its own services.
const remoteHosts = new Set<string>();
diagnosticsChannel.subscribe('net.client.socket', (message) => {
  const socket = (message as { socket: Socket }).socket;
  socket.once('connect', () => remoteHosts.add(socket.remoteAddress ?? 'unknown'));
});

/** A support agent may read every customer. */
let support: Record<string, string>;

beforeAll(async () => {
  graph = await startTestGraph({ scale: 0.01 });
  support = await graph.as({ role: 'SUPPORT', staffId: 'test-support' });
});
afterAll(() => graph?.teardown());

function base(url: string): string {
  return url.replace(/\/graphql$/, '');
}

/** Waits for a spawned service's "ready" log line; returns its URL and everything it printed so far. */
function readyUrl(child: ChildProcessWithoutNullStreams, service: string): Promise<{ url: string; output: () => string }> {
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    const check = () => {
      const ready = new RegExp(`"url":"([^"]+)","msg":"${service} ready"`).exec(out);
      if (ready) resolve({ url: ready[1], output: () => out });
    };
    child.stdout.on('data', check);
    child.on('exit', () => reject(new Error(`${service} exited before it was ready: ${out}`)));
  });
}

/** The exit code of a process sent SIGTERM, or 'hung' (and killed) if it has not exited in time. */
async function stopWithSigterm(child: ChildProcessWithoutNullStreams, ms = 15_000): Promise<number | null | 'hung'> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const result = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), ms).unref())]);
  if (result === 'hung') child.kill('SIGKILL');
  return result;
}

/** Headers of a call between services, signed as the graph's own services sign them. */
function serviceHeaders(): Record<string, string> {
  return { [PRINCIPAL_HEADER]: signPrincipal({ kind: 'SERVICE', service: 'test' }, graph.config.internalSigningKey) };
}

function allUrls(): string[] {
  return [graph.gateway.url, ...SERVICE_NAMES.map((n) => graph.subgraphs[n].url!)];
}

describe('operations', () => {
  it('answers /healthz, /readyz and Prometheus /metrics on every service', async () => {
    for (const url of allUrls()) {
      const health = await fetch(`${base(url)}/healthz`);
      expect(health.status).toBe(200);
      const ready = await fetch(`${base(url)}/readyz`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { status: string }).status).toBe('ready');
      const metrics = await (await fetch(`${base(url)}/metrics`)).text();
      expect(metrics).toContain('http_request_duration_seconds');
      expect(metrics).toContain('process_cpu_seconds_total');
    }
    const orders = await (await fetch(`${base(graph.subgraphs.orders.url!)}/metrics`)).text();
    expect(orders).toMatch(/db_statements_total\{service="orders"\} [1-9]/);
  });

  it('passes the request id from the client through the gateway to the subgraphs', async () => {
    const requestId = `trace-${Date.now()}`;
    const response = await fetch(graph.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [REQUEST_ID_HEADER]: requestId, ...support },
      body: JSON.stringify({ query: '{ customers(first: 2) { edges { node { orders(first: 1) { edges { node { number } } } } } } }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get(REQUEST_ID_HEADER)).toBe(requestId);
    expect(graph.subgraphs.customers.db.statements.forRequest(requestId)).toBeGreaterThan(0);
    expect(graph.subgraphs.orders.db.statements.forRequest(requestId)).toBeGreaterThan(0);
  });

  it('reports bad arguments with a stable code', async () => {
    const response = await graphql(graph.gateway.url, '{ products(first: 1000) { edges { cursor } } }');
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const cursor = await graphql(graph.gateway.url, '{ products(after: "garbage") { edges { cursor } } }');
    expect(cursor.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    // A well-formed cursor of the wrong shape: [not a date, id].
    const forged = Buffer.from(JSON.stringify(['not-a-date', 'x'])).toString('base64url');
    const orders = await graphql(graph.gateway.url, `query($id: ID!, $after: String) { customer(id: $id) { orders(after: $after) { edges { cursor } } } }`, {
      id: graph.data.customers[0].id,
      after: forged,
    }, support);
    expect(orders.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await graphql(graph.gateway.url, 'query($ids: [ID!]) { products(first: 1) { edges { node { availability(locationIds: $ids) { available } } } } }', {
      ids: Array.from({ length: 101 }, (_, i) => `loc-${i}`),
    });
    expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const longSearch = await graphql(graph.gateway.url, 'query($q: String) { products(filter: { search: $q }) { edges { cursor } } }', {
      q: 'x'.repeat(101),
    });
    expect(longSearch.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('searches names literally: % and _ are not wildcards', async () => {
    const search = (q: string) =>
      graphql<{ products: { edges: unknown[] } }>(graph.gateway.url, 'query($q: String) { products(first: 100, filter: { search: $q }) { edges { cursor } } }', { q });
    const any = graph.data.products[0].name.split(' ')[0];
    expect((await search(any)).data!.products.edges.length).toBeGreaterThan(0);
    expect((await search('%')).data!.products.edges).toHaveLength(0);
    expect((await search('_')).data!.products.edges).toHaveLength(0);
  });

  it('refuses to start a subgraph alone without MySQL and Redis, and names a bad variable', () => {
    const env = { ...process.env, REDIS_URL: '', MYSQL_URL: '', LOG_LEVEL: 'silent' };
    const alone = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'subgraphs/orders/src/main.ts'], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(alone.status).toBe(1);
    expect(alone.stderr).toContain('MYSQL_URL and REDIS_URL');
    const bad = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/start-all.ts'], {
      cwd: root,
      env: { ...env, ORDERS_PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('ORDERS_PORT');
  });

  // Alone, a service needs MySQL and Redis; without them, the refusal is what is tested (above).
  (configuredServers().redis && configuredServers().mysql ? it : it.skip)('starts a subgraph alone as its own process, which serves and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'subgraphs/inventory/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        LOG_LEVEL: 'info',
        DB_PREFIX: graph.config.dbPrefix,
        DATA_DIR: graph.config.dataDir,
        REDIS_KEY_PREFIX: graph.config.redisKeyPrefix,
        INVENTORY_PORT: '0',
        SHUTDOWN_DELAY_MS: '0', // nothing balances load in front of it
        NODE_ENV: 'development', // Apollo installs its own signal handlers outside tests
      },
    });
    const { url } = await readyUrl(child, 'inventory');
    const response = await graphql(url, '{ locations { code } }', {}, serviceHeaders());
    expect((response.data as { locations: unknown[] }).locations).toHaveLength(graph.data.locations.length);
    expect(await stopWithSigterm(child)).toBe(0);
  });

  it('stops the gateway on SIGTERM outside tests, logs each request under the id the client sent, and never logs a secret', async () => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'gateway/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'development', // Apollo installs its own signal handlers outside tests
        LOG_LEVEL: 'trace',
        REDIS_URL: '',
        DATA_DIR: graph.config.dataDir,
        DB_PREFIX: graph.config.dbPrefix,
        GATEWAY_PORT: '0',
        SHUTDOWN_DELAY_MS: '0', // nothing balances load in front of it
        INTERNAL_SIGNING_KEY: graph.config.internalSigningKey, // the subgraphs' key, passed as an operator would
        ...Object.fromEntries(SERVICE_NAMES.map((n) => [`${n.toUpperCase()}_URL`, graph.subgraphs[n].url!])),
      },
    });
    const { url, output } = await readyUrl(child, 'gateway');
    const requestId = `log-probe-${Date.now()}`;
    const response = await graphql(url, '{ locations { code } }', {}, { [REQUEST_ID_HEADER]: requestId });
    expect((response.data as { locations: unknown[] }).locations).toHaveLength(graph.data.locations.length);
    // Credentials, accepted and refused: none of them may reach the log.
    const token = support.authorization.slice('Bearer '.length);
    await graphql(url, '{ me { id } }', {}, support);
    const apiKey = `pk_${'1'.repeat(12)}_${'s'.repeat(43)}`;
    expect((await graphql(url, '{ me { id } }', {}, { 'x-api-key': apiKey })).status).toBe(401);
    expect(await stopWithSigterm(child)).toBe(0);
    const logged = output().split('\n').filter((line) => line.includes(`"requestId":"${requestId}"`));
    expect(logged.some((line) => line.includes('"msg":"request"') && line.includes('"status":200'))).toBe(true);
    for (const secret of [token, token.split('.')[2], apiKey, 's'.repeat(43), graph.config.internalSigningKey]) expect(output()).not.toContain(secret);
  });

  it('refuses a subgraph called directly without a principal signed with the internal key', async () => {
    const orders = graph.subgraphs.orders.url!;
    const document = '{ orderByNumber(number: "x") { id } }';
    const unsigned = await graphql(orders, document);
    expect(unsigned.status).toBe(401);
    expect(unsigned.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(unsigned.data).toBeUndefined();
    const forged = await graphql(orders, document, {}, { [PRINCIPAL_HEADER]: signPrincipal({ kind: 'SERVICE', service: 'x' }, 'f'.repeat(32)) });
    expect(forged.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const signed = await graphql(orders, document, {}, serviceHeaders());
    expect(signed.errors).toBeUndefined();
    expect(signed.data).toEqual({ orderByNumber: null });
  });

  it('connects to nothing outside this machine (no telemetry, no cloud metadata probes)', async () => {
    // Give anything that would phone home on start-up a moment to try.
    await new Promise((r) => setTimeout(r, 500));
    expect(remoteHosts.size).toBeGreaterThan(0);
    for (const host of remoteHosts) expect(host).toMatch(/^(127\.|::1$|::ffff:127\.)/);
  });

  it('drains requests in flight when it shuts down, then stops accepting', async () => {
    const requestId = `drain-${Date.now()}`;
    const inFlight = graphql(
      graph.gateway.url,
      '{ customers(first: 50) { edges { node { orders(first: 5) { edges { node { number } } } } } } }',
      {},
      { [REQUEST_ID_HEADER]: requestId, ...support },
    );
    // Once the customers service has worked on it, the gateway is mid-request.
    while (graph.subgraphs.customers.db.statements.forRequest(requestId) === 0) await new Promise((r) => setTimeout(r, 1));
    await graph.gateway.stop();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    await expect(fetch(`${base(graph.gateway.url)}/healthz`)).rejects.toThrow();
  });
});
