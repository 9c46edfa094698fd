import { randomBytes } from 'node:crypto';
import { auditServer } from 'graphql-http';
import { graphql, testConfig } from '../shared/testkit';
import { startTestGraph, type TestGraph } from './support/graph';

/** A production signing key made for this run (one written here would be a published one). */
const PRODUCTION_KEY = randomBytes(36).toString('base64url');

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph({ scale: 0.01 });
});
afterAll(() => graph?.teardown());

describe('GraphQL over HTTP', () => {
  it('passes every MUST audit of graphql-http against the gateway (introspection on, as in development)', async () => {
    const results = await auditServer({ url: graph.gateway.url });
    const failedMusts = results.filter((r) => r.status !== 'ok' && r.name.startsWith('MUST'));
    expect(failedMusts.map((r) => `${r.name}: ${'reason' in r ? r.reason : ''}`)).toEqual([]);
    expect(results.filter((r) => r.name.startsWith('MUST')).length).toBeGreaterThan(10);
  });
});

describe('in production', () => {
  let production: TestGraph;

  beforeAll(async () => {
    production = await startTestGraph({ scale: 0.01, config: testConfig({
        NODE_ENV: 'production',
        // A fresh database of its own: this test is its own release step.
        MIGRATE_ON_START: 'true',
        INTERNAL_SIGNING_KEY: PRODUCTION_KEY,
        // Never fetched: no request here carries a token.
        JWT_JWKS_URL: 'http://127.0.0.1:9/jwks.json',
        JWT_ISSUER: 'https://id.example.com/',
      }) });
  });
  afterAll(() => production?.teardown());

  it('turns introspection and field suggestions off', async () => {
    const introspection = await graphql(production.gateway.url, '{ __schema { types { name } } }');
    expect(introspection.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const typo = await graphql(production.gateway.url, '{ locations { nam } }');
    expect(typo.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // Suggestions exist only in the message text, so this is the one place a test reads a message.
    expect(typo.errors?.[0].message).not.toMatch(/Did you mean/);
    // In development both help the developer.
    const devTypo = await graphql(graph.gateway.url, '{ locations { nam } }');
    expect(devTypo.errors?.[0].message).toMatch(/Did you mean/);
    expect((await graphql(graph.gateway.url, '{ __schema { queryType { name } } }')).errors).toBeUndefined();
  });
});
