import { createHash, randomUUID } from 'node:crypto';
import type { RunningService } from '../../shared/http/service';
import { graphql, query } from '../../shared/testkit';
import { startExtraGateway, startTestGraph, type TestGraph } from '../support/graph';

/**
 * Attacks on the gateway itself, replayed through it: documents that cost more than their text
 * shows, answers that would fill memory, persisted-query floods, sign-up floods, sessions that
 * outlive their customer, and tokens that name nobody.
 */

let graph: TestGraph;
const extra: RunningService[] = [];

beforeAll(async () => {
  graph = await startTestGraph({ scale: 0.01 });
});
afterAll(async () => {
  for (const gateway of extra) await gateway.stop();
  await graph?.teardown();
});

async function gatewayWith(overrides: Record<string, string>): Promise<string> {
  const gateway = await startExtraGateway(graph, overrides);
  extra.push(gateway);
  return gateway.url;
}

interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data?: any;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  extensions?: { cost?: { requestedQueryCost: number; maximumAvailable: number } };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, ...((await response.json()) as Omit<Reply, 'status'>) };
}

const codeOf = (reply: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => reply.errors?.[0]?.extensions?.code;

const NESTED_LISTS = 'query($n: Int!) { locations { bestsellers(first: $n) { boughtTogether(first: $n) { boughtTogether(first: $n) { id } } } } }';

describe('cost, computed from what will run', () => {
  it('refuses the nested-list document whose sizes come in variables, before anything runs, with its cost', async () => {
    const reply = await post(graph.gateway.url, { query: NESTED_LISTS, variables: { n: 50 } });
    expect(reply.status).toBe(400);
    expect(codeOf(reply)).toBe('COST_LIMIT_EXCEEDED');
    expect(reply.data).toBeUndefined();
    const cost = reply.errors![0].extensions!.cost as { requestedQueryCost: number; maximumAvailable: number };
    expect(cost.requestedQueryCost).toBeGreaterThan(cost.maximumAvailable);
  });

  it('counts a list at its default page size when the document gives none, and a plain list at its data bound', async () => {
    const withDefaults = await post(graph.gateway.url, { query: '{ locations { bestsellers { boughtTogether { boughtTogether { id } } } } }' });
    const withSmallPages = await post(graph.gateway.url, { query: NESTED_LISTS, variables: { n: 1 } });
    expect(withSmallPages.errors).toBeUndefined();
    // 100 locations (their bound) x 10 x 10 x 10 (the default page of each), each item one point.
    expect(withDefaults.extensions?.cost?.requestedQueryCost).toBeGreaterThan(100 * 10 * 10 * 10);
    expect(withSmallPages.extensions?.cost?.requestedQueryCost).toBeLessThan(withDefaults.extensions!.cost!.requestedQueryCost);
  });

  it('refuses, rather than lets through uncounted, a document whose fragments multiply past what can be counted', async () => {
    const spreads = (name: string) => `...${name} `.repeat(10);
    const bomb = `query($n: Int!) { locations { bestsellers(first: $n) { id } } ...A }
      fragment A on Query { __typename ${spreads('B')} } fragment B on Query { __typename ${spreads('C')} }
      fragment C on Query { __typename ${spreads('D')} } fragment D on Query { __typename ${spreads('E')} }
      fragment E on Query { __typename }`;
    const reply = await post(graph.gateway.url, { query: bomb, variables: { n: 2 } });
    expect(reply.status).toBe(400);
    expect(codeOf(reply)).toBe('COST_LIMIT_EXCEEDED');
    expect(reply.data).toBeUndefined();
  });

  it('counts each item of a batch mutation as a write, and takes one batch mutation per request', async () => {
    const events = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        eventId: randomUUID(),
        type: 'PAGE_VIEW',
        occurredAt: new Date().toISOString(),
        channel: 'EC',
        identity: { type: 'DEVICE', value: `dev-cost-${i}` },
      }));
    const track = 'mutation($e: [TrackEventInput!]!) { trackEvents(input: { events: $e }) { accepted } }';
    const one = await post(graph.gateway.url, { query: track, variables: { e: events(1) } });
    const many = await post(graph.gateway.url, { query: track, variables: { e: events(50) } });
    expect(many.extensions!.cost!.requestedQueryCost).toBe(50 * one.extensions!.cost!.requestedQueryCost);
    const aliased = await post(graph.gateway.url, {
      query: 'mutation($e: [TrackEventInput!]!) { a: trackEvents(input: { events: $e }) { accepted } b: trackEvents(input: { events: $e }) { accepted } }',
      variables: { e: events(1) },
    });
    expect(aliased.status).toBe(400);
    expect(codeOf(aliased)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('reports the cost of every accepted operation, as Shopify does', async () => {
    const reply = await post(graph.gateway.url, { query: '{ products(first: 5) { edges { node { id variants { id } } } } }' });
    expect(reply.errors).toBeUndefined();
    expect(reply.extensions?.cost).toEqual({ requestedQueryCost: expect.any(Number), maximumAvailable: graph.config.gatewayLimits.maxCost });
    expect(reply.extensions!.cost!.requestedQueryCost).toBeGreaterThanOrEqual(5 * 50);
  });
});

describe('the response cap', () => {
  it('stops gathering an answer past the cap and says RESPONSE_TOO_LARGE, while small answers pass', async () => {
    const url = await gatewayWith({ RESPONSE_MAX_BYTES: '4096' });
    const big = await post(url, { query: '{ products(first: 100) { edges { node { id name code variants { id sku size color } } } } }' });
    expect(big.errors?.map((e) => e.extensions?.code)).toContain('RESPONSE_TOO_LARGE');
    expect(JSON.stringify(big).length).toBeLessThan(8192);
    const small = await post(url, { query: '{ products(first: 1) { edges { node { id } } } }' });
    expect(small.errors).toBeUndefined();
  });
});

describe('automatic persisted queries', () => {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const register = (url: string, document: string) =>
    post(url, { query: document, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(document) } } });
  const byHash = (url: string, document: string) => post(url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(document) } } });

  it('refuses to register (or run) a document longer than the limit, with 413 DOCUMENT_TOO_LARGE', async () => {
    const padding = `# ${'x'.repeat(graph.config.gatewayLimits.maxDocumentBytes)}\n`;
    const document = `${padding}{ locations { id } }`;
    const registered = await register(graph.gateway.url, document);
    expect(registered.status).toBe(413);
    expect(codeOf(registered)).toBe('DOCUMENT_TOO_LARGE');
    expect(codeOf(await byHash(graph.gateway.url, document))).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('keeps registrations within the store bound, the least recently used going first', async () => {
    const url = await gatewayWith({ APQ_STORE_MAX_BYTES: String(64 * 1024) });
    // Thirty documents of about 4 KB: twice what the store holds.
    const documents = Array.from({ length: 30 }, (_, i) => `# ${randomUUID()} ${'y'.repeat(4000)}\nquery Probe${i} { locations { id } }`);
    const kept = documents[0];
    for (const document of documents) {
      expect((await register(url, document)).errors).toBeUndefined();
      // Used all along, the first stays.
      expect((await byHash(url, kept)).errors).toBeUndefined();
    }
    const found = await Promise.all(documents.map(async (d) => codeOf(await byHash(url, d)) === undefined));
    expect(found.filter(Boolean).length).toBeLessThanOrEqual(16);
    expect(found[0]).toBe(true);
    expect(found[29]).toBe(true);
    expect(found[1]).toBe(false);
  });
});

describe('sign-ups', () => {
  it('counts anonymous registrations on their own budget, each aliased registerCustomer included', async () => {
    const url = await gatewayWith({ RATE_LIMIT_REGISTRATIONS: '2' });
    const registrations = [0, 1, 2]
      .map((i) => `r${i}: registerCustomer(input: { displayName: "Flood ${i}" }) { customerId userErrors { code } }`)
      .join(' ');
    const flood = await post(url, { query: `mutation { ${registrations} }` });
    expect(flood.status).toBe(429);
    expect(codeOf(flood)).toBe('RATE_LIMITED');
    expect(flood.errors![0].extensions!.retryAfter).toEqual(expect.any(Number));
    // Reading the catalog is not what was limited.
    expect((await post(url, { query: '{ locations { id } }' })).errors).toBeUndefined();
  });

  it('counts anonymous guest orders on their own budget, and takes one order per request', async () => {
    const url = await gatewayWith({ RATE_LIMIT_GUEST_ORDERS: '2' });
    const variantId = graph.data.products[0].variants[0].id;
    const order = (key: string) =>
      `placeOrder(input: { idempotencyKey: "${key}", channel: EC, guestEmail: "guest@example.jp", lines: [{ variantId: "${variantId}", quantity: 1 }], fulfillment: { type: SHIP } }) { userErrors { code } }`;
    const twice = await post(url, { query: `mutation { a: ${order(randomUUID())} b: ${order(randomUUID())} }` });
    expect(twice.status).toBe(400);
    expect(codeOf(twice)).toBe('GRAPHQL_VALIDATION_FAILED');
    for (let i = 0; i < 2; i++) expect((await post(url, { query: `mutation { ${order(randomUUID())} }` })).status).toBe(200);
    const third = await post(url, { query: `mutation { ${order(randomUUID())} }` });
    expect(third.status).toBe(429);
    expect(codeOf(third)).toBe('RATE_LIMITED');
  });
});

describe('sessions end when their customer does', () => {
  const ME = '{ me { id } }';
  const REGISTER = 'mutation($name: String!) { registerCustomer(input: { displayName: $name }) { customerId userErrors { code } } }';

  async function newCustomer(name: string): Promise<string> {
    const support = await graph.as({ role: 'SUPPORT', staffId: 'agent-1' });
    const { registerCustomer } = await query(graph.gateway.url, REGISTER, { name }, support);
    return registerCustomer.customerId as string;
  }

  /** Polls `me` with the token until it acts as `expected` (null: as no customer, refused or not), well before the cache's minute. */
  async function until(headers: Record<string, string>, expected: string | null): Promise<void> {
    const start = Date.now();
    for (;;) {
      const reply = await graphql<{ me: { id: string } | null }>(graph.gateway.url, ME, {}, headers);
      const answer = reply.data?.me?.id ?? null;
      if (answer === expected) return;
      if (Date.now() - start > 10_000) throw new Error(`the token still acts as ${answer}, not ${expected}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('refuses an erased customer at once, not when a cache expires', async () => {
    const id = await newCustomer('Erased Soon');
    const token = await graph.as({ customer: id });
    expect((await query(graph.gateway.url, ME, {}, token)).me.id).toBe(id);
    const admin = await graph.as({ role: 'ADMIN', staffId: 'admin-1' });
    const erased = await query(graph.gateway.url, 'mutation($id: ID!) { eraseCustomer(input: { customerId: $id }) { userErrors { code } } }', { id }, admin);
    expect(erased.eraseCustomer.userErrors).toEqual([]);
    await until(token, null);
    const orders = await graphql<{ me: null }>(graph.gateway.url, '{ me { orders { edges { node { id } } } } }', {}, token);
    expect(orders.data?.me ?? null).toBeNull();
  });

  it('gives a merged-away customer back their own session when the merge is undone', async () => {
    const survivor = await newCustomer('Survivor');
    const merged = await newCustomer('Merged');
    const support = await graph.as({ role: 'SUPPORT', staffId: 'agent-1' });
    const token = await graph.as({ customer: merged });
    expect((await query(graph.gateway.url, ME, {}, token)).me.id).toBe(merged);
    const { mergeCustomers } = await query(
      graph.gateway.url,
      'mutation($s: ID!, $m: ID!) { mergeCustomers(input: { survivorId: $s, mergedId: $m }) { merge { id } userErrors { code } } }',
      { s: survivor, m: merged },
      support,
    );
    expect(mergeCustomers.userErrors).toEqual([]);
    await until(token, survivor);
    const { unmergeCustomers } = await query(
      graph.gateway.url,
      'mutation($id: ID!) { unmergeCustomers(input: { mergeId: $id }) { userErrors { code } } }',
      { id: mergeCustomers.merge.id },
      support,
    );
    expect(unmergeCustomers.userErrors).toEqual([]);
    await until(token, merged);
  });
});

describe('metrics', () => {
  it('label paths and operation names from a bounded set, so made-up ones cannot grow the registry', async () => {
    const made = `made-up-${randomUUID()}`;
    await fetch(graph.gateway.url.replace('/graphql', `/${made}`));
    await post(graph.gateway.url, { query: `query ${made.replace(/-/g, '_')}${'x'.repeat(200)} { __typename }` });
    const metrics = await (await fetch(graph.gateway.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toContain('route="other"');
    expect(metrics).not.toContain(made);
    expect(metrics).not.toContain(made.replace(/-/g, '_'));
  });
});

describe('tokens', () => {
  it('refuses a token with an empty subject with 401', async () => {
    const reply = await graphql(graph.gateway.url, '{ me { id } }', {}, await graph.as({ customer: '' }));
    expect(reply.status).toBe(401);
    expect(codeOf(reply)).toBe('UNAUTHENTICATED');
  });
});
