import net from 'node:net';
import type { SubgraphName } from '../shared/config';
import type { RunningService } from '../shared/http/service';
import { graphql } from '../shared/testkit';
import { EXAMPLE_QUERY } from '../scripts/start-all';
import { startExtraGateway, startTestGraph, type TestGraph } from './support/graph';

/** An error as the gateway answers it, with the service that failed. */
type GraphError = { message: string; path?: Array<string | number>; extensions?: { code?: string; serviceName?: string; service?: string } };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Customer360 = { customer: any };

let graph: TestGraph;
let support: Record<string, string>;
let customerId: string;

beforeAll(async () => {
  graph = await startTestGraph();
  support = await graph.as({ role: 'SUPPORT', staffId: 'test-support' });
  // A customer with orders in more than one channel: the example query shows every service for them.
  const counts = new Map<string, Set<string>>();
  for (const o of graph.data.orders) if (o.customerId) counts.set(o.customerId, (counts.get(o.customerId) ?? new Set()).add(o.channel));
  customerId = [...counts].find(([, channels]) => channels.size > 1)![0];
});
afterAll(() => graph?.teardown());

function customer360(url = graph.gateway.url) {
  return graphql<Customer360>(url, EXAMPLE_QUERY, { id: customerId }, support);
}

/** Stops a subgraph's server (its database and events stay), runs `check`, and serves it again on the same port. */
async function whileDown(name: SubgraphName, check: () => Promise<void>): Promise<void> {
  const subgraph = graph.subgraphs[name];
  const port = Number(new URL(subgraph.url!).port);
  await subgraph.stopServing();
  try {
    await check();
  } finally {
    await subgraph.listen(port);
  }
}

/** Whether one of `paths` is `path` or a field under it. */
function isAtOrUnder(paths: string[], path: string): boolean {
  return paths.some((p) => p === path || p.startsWith(`${path}.`));
}

/** A customer 360 answer without the recommendation scores, which drift with the clock between two queries. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function unscored(customer: any): unknown {
  return { ...customer, recommendations: customer.recommendations?.map(({ score: _, ...rest }: { score: number }) => rest) ?? null };
}

/** The errors' paths as strings (`customer.orders.edges.0.node.lines.1.product`). */
function pathsOf(errors: GraphError[] | undefined): string[] {
  return (errors ?? []).map((e) => (e.path ?? []).join('.'));
}

function expectAllUnavailableFrom(errors: GraphError[] | undefined, service: SubgraphName): void {
  expect(errors?.length).toBeGreaterThan(0);
  for (const error of errors!) {
    expect({ code: error.extensions?.code, serviceName: error.extensions?.serviceName, service: error.extensions?.service, hasPath: (error.path?.length ?? 0) > 0 }).toEqual({
      code: 'UNAVAILABLE',
      serviceName: service,
      service,
      hasPath: true,
    });
  }
}

describe('one service down blanks nothing else (customer 360)', () => {
  it('answers in full while every service is up', async () => {
    const { data, errors } = await customer360();
    expect(errors).toBeUndefined();
    expect(data!.customer.orders.edges.length).toBeGreaterThan(0);
    expect(data!.customer.orders.edges[0].node.lines[0].product.name).toEqual(expect.any(String));
    expect(data!.customer.recommendations.length).toBeGreaterThan(0);
    expect(data!.customer.recommendations[0].product.name).toEqual(expect.any(String));
  });

  it('inventory down: the customer, orders, summary and recommendations stand; product, variant and location fields are null with UNAVAILABLE errors naming inventory and each path', async () => {
    const { data: full } = await customer360();
    await whileDown('inventory', async () => {
      const { status, data, errors } = await customer360();
      expect(status).toBe(200);
      const customer = data!.customer;
      expect(customer.displayName).toBe(full!.customer.displayName);
      expect(customer.identities).toEqual(full!.customer.identities);
      expect(customer.purchaseSummary).toEqual(full!.customer.purchaseSummary);
      expect(customer.orders.edges.map((e: { node: { number: string } }) => e.node.number)).toEqual(
        full!.customer.orders.edges.map((e: { node: { number: string } }) => e.node.number),
      );
      for (const { node } of customer.orders.edges) {
        expect(node.total).toEqual(expect.objectContaining({ amount: expect.any(Number) }));
        for (const line of node.lines) expect({ quantity: typeof line.quantity, variant: line.variant, product: line.product }).toEqual({ quantity: 'number', variant: null, product: null });
      }
      expect(customer.recommendations.length).toBe(full!.customer.recommendations.length);
      for (const rec of customer.recommendations) expect({ score: typeof rec.score, product: rec.product }).toEqual({ score: 'number', product: null });

      expectAllUnavailableFrom(errors, 'inventory');
      // The gateway stays in rotation, degraded, and says which subgraph is missing.
      const ready = await fetch(graph.gateway.url.replace(/\/graphql$/, '/readyz'));
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'degraded', checks: { 'subgraph:inventory': 'degraded', 'subgraph:orders': 'ok' } });
      // Every null the outage left has its error, at that field or at a field of it (`...variant.sku`).
      const nulled: string[] = [];
      customer.orders.edges.forEach(({ node }: { node: { lines: unknown[] } }, i: number) => {
        if (full!.customer.orders.edges[i].node.location) nulled.push(`customer.orders.edges.${i}.node.location`);
        node.lines.forEach((_, j) => nulled.push(`customer.orders.edges.${i}.node.lines.${j}.variant`, `customer.orders.edges.${i}.node.lines.${j}.product`));
      });
      customer.recommendations.forEach((_: unknown, i: number) => nulled.push(`customer.recommendations.${i}.product`));
      expect(nulled.filter((path) => !isAtOrUnder(pathsOf(errors), path))).toEqual([]);
      // And no error points anywhere else.
      expect(pathsOf(errors).filter((path) => !nulled.some((n) => path === n || path.startsWith(`${n}.`)))).toEqual([]);
    });
  });

  it('recommendations down: everything but the recommendations stands; they are null with one UNAVAILABLE error at their path', async () => {
    const { data: full } = await customer360();
    await whileDown('recommendations', async () => {
      const { data, errors } = await customer360();
      expect(data!.customer).toEqual({ ...full!.customer, recommendations: null });
      expectAllUnavailableFrom(errors, 'recommendations');
      expect(pathsOf(errors)).toEqual(['customer.recommendations']);
    });
  });

  it('orders down: the profile and recommendations stand; orders and purchaseSummary are null with UNAVAILABLE errors naming orders', async () => {
    const { data: full } = await customer360();
    await whileDown('orders', async () => {
      const { data, errors } = await customer360();
      expect(unscored(data!.customer)).toEqual(unscored({ ...full!.customer, orders: null, purchaseSummary: null }));
      expectAllUnavailableFrom(errors, 'orders');
      expect(pathsOf(errors).sort()).toEqual(['customer.orders', 'customer.purchaseSummary']);
    });
  });

  it('customers down: the customer is null with an UNAVAILABLE error naming customers at its path', async () => {
    await whileDown('customers', async () => {
      const { status, data, errors } = await customer360();
      expect(status).toBe(200);
      expect(data).toEqual({ customer: null });
      expectAllUnavailableFrom(errors, 'customers');
      expect(pathsOf(errors)).toEqual(['customer']);
    });
  });

  it('the catalog stands with recommendations down: Product.boughtTogether and Location.bestsellers are null, the product and store are not', async () => {
    const product = graph.data.products[0];
    const store = graph.data.locations.find((l) => l.type === 'STORE')!;
    const document = `query ($p: ID!, $l: ID!) {
      product(id: $p) { id name boughtTogether(first: 3) { id name } }
      location(id: $l) { id name bestsellers(first: 3) { id } newArrivals(first: 3) { id } }
    }`;
    await whileDown('recommendations', async () => {
      const { data, errors } = await graphql<{ product: unknown; location: unknown }>(graph.gateway.url, document, { p: product.id, l: store.id });
      expect(data).toEqual({
        product: { id: product.id, name: product.name, boughtTogether: null },
        location: { id: store.id, name: store.name, bestsellers: null, newArrivals: null },
      });
      expectAllUnavailableFrom(errors, 'recommendations');
      expect(pathsOf(errors).sort()).toEqual(['location.bestsellers', 'location.newArrivals', 'product.boughtTogether']);
    });
  });
});

describe('a cart with a service down', () => {
  const CART = `query($id: ID!) { customer(id: $id) { displayName cart { id itemCount subtotal { amount } lines { quantity unitPrice { amount } problem } } } }`;
  const CHECKOUT = `mutation($input: CheckoutCartInput!) { checkoutCart(input: $input) { cart { status } orderNumber userErrors { code } } }`;

  /** The customer's cart with one line of a variant sold online that the pickup store has. */
  async function cartWithALine(): Promise<{ cartId: string; storeId: string }> {
    const store = graph.data.locations.find((l) => l.type === 'STORE' && l.pickupEnabled)!;
    const online = new Set(graph.data.products.filter((p) => p.soldOnline).map((p) => p.id));
    const line = graph.data.stock.find((s) => s.locationId === store.id)!.lines.find((l) => online.has(l.productId) && l.quantity > 1)!;
    const buyer = await graph.as({ customer: customerId });
    const { data } = await graphql<{ cartCreate: { cart: { id: string } } }>(
      graph.gateway.url,
      'mutation($input: CartCreateInput!) { cartCreate(input: $input) { cart { id } } }',
      { input: { channel: 'APP', lines: [{ variantId: line.variantId, quantity: 1 }] } },
      buyer,
    );
    return { cartId: data!.cartCreate.cart.id, storeId: store.id };
  }

  it('carts down: the customer stands, her cart is null with an UNAVAILABLE error naming carts', async () => {
    await cartWithALine();
    await whileDown('carts', async () => {
      const { data, errors } = await graphql<{ customer: { displayName: string; cart: unknown } }>(graph.gateway.url, CART, { id: customerId }, support);
      expect(data!.customer).toEqual({ displayName: expect.any(String), cart: null });
      expectAllUnavailableFrom(errors, 'carts');
      expect(pathsOf(errors)).toEqual(['customer.cart']);
    });
  });

  it('inventory down: the cart and its lines stand; prices and problems are null with UNAVAILABLE errors naming inventory', async () => {
    await cartWithALine();
    await whileDown('inventory', async () => {
      const { data, errors } = await graphql<{ customer: { cart: { itemCount: number; subtotal: unknown; lines: Array<{ quantity: number; unitPrice: unknown }> } } }>(graph.gateway.url, CART, { id: customerId }, support);
      const { cart } = data!.customer;
      expect(cart.itemCount).toBeGreaterThan(0);
      expect(cart.subtotal).toBeNull();
      for (const line of cart.lines) expect(line).toEqual({ quantity: expect.any(Number), unitPrice: null, problem: null });
      expect(errors!.map((e: GraphError) => ({ code: e.extensions?.code, service: e.extensions?.service }))).toContainEqual({ code: 'UNAVAILABLE', service: 'inventory' });
    });
  });

  it('orders down: a checkout is UNAVAILABLE, the cart stays open, and the retry with the same key places the order', async () => {
    const { cartId, storeId } = await cartWithALine();
    const buyer = await graph.as({ customer: customerId });
    const input = { cartId, idempotencyKey: `down-${Date.now()}`, fulfillment: { type: 'PICKUP_IN_STORE', locationId: storeId }, payment: { method: 'PAY_AT_STORE' } };
    await whileDown('orders', async () => {
      const { data, errors } = await graphql(graph.gateway.url, CHECKOUT, { input }, buyer);
      expect(data).toBeNull();
      expect(errors?.map((e: GraphError) => ({ code: e.extensions?.code, service: e.extensions?.service }))).toEqual([{ code: 'UNAVAILABLE', service: 'orders' }]);
    });
    const { data } = await graphql<{ checkoutCart: { cart: { status: string }; orderNumber: string | null; userErrors: unknown[] } }>(graph.gateway.url, CHECKOUT, { input }, buyer);
    expect(data!.checkoutCart).toEqual({ cart: { status: 'CHECKED_OUT' }, orderNumber: expect.any(String), userErrors: [] });
  });
});

describe('writes that need a service that is down', () => {
  const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } userErrors { code } } }`;
  const COUNT = `query($id: ID!) { customer(id: $id) { purchaseSummary { orderCount } } }`;

  it('placeOrder with inventory down is UNAVAILABLE naming inventory and writes nothing; sent again once it is back, it places the order', async () => {
    const warehouse = graph.data.locations.find((l) => l.type === 'WAREHOUSE')!;
    const online = new Set(graph.data.products.filter((p) => p.soldOnline).map((p) => p.id));
    const line = graph.data.stock.find((s) => s.locationId === warehouse.id)!.lines.find((l) => online.has(l.productId) && l.quantity > 0)!;
    const buyer = await graph.as({ customer: customerId });
    const input = { idempotencyKey: `down-${Date.now()}`, channel: 'EC', lines: [{ variantId: line.variantId, quantity: 1 }], fulfillment: { type: 'SHIP' } };
    const before = (await graphql<{ customer: { purchaseSummary: { orderCount: number } } }>(graph.gateway.url, COUNT, { id: customerId }, support)).data!.customer.purchaseSummary.orderCount;

    await whileDown('inventory', async () => {
      const { data, errors } = await graphql(graph.gateway.url, PLACE, { input }, buyer);
      expect(data).toBeNull();
      expect(errors?.map((e: GraphError) => ({ code: e.extensions?.code, service: e.extensions?.service, serviceName: e.extensions?.serviceName, path: e.path }))).toEqual([
        { code: 'UNAVAILABLE', service: 'inventory', serviceName: 'orders', path: ['placeOrder'] },
      ]);
    });
    const after = (await graphql<{ customer: { purchaseSummary: { orderCount: number } } }>(graph.gateway.url, COUNT, { id: customerId }, support)).data!.customer.purchaseSummary.orderCount;
    expect(after).toBe(before);

    const { data, errors } = await graphql<{ placeOrder: { order: { id: string } | null; userErrors: unknown[] } }>(graph.gateway.url, PLACE, { input }, buyer);
    expect(errors).toBeUndefined();
    expect(data!.placeOrder).toEqual({ order: { id: expect.any(String) }, userErrors: [] });
  });
});

describe('a subgraph that does not answer', () => {
  let silent: net.Server;
  let gateway: RunningService | undefined;
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    // Accepts connections and never answers: a hung process, not a stopped one.
    silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await gateway?.stop();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('is given up on after SERVICE_CALL_TIMEOUT_MS: the rest of the answer stands, with UNAVAILABLE naming it', async () => {
    const { port } = silent.address() as net.AddressInfo;
    gateway = await startExtraGateway(graph, { RECOMMENDATIONS_URL: `http://127.0.0.1:${port}/graphql`, SERVICE_CALL_TIMEOUT_MS: '300' });
    const started = Date.now();
    const { data, errors } = await customer360(gateway.url);
    // A query is not sent again after a timeout: its time is spent.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(data!.customer.displayName).toEqual(expect.any(String));
    expect(data!.customer.recommendations).toBeNull();
    expectAllUnavailableFrom(errors, 'recommendations');
    expect(pathsOf(errors)).toEqual(['customer.recommendations']);
  });
});

