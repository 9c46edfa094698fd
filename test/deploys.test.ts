import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningService } from '../shared/http/service';
import { OpenSubgraph } from '../shared/subgraph';
import { graphql, query } from '../shared/testkit';
import { SUBGRAPHS } from '../scripts/subgraphs';
import { startExtraGateway, startTestGraph, type TestGraph } from './support/graph';

/**
 * Deploys drop no request (ARCHITECTURE.md, "Failure behaviour"): a stopping service reports
 * not-ready, serves through SHUTDOWN_DELAY_MS with each connection closed after its response, then
 * refuses new connections and lets what is in flight finish (an order's calls to inventory
 * included) before it releases anything; the gateway sends a query again when a subgraph closed the
 * connection under it.
 */

let graph: TestGraph;
let admin: Record<string, string>;
let support: Record<string, string>;
const proxies: http.Server[] = [];
const gateways: RunningService[] = [];

beforeAll(async () => {
  graph = await startTestGraph({ scale: 0.01 });
  admin = await graph.as({ role: 'ADMIN', staffId: 'deploy-admin' });
  support = await graph.as({ role: 'SUPPORT', staffId: 'deploy-support' });
}, 180_000);
afterAll(async () => {
  for (const gateway of gateways) await gateway.stop();
  for (const proxy of proxies) await new Promise((resolve) => proxy.close(resolve));
  await graph?.teardown();
});

/** What a proxy does with the n-th request (1-based): pass it on (once `until` settles, when given), or drop its connection unanswered. */
type Behaviour = { until?: Promise<void> } | 'drop';

/**
 * How long a request held in flight is kept after the listener closed: past the moment (50 ms) a
 * server that did not wait for it would have cut it. Not a bound on anything: a server that waits
 * passes however long this is.
 */
const OUTLAST_CLOSE_MS = 500;

/** A promise the test settles when it chooses: a proxy holds requests until then. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

interface Proxy {
  url: string;
  /** Requests received so far. */
  received: number;
  /** Requests whose answer was passed back. */
  answered: number;
}

/** An HTTP proxy in front of a subgraph, which holds or drops requests as told. */
async function startProxy(target: string, behaviour: (n: number) => Behaviour): Promise<Proxy> {
  const proxy: Proxy = { url: '', received: 0, answered: 0 };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    // Only GraphQL requests are held or dropped; health checks pass straight through.
    const graphqlRequest = req.method === 'POST';
    if (graphqlRequest) {
      const what = behaviour(++proxy.received);
      if (what === 'drop') {
        req.socket.destroy();
        return;
      }
      await what.until;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>;
    const answer = await fetch(new URL(req.url!, target), { method: req.method, headers, body: graphqlRequest ? Buffer.concat(chunks) : undefined });
    const body = Buffer.from(await answer.arrayBuffer());
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(body);
    if (graphqlRequest) proxy.answered++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxies.push(server);
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return proxy;
}

async function extraGateway(overrides: Record<string, string>): Promise<RunningService> {
  const gateway = await startExtraGateway(graph, overrides);
  gateways.push(gateway);
  return gateway;
}

async function until(condition: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The code of a failed fetch's cause (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET, ...). */
function failureCode(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? String(err);
}

/** One raw HTTP/1.1 request on a connection of its own: status and Connection header, or that the connection was refused. */
function rawPost(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; connection: string | undefined } | { refused: true }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
    });
    // Refused, or reset while connecting (the listener closed with the connection in its backlog): never reached the server.
    req.on('error', (err: NodeJS.ErrnoException & { syscall?: string }) => (err.code === 'ECONNREFUSED' || err.syscall === 'connect' ? resolve({ refused: true }) : reject(err)));
    req.end(body);
  });
}

const CUSTOMERS_PAGE = '{ customers(first: 3) { edges { node { id displayName } } } }';

describe('a service that stops', () => {
  it('reports not-ready, serves through the delay with connections closed after each response, then refuses new connections and finishes what is in flight', async () => {
    // Room for the checks made during the delay, on a loaded machine; none of them times anything.
    const DELAY_MS = 1_500;
    // Inventory answers this gateway's in-flight request only when the test lets it: after the listener closed.
    const inventory = gate();
    const slowInventory = await startProxy(graph.subgraphs.inventory.url!, () => ({ until: inventory.opened }));
    const gateway = await extraGateway({ SHUTDOWN_DELAY_MS: String(DELAY_MS), SHUTDOWN_GRACE_MS: '10000', INVENTORY_URL: slowInventory.url });
    const base = gateway.url.replace(/\/graphql$/, '');

    // A stream of requests over keep-alive connections (Node's fetch), as a load balancer sends them:
    // until it has taken the gateway out of rotation (it saw /readyz fail).
    let shuttingDown = false;
    let inRotation = true;
    const outcomes: Array<{ duringShutdown: boolean; outcome: string }> = [];
    const stream = async () => {
      while (inRotation) {
        const duringShutdown = shuttingDown;
        try {
          const reply = await graphql<{ customers: { edges: unknown[] } }>(gateway.url, CUSTOMERS_PAGE, {}, support);
          outcomes.push({ duringShutdown, outcome: reply.status === 200 && !reply.errors && reply.data?.customers.edges.length === 3 ? 'ok' : `HTTP ${reply.status} ${JSON.stringify(reply.errors)}` });
        } catch (err) {
          outcomes.push({ duringShutdown, outcome: failureCode(err) });
        }
      }
    };
    const streams = Promise.all(Array.from({ length: 3 }, stream));
    await until(() => outcomes.length >= 10);

    const inFlight = graphql<{ locations: unknown[] }>(gateway.url, '{ locations { code } }', {}, support);
    await until(() => slowInventory.received === 1);
    shuttingDown = true;
    let stopped = false;
    const stopping = gateway.stop().then(() => void (stopped = true));

    // Not ready at once; still serving, on a new connection too, each answer closing its connection.
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', accepting: false });
    const during = await rawPost(gateway.url, JSON.stringify({ query: CUSTOMERS_PAGE }), support);
    expect(during).toEqual({ status: 200, connection: 'close' });
    // The stream is served until the load balancer takes the gateway out of rotation.
    await until(() => outcomes.filter((o) => o.duringShutdown).length >= 3);
    inRotation = false;
    await streams;

    // After the delay: new connections refused, while the held request is still in flight, and the stop waits for it.
    await until(async () => 'refused' in (await rawPost(gateway.url, JSON.stringify({ query: '{ __typename }' }))));
    expect({ answered: slowInventory.answered, stopped }).toEqual({ answered: 0, stopped: false });
    await new Promise((r) => setTimeout(r, OUTLAST_CLOSE_MS));
    inventory.open();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.locations.length).toBe(graph.data.locations.length);
    await stopping;

    // No client saw an error, and the stream was served during the delay.
    expect(outcomes.filter((o) => o.outcome !== 'ok')).toEqual([]);
    expect(outcomes.filter((o) => o.duringShutdown).length).toBeGreaterThanOrEqual(3);
  });

  it("lets an order in flight finish its calls to inventory before the orders service stops, and only then releases anything", async () => {
    // A replica of the orders service whose calls to inventory go through a proxy that holds them
    // until the test lets them go.
    const inventory = gate();
    const slowInventory = await startProxy(graph.subgraphs.inventory.url!, () => ({ until: inventory.opened }));
    const base = graph.subgraphs.orders;
    const config = {
      ...graph.config,
      // Room for the reads made during the delay, on a loaded machine; nothing is timed.
      shutdownDelayMs: 1_000,
      // Longer than this test may run: a stop held up by the reads until the grace period ran out fails it.
      shutdownGraceMs: 10 * 60_000,
      subgraphUrls: { ...graph.config.subgraphUrls, inventory: slowInventory.url },
    };
    const infra = { ...base.infra, config };
    const replica = new OpenSubgraph(SUBGRAPHS.orders, infra, SUBGRAPHS.orders.createDomain(infra), graph.platform, undefined);
    const replicaUrl = (await replica.listen(0)).url;
    const gateway = await extraGateway({ ORDERS_URL: replicaUrl });

    const product = graph.data.products.find((p) => p.soldOnline)!;
    const warehouse = graph.data.locations.find((l) => l.type === 'WAREHOUSE')!;
    const { product: found } = await query(graph.gateway.url, 'query($id: ID!) { product(id: $id) { variants { id } } }', { id: product.id }, admin);
    const variantId = found.variants[0].id as string;
    await query(graph.gateway.url, 'mutation($input: AdjustStockInput!) { adjustStock(input: $input) { userErrors { code } } }', {
      input: { locationId: warehouse.id, variantId, delta: 5, reason: 'deploy test stock' },
    }, admin);
    const { registerCustomer } = await query(graph.gateway.url, 'mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { customerId } }', {
      input: { displayName: `Deploy ${randomUUID().slice(0, 6)}` },
    }, support);
    const buyer = await graph.as({ customer: registerCustomer.customerId });

    let placed = false;
    const placing = graphql<{ placeOrder: { order: { id: string; number: string } | null; userErrors: unknown[] } }>(
      gateway.url,
      'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id number } userErrors { code } } }',
      { input: { idempotencyKey: randomUUID(), channel: 'EC', lines: [{ variantId, quantity: 1 }], fulfillment: { type: 'SHIP' } } },
      buyer,
    ).then((reply) => {
      placed = true;
      return reply;
    });
    // Reads keep coming on the gateway's keep-alive connections to the replica, until the load
    // balancer takes it out of rotation (it saw /readyz fail): they must neither fail nor hold the replica up.
    let shuttingDown = false;
    let inRotation = true;
    const reads: Array<{ duringShutdown: boolean; outcome: string }> = [];
    const known = graph.data.orders[0];
    const reading = Promise.all(
      Array.from({ length: 2 }, async () => {
        while (inRotation) {
          const duringShutdown = shuttingDown;
          const read = await graphql<{ order: { number: string } }>(gateway.url, 'query($id: ID!) { order(id: $id) { number } }', { id: known.id }, support);
          reads.push({ duringShutdown, outcome: read.status === 200 && !read.errors && read.data?.order.number === known.number ? 'ok' : JSON.stringify(read.errors ?? read.status) });
        }
      }),
    );
    // The order is mid-way: its first call to inventory is held.
    await until(() => slowInventory.received >= 1);
    shuttingDown = true;
    let stopped = false;
    const stopping = replica.stopServing().then(() => void (stopped = true));
    expect((await fetch(replicaUrl.replace(/\/graphql$/, '/readyz'))).status).toBe(503);
    await until(() => reads.filter((r) => r.duringShutdown).length >= 2);
    inRotation = false;
    await reading;
    expect(reads.filter((r) => r.outcome !== 'ok')).toEqual([]);

    // Refusing new connections, the replica still works on the order (held in inventory), and its stop waits for it.
    await until(async () => 'refused' in (await rawPost(replicaUrl, '{}')));
    expect({ placed, stopped, answered: slowInventory.answered }).toEqual({ placed: false, stopped: false, answered: 0 });
    await new Promise((r) => setTimeout(r, OUTLAST_CLOSE_MS));
    inventory.open();
    const reply = await placing;
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.placeOrder.userErrors).toEqual([]);
    const order = reply.data!.placeOrder.order!;
    expect(slowInventory.answered).toBeGreaterThanOrEqual(2);
    // ... and no longer: the stop settles once the order is done, not when the grace period (longer
    // than this test may run) runs out.
    await stopping;
    // Saved, and saved once: the client that saw it succeed holds the order that exists.
    const saved = await query(graph.gateway.url, 'query($id: ID!) { order(id: $id) { id number status } }', { id: order.id }, support);
    expect(saved.order).toMatchObject({ id: order.id, number: order.number, status: 'PLACED' });
  });
});

describe('the gateway and a connection that closes under a fetch', () => {
  it('sends a query again, once, on a new connection', async () => {
    const dropsFirst = await startProxy(graph.subgraphs.inventory.url!, (n) => (n === 1 ? 'drop' : {}));
    const gateway = await extraGateway({ INVENTORY_URL: dropsFirst.url });
    const reply = await graphql<{ locations: unknown[] }>(gateway.url, '{ locations { code } }');
    expect(reply.status).toBe(200);
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.locations.length).toBe(graph.data.locations.length);
    expect({ received: dropsFirst.received, answered: dropsFirst.answered }).toEqual({ received: 2, answered: 1 });
  });

  it('never sends a mutation again: it may have run', async () => {
    const dropsFirst = await startProxy(graph.subgraphs.inventory.url!, (n) => (n === 1 ? 'drop' : {}));
    const gateway = await extraGateway({ INVENTORY_URL: dropsFirst.url });
    const location = graph.data.locations[0];
    const reply = await graphql(
      gateway.url,
      'mutation($input: AdjustStockInput!) { adjustStock(input: $input) { level { available } userErrors { code } } }',
      { input: { locationId: location.id, variantId: graph.data.products[0].variants[0].id, delta: 1, reason: 'deploy test' } },
      admin,
    );
    expect(reply.errors?.[0].extensions?.code).toBe('UNAVAILABLE');
    expect(dropsFirst.received).toBe(1);
  });
});
