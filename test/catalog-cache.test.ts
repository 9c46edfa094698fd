import { graphql, query } from '../shared/testkit';
import { eventually } from './support/cluster';
import { graphConfig, startTestGraph, type TestGraph } from './support/graph';

/**
 * The gateway shares anonymous answers to catalog-only queries (README.md, "Benchmarks" and
 * "Caches"): served again without asking inventory until an inventory event changes the catalog,
 * never for a signed-in caller (which queries it keeps: gateway/src/catalog-cache.spec.ts). The lifetime is
 * long here (60 s), so that only an event can be what ends an answer within the test.
 */
let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph({ config: graphConfig({ CATALOG_CACHE_SECONDS: '60' }) });
}, 180_000);
afterAll(() => graph?.teardown());

const PRODUCT = `query($id: ID!) { product(id: $id) { id name totalAvailable variants { id sku totalAvailable } } }`;
const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { level { available } userErrors { code } } }`;

/** SQL statements a subgraph sent for one gateway request. */
const statements = (service: 'inventory', requestId: string) => graph.subgraphs[service].db.statements.forRequest(requestId);

describe('the anonymous catalog cache', () => {
  it('answers the same anonymous query again without inventory, until stock.changed ends the answer', async () => {
    const product = graph.data.products[0];
    const read = () => graphql<{ product: { totalAvailable: number } }>(graph.gateway.url, PRODUCT, { id: product.id });
    const first = await read();
    expect(first.errors).toBeUndefined();
    expect(statements('inventory', first.requestId)).toBeGreaterThan(0);
    const again = await read();
    expect(again.data).toEqual(first.data);
    expect(statements('inventory', again.requestId)).toBe(0);

    const location = graph.data.locations.find((l) => l.type === 'STORE')!;
    const admin = await graph.as({ role: 'ADMIN', staffId: 'cache-test' });
    await query(graph.gateway.url, ADJUST, { input: { locationId: location.id, variantId: product.variants[0].id, delta: 3, reason: 'found in the back room' } }, admin);
    const total = first.data!.product.totalAvailable + 3;
    const fresh = await eventually('the anonymous answer follows stock.changed', async () => {
      const answer = await read();
      return answer.data?.product.totalAvailable === total && answer;
    });
    expect(statements('inventory', fresh.requestId)).toBeGreaterThan(0);
  });

  it('never serves or keeps a signed-in caller’s answer', async () => {
    const id = graph.data.products[1].id;
    const customer = await graph.as({ customer: graph.data.customers[0].id });
    for (let i = 0; i < 2; i++) {
      const answer = await graphql(graph.gateway.url, PRODUCT, { id }, customer);
      expect(answer.errors).toBeUndefined();
      expect(statements('inventory', answer.requestId)).toBeGreaterThan(0);
    }
  });
});
