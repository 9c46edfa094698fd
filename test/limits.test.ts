import { graphql } from '../shared/testkit';
import { DOCUMENT_LIMITS } from '../gateway/src/limits';
import { startTestGraph, type TestGraph } from './support/graph';

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph({ scale: 0.01 });
});
afterAll(() => graph?.teardown());

function nested(depth: number): string {
  // product -> variants -> product -> variants ... : each pair adds two levels.
  let selection = 'id';
  // Built from the inside out, so that the outermost level is always `variants` (a Product field).
  for (let i = 0; i < depth; i++) selection = (depth - 1 - i) % 2 ? `product { ${selection} }` : `variants { ${selection} }`;
  return `{ products(first: 1) { edges { node { ${selection} } } } }`;
}

describe('document limits at the gateway', () => {
  it('rejects documents that are too deep, or alias a field too often, with GRAPHQL_VALIDATION_FAILED', async () => {
    const deep = await graphql(graph.gateway.url, nested(DOCUMENT_LIMITS.maxDepth + 2));
    expect(deep.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(deep.data).toBeUndefined();
    const aliases = Array.from({ length: DOCUMENT_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: locations { id }`).join(' ');
    const aliased = await graphql(graph.gateway.url, `{ ${aliases} }`);
    expect(aliased.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('lets documents within the limits through', async () => {
    // The same shape as the rejected one, within the depth limit (products, edges, node add 3).
    const ok = await graphql(graph.gateway.url, nested(DOCUMENT_LIMITS.maxDepth - 4));
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
