import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { SERVICE_NAMES, type ServiceName } from '../../shared/config';
import { configuredServers, graphql } from '../../shared/testkit';
import { redisServerInstalled } from '../../shared/testkit/private-redis';
import { Cluster, eventually, sleep, type ServiceProcess } from '../support/cluster';

/**
 * Fault suite: Redis stopped and started again empty, and a poison entry on a stream, with every
 * service its own process (ARCHITECTURE.md, "Events" and "Failure behaviour").
 */
const faultSuite = configuredServers().mysql && configuredServers().redis && redisServerInstalled() ? describe : describe.skip;

const PLACE_ORDER = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } userErrors { code } } }`;
const CATALOG = `{ products(first: 5) { edges { node { name variants { sku availability { available } } } } } }`;
/** The customer 360 without recommendations, which are stopped through this test. */
const CUSTOMER = `query($id: ID!) {
  customer(id: $id) { displayName identities { type value } purchaseSummary { orderCount }
    orders(first: 3) { edges { node { number lines { quantity variant { sku } product { name } } } } } }
}`;

faultSuite('Redis stopped, started again empty, and a poison entry', () => {
  let cluster: Cluster;
  let processes: Record<ServiceName, ServiceProcess>;
  let support: Record<string, string>;
  let buyer: Record<string, string>;
  let variantId: string;
  let customerId: string;

  beforeAll(async () => {
    cluster = await Cluster.create({ scale: 0.01, env: { SHUTDOWN_DELAY_MS: '0' } });
    processes = await cluster.startAll();
    support = await cluster.as({ role: 'SUPPORT', staffId: 'fault-support' });
    customerId = cluster.data.customers[0].id;
    buyer = await cluster.as({ customer: customerId });
    const warehouse = cluster.data.locations.find((l) => l.type === 'WAREHOUSE')!;
    variantId = cluster.data.stock.find((s) => s.locationId === warehouse.id)!.lines.find((l) => l.quantity >= 10)!.variantId;
  }, 300_000);
  afterAll(() => cluster?.teardown(), 120_000);

  async function placeOrder(): Promise<string> {
    const input = { idempotencyKey: randomUUID(), channel: 'EC', lines: [{ variantId, quantity: 1 }], fulfillment: { type: 'SHIP' } };
    const reply = await graphql<{ placeOrder: { order: { id: string } | null; userErrors: unknown[] } }>(cluster.gatewayUrl, PLACE_ORDER, { input }, buyer);
    expect({ errors: reply.errors, userErrors: reply.data?.placeOrder.userErrors }).toEqual({ errors: undefined, userErrors: [] });
    return reply.data!.placeOrder.order!.id;
  }

  /** Whether a consumer's database shows the order: customers' order facts, recommendations' purchases. */
  async function seen(service: 'customers' | 'recommendations', orderId: string): Promise<boolean> {
    const table = service === 'customers' ? 'order_fact' : 'purchase_line';
    return (await cluster.sql(service, `SELECT order_id FROM ${table} WHERE order_id = ? LIMIT 1`, [orderId])).length > 0;
  }

  it('answers reads and takes orders while Redis is down; events flow when it is back, and a replay restores what it lost', async () => {
    // Recommendations is stopped: an order's event waits in the stream for it, and the stream is about to vanish.
    await cluster.kill(processes.recommendations, 'SIGTERM');
    const since = new Date(Date.now() - 1000).toISOString();
    const beforeOutage = await placeOrder();
    await eventually('the order published', async () => (await cluster.sql('orders', 'SELECT 1 FROM outbox_event WHERE published_at IS NULL')).length === 0);
    await eventually('customers handled it', () => seen('customers', beforeOutage));

    // Readers keep asking through the outage.
    let reading = true;
    const answers: string[] = [];
    const outage = { from: Infinity, to: Infinity, slowestMs: 0 };
    const readers = [
      async () => graphql(cluster.gatewayUrl, CATALOG),
      async () => graphql(cluster.gatewayUrl, CUSTOMER, { id: customerId }, support),
    ].map(async (read) => {
      while (reading) {
        const sent = Date.now();
        const reply = await read().catch((err: Error) => ({ status: 0, errors: [{ message: err.message }] }));
        if (sent >= outage.from && sent < outage.to) outage.slowestMs = Math.max(outage.slowestMs, Date.now() - sent);
        answers.push(reply.status === 200 && !reply.errors ? 'ok' : JSON.stringify(reply.errors ?? reply.status));
      }
    });

    await cluster.redis.stop();
    outage.from = Date.now();
    await sleep(1000);
    const duringOutage = await placeOrder();
    // Readiness answers at once, ready but degraded: the database is what a service cannot do without.
    for (const service of [...SERVICE_NAMES.filter((s) => s !== 'recommendations'), 'gateway'] as ServiceName[]) {
      const response = await fetch(`http://127.0.0.1:${processes[service].port}/readyz`, { signal: AbortSignal.timeout(5000) });
      const body = (await response.json()) as { checks: Record<string, string> };
      expect({ service, status: response.status, database: body.checks.database }).toEqual({ service, status: 200, database: 'ok' });
      expect(body.checks.redis).not.toBe('ok');
    }
    const outageAnswers = answers.length;
    await sleep(1000);
    // The order's event waits in the outbox.
    expect(await cluster.sql('orders', 'SELECT 1 FROM outbox_event WHERE published_at IS NULL')).not.toHaveLength(0);

    await cluster.redis.start();
    outage.to = Date.now();
    // Without a restart of anything: the waiting event flows, and so does a new one.
    await eventually('the order placed during the outage reached customers', () => seen('customers', duringOutage));
    const flowedAfterMs = Date.now() - outage.to;
    const afterOutage = await placeOrder();
    await eventually('an order placed afterwards reached customers', () => seen('customers', afterOutage));
    reading = false;
    await Promise.all(readers);
    expect(outageAnswers).toBeGreaterThan(2);
    expect(answers.filter((a) => a !== 'ok')).toEqual([]);

    // Recommendations starts on an empty Redis: the order published before the outage is gone from the stream.
    processes.recommendations = await cluster.start('recommendations');
    await eventually('recommendations caught up with the new stream', () => seen('recommendations', afterOutage));
    expect(await seen('recommendations', beforeOutage)).toBe(false);
    const before = await effects();
    const output = await cluster.script('scripts/events/replay.ts', ['--since', since]);
    expect(output).toMatch(/orders: [1-9]\d* events published since/);
    const replayed = Date.now();
    await eventually('the replay restored the lost order', () => seen('recommendations', beforeOutage));
    const replayMs = Date.now() - replayed;
    // Everyone skipped what they had handled: only the lost order counted, once; no stock moved.
    await eventually('every group acknowledged the replay', async () => (await pendingEntries()) === 0);
    expect(await effects()).toEqual({ ...before, boughtUnits: before.boughtUnits + 1, boughtOrders: before.boughtOrders + 1 });
    console.log(
      [
        'fault suite, Redis stopped and started again empty:',
        `  ${answers.length} reads, every one answered; the slowest sent during the ${outage.to - outage.from} ms outage took ${outage.slowestMs} ms`,
        `  the order placed during the outage reached customers ${flowedAfterMs} ms after Redis was back, with no restart`,
        `  the replay restored the event Redis lost within ${replayMs} ms, and nothing was handled twice`,
      ].join('\n'),
    );
  }, 300_000);

  /**
   * What handling an order's events twice would count twice: the variant's stock and ledger, the
   * customer's order facts, what recommendations has the customer buying.
   */
  async function effects(): Promise<Record<string, number>> {
    const [stock] = await cluster.sql<{ onHand: number; moves: number }>(
      'inventory',
      'SELECT (SELECT SUM(on_hand) FROM stock_level WHERE variant_id = ?) AS onHand, (SELECT COUNT(*) FROM stock_movement WHERE variant_id = ?) AS moves',
      [variantId, variantId],
    );
    const [facts] = await cluster.sql<{ n: number }>('customers', 'SELECT COUNT(*) AS n FROM order_fact WHERE customer_id = ?', [customerId]);
    const [bought] = await cluster.sql<{ units: number; orders: number }>(
      'recommendations',
      'SELECT COALESCE(SUM(units), 0) AS units, COALESCE(SUM(orders), 0) AS orders FROM customer_product WHERE customer_id = ?',
      [customerId],
    );
    return { onHand: Number(stock.onHand), moves: Number(stock.moves), orderFacts: Number(facts.n), boughtUnits: Number(bought.units), boughtOrders: Number(bought.orders) };
  }

  /** Stream entries some consumer group has read and not acknowledged. */
  async function pendingEntries(): Promise<number> {
    const redis = new Redis(cluster.redis.url);
    try {
      let pending = 0;
      for (const producer of ['customers', 'orders', 'inventory']) {
        const stream = `${cluster.env.REDIS_KEY_PREFIX}events:{${producer}}`;
        const groups = (await redis.xinfo('GROUPS', stream).catch(() => [])) as unknown[][];
        for (const group of groups) pending += Number(group[group.indexOf('pending') + 1]);
      }
      return pending;
    } finally {
      redis.disconnect();
    }
  }

  it('dead-letters a poison entry and lets the events behind it flow', async () => {
    await cluster.redis.start();
    const redis = new Redis(cluster.redis.url);
    try {
      const stream = `${cluster.env.REDIS_KEY_PREFIX}events:{orders}`;
      // One entry that is not an event at all, one that is an order.placed without its payload.
      await redis.xadd(stream, '*', 'type', 'order.placed', 'e', '{not json');
      const bad = { id: randomUUID(), type: 'order.placed', version: 1, occurredAt: new Date().toISOString(), producer: 'orders', key: randomUUID(), payload: { orderId: 42 } };
      await redis.xadd(stream, '*', 'type', 'order.placed', 'e', JSON.stringify(bad));
    } finally {
      redis.disconnect();
    }
    const behind = await placeOrder();
    await eventually('the order behind the poison reached customers', () => seen('customers', behind));
    await eventually('the order behind the poison reached recommendations', () => seen('recommendations', behind));
    for (const service of ['customers', 'inventory', 'recommendations'] as const) {
      await eventually(`${service} dead-lettered both entries`, async () => (await cluster.sql(service, 'SELECT id FROM dead_letter_event')).length === 2);
    }
    const listed = await cluster.script('scripts/events/dead-letters.ts', ['list', '--service', 'customers']);
    expect(listed).toMatch(/2 dead letters/);
  }, 120_000);
});
