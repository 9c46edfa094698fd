import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { auditServer } from 'graphql-http';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { loadConfig } from '../../shared/config';
import type { RunningService } from '../../shared/http/service';
import { testConfig } from '../../shared/testkit';
import { startExtraGateway, startTestGraph, type TestGraph } from '../support/graph';

/**
 * The gateway as production runs it (NODE_ENV=production, a JWKS, a signing key of its own), probed
 * as graphql-cop and graphql-http's audit probe a public GraphQL API, and with the malformed requests
 * a hostile or careless client sends: every answer is a 4xx JSON GraphQL response with a code.
 */

/** Made for this run: a key written in the repository would be a published one. */
const SIGNING_KEY = randomBytes(36).toString('base64url');
let graph: TestGraph;
let jwks: http.Server;
let gateway: RunningService;
let url: string;
let signingKey: KeyLike;

/** A token of the identity provider, with `sub` as given. */
const tokenFor = (sub: string) =>
  new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject(sub).setIssuer('https://idp.example')
    .setAudience('unified-commerce-graph').setExpirationTime('5m').sign(signingKey);

beforeAll(async () => {
  graph = await startTestGraph({ scale: 0.01, config: testConfig({ INTERNAL_SIGNING_KEY: SIGNING_KEY }) });
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  signingKey = privateKey;
  const keys = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] };
  jwks = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(keys)));
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  gateway = await startExtraGateway(graph, {
    NODE_ENV: 'production',
    INTERNAL_SIGNING_KEY: SIGNING_KEY,
    JWT_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`,
    JWT_ISSUER: 'https://idp.example',
    METRICS_PORT: '0',
  });
  url = gateway.url;
});
afterAll(async () => {
  await gateway?.stop();
  await new Promise((resolve) => jwks?.close(resolve));
  await graph?.teardown();
});

interface Reply {
  status: number;
  contentType: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

async function send(init: RequestInit & { path?: string; search?: string } = {}): Promise<Reply> {
  const target = url.replace('/graphql', init.path ?? '/graphql') + (init.search ?? '');
  const response = await fetch(target, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // left as text: the assertions say it should have been JSON
  }
  return { status: response.status, contentType: response.headers.get('content-type'), body };
}

const postJson = (body: unknown, headers: Record<string, string> = {}) =>
  send({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const cop = (query: string) => postJson({ query, operationName: 'cop' });

describe("graphql-cop's checks", () => {
  it('field suggestions: none, for fields or enum values', async () => {
    const field = await cop('query cop { __schema { directive } }');
    const enumValue = await postJson({ query: '{ locations(type: STORES) { id } }' });
    for (const reply of [field, enumValue]) {
      expect(reply.status).toBe(400);
      expect(JSON.stringify(reply.body)).not.toMatch(/Did you mean/);
      expect(reply.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    const enumVariable = await postJson({ query: 'query($t: LocationType) { locations(type: $t) { id } }', variables: { t: 'STORES' } });
    expect(enumVariable.status).toBe(400);
    expect(JSON.stringify(enumVariable.body)).not.toMatch(/Did you mean/);
  });

  it('introspection and the circular introspection query are refused', async () => {
    const introspection = await cop('query cop { __schema { types { name fields { name } } } }');
    const circular = await cop('query cop { __schema { types { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } }');
    for (const reply of [introspection, circular]) {
      expect(reply.status).toBe(400);
      expect(reply.body.data?.__schema).toBeUndefined();
      expect(reply.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
  });

  it('serves no IDE or landing page to a browser', async () => {
    const page = await send({ headers: { accept: 'text/html' } });
    expect(String(JSON.stringify(page.body))).not.toMatch(/graphiql|GraphQL Playground|graphql-playground|sandbox/i);
    expect(page.contentType).toMatch(/json/);
  });

  it('answers no query over GET without a preflight header, no mutation over GET, no form-encoded POST', async () => {
    const get = await send({ search: `?query=${encodeURIComponent('query cop {__typename}')}` });
    const mutation = await send({ search: `?query=${encodeURIComponent('mutation cop {__typename}')}`, headers: { 'apollo-require-preflight': 'true' } });
    const form = await send({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=query+cop+%7B__typename%7D' });
    for (const reply of [get, mutation, form]) {
      expect(reply.status).toBeGreaterThanOrEqual(400);
      expect(reply.status).toBeLessThan(500);
      expect(reply.body.data?.__typename).toBeUndefined();
      expect(reply.body.errors[0].extensions.code).toEqual(expect.any(String));
    }
  });

  it('counts aliases of __typename, refuses a field repeated 500 times and batches of operations', async () => {
    const aliases = Array.from({ length: 101 }, (_, i) => `alias${i}:__typename \n`).join('');
    const aliased = await cop(`query cop { ${aliases} }`);
    expect(aliased.body.data?.alias100).toBeUndefined();
    expect(aliased.status).toBe(400);
    const duplicated = await cop(`query cop { ${'__typename \n'.repeat(500)}} `);
    expect(duplicated.body.data?.__typename).toBeUndefined();
    expect(duplicated.status).toBe(400);
    const batch = await postJson(Array.from({ length: 10 }, () => ({ query: 'query cop { __typename }' })));
    expect(Array.isArray(batch.body)).toBe(false);
    expect(batch.status).toBe(400);
  });

  it('answers ten copies of an unknown directive with one error', async () => {
    const reply = await cop(`query cop { __typename ${'@aa'.repeat(10)} }`);
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toHaveLength(1);
  });

  it('quotes no long value back in a variable error', async () => {
    const long = 'x'.repeat(1_500_000);
    const reply = await postJson({ query: 'query($n: Int) { products(first: $n) { edges { node { id } } } }', variables: { n: long } });
    expect(reply.status).toBe(400);
    expect(reply.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(reply.body).length).toBeLessThan(2000);
  });

  it('echoes no input back in a validation error', async () => {
    const long = 'x'.repeat(100_000);
    const reply = await postJson({ query: 'mutation($n: String!) { registerCustomer(input: { displayName: $n }) { customerId } }', variables: { n: long } });
    expect(JSON.stringify(reply.body)).not.toContain(long.slice(0, 1000));
    expect(reply.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('gives away no trace, stack or exception', async () => {
    const broken = await cop('qwerty cop { abc }');
    const traced = await cop('query cop { __typename }');
    expect(JSON.stringify(broken.body)).not.toMatch(/stacktrace|exception|at .*\.ts:/);
    expect(broken.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(traced.body.extensions?.tracing).toBeUndefined();
  });
});

describe('malformed requests are 4xx JSON GraphQL answers with a code', () => {
  const cases: Array<[string, () => Promise<Reply>, number, string]> = [
    ['malformed JSON', () => send({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' }), 400, 'MALFORMED_REQUEST'],
    ['a body over the limit', () => send({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }', variables: { x: 'z'.repeat(3 * 1024 * 1024) } }) }), 413, 'PAYLOAD_TOO_LARGE'],
    ['a syntax error', () => postJson({ query: '{ locations { id ' }), 400, 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field', () => postJson({ query: '{ nothingHere }' }), 400, 'GRAPHQL_VALIDATION_FAILED'],
    ['an operation name the document lacks', () => postJson({ query: 'query A { __typename }', operationName: 'B' }), 400, 'OPERATION_RESOLUTION_FAILURE'],
    ['no query at all', () => postJson({}), 400, 'BAD_REQUEST'],
    ['a document over the size limit', () => postJson({ query: `{ __typename } # ${'p'.repeat(40 * 1024)}` }), 413, 'DOCUMENT_TOO_LARGE'],
    ['a document over the depth limit', () => postJson({ query: `{ products { edges { node { ${'variants { product { '.repeat(8)} id ${'} } '.repeat(8)} } } } }` }), 400, 'GRAPHQL_VALIDATION_FAILED'],
    ['a token that is not a JWT', () => postJson({ query: '{ __typename }' }, { authorization: 'Bearer not.a.jwt' }), 401, 'UNAUTHENTICATED'],
    ['a token with an empty subject', async () => postJson({ query: '{ __typename }' }, { authorization: `Bearer ${await tokenFor('')}` }), 401, 'UNAUTHENTICATED'],
    ['an unknown route', () => send({ path: '/admin' }), 404, 'NOT_FOUND'],
    ['a subscription', () => postJson({ query: 'subscription { __typename }' }), 400, 'BAD_REQUEST'],
    [
      'a null for @include(if:) through a variable with a default',
      () => postJson({ query: 'query($v: Boolean = true) { locations @include(if: $v) { id } }', variables: { v: null } }),
      400,
      'BAD_USER_INPUT',
    ],
    [
      'an impossible date in a variable',
      () =>
        postJson({
          query: 'mutation($e: [TrackEventInput!]!) { trackEvents(input: { events: $e }) { accepted } }',
          variables: { e: [{ eventId: 'e1', type: 'PAGE_VIEW', occurredAt: '2026-02-30T00:00:00Z', channel: 'EC', identity: { type: 'DEVICE', value: 'd1' } }] },
        }),
      400,
      'BAD_USER_INPUT',
    ],
    [
      'an impossible date written in the document',
      () => postJson({ query: 'mutation { trackEvents(input: { events: [{ eventId: "e1", type: PAGE_VIEW, occurredAt: "2026-13-01T00:00:00Z", channel: EC, identity: { type: DEVICE, value: "d1" } }] }) { accepted } }' }),
      400,
      'GRAPHQL_VALIDATION_FAILED',
    ],
    ['an integer past 2^31 for an Int', () => postJson({ query: 'query($n: Int) { products(first: $n) { edges { node { id } } } }', variables: { n: 2 ** 40 } }), 400, 'BAD_USER_INPUT'],
    [
      'a null for a required argument through a variable with a default',
      () => postJson({ query: 'query($x: ID = "a") { product(id: $x) { id } }', variables: { x: null } }),
      400,
      'BAD_USER_INPUT',
    ],
  ];

  it.each(cases)('%s', async (_name, request, status, code) => {
    const reply = await request();
    expect(reply.status).toBe(status);
    expect(reply.contentType).toMatch(/json/);
    expect(reply.body.errors[0].extensions.code).toBe(code);
  });
});

describe('requests Node itself cannot read', () => {
  it('answers a malformed header line with a JSON 400, and headers too large with a JSON 431', async () => {
    const { port, hostname } = new URL(url);
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(port), hostname, () => socket.end(request));
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString()));
        socket.on('end', () => resolve(answer));
        socket.on('error', reject);
      });
    const badHeader = await raw('POST /graphql HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n');
    expect(badHeader).toMatch(/^HTTP\/1\.1 400/);
    expect(badHeader).toMatch(/application\/json/);
    expect(badHeader).toContain('MALFORMED_REQUEST');
    const huge = await raw(`GET /graphql HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431/);
    expect(huge).toContain('MALFORMED_REQUEST');
  });
});

describe('operations', () => {
  it('serves no /metrics on the public port in production; they have a port of their own', async () => {
    const metrics = await send({ path: '/metrics' });
    expect(metrics.status).toBe(404);
    expect(JSON.stringify(metrics.body)).not.toMatch(/process_cpu_seconds_total/);
  });

  it('refuses to start with a development key published in the source, however it is wrapped, or a weak one', () => {
    const production = { NODE_ENV: 'production', JWT_JWKS_URL: 'https://idp.example/jwks.json', JWT_ISSUER: 'https://idp.example' };
    const refused = [
      'development-only-internal-signing-key-not-secret',
      'development-only-internal-signing-key-not-secret\n',
      ' development-only-internal-signing-key-not-secret',
      'development-only-jwt-key-anyone-can-mint-tokens-with-it',
      ' '.repeat(40),
      'ab'.repeat(20),
      `${SIGNING_KEY}\n`,
    ];
    for (const key of refused) expect(() => loadConfig({ ...production, INTERNAL_SIGNING_KEY: key })).toThrow(/INTERNAL_SIGNING_KEY/);
    expect(() => loadConfig({ ...production, INTERNAL_SIGNING_KEY: SIGNING_KEY })).not.toThrow();
  });

  it('fetches the identity provider\'s keys over https (plain http only on this machine)', () => {
    const production = { NODE_ENV: 'production', JWT_ISSUER: 'https://idp.example', INTERNAL_SIGNING_KEY: SIGNING_KEY };
    expect(() => loadConfig({ ...production, JWT_JWKS_URL: 'http://idp.example/jwks.json' })).toThrow(/JWT_JWKS_URL/);
    expect(() => loadConfig({ ...production, JWT_JWKS_URL: 'http://127.0.0.1:9000/jwks.json' })).not.toThrow();
  });
});

describe("graphql-http's audit", () => {
  /**
   * The spec's SHOULDs to answer a client accepting only application/json with 200 on a refused
   * document: the graph answers every client error with a 4xx, as application/graphql-response+json
   * requires, so that no caching proxy or monitor takes a refusal for a success.
   */
  const DELIBERATE = ['572B', 'FDE2', '7B9B'];

  it('passes every MUST and SHOULD of the GraphQL over HTTP spec, but for 4xx on refusals', async () => {
    const results = await auditServer({ url: () => url, fetchFn: fetch });
    const failed = results
      .filter((r) => r.status === 'error' || (r.status === 'warn' && !DELIBERATE.includes(r.id)))
      .map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(failed).toEqual([]);
    expect(results.length).toBeGreaterThan(50);
  });
});
