import { graphql } from '../shared/testkit';
import { DOCUMENT_LIMITS } from '../gateway/src/limits';
import { startTestGraph, type TestGraph } from './support/graph';

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph({ scale: 0.01 });
});
afterAll(() => graph?.teardown());

/**
 * A document `1 + 4 × cycles + 1` levels deep whose every level below `locations` holds one item
 * (location -> stock(first: 1) -> edges -> node -> location ...), so that only its depth is large.
 */
function nested(cycles: number): string {
  return `{ locations { ${'stock(first: 1) { edges { node { location { '.repeat(cycles)} id ${'} } } } '.repeat(cycles)} } }`;
}

describe('document limits at the gateway', () => {
  it('rejects documents that are too deep, or alias a field too often, with GRAPHQL_VALIDATION_FAILED', async () => {
    const deep = await graphql(graph.gateway.url, nested(Math.ceil(DOCUMENT_LIMITS.maxDepth / 4)));
    expect(deep.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(deep.data).toBeUndefined();
    const aliases = Array.from({ length: DOCUMENT_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: locations { id }`).join(' ');
    const aliased = await graphql(graph.gateway.url, `{ ${aliases} }`);
    expect(aliased.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('lets documents within the limits through', async () => {
    // The same shape as the rejected one, within the depth limit.
    const ok = await graphql(graph.gateway.url, nested(Math.floor((DOCUMENT_LIMITS.maxDepth - 2) / 4)));
    expect(ok.errors).toBeUndefined();
    const aliases = Array.from({ length: DOCUMENT_LIMITS.maxAliases - 1 }, (_, i) => `a${i}: locations { id }`).join(' ');
    expect((await graphql(graph.gateway.url, `{ ${aliases} }`)).errors).toBeUndefined();
  });

  it('refuses batched HTTP operations and requests a browser could send cross-site without a preflight', async () => {
    const batched = await fetch(graph.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ locations { id } }' }, { query: '{ locations { code } }' }]),
    });
    expect(batched.status).toBe(400);
    const simple = await fetch(`${graph.gateway.url}?query=${encodeURIComponent('{ locations { id } }')}`);
    expect(simple.status).toBe(400);
    const preflighted = await fetch(`${graph.gateway.url}?query=${encodeURIComponent('{ locations { id } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(preflighted.status).toBe(200);
  });
});
