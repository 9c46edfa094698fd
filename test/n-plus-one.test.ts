import { SERVICE_NAMES, type SubgraphName } from '../shared/config';
import { graphql } from '../shared/testkit';
import { startTestGraph, type TestGraph } from './support/graph';

const CUSTOMERS_WITH_ORDERS = `query($n: Int!) {
  customers(first: $n) {
    edges { node {
      id displayName identities { type value }
      purchaseSummary { orderCount byChannel { channel } }
      orders(first: 5) { edges { node {
        number location { name } fulfillment { location { code } }
        lines { quantity product { name brand } variant { sku price { amount } } }
      } } }
      recommendations(first: 3) { product { name } }
    } }
  }
}`;

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.teardown());

/** SQL statements each service sent while serving one request through the gateway. */
async function statementsFor(n: number): Promise<Record<SubgraphName, number>> {
  const response = await graphql<{ customers: { edges: Array<{ node: { orders: { edges: unknown[] } } }> } }>(
    graph.gateway.url,
    CUSTOMERS_WITH_ORDERS,
    { n },
  );
  expect(response.errors).toBeUndefined();
  const customers = response.data!.customers.edges;
  expect(customers).toHaveLength(n);
  expect(customers.some((c) => c.node.orders.edges.length > 0)).toBe(true);
  return Object.fromEntries(
    SERVICE_NAMES.map((name) => [name, graph.subgraphs[name].db.statements.forRequest(response.requestId)]),
  ) as Record<SubgraphName, number>;
}

describe('no N+1', () => {
  it('sends the same number of SQL statements per service for 5 customers as for 50', async () => {
    const five = await statementsFor(5);
    const fifty = await statementsFor(50);
    expect(fifty).toEqual(five);
    // Every service took part, and each needed only a handful of statements.
    for (const name of SERVICE_NAMES) {
      expect(five[name]).toBeGreaterThan(0);
      expect(five[name]).toBeLessThan(15);
    }
  });
});
