import fs from 'node:fs';
import type Redis from 'ioredis';
import pino from 'pino';
import { IsNull } from 'typeorm';
import { Database, dropDatabase } from '../db/database';
import { Platform } from '../platform';
import * as redisModule from '../redis';
import { testConfig } from '../testkit';
import { redisServerInstalled, startPrivateRedis, type PrivateRedis } from '../testkit/private-redis';
import type { EventBus, EventConsumer, Published } from './bus';
import { subscribe } from './consumer';
import { envelope } from './envelope';
import { Outbox, OutboxRelay } from './outbox';
import { EVENT_ENTITIES, OutboxEventRow } from './outbox.entity';
import { RedisStreamsEventBus } from './redis-bus';

// A SIGTERM'd service stops its consumer, its relay and the platform while Redis is down or does not
// answer: each stop must settle without Redis (a private redis-server, never the shared one). The
// database is MySQL when configured, otherwise SQLite.
const withRedisServer = redisServerInstalled() ? describe : describe.skip;
const logger = pino({ level: 'silent' });
/** A stop that waits for Redis fails the test here, rather than hanging the run. */
const STOP_TEST_MS = 30_000;

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((r) => setTimeout(r, 10));
}

function registered(n: number) {
  return { type: 'customer.registered' as const, key: `c${n}`, payload: { customerId: `c${n}`, channel: 'EC' as const } };
}

/** Every promise a method returned, and which of them have not settled. */
function calls<T extends object, K extends keyof T>(target: T, method: K) {
  const original = (target[method] as (...args: unknown[]) => Promise<unknown>).bind(target);
  const made: Array<Promise<unknown>> = [];
  const pending = new Set<Promise<unknown>>();
  jest.spyOn(target, method as never).mockImplementation(((...args: unknown[]) => {
    const promise = original(...args);
    made.push(promise);
    pending.add(promise);
    promise.then(
      () => pending.delete(promise),
      () => pending.delete(promise),
    );
    return promise;
  }) as never);
  return { made, pending };
}

withRedisServer('stopping while Redis is down', () => {
  let server: PrivateRedis;
  let db: Database;
  const config = testConfig();
  const outbox = new Outbox('customers');
  /** Connections the bus opened (createRedis), by connection name. */
  const connections: Redis[] = [];
  const cleanup: Array<() => Promise<unknown> | unknown> = [];

  beforeAll(async () => {
    server = await startPrivateRedis();
    db = await Database.open({ service: 'customers', entities: EVENT_ENTITIES, migrations: [], config, logger });
    if (db.kind === 'mysql') await db.dataSource.synchronize();
    const create = redisModule.createRedis;
    jest.spyOn(redisModule, 'createRedis').mockImplementation((url, name) => {
      const connection = create(url, name);
      connections.push(connection);
      return connection;
    });
  });
  beforeEach(async () => {
    await server.start();
    await db.transaction((m) => m.query('DELETE FROM outbox_event'));
  });
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    for (const connection of connections) redisModule.disconnectRedis(connection);
    await db.close();
    await dropDatabase(config, 'customers');
    fs.rmSync(config.dataDir, { recursive: true, force: true });
    await server.stop();
  });

  const connectionNamed = (name: string) => connections.filter((c) => c.options.connectionName === name).at(-1)!;
  const add = (...ns: number[]) => db.transaction((m) => outbox.add(m, ns.map(registered)));
  const unpublished = () => db.manager.getRepository(OutboxEventRow).countBy({ publishedAt: IsNull() });

  /** A service's relay and consumer (of its own stream) on a platform of the private Redis. */
  function service() {
    const platform = Platform.create(testConfig({ REDIS_URL: server.url, LOG_LEVEL: 'silent' }));
    const handled: string[] = [];
    const consumer = subscribe({
      bus: platform.bus,
      db,
      group: 'stopping-service',
      producers: ['customers'],
      logger,
      maxDeliveries: 5,
      handle: async (_manager, events) => void handled.push(...events.map((e) => e.key)),
    });
    const relay = new OutboxRelay(db, platform.bus, 'customers', logger, { pollMs: 50 });
    relay.start();
    // Only if the test failed before stopping them: a second stop changes nothing.
    cleanup.push(() => relay.stop(), () => consumer.stop(), () => platform.close());
    return { platform, consumer, relay, handled, publishes: calls(platform.bus as EventBus, 'publish') };
  }

  it(
    'a consumer stops though the read it blocks in waits for Redis to come back, and reads nothing after',
    async () => {
      const redis = redisModule.createRedis(server.url, 'bus');
      const bus = new RedisStreamsEventBus(redis, server.url, `${config.redisKeyPrefix}down:`, 1_000_000);
      cleanup.push(() => bus.close(), () => redisModule.disconnectRedis(redis));
      const consume = (handled: string[]): EventConsumer =>
        bus.consume({ group: 'stopping', producers: ['customers'], logger, handler: async (events) => void handled.push(...events.map((e) => e.key)) });
      const handled: string[] = [];
      const consumer = consume(handled);
      await bus.publish([envelope('customers', registered(1))]);
      await consumer.caughtUp();
      const blocking = connectionNamed('consumer:stopping');
      const reads = calls(blocking, 'xreadgroup');
      await until(() => reads.pending.size > 0);

      await server.stop();
      // ioredis waits to reconnect, the read in flight held for Redis's return: disconnect() alone left it unsettled.
      await until(() => blocking.status === 'reconnecting');
      await consumer.stop();
      expect(blocking.status).toBe('reconnecting');
      await expect(reads.made.at(-1)).rejects.toThrow('Connection is closed');
      expect(reads.pending.size).toBe(0);

      // Redis back: the group's events go to a live consumer, none to the stopped one.
      await server.start();
      const after: string[] = [];
      const replacement = consume(after);
      cleanup.push(() => replacement.stop());
      await bus.publish([envelope('customers', registered(2))]);
      await until(() => after.includes('c2'));
      expect(handled).toEqual(['c1']);
    },
    STOP_TEST_MS,
  );

  it(
    "a service's relay, consumer and platform stop while Redis is down; the events wait in the outbox",
    async () => {
      const { platform, consumer, relay, handled, publishes } = service();
      await add(1);
      await until(() => handled.includes('c1'));
      // The relay's first run, its maintenance too, is over: what waits below is the publish of c2 and c3.
      await relay.drain();
      const blocking = connectionNamed('consumer:stopping-service');
      const reads = calls(blocking, 'xreadgroup');
      await until(() => reads.pending.size > 0);

      await server.stop();
      await until(() => blocking.status === 'reconnecting' && connectionNamed('bus').status === 'reconnecting');
      await add(2, 3);
      // The relay's publish waits in the bus connection's queue for Redis's return.
      await until(() => publishes.pending.size > 0);
      await relay.stop();
      await consumer.stop();
      await platform.close();

      expect(await unpublished()).toBe(2);
      // Given up on, then failed with the closed connection rather than left unsettled.
      await expect(publishes.made.at(-1) as Promise<Published>).rejects.toThrow();
      expect(publishes.pending.size).toBe(0);
      expect(handled).toEqual(['c1']);
    },
    STOP_TEST_MS,
  );

  it(
    'nor do they wait for a Redis that takes commands and never answers',
    async () => {
      const { platform, consumer, relay, handled, publishes } = service();
      await add(4);
      await until(() => handled.includes('c4'));
      // The relay's first run is over, its maintenance too (which talks to Redis): what waits below is
      // the publish of c5, not a trim the pause caught on a loaded machine.
      await relay.drain();

      // Every client's commands wait (CLIENT UNPAUSE included) until the server is killed after the test.
      await platform.redis!.call('CLIENT', 'PAUSE', String(10 * STOP_TEST_MS), 'ALL');
      cleanup.push(() => server.stop());
      await add(5);
      await until(() => publishes.pending.size > 0);
      await relay.stop();
      await consumer.stop();
      await platform.close();

      expect(await unpublished()).toBe(1);
      expect(handled).toEqual(['c4']);
    },
    STOP_TEST_MS,
  );
});
