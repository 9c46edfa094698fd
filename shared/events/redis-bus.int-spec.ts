import pino from 'pino';
import { createRedis } from '../redis';
import { configuredServers, testConfig } from '../testkit';
import { ConsumerPaused, MemoryDeadLetters, type EventConsumer } from './bus';
import { envelope, type EventEnvelope } from './envelope';
import { pausingHandler } from '../testkit/pausing-handler';
import { RedisStreamsEventBus } from './redis-bus';

const config = testConfig();
const logger = pino({ level: 'silent' });
// Consumer groups and claiming are Redis Streams behaviour: this suite needs REDIS_URL.
const withRedis = configuredServers().redis ? describe : describe.skip;

function registered(n: number): EventEnvelope {
  return envelope('customers', { type: 'customer.registered', key: `c${n}`, payload: { customerId: `c${n}`, channel: 'EC' } });
}

withRedis('RedisStreamsEventBus', () => {
  const redis = config.redisUrl ? createRedis(config.redisUrl, 'test') : undefined!;
  const bus = new RedisStreamsEventBus(redis, config.redisUrl!, config.redisKeyPrefix, 10_000, {
    claimIdleMs: 200,
    claimEveryMs: 100,
  });
  const consumers: EventConsumer[] = [];

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    const keys = await redis.keys(`${config.redisKeyPrefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('delivers each event once per group, sharing a group between its replicas', async () => {
    const replicas: string[][] = [[], []];
    const other: string[] = [];
    for (const seen of replicas) {
      consumers.push(bus.consume({ group: 'orders', producers: ['customers'], logger, handler: async (es) => void seen.push(...es.map((e) => e.key)) }));
    }
    consumers.push(bus.consume({ group: 'recommendations', producers: ['customers'], logger, handler: async (es) => void other.push(...es.map((e) => e.key)) }));
    const events = Array.from({ length: 50 }, (_, i) => registered(i));
    await bus.publish(events);
    await Promise.all(consumers.map((c) => c.caughtUp()));
    const keys = events.map((e) => e.key).sort();
    expect([...replicas[0], ...replicas[1]].sort()).toEqual(keys);
    expect([...other].sort()).toEqual(keys);
  });

  it('holds back what comes after a batch its handler paused on, and delivers both in order', async () => {
    const { handler, handled, pausedOn, resume } = pausingHandler();
    const consumer = bus.consume({ group: 'maintained', producers: ['customers'], logger, handler });
    consumers.push(consumer);
    await bus.publish([registered(200), registered(201)]);
    await pausedOn;
    resume();
    await bus.publish([registered(202)]);
    await consumer.caughtUp();
    expect(handled.filter((k) => ['c200', 'c201', 'c202'].includes(k))).toEqual(['c200', 'c201', 'c202']);
  });

  it('claims what a dead consumer left pending, and retries a failed event', async () => {
    await bus.publish([registered(100), registered(101)]);
    // A consumer that read both entries and died before acknowledging them.
    await redis.xgroup('CREATE', bus.streamKey('customers'), 'audit', '0', 'MKSTREAM');
    await redis.xreadgroup('GROUP', 'audit', 'dead-consumer', 'COUNT', 1000, 'STREAMS', bus.streamKey('customers'), '>');
    const handled: string[] = [];
    let failOnce = true;
    const live = bus.consume({
      group: 'audit',
      producers: ['customers'],
      logger,
      handler: async (events) => {
        if (failOnce && events.some((e) => e.key === 'c101')) {
          failOnce = false;
          throw new Error('not yet');
        }
        handled.push(...events.map((e) => e.key));
      },
    });
    consumers.push(live);
    await live.caughtUp();
    expect(handled).toEqual(expect.arrayContaining(['c100', 'c101']));
    expect(handled.filter((k) => k === 'c101')).toHaveLength(1);
    expect(failOnce).toBe(false);
  });

  it('dead-letters malformed entries and schema-invalid events at once, and a failing event after maxDeliveries; the rest flow', async () => {
    const key = bus.streamKey('orders');
    const deadLetters = new MemoryDeadLetters();
    const handled: string[] = [];
    const consumer = bus.consume({
      group: 'poisoned',
      producers: ['orders'],
      logger,
      deadLetters,
      maxDeliveries: 3,
      handler: async (events) => {
        if (events.some((e) => e.key === 'o4')) throw new Error('cannot handle o4');
        handled.push(...events.map((e) => e.key));
      },
    });
    consumers.push(consumer);
    const invalid = placed(3);
    (invalid.payload as { lines: unknown }).lines = [{ variantId: 'v' }];
    await bus.publish([placed(1)]);
    const noEvent = await redis.xadd(key, '*', 'type', 'order.placed', 'x', 'y');
    const notJson = await redis.xadd(key, '*', 'type', 'order.placed', 'e', '{"id":');
    await bus.publish([placed(2), invalid, placed(4), placed(5)]);
    await consumer.caughtUp();
    expect(handled.sort()).toEqual(['o1', 'o2', 'o5']);
    expect(deadLetters.letters.map((l) => [l.entryId === noEvent || l.entryId === notJson ? 'raw entry' : l.eventId, l.reason, l.deliveries])).toEqual([
      ['raw entry', 'UNPARSEABLE', 1],
      ['raw entry', 'UNPARSEABLE', 1],
      [invalid.id, 'INVALID', 1],
      [expect.any(String), 'HANDLER_FAILED', 3],
    ]);
    expect(deadLetters.letters[2].error).toMatch(/^payload\.lines\.0\.productId:/);
    expect(deadLetters.letters[3]).toMatchObject({ type: 'order.placed', error: 'Error: cannot handle o4' });
    expect(JSON.parse(deadLetters.letters[3].raw)).toMatchObject({ key: 'o4' });
  });

  it('counts no delivery of a paused handler toward dead-lettering', async () => {
    const deadLetters = new MemoryDeadLetters();
    const handled: string[] = [];
    let pausesLeft = 3;
    let failuresLeft = 1;
    const consumer = bus.consume({
      group: 'maintained-then-failing',
      producers: ['returns'],
      logger,
      deadLetters,
      maxDeliveries: 2,
      handler: async (events) => {
        if (pausesLeft > 0 && pausesLeft--) throw new ConsumerPaused('maintenance');
        if (failuresLeft > 0 && failuresLeft--) throw new Error('not yet');
        handled.push(...events.map((e) => e.key));
      },
    });
    consumers.push(consumer);
    await bus.publish([{ ...placed(30), producer: 'returns' }]);
    await consumer.caughtUp();
    // Redis delivered it five times: three paused, one failed, one handled.
    expect([handled, deadLetters.letters]).toEqual([['o30'], []]);
  });

  it('recreates a consumer group Redis lost, without a restart, and reads on', async () => {
    const handled: string[] = [];
    const consumer = bus.consume({ group: 'forgetful', producers: ['inventory'], logger, handler: async (es) => void handled.push(...es.map((e) => e.key)) });
    consumers.push(consumer);
    await bus.publish([changed(1)]);
    await consumer.caughtUp();
    // As when Redis comes back empty: the stream and its groups are gone.
    await redis.del(bus.streamKey('inventory'));
    await bus.publish([changed(2)]);
    await consumer.caughtUp();
    expect(handled).toEqual(['l1', 'l2']);
  });

  it('counts lag per stream: unread and unacknowledged entries', async () => {
    const { handler, pausedOn, resume } = pausingHandler();
    const consumer = bus.consume({ group: 'lagging', producers: ['orders', 'inventory'], logger, handler });
    consumers.push(consumer);
    await bus.publish([placed(10), placed(11), changed(10)]);
    await pausedOn;
    const lag = new Map((await consumer.lag()).map((l) => [l.producer, l.lag]));
    // Everything since the group was created (from the retention window back), read or not.
    const ordersLength = await redis.xlen(bus.streamKey('orders'));
    expect([lag.get('orders'), lag.get('inventory')]).toEqual([ordersLength, await redis.xlen(bus.streamKey('inventory'))]);
    resume();
    await consumer.caughtUp();
    expect(await consumer.lag()).toEqual([{ producer: 'orders', lag: 0 }, { producer: 'inventory', lag: 0 }]);
  });

  it('trims a stream to its maximum length, counting per group the entries it had not acknowledged', async () => {
    const small = new RedisStreamsEventBus(redis, config.redisUrl!, `${config.redisKeyPrefix}trim:`, 10);
    const key = small.streamKey('orders');
    const reader = small.consume({ group: 'reader', producers: ['orders'], logger, handler: async () => undefined });
    consumers.push(reader);
    // A group that read five entries and died, and has read nothing since.
    await redis.xgroup('CREATE', key, 'sleeper', '0', 'MKSTREAM');
    await small.publish(Array.from({ length: 25 }, (_, i) => placed(100 + i)));
    await redis.xreadgroup('GROUP', 'sleeper', 'dead', 'COUNT', 5, 'STREAMS', key, '>');
    await reader.caughtUp();
    expect(await small.trim('orders')).toEqual([{ group: 'sleeper', dropped: 15 }]);
    expect(await redis.xlen(key)).toBe(10);
    // The oldest fifteen went.
    const [[, oldest]] = (await redis.xrange(key, '-', '+', 'COUNT', 1)) as Array<[string, string[]]>;
    expect(JSON.parse(oldest[oldest.indexOf('e') + 1])).toMatchObject({ key: 'o115' });
    expect(await small.trim('orders')).toEqual([]);
  });
});

function placed(n: number): EventEnvelope {
  return envelope('orders', {
    type: 'order.placed',
    key: `o${n}`,
    payload: {
      orderId: `o${n}`, number: `N${n}`, channel: 'EC', customerId: null, locationId: null,
      customerIdentity: null, placedAt: new Date().toISOString(), total: 100, currencyCode: 'JPY', lines: [],
    },
  });
}

function changed(n: number): EventEnvelope {
  return envelope('inventory', { type: 'stock.changed', key: `l${n}`, payload: { locationId: `l${n}`, levels: [] } });
}
