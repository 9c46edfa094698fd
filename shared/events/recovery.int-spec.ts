import fs from 'node:fs';
import pino from 'pino';
import { IsNull } from 'typeorm';
import { Database, dropDatabase } from '../db/database';
import { createRedis } from '../redis';
import { testConfig } from '../testkit';
import { redisServerInstalled, startPrivateRedis, type PrivateRedis } from '../testkit/private-redis';
import type { EventConsumer } from './bus';
import { subscribe } from './consumer';
import { EventMetrics } from './metrics';
import { markForReplay, Outbox, OutboxRelay } from './outbox';
import { EVENT_ENTITIES, OutboxEventRow } from './outbox.entity';
import { RedisStreamsEventBus } from './redis-bus';

// Redis stopped, flushed and started again: a private redis-server of this test's own, never the
// shared one. The database is MySQL when configured, otherwise SQLite.
const withRedisServer = redisServerInstalled() ? describe : describe.skip;

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((r) => setTimeout(r, 20));
}

function registered(n: number) {
  return { type: 'customer.registered' as const, key: `c${n}`, payload: { customerId: `c${n}`, channel: 'EC' as const } };
}

withRedisServer('events across a Redis that fails', () => {
  let redisServer: PrivateRedis;
  let db: Database;
  const config = testConfig();
  const outbox = new Outbox('customers');
  const logs: Array<{ level: number; code?: string; msg: string }> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    redisServer = await startPrivateRedis();
    db = await Database.open({ service: 'customers', entities: EVENT_ENTITIES, migrations: [], config, logger: pino({ level: 'silent' }) });
    if (db.kind === 'mysql') await db.dataSource.synchronize();
  });
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });
  afterAll(async () => {
    await db.close();
    await dropDatabase(config, 'customers');
    fs.rmSync(config.dataDir, { recursive: true, force: true });
    await redisServer.stop();
  });

  /** A relay and a consumer of the customers stream on the private Redis, as a service runs them. */
  function start(prefix: string) {
    const redis = createRedis(redisServer.url, 'test');
    const bus = new RedisStreamsEventBus(redis, redisServer.url, prefix, 1_000_000, { claimIdleMs: 200, claimEveryMs: 100 });
    const handled: string[] = [];
    /** While `lost` is set, the handler holds what it is given until `release`, then fails it: Redis lost it meanwhile. */
    const control = { lost: false, held: undefined as Promise<void> | undefined, release: () => undefined as void, holding: () => undefined as void };
    const metrics = new EventMetrics('orders-test');
    const consumer: EventConsumer = subscribe({
      bus,
      db,
      group: 'orders-test',
      producers: ['customers'],
      logger,
      maxDeliveries: 5,
      metrics,
      handle: async (_manager, events) => {
        if (control.lost) {
          control.holding();
          await control.held;
          throw new Error('lost with Redis');
        }
        handled.push(...events.map((e) => e.key));
      },
    });
    const relay = new OutboxRelay(db, bus, 'customers', logger, { pollMs: 100 });
    relay.start();
    stop = async () => {
      await relay.stop();
      await consumer.stop();
      await bus.close();
      redis.disconnect();
    };
    return { redis, bus, handled, control, consumer, relay, metrics };
  }

  const add = (...ns: number[]) => db.transaction((m) => outbox.add(m, ns.map(registered)));
  const unpublished = () => db.manager.getRepository(OutboxEventRow).countBy({ publishedAt: IsNull() });

  it('after a FLUSHALL the consumer recreates its group without a restart, and a replay converges', async () => {
    const since = new Date(Date.now() - 1000);
    const { redis, handled, control, metrics } = start('flush:');
    await add(1, 2);
    await until(() => handled.length === 2);
    // Published and read, not yet handled when Redis loses them.
    control.lost = true;
    control.held = new Promise((resolve) => (control.release = resolve));
    const holding = new Promise<void>((resolve) => (control.holding = resolve));
    await add(3, 4);
    await holding;
    await redis.flushall();
    control.release();
    await until(async () => (await metrics.groupsRecreated.get()).values.length > 0);
    control.lost = false;
    await add(5);
    await until(() => handled.includes('c5'));
    expect(handled).toEqual(['c1', 'c2', 'c5']);
    expect((await metrics.groupsRecreated.get()).values).toEqual([{ labels: { group: 'orders-test', stream: 'customers' }, value: 1 }]);

    expect(await markForReplay(db, since)).toBe(5);
    await until(() => handled.length === 5);
    // Each event handled once: what was handled is skipped, what Redis lost is handled now.
    expect(handled).toEqual(['c1', 'c2', 'c5', 'c3', 'c4']);
    await until(async () => (await unpublished()) === 0);
    expect(handled).toHaveLength(5);
  });

  it('while Redis is down events wait in the outbox (one error logged), and flow when it comes back empty', async () => {
    const { handled, consumer } = start('outage:');
    await add(11);
    await until(() => handled.includes('c11'));
    logs.length = 0;
    await redisServer.stop();
    await add(12, 13);
    // The relay keeps trying: the rows wait, and the failure is logged once (later attempts at debug level).
    await until(() => logs.filter((l) => l.code === 'OUTBOX_RELAY_FAILING').length >= 2);
    expect(await unpublished()).toBe(2);
    const [first, ...later] = logs.filter((l) => l.code === 'OUTBOX_RELAY_FAILING').map((l) => l.level);
    expect([first, new Set(later)]).toEqual([50, new Set([20])]);
    await redisServer.start();
    await until(() => handled.includes('c13'));

    expect(handled).toEqual(['c11', 'c12', 'c13']);
    // One error each (anything else shows its message here), then debug lines only; and a line when it is over.
    expect(logs.filter((l) => l.level >= 50).map((l) => l.code ?? l.msg).sort()).toEqual(['EVENT_READ_FAILING', 'OUTBOX_RELAY_FAILING']);
    expect(logs.filter((l) => l.code === 'OUTBOX_RELAY_FAILING_OVER')).toHaveLength(1);
    await consumer.caughtUp();
    expect(await unpublished()).toBe(0);
  });
});
