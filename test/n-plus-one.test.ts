import { SERVICE_NAMES, type SubgraphName } from '../shared/config';
import { graphql } from '../shared/testkit';
import { EXAMPLE_QUERY } from '../scripts/start-all';
import { graphConfig, startTestGraph, type TestGraph } from './support/graph';

const CUSTOMERS_WITH_ORDERS = `query($n: Int!) {
  customers(first: $n) {
    edges { node {
      id displayName identities { type value } mergedIds segments { code } presence { method location { name } }
      consents { purpose granted } touchpoints(first: 3) { edges { node { type product { name } } } }
      purchaseSummary { orderCount byChannel { channel } }
      orders(first: 5) { edges { node {
        number location { name } fulfillment { location { code } }
        lines { quantity product { name brand } variant { sku price { amount } } }
      } } }
      recommendations(first: 3) { product { name } }
      addresses { city }
      cart { itemCount subtotal { amount } lines { quantity unitPrice { amount } problem variant { sku } } }
    } }
  }
}`;

let graph: TestGraph;
/** Store staff: every customer, contact details masked. */
let storeStaff: Record<string, string>;

beforeAll(async () => {
  // Full pages of everything, to count statements: above the default cost limit (README: Limits).
  graph = await startTestGraph({ config: graphConfig({ COST_LIMIT: '10000000' }) });
  storeStaff = await graph.as({ role: 'STORE_STAFF', staffId: 'test-clerk', locationId: graph.data.locations[0].id });
});
afterAll(() => graph?.teardown());

const PRODUCTS_WITH_STOCK = `query($n: Int!) {
  products(first: $n) {
    edges { node {
      name price { amount } totalAvailable
      availability { location { name } available }
      variants { sku price { amount } totalAvailable availability(near: { lat: 35.66, lng: 139.7, radiusKm: 50 }) { location { code } onHand } }
      boughtTogether(first: 3) { name }
    } }
  }
}`;

const LOCATIONS_WITH_STOCK = `query($n: Int!) {
  locations {
    code geo { lat }
    stock(first: $n) { edges { node { available variant { sku product { name } } } } }
    bestsellers(first: $n, days: 365) { name variants { sku } }
  }
}`;

/** The demo customers with orders and how many, fewest first. */
function customersByOrderCount(): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const order of graph.data.orders) if (order.customerId) counts.set(order.customerId, (counts.get(order.customerId) ?? 0) + 1);
  return [...counts].sort((a, b) => a[1] - b[1]);
}

/** SQL statements each service sent while serving one request through the gateway. */
async function statementsFor(document: string, n: number, rows: (data: any) => unknown[]): Promise<Record<SubgraphName, number>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await graphql(graph.gateway.url, document, { n }, storeStaff);
  expect(response.errors).toBeUndefined();
  expect(rows(response.data)).toHaveLength(n);
  return Object.fromEntries(
    SERVICE_NAMES.map((name) => [name, graph.subgraphs[name].db.statements.forRequest(response.requestId)]),
  ) as Record<SubgraphName, number>;
}

describe('no N+1', () => {
  it('sends the same number of SQL statements per service for 5 customers as for 50', async () => {
    const rows = (data: { customers: { edges: unknown[] } }) => data.customers.edges;
    // Every customer listed has a cart of two lines (written as the carts service writes them).
    const listed = await graphql<{ customers: { edges: Array<{ node: { id: string } }> } }>(graph.gateway.url, 'query { customers(first: 50) { edges { node { id } } } }', {}, storeStaff);
    const variants = graph.data.products.filter((p) => p.soldOnline).slice(0, 2).map((p) => p.variants[0].id);
    const { carts } = graph.subgraphs.carts.domain;
    for (const { node } of listed.data!.customers.edges) {
      const cart = await carts.activeCartOf(node.id, 'APP');
      await carts.addLines({ kind: 'SERVICE', service: 'test' }, cart.id, variants.map((variantId) => ({ variantId, quantity: 1 })), 'APP');
    }
    // Their adds reach customers and recommendations as events: let them land before counting.
    await graph.settle();
    // Lists the recommendations read (popularity, new arrivals, neighbours of styles) are cached: fill them first.
    await statementsFor(CUSTOMERS_WITH_ORDERS, 50, rows);
    const five = await statementsFor(CUSTOMERS_WITH_ORDERS, 5, rows);
    const fifty = await statementsFor(CUSTOMERS_WITH_ORDERS, 50, rows);
    expect(fifty).toEqual(five);
    // Every service took part, and each needed only a handful of statements.
    for (const name of SERVICE_NAMES) {
      expect(five[name]).toBeGreaterThan(0);
      expect(five[name]).toBeLessThan(15);
    }
  });

  it("sends 12 statements in all (on MySQL) for the README's customer 360, the same for a customer of few orders as of many", async () => {
    const support = await graph.as({ role: 'SUPPORT', staffId: 'test-support' });
    const byOrders = customersByOrderCount();
    const [[few, fewOrders], [many, manyOrders]] = [byOrders[0], byOrders[byOrders.length - 1]];
    expect(manyOrders).toBeGreaterThan(fewOrders);
    const statements = async (id: string) => {
      const response = await graphql(graph.gateway.url, EXAMPLE_QUERY, { id }, support);
      expect(response.errors).toBeUndefined();
      return Object.fromEntries(SERVICE_NAMES.map((name) => [name, graph.subgraphs[name].db.statements.forRequest(response.requestId)]));
    };
    // Cached lists first (locations, popularity, neighbours), as traffic keeps them filled.
    await statements(many);
    const ofFew = await statements(few);
    expect(await statements(many)).toEqual(ofFew);
    // Customer (merged-away ids only cost more), identities and the audit of the contact read (on SQLite
    // inside BEGIN and COMMIT, its one way to write); summary, orders, lines; variants, styles, stock;
    // the customer's state in one read and the stock of the styles chosen. No merge chain: a customer
    // with records here is not merged away (customer-links.ts, mergedAwayAmong). An audited read wakes no relay.
    const audit = graph.subgraphs.customers.db.kind === 'mysql' ? 1 : 3;
    expect(ofFew).toEqual({ customers: 2 + audit, orders: 3, inventory: 4, recommendations: 2, carts: 0 });
  });

  it('ranks ten in a store in two statements, the same for a customer of few orders as of many', async () => {
    const store = graph.data.locations.find((l) => l.type === 'STORE')!;
    const clerk = await graph.as({ role: 'STORE_STAFF', staffId: 'test-clerk', locationId: store.id });
    const query = `query($id: ID!, $locationId: ID!) { customer(id: $id) {
      recommendations(first: 10, context: { locationId: $locationId }) { score product { id } variant { id size } reasons { code } } } }`;
    const byOrders = customersByOrderCount();
    const statements = async (id: string) => {
      const response = await graphql(graph.gateway.url, query, { id, locationId: store.id }, clerk);
      expect(response.errors).toBeUndefined();
      expect((response.data as { customer: { recommendations: unknown[] } }).customer.recommendations).toHaveLength(10);
      return graph.subgraphs.recommendations.db.statements.forRequest(response.requestId);
    };
    const [few, many] = [byOrders[0][0], byOrders[byOrders.length - 1][0]];
    // Lists cached first (neighbours, the store's bestsellers and sizes), as traffic keeps them filled.
    await statements(many);
    await statements(few);
    // The customer's state in one read, and the stock at the store of the best styles.
    expect(await statements(few)).toBe(2);
    expect(await statements(many)).toBe(2);
  });

  it('does the same for styles with their variants and stock, and for stores with their stock', async () => {
    const products = (data: { products: { edges: unknown[] } }) => data.products.edges;
    // Locations and lists are cached: fill the cache first, so that only what depends on N differs.
    await statementsFor(PRODUCTS_WITH_STOCK, 20, products);
    // The small test data set has 20 styles.
    expect(await statementsFor(PRODUCTS_WITH_STOCK, 20, products)).toEqual(await statementsFor(PRODUCTS_WITH_STOCK, 5, products));
    const stock = (data: { locations: Array<{ stock: { edges: unknown[] } }> }) => data.locations[0].stock.edges;
    await statementsFor(LOCATIONS_WITH_STOCK, 1, stock);
    expect(await statementsFor(LOCATIONS_WITH_STOCK, 50, stock)).toEqual(await statementsFor(LOCATIONS_WITH_STOCK, 5, stock));
  });
});
