import { createHash, randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { SERVICE_NAMES } from '../shared/config';
import type { RunningService } from '../shared/http/service';
import { graphql, query, testConfig, type GraphQLResponse } from '../shared/testkit';
import { redisServerInstalled, startPrivateRedis, type PrivateRedis } from '../shared/testkit/private-redis';
import { startExtraGateway, startTestGraph, type TestGraph } from './support/graph';

/**
 * Redis is an accelerator, not a dependency of a request (ARCHITECTURE.md, "Failure behaviour"). The
 * graph runs on a redis-server of this test's own (on MySQL when MYSQL_URL is set, SQLite otherwise),
 * which is killed mid-test: reads and writes keep answering, rate limits and the masked look-up
 * budget count per process, readiness says "degraded" and stays ready; Redis restarted empty is used
 * again for counters and caches.
 */

/** Look-ups by e-mail a masked role may make a minute, low so that the budget is reached. */
const MASKED_BUDGET = 3;
/** Requests a staff member may make a minute on the limited gateway. */
const STAFF_LIMIT = 4;

let redisServer: PrivateRedis;
let graph: TestGraph;
/** A gateway with STAFF_LIMIT, in front of the same subgraphs. */
let limited: RunningService;
let admin: Record<string, string>;
let support: Record<string, string>;
const url = () => graph.gateway.url;
const redis = (): Redis => graph.platform.redis!;
/**
 * Commands the request path's connection (caches, rate limits, persisted queries, the subject cache,
 * readiness) has sent or queued since `commandsSince()` was called. A request that waited for the dead
 * Redis did so for a command it gave that connection: while Redis is down there must be none.
 */
let sendCommand: jest.SpyInstance;
const commandsSince = () => {
  const from = sendCommand.mock.calls.length;
  return () => sendCommand.mock.calls.length - from;
};
const key = (suffix: string) => `${graph.config.redisKeyPrefix}${suffix}`;

const CATALOG = '{ products(first: 5) { edges { node { id name variants { sku price { amount } } } } } locations { id code } }';
const CUSTOMER = `query($id: ID!) { customer(id: $id) {
  displayName orders(first: 2) { edges { node { number } } } recommendations(first: 3) { product { name } } } }`;
const REGISTER = 'mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { customerId userErrors { code } } }';
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { orderNumber order { id status } userErrors { code } } }`;
const LEVEL = 'query($id: ID!) { product(id: $id) { variants { id availability { location { id } available } } } }';
const ADJUST = 'mutation($input: AdjustStockInput!) { adjustStock(input: $input) { level { available } userErrors { code } } }';
const BY_EMAIL = 'query($value: String!) { customerByIdentity(type: EMAIL, value: $value) { id } }';

/** A variant sold online, with units at the warehouse. */
let variant: { id: string };

async function until(condition: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function readiness(serviceUrl: string): Promise<{ status: number; body: { status: string; checks: Record<string, string> } }> {
  const response = await fetch(serviceUrl.replace(/\/graphql$/, '/readyz'));
  return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, string> } };
}

const allUrls = () => [graph.gateway.url, ...SERVICE_NAMES.map((n) => graph.subgraphs[n].url!)];

const describeWithRedisServer = redisServerInstalled() ? describe : describe.skip;

beforeAll(async () => {
  if (!redisServerInstalled()) return;
  redisServer = await startPrivateRedis();
  const config = testConfig({ REDIS_URL: redisServer.url, MASKED_LOOKUPS_PER_MINUTE: String(MASKED_BUDGET) });
  graph = await startTestGraph({ scale: 0.01, config });
  // Counts and passes on: every command of the request path, direct or pipelined, goes through it.
  sendCommand = jest.spyOn(graph.platform.requestRedis!.client, 'sendCommand');
  limited = await startExtraGateway(graph, { REDIS_URL: redisServer.url, RATE_LIMIT_STAFF: String(STAFF_LIMIT) });
  admin = await graph.as({ role: 'ADMIN', staffId: 'outage-admin' });
  support = await graph.as({ role: 'SUPPORT', staffId: 'outage-support' });
  const product = graph.data.products.find((p) => p.soldOnline)!;
  const warehouse = graph.data.locations.find((l) => l.type === 'WAREHOUSE')!;
  const { product: found } = await query(url(), LEVEL, { id: product.id }, admin);
  variant = found.variants[0];
  await query(url(), ADJUST, { input: { locationId: warehouse.id, variantId: variant.id, delta: 50, reason: 'outage test stock' } }, admin);
}, 180_000);
afterAll(async () => {
  await limited?.stop();
  // Redis back, so that teardown can remove the run's keys.
  await redisServer?.start().catch(() => undefined);
  await graph?.teardown();
  await redisServer?.stop();
});

describeWithRedisServer('a Redis outage', () => {
  const customerIds: string[] = [];

  it('uses Redis while it is up: caches, counters, the subject cache', async () => {
    const sent = commandsSince();
    const customer = graph.data.customers[0];
    expect((await graphql(url(), CUSTOMER, { id: customer.id }, support)).errors).toBeUndefined();
    expect((await graphql(url(), CATALOG)).errors).toBeUndefined();
    const me = await graph.as({ customer: customer.id });
    expect((await graphql(url(), '{ me { id } }', {}, me)).data).toEqual({ me: { id: customer.id } });
    expect(await redis().exists(key('cache:inventory:locations:all'))).toBe(1);
    expect(await redis().get(key('cache:gateway:ratelimit:staff:outage-support'))).not.toBeNull();
    expect(await redis().get(key(`gateway:subject:${customer.id}`))).toBe(customer.id);
    for (const serviceUrl of allUrls()) {
      const ready = await readiness(serviceUrl);
      expect({ serviceUrl, status: ready.status, body: ready.body.status, redis: ready.body.checks.redis }).toEqual({ serviceUrl, status: 200, body: 'ready', redis: 'ok' });
    }
    // The count below (none while Redis is down) sees these requests' commands.
    expect(sent()).toBeGreaterThan(0);
  });

  it('keeps answering reads and writes, without a 500 and without waiting for Redis', async () => {
    await redisServer.stop();
    // The request path's connection has seen it go: from here on it sends nothing.
    await until(() => redis().status !== 'ready');
    const sent = commandsSince();
    const readers = graph.data.customers.slice(1, 6);
    const responses: Array<{ what: string; status: number; codes: unknown[] }> = [];
    const record = (what: string, r: GraphQLResponse) => responses.push({ what, status: r.status, codes: (r.errors ?? []).map((e) => e.extensions?.code) });

    // Reads: the catalog (anonymous), customers (support, and each customer signed in: the subject cache is bypassed).
    for (const customer of readers) {
      const catalog = await graphql(url(), CATALOG);
      record('catalog', catalog);
      expect(catalog.data?.products).toBeDefined();
      const view = await graphql<{ customer: { displayName: string } }>(url(), CUSTOMER, { id: customer.id }, support);
      record('customer', view);
      expect(view.data?.customer.displayName).toBe(customer.displayName);
      const me = await graphql<{ me: { id: string } }>(url(), '{ me { id } }', {}, await graph.as({ customer: customer.id }));
      record('me', me);
      expect(me.data?.me.id).toBe(customer.id);
    }

    // Writes: anonymous sign-ups (their registration budget counted here), then an order of each.
    for (let i = 0; i < 3; i++) {
      const registered = await graphql<{ registerCustomer: { customerId: string } }>(url(), REGISTER, {
        input: { displayName: `Outage ${i}`, email: `outage-${randomUUID()}@example.com` },
      });
      record('registerCustomer', registered);
      const customerId = registered.data!.registerCustomer.customerId;
      expect(customerId).toEqual(expect.any(String));
      customerIds.push(customerId);
      const buyer = await graph.as({ customer: customerId });
      const placed = await graphql<{ placeOrder: { order: { id: string; status: string } | null; userErrors: unknown[] } }>(
        url(),
        PLACE,
        { input: { idempotencyKey: randomUUID(), channel: 'EC', lines: [{ variantId: variant.id, quantity: 1 }], fulfillment: { type: 'SHIP' } } },
        buyer,
      );
      record('placeOrder', placed);
      expect(placed.data?.placeOrder.userErrors).toEqual([]);
      expect(placed.data?.placeOrder.order?.status).toEqual(expect.any(String));
    }

    expect(responses.filter((r) => r.status !== 200 || r.codes.length)).toEqual([]);
    // Nothing any of them could have waited for: no command went to (or was queued for) the dead
    // Redis, and every answer came while it was still down.
    expect(sent()).toBe(0);
    expect(redis().status).not.toBe('ready');
  });

  it('still limits each caller, per process', async () => {
    const staff = await graph.as({ role: 'SUPPORT', staffId: `outage-limited-${randomUUID()}` });
    const statuses: number[] = [];
    for (let i = 0; i <= STAFF_LIMIT; i++) statuses.push((await graphql(limited.url, '{ locations { code } }', {}, staff)).status);
    expect(statuses).toEqual([...Array(STAFF_LIMIT).fill(200), 429]);
    const refused = await graphql(limited.url, '{ locations { code } }', {}, staff);
    expect(refused.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect((refused.errors?.[0].extensions as { retryAfter?: number }).retryAfter).toBeGreaterThanOrEqual(1);

    // The masked look-up budget of the customers service too (README: "in memory ... while Redis is down").
    const clerk = await graph.as({ role: 'STORE_STAFF', staffId: `outage-clerk-${randomUUID()}`, locationId: graph.data.locations[0].id });
    const codes: unknown[] = [];
    for (let i = 0; i <= MASKED_BUDGET; i++) {
      const lookup = await graphql(url(), BY_EMAIL, { value: `nobody-${i}@example.com` }, clerk);
      codes.push(lookup.errors?.[0]?.extensions?.code ?? 'OK');
    }
    expect(codes).toEqual([...Array(MASKED_BUDGET).fill('OK'), 'RATE_LIMITED']);
  });

  it('answers persisted queries this gateway knows, and asks for the others again', async () => {
    const document = `query OutageApq { locations { code } } # ${randomUUID()}`;
    const hash = createHash('sha256').update(document).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
    const post = (body: Record<string, unknown>) =>
      fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({
        status: r.status,
        ...((await r.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> }),
      }));
    const unknown = await post({ extensions });
    expect(unknown.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post({ query: document, extensions });
    expect(registered.status).toBe(200);
    expect((registered.data as { locations: unknown[] }).locations.length).toBeGreaterThan(0);
    expect(await post({ extensions })).toEqual(registered);
  });

  it('reports Redis degraded on /readyz, at once, and stays ready', async () => {
    const sent = commandsSince();
    for (const serviceUrl of allUrls()) {
      const ready = await readiness(serviceUrl);
      expect({ serviceUrl, status: ready.status, body: ready.body.status, redis: ready.body.checks.redis }).toEqual({
        serviceUrl,
        status: 200,
        body: 'degraded',
        redis: 'degraded',
      });
    }
    // At once: the Redis check failed without asking Redis (nor waiting out the probe's time limit for it).
    expect(sent()).toBe(0);
  });

  it('uses Redis again once it is back, empty: counters and caches', async () => {
    await redisServer.start();
    await until(async () => (await readiness(url())).body.checks.redis === 'ok');
    for (const serviceUrl of allUrls()) await until(async () => (await readiness(serviceUrl)).body.status === 'ready');

    const staffId = `outage-after-${randomUUID()}`;
    const staff = await graph.as({ role: 'SUPPORT', staffId });
    expect((await graphql(limited.url, CATALOG, {}, staff)).errors).toBeUndefined();
    expect(await redis().get(key(`cache:gateway:ratelimit:staff:${staffId}`))).toBe('1');
    expect(await redis().exists(key('cache:inventory:locations:all'))).toBe(1);
    const customerId = customerIds[0];
    const me = await graph.as({ customer: customerId });
    expect((await graphql(url(), '{ me { id } }', {}, me)).data).toEqual({ me: { id: customerId } });
    expect(await redis().get(key(`gateway:subject:${customerId}`))).toBe(customerId);
  });
});
