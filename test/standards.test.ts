import { auditServer } from 'graphql-http';
import { startTestGraph, type TestGraph } from './support/graph';

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
