import pino from 'pino';
import { createRedis } from '../redis';
import { configuredServers, testConfig } from '../testkit';
import type { EventConsumer } from './bus';
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
});
