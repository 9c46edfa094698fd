import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PartnerKeys } from '../gateway/src/partners/partner-keys';
import { Safelist } from '../gateway/src/persisted-queries';
import { openGatewayDatabase } from '../gateway/src/storage';
import type { Database } from '../shared/db/database';
import type { RunningService } from '../shared/http/service';
import { createLogger } from '../shared/logger';
import { configuredServers } from '../shared/testkit';
import { startExtraGateway, startTestGraph, type TestGraph } from './support/graph';

/**
 * The gateway's protections, end to end over HTTP: rate limits, automatic persisted queries (APQ)
 * and safelist mode. Each special configuration runs on an extra gateway in front of the same
 * subgraphs, sharing the graph's databases, platform (Redis or the embedded stand-ins) and key prefix.
 */

let graph: TestGraph;
let gatewayDb: Database;
/** RATE_LIMIT_ANONYMOUS=3, RATE_LIMIT_CUSTOMER=2 per 60 s window. */
let limited: RunningService;
/** Default configuration: another replica, to show that APQ registrations are shared. */
let replica: RunningService;
/** SAFELIST_MANIFEST set to a manifest holding only LOCATIONS. */
let safelisted: RunningService;
const extraGateways: RunningService[] = [];

const LOCATIONS = 'query Locations { locations { code } }';
const ANONYMOUS_PROBE = '{ locations { code } }';
const PRODUCTS = '{ products(first: 1) { edges { node { id } } } }';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A gateway with its own configuration; stopped after all tests. */
async function startExtra(overrides: Record<string, string>): Promise<RunningService> {
  const gateway = await startExtraGateway(graph, overrides);
  extraGateways.push(gateway);
  return gateway;
}

/** Writes an Apollo persisted query manifest into the graph's data folder; returns its path. */
function writeManifest(file: string, operations: Array<{ id: string; name: string; body: string }>): string {
  const manifestPath = path.join(graph.config.dataDir, file);
  fs.mkdirSync(graph.config.dataDir, { recursive: true });
  const manifest = { format: 'apollo-persisted-query-manifest', version: 1, operations: operations.map((op) => ({ ...op, type: 'query' })) };
  fs.writeFileSync(manifestPath, JSON.stringify(manifest));
  return manifestPath;
}

interface Reply {
  status: number;
  /** The Retry-After response header (testkit's graphql() does not return headers). */
  retryAfter: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; extensions?: { code?: string; retryAfter?: unknown } }>;
}

/** POSTs one GraphQL request body as is (a query, an APQ extension, or both). */
async function post(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Omit<Reply, 'status' | 'retryAfter'>;
  return { status: response.status, retryAfter: response.headers.get('retry-after'), ...json };
}

const send = (url: string, query: string, headers: Record<string, string> = {}) => post(url, { query }, headers);

/** The APQ extension naming a document by its hash. */
const persisted = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });
const byHash = (url: string, hash: string, headers: Record<string, string> = {}) => post(url, { extensions: persisted(hash) }, headers);

const codeOf = (reply: Reply) => reply.errors?.[0]?.extensions?.code;

/** With REDIS_URL set, counters and APQ entries live in Redis under the graph's key prefix. */
const redis = () => (configuredServers().redis ? graph.platform.redis! : undefined);
const redisKey = (suffix: string) => `${graph.config.redisKeyPrefix}${suffix}`;

async function redisKeys(pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis()!.scan(cursor, 'MATCH', redisKey(pattern), 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

beforeAll(async () => {
  graph = await startTestGraph({ scale: 0.01 });
  limited = await startExtra({ RATE_LIMIT_WINDOW_SECONDS: '60', RATE_LIMIT_ANONYMOUS: '3', RATE_LIMIT_CUSTOMER: '2' });
  replica = await startExtra({});
  const manifest = writeManifest('safelist.json', [{ id: sha256(LOCATIONS), name: 'Locations', body: LOCATIONS }]);
  safelisted = await startExtra({ SAFELIST_MANIFEST: manifest });
  gatewayDb = await openGatewayDatabase(graph.config, createLogger({ logLevel: 'warn' }, 'test'));
});
afterAll(async () => {
  for (const gateway of extraGateways) await gateway.stop();
  await gatewayDb?.close();
  await graph?.teardown();
});

describe('rate limits', () => {
  // Anonymous callers are counted per client address, and with Redis every gateway of this graph
  // shares the counter (same key prefix). So this must be the first anonymous request of the file:
  // nothing in beforeAll sends one, and this test runs first.
  it('refuses the anonymous request over the limit with 429 RATE_LIMITED and Retry-After', async () => {
    for (let i = 1; i <= 3; i++) {
      const ok = await send(limited.url, ANONYMOUS_PROBE);
      expect({ i, status: ok.status, errors: ok.errors }).toEqual({ i, status: 200, errors: undefined });
      expect(ok.data?.locations.length).toBeGreaterThan(0);
    }
    const refused = await send(limited.url, ANONYMOUS_PROBE);
    expect(refused.status).toBe(429);
    expect(refused.data ?? undefined).toBeUndefined();
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    const retryAfter = refused.errors![0].extensions!.retryAfter;
    expect(typeof retryAfter).toBe('number');
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.retryAfter).toBe(String(retryAfter));

    if (redis()) {
      const [counter, ...others] = await redisKeys('cache:gateway:ratelimit:address:*');
      expect(others).toEqual([]);
      expect(await redis()!.get(counter)).toBe('4');
      const ttl = await redis()!.pttl(counter);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
  });

  it('counts refused credentials against the address, so keys and tokens cannot be guessed at full speed', async () => {
    const guessedKey = { 'x-api-key': `pk_${'0'.repeat(12)}_${'g'.repeat(43)}` };
    expect((await send(graph.gateway.url, ANONYMOUS_PROBE, guessedKey)).status).toBe(401);
    // The address is over its anonymous limit on the limited gateway: a guess is refused before it is checked.
    const refused = await send(limited.url, ANONYMOUS_PROBE, guessedKey);
    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(await send(limited.url, ANONYMOUS_PROBE, { authorization: 'Bearer not.a.token' })).toMatchObject({ status: 429 });
    if (redis()) {
      const [counter] = await redisKeys('cache:gateway:ratelimit:address:*');
      expect(await redis()!.get(counter)).toBe('7'); // 4 above, one guess on each gateway, one token
    }
  });

  it('counts staff members apart from the anonymous callers of the same address', async () => {
    const staff = await graph.as({ role: 'SUPPORT', staffId: 'rate-limit-support' });
    const reply = await send(limited.url, ANONYMOUS_PROBE, staff);
    expect(reply.status).toBe(200);
    expect(reply.errors).toBeUndefined();
    expect(reply.retryAfter).toBeNull();
    // The anonymous bucket is still full.
    expect(codeOf(await send(limited.url, ANONYMOUS_PROBE))).toBe('RATE_LIMITED');
    if (redis()) expect(await redis()!.get(redisKey('cache:gateway:ratelimit:staff:rate-limit-support'))).toBe('1');
  });

  it('counts each customer in a bucket of their own', async () => {
    const [first, second] = graph.data.customers;
    const firstHeaders = await graph.as({ customer: first.id });
    const secondHeaders = await graph.as({ customer: second.id });
    for (let i = 1; i <= 2; i++) expect((await send(limited.url, ANONYMOUS_PROBE, firstHeaders)).status).toBe(200);
    const refused = await send(limited.url, ANONYMOUS_PROBE, firstHeaders);
    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);

    const other = await send(limited.url, ANONYMOUS_PROBE, secondHeaders);
    expect(other.status).toBe(200);
    expect(other.errors).toBeUndefined();
    expect(other.data?.locations.length).toBeGreaterThan(0);

    if (redis()) {
      expect(await redis()!.get(redisKey(`cache:gateway:ratelimit:customer:${first.id}`))).toBe('3');
      expect(await redis()!.get(redisKey(`cache:gateway:ratelimit:customer:${second.id}`))).toBe('1');
    }
  });

  it('leaves gateways with the default limits alone', async () => {
    // The same address is over the limited gateway's anonymous limit, not over the default one.
    const reply = await send(graph.gateway.url, ANONYMOUS_PROBE);
    expect(reply.status).toBe(200);
    expect(reply.errors).toBeUndefined();
  });
});

describe('automatic persisted queries', () => {
  // Unique per run, so that no other test (or earlier run) has registered it.
  const document = `query ApqProbe { locations { code name } __typename } # ${randomUUID()}`;
  const hash = sha256(document);

  it('asks for the document of an unknown hash with PERSISTED_QUERY_NOT_FOUND', async () => {
    const reply = await byHash(graph.gateway.url, hash);
    expect(codeOf(reply)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(reply.data ?? undefined).toBeUndefined();
    expect(codeOf(await byHash(graph.gateway.url, sha256(randomUUID())))).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('registers a document sent with its hash, then answers the hash alone, on every replica', async () => {
    const registeredFrom = Date.now();
    const registered = await post(graph.gateway.url, { query: document, extensions: persisted(hash) });
    expect(registered.status).toBe(200);
    expect(registered.errors).toBeUndefined();
    expect(registered.data?.locations.length).toBeGreaterThan(0);

    if (redis()) {
      // The store's keys share one hash tag (one Redis Cluster slot): the document, its recency, the byte count.
      const key = redisKey(`{apq}:doc:${hash}`);
      // Apollo registers without awaiting the write: wait for it briefly.
      for (let i = 0; i < 50 && !(await redis()!.exists(key)); i++) await new Promise((r) => setTimeout(r, 20));
      expect(await redis()!.get(key)).toBe(document);
      // Bounded by bytes, least recently used first (README: Limits), not by a time to live.
      expect(Number(await redis()!.zscore(redisKey('{apq}:recency'), hash))).toBeGreaterThanOrEqual(registeredFrom);
      expect(Number(await redis()!.get(redisKey('{apq}:bytes')))).toBeGreaterThanOrEqual(document.length);
    }

    for (const url of [graph.gateway.url, replica.url]) {
      const again = await byHash(url, hash);
      expect(again.errors).toBeUndefined();
      expect(again.data).toEqual(registered.data);
    }
  });

  it('refuses a hash that is not the SHA-256 of the document sent with it, and registers nothing', async () => {
    const other = `query ApqMismatch { locations { id } } # ${randomUUID()}`;
    const wrongHash = sha256(`${other} `);
    const reply = await post(graph.gateway.url, { query: other, extensions: persisted(wrongHash) });
    expect(reply.status).toBe(400);
    expect(reply.data ?? undefined).toBeUndefined();
    expect(reply.errors?.[0].message).toMatch(/provided sha does not match query/);
    expect(codeOf(reply)).toBe('BAD_REQUEST');
    expect(codeOf(await byHash(graph.gateway.url, wrongHash))).toBe('PERSISTED_QUERY_NOT_FOUND');
    if (redis()) expect(await redis()!.exists(redisKey(`{apq}:doc:${wrongHash}`))).toBe(0);
  });

  it('refuses an APQ version it does not speak with BAD_REQUEST', async () => {
    const query = `query ApqVersion { locations { id } } # ${randomUUID()}`;
    const reply = await post(graph.gateway.url, { query, extensions: { persistedQuery: { version: 2, sha256Hash: sha256(query) } } });
    expect(reply.status).toBe(400);
    expect(reply.errors?.[0].message).toMatch(/Unsupported persisted query version/);
    expect(codeOf(reply)).toBe('BAD_REQUEST');
  });
});

describe('safelist mode', () => {
  let partner: Record<string, string>;

  beforeAll(async () => {
    const { key } = await new PartnerKeys(gatewayDb).create('Safelist partner', ['catalog:read']);
    partner = { 'x-api-key': key };
  });

  it('answers a registered operation by hash alone, without it ever being registered through APQ', async () => {
    const hash = sha256(LOCATIONS);
    const reply = await byHash(safelisted.url, hash);
    expect(reply.status).toBe(200);
    expect(reply.errors).toBeUndefined();
    expect(reply.data?.locations.length).toBeGreaterThan(0);
    // The manifest answered, not the APQ cache: nothing was written there.
    if (redis()) expect(await redis()!.exists(redisKey(`cache:gateway:apq:${hash}`))).toBe(0);
    // Other gateways do not know it: the manifest is this gateway's alone.
    expect(codeOf(await byHash(graph.gateway.url, hash))).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('answers a registered operation sent in full', async () => {
    const reply = await send(safelisted.url, LOCATIONS);
    expect(reply.status).toBe(200);
    expect(reply.errors).toBeUndefined();
    expect(reply.data?.locations.length).toBeGreaterThan(0);
  });

  it('refuses any other document from first-party callers with OPERATION_NOT_REGISTERED', async () => {
    const support = await graph.as({ role: 'SUPPORT', staffId: 'safelist-support' });
    const customer = await graph.as({ customer: graph.data.customers[0].id });
    for (const headers of [{}, support, customer]) {
      for (const document of [PRODUCTS, ANONYMOUS_PROBE]) {
        const reply = await send(safelisted.url, document, headers);
        expect(reply.status).toBe(400);
        expect(codeOf(reply)).toBe('OPERATION_NOT_REGISTERED');
        expect(reply.data ?? undefined).toBeUndefined();
      }
    }
  });

  it('does not let an APQ registration stand in for the manifest', async () => {
    // Registered through another gateway of the graph, so the shared APQ cache knows it.
    const document = `query NotOnTheList { locations { id } } # ${randomUUID()}`;
    const hash = sha256(document);
    expect((await post(replica.url, { query: document, extensions: persisted(hash) })).errors).toBeUndefined();
    expect((await byHash(replica.url, hash)).errors).toBeUndefined();

    const byHashAlone = await byHash(safelisted.url, hash);
    expect(codeOf(byHashAlone)).toBe('OPERATION_NOT_REGISTERED');
    expect(byHashAlone.data ?? undefined).toBeUndefined();
    const registering = await post(safelisted.url, { query: `${document} `, extensions: persisted(sha256(`${document} `)) });
    expect(codeOf(registering)).toBe('OPERATION_NOT_REGISTERED');
  });

  it('lets partners send documents of their own, within their scopes', async () => {
    const reply = await send(safelisted.url, PRODUCTS, partner);
    expect(reply.status).toBe(200);
    expect(reply.errors).toBeUndefined();
    expect(reply.data?.products.edges).toHaveLength(1);
    expect((await byHash(safelisted.url, sha256(LOCATIONS), partner)).data?.locations.length).toBeGreaterThan(0);
  });

  it('refuses to load a manifest whose ids are not the SHA-256 of their bodies', () => {
    const forged = writeManifest('forged.json', [{ id: sha256('query Other { locations { id } }'), name: 'Locations', body: LOCATIONS }]);
    expect(() => Safelist.load(forged)).toThrow(/not the SHA-256 of its body/);
    const notAManifest = path.join(graph.config.dataDir, 'not-a-manifest.json');
    fs.writeFileSync(notAManifest, JSON.stringify({ [sha256(LOCATIONS)]: LOCATIONS }));
    expect(() => Safelist.load(notAManifest)).toThrow(/not an Apollo persisted query manifest/);
  });
});
