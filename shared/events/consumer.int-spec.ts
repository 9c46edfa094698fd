import fs from 'node:fs';
import pino from 'pino';
import { In } from 'typeorm';
import { Database, dropDatabase } from '../db/database';
import { createRedis } from '../redis';
import { configuredServers, testConfig } from '../testkit';
import type { EventBus, EventConsumer, Published } from './bus';
import { subscribe } from './consumer';
import { DeadLetterStore } from './dead-letters';
import { envelope, type EventEnvelope } from './envelope';
import { InProcessEventBus } from './memory-bus';
import { EVENT_ENTITIES, ProcessedEventRow } from './outbox.entity';
import { RedisStreamsEventBus } from './redis-bus';

// A consumer that declares the types it handles, as the orders service reads the inventory stream for
// `stock.shortage` alone. The database is MySQL when configured, otherwise SQLite; the bus the
// in-process one, and Redis Streams too when REDIS_URL is set.
const logger = pino({ level: 'silent' });
const config = testConfig();

function changed(n: number): EventEnvelope {
  return envelope('inventory', {
    type: 'stock.changed',
    key: `l${n}`,
    payload: { locationId: `l${n}`, levels: [{ variantId: 'v1', productId: 'p1', onHand: n, reserved: 0, available: n }] },
  });
}

function shortage(n: number): EventEnvelope {
  return envelope('inventory', {
    type: 'stock.shortage',
    key: `o${n}`,
    payload: {
      orderId: `o${n}`, reservationId: `r${n}`, locationId: 'l1', recordedAt: new Date().toISOString(),
      lines: [{ variantId: 'v1', productId: 'p1', quantity: 2, short: 1 }],
    },
  });
}

interface BusUnderTest {
  name: string;
  open(): EventBus;
  /** Whether every entry published was acknowledged by the group (none left pending, none unread). */
  acknowledged(published: Published, group: string): Promise<boolean>;
  close(): Promise<void>;
}

const buses: BusUnderTest[] = [
  {
    name: 'in-process',
    open: () => new InProcessEventBus(),
    // The publisher is told once every group is done with each entry (what the outbox relay waits for).
    acknowledged: async (published) => {
      await published.handled;
      return true;
    },
    close: async () => undefined,
  },
];
if (configuredServers().redis) {
  const redis = createRedis(config.redisUrl!, 'test');
  const bus = new RedisStreamsEventBus(redis, config.redisUrl!, config.redisKeyPrefix, 1_000_000);
  buses.push({
    name: 'Redis Streams',
    open: () => bus,
    acknowledged: async (_published, group) => ((await redis.xpending(bus.streamKey('inventory'), group)) as [number, ...unknown[]])[0] === 0,
    async close() {
      const keys = await redis.keys(`${config.redisKeyPrefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    },
  });
}

describe.each(buses)('a consumer that declares the types it handles, on the $name bus', (busUnderTest) => {
  let db: Database;
  let bus: EventBus;
  let consumer: EventConsumer;
  const handled: string[] = [];
  const group = `types-${busUnderTest.name.replace(/\W/g, '')}`;

  beforeAll(async () => {
    db = await Database.open({ service: 'orders', entities: EVENT_ENTITIES, migrations: [], config, logger });
    if (db.kind === 'mysql') await db.dataSource.synchronize();
    bus = busUnderTest.open();
    consumer = subscribe({
      bus,
      db,
      group,
      producers: ['inventory'],
      types: ['stock.shortage'],
      logger,
      maxDeliveries: 5,
      handle: async (_manager, events) => void handled.push(...events.map((e) => `${e.type} ${e.key}`)),
    });
  });
  afterAll(async () => {
    await consumer.stop();
    await bus.close();
    await busUnderTest.close();
    await db.close();
    await dropDatabase(config, 'orders');
    fs.rmSync(config.dataDir, { recursive: true, force: true });
  });

  const records = (events: EventEnvelope[]) =>
    db.manager.getRepository(ProcessedEventRow).find({ select: { eventId: true, type: true }, where: { eventId: In(events.map((e) => e.id)) } });

  it('acknowledges a batch of other types with no transaction and no record of them', async () => {
    const transactions = jest.spyOn(db, 'transaction');
    const others = [changed(1), changed(2), changed(3)];
    const published = await bus.publish(others);
    await consumer.caughtUp();
    expect(handled).toEqual([]);
    expect(transactions).not.toHaveBeenCalled();
    expect(await records(others)).toEqual([]);
    expect(await consumer.lag()).toEqual([{ producer: 'inventory', lag: 0 }]);
    expect(await busUnderTest.acknowledged(published, group)).toBe(true);
    transactions.mockRestore();
  });

  it('handles and records its own types among others, and acknowledges them all', async () => {
    const batch = [changed(4), shortage(5), changed(6), shortage(7)];
    const published = await bus.publish(batch);
    await consumer.caughtUp();
    expect(handled).toEqual(['stock.shortage o5', 'stock.shortage o7']);
    expect((await records(batch)).sort((a, b) => a.eventId.localeCompare(b.eventId))).toEqual(
      [batch[1], batch[3]].map((e) => ({ eventId: e.id, type: 'stock.shortage' })).sort((a, b) => a.eventId.localeCompare(b.eventId)),
    );
    expect(await consumer.lag()).toEqual([{ producer: 'inventory', lag: 0 }]);
    expect(await busUnderTest.acknowledged(published, group)).toBe(true);
  });

  it('dead-letters nothing of a type it does not handle, even an invalid one', async () => {
    const invalid = { ...changed(8), payload: { locationId: 'l8', levels: 'many' } } as unknown as EventEnvelope;
    const published = await bus.publish([invalid, shortage(9)]);
    await consumer.caughtUp();
    expect(handled).toEqual(['stock.shortage o5', 'stock.shortage o7', 'stock.shortage o9']);
    expect(await new DeadLetterStore(db).count()).toBe(0);
    expect(await busUnderTest.acknowledged(published, group)).toBe(true);
  });
});
