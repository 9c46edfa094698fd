import fs from 'node:fs';
import pino from 'pino';
import { IsNull, Not } from 'typeorm';
import { Database, dropDatabase } from '../db/database';
import { Platform } from '../platform';
import { testConfig } from '../testkit';
import { idempotentHandler } from './consumer';
import type { EventEnvelope } from './envelope';
import { Outbox, OutboxRelay } from './outbox';
import { EVENT_ENTITIES, OutboxEventRow } from './outbox.entity';

const logger = pino({ level: 'silent' });
const config = testConfig();

function event(n: number) {
  return {
    type: 'customer.registered' as const,
    key: `c${n}`,
    payload: { customerId: `c${n}`, channel: 'EC' as const },
  };
}

// Runs on MySQL + Redis Streams when configured, otherwise on SQLite + the in-process bus.
describe('transactional outbox and idempotent consumer', () => {
  let db: Database;
  let platform: Platform;

  beforeAll(async () => {
    db = await Database.open({ service: 'customers', entities: EVENT_ENTITIES, migrations: [], config, logger });
    if (db.kind === 'mysql') await db.dataSource.synchronize();
    platform = Platform.create(config);
  });
  afterAll(async () => {
    await platform.close();
    await db.close();
    await dropDatabase(config, 'customers');
    fs.rmSync(config.dataDir, { recursive: true, force: true });
  });

  it('publishes events committed with their change, never those of a rolled-back transaction, each handled once', async () => {
    const outbox = new Outbox('customers');
    const received: EventEnvelope[] = [];
    let handlerCalls = 0;
    const consumer = platform.bus.consume({
      group: 'outbox-test',
      producers: ['customers'],
      logger,
      handler: idempotentHandler(db, async (_manager, events) => {
        handlerCalls++;
        received.push(...events);
      }),
    });

    await db.transaction((m) => outbox.add(m, [event(1), event(2)]));
    await expect(
      db.transaction(async (m) => {
        await outbox.add(m, [event(3)]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await db.manager.getRepository(OutboxEventRow).count()).toBe(2);

    // The relay is not running: as after a crash between commit and publish, the events wait.
    const relay = new OutboxRelay(db, platform.bus, 'customers', logger);
    await relay.drain();
    await consumer.caughtUp();
    expect(received.map((e) => e.key)).toEqual(['c1', 'c2']);
    expect(received[0]).toMatchObject({ type: 'customer.registered', version: 1, producer: 'customers', payload: { customerId: 'c1' } });

    // A redelivery (a relay that crashed before marking rows published) is skipped by the consumer.
    const callsBefore = handlerCalls;
    await platform.bus.publish(received);
    await consumer.caughtUp();
    expect(received).toHaveLength(2);
    expect(handlerCalls).toBe(callsBefore);

    // Both rows are marked published: nothing is left for the next relay run.
    expect(await db.manager.getRepository(OutboxEventRow).countBy({ publishedAt: IsNull() })).toBe(0);
    expect(await db.manager.getRepository(OutboxEventRow).countBy({ publishedAt: Not(IsNull()) })).toBe(2);
    await consumer.stop();
  });

  it('never publishes the event of a transaction that is still open, or that rolls back', async () => {
    const outbox = new Outbox('customers');
    const received: string[] = [];
    const consumer = platform.bus.consume({
      group: 'outbox-test-2',
      producers: ['customers'],
      logger,
      handler: async (events) => void received.push(...events.map((e) => e.key)),
    });
    let finish!: () => void;
    const open = db.transaction(async (manager) => {
      await outbox.add(manager, [event(9)]);
      await new Promise<void>((resolve) => (finish = resolve));
      throw new Error('the change failed');
    });
    await new Promise((r) => setTimeout(r, 20));
    // The relay runs while the transaction holds its outbox row, uncommitted.
    const draining = new OutboxRelay(db, platform.bus, 'customers', logger).drain();
    await new Promise((r) => setTimeout(r, 20));
    finish();
    await expect(open).rejects.toThrow('the change failed');
    await draining;
    await consumer.caughtUp();
    expect(received).not.toContain('c9');
    await consumer.stop();
  });
});
