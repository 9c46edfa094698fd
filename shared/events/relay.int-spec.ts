import fs from 'node:fs';
import pino from 'pino';
import { IsNull, Not } from 'typeorm';
import { Database, dropDatabase } from '../db/database';
import { configuredServers, testConfig } from '../testkit';
import { pausingHandler } from '../testkit/pausing-handler';
import type { EventBus, EventConsumer, Published } from './bus';
import { idempotentHandler } from './consumer';
import type { EventEnvelope } from './envelope';
import { InProcessEventBus } from './memory-bus';
import { DAY_MS, markForReplay, Outbox, OutboxRelay, pruneEventTables } from './outbox';
import { EVENT_ENTITIES, OutboxEventRow, ProcessedEventRow } from './outbox.entity';

const logger = pino({ level: 'silent' });
const config = testConfig();
const onMysql = configuredServers().mysql ? it : it.skip;

function registered(n: number) {
  return { type: 'customer.registered' as const, key: `c${n}`, payload: { customerId: `c${n}`, channel: 'EC' as const } };
}

function openDb(): Promise<Database> {
  return Database.open({ service: 'customers', entities: EVENT_ENTITIES, migrations: [], config, logger });
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((r) => setTimeout(r, 20));
}

/** A bus that records what it was given, slowly enough for two relays to overlap (or as slowly as told). */
class RecordingBus implements EventBus {
  readonly published: EventEnvelope[] = [];
  publishing = 0;
  constructor(private readonly delayMs = 5) {}
  async publish(events: EventEnvelope[]): Promise<Published> {
    this.publishing++;
    await new Promise((r) => setTimeout(r, this.delayMs));
    this.published.push(...events);
    return {};
  }
  consume(): EventConsumer {
    throw new Error('not consumed');
  }
  async close(): Promise<void> {}
}

// Runs on MySQL when configured, otherwise on SQLite; the buses are the in-process one or a recorder.
describe('outbox relay', () => {
  let db: Database;
  const outbox = new Outbox('customers');
  const rows = () => db.manager.getRepository(OutboxEventRow);

  beforeAll(async () => {
    db = await openDb();
    if (db.kind === 'mysql') await db.dataSource.synchronize();
  });
  beforeEach(async () => {
    await db.transaction(async (m) => {
      await m.getRepository(OutboxEventRow).clear();
      await m.getRepository(ProcessedEventRow).clear();
    });
  });
  afterAll(async () => {
    await db.close();
    await dropDatabase(config, 'customers');
    fs.rmSync(config.dataDir, { recursive: true, force: true });
  });

  it('embedded: marks a row published only once every consumer handled it, so a process killed before loses nothing', async () => {
    await db.transaction((m) => outbox.add(m, [registered(1), registered(2), registered(3)]));
    const before = new InProcessEventBus();
    const stuck = pausingHandler();
    before.consume({ group: 'customers-test', producers: ['customers'], logger, handler: stuck.handler });
    await new OutboxRelay(db, before, 'customers', logger).drain();
    await stuck.pausedOn;
    // Handed to the consumer in memory, not handled: not published.
    expect(await rows().countBy({ publishedAt: IsNull(), dispatchedAt: Not(IsNull()) })).toBe(3);

    // kill -9: the memory goes, the database stays. The next process hands the rows over again.
    const after = new InProcessEventBus();
    const handled: string[] = [];
    const consumer = after.consume({
      group: 'customers-test',
      producers: ['customers'],
      logger,
      handler: idempotentHandler(db, async (_m, events) => void handled.push(...events.map((e) => e.key))),
    });
    const relay = new OutboxRelay(db, after, 'customers', logger);
    await relay.drain();
    await consumer.caughtUp();
    expect(handled).toEqual(['c1', 'c2', 'c3']);
    await until(async () => (await rows().countBy({ publishedAt: Not(IsNull()) })) === 3);
    await relay.stop();
    await after.close();
    await before.close();
  });

  it('is woken by a commit that wrote events, and by no other', async () => {
    const bus = new RecordingBus();
    // Polling once a minute: within the test only a commit's wake-up can publish.
    const relay = new OutboxRelay(db, bus, 'customers', logger, { pollMs: 60_000 });
    relay.start();
    try {
      await relay.drain();
      const idle = db.statements.count;
      await db.transaction((m) => m.getRepository(ProcessedEventRow).insert({ eventId: 'not-an-event', type: 'customer.registered', processedAt: new Date() }));
      await new Promise((r) => setTimeout(r, 100));
      // The insert, and BEGIN and COMMIT where they are statements of their own: no relay read.
      expect(db.statements.count - idle).toBeLessThanOrEqual(3);
      await db.transaction((m) => outbox.add(m, [registered(1)]));
      await until(async () => bus.published.length === 1);
    } finally {
      await relay.stop();
    }
  });

  it('lets a publish under way finish at stop, so its rows are not published again; gives up on one the bus never answers', async () => {
    await db.transaction((m) => outbox.add(m, [registered(1), registered(2)]));
    const slow = new RecordingBus(300);
    const relay = new OutboxRelay(db, slow, 'customers', logger, { pollMs: 60_000 });
    relay.start();
    await until(async () => slow.publishing === 1);
    await relay.stop();
    expect(slow.published.map((e) => e.key)).toEqual(['c1', 'c2']);
    expect(await rows().countBy({ publishedAt: IsNull() })).toBe(0);

    await db.transaction((m) => outbox.add(m, [registered(3)]));
    const silent = new RecordingBus(60_000);
    const stuck = new OutboxRelay(db, silent, 'customers', logger, { pollMs: 60_000 });
    stuck.start();
    await until(async () => silent.publishing === 1);
    const stopping = Date.now();
    await stuck.stop();
    // Given up on after the grace: the row waits for the next relay.
    expect(Date.now() - stopping).toBeGreaterThanOrEqual(1900);
    expect(Date.now() - stopping).toBeLessThan(10_000);
    expect(await rows().countBy({ publishedAt: IsNull() })).toBe(1);
  });

  onMysql('relays of replicas on one MySQL database publish each row once, in order', async () => {
    const others = [await openDb(), await openDb()];
    try {
      for (let i = 0; i < 12; i++) await db.transaction((m) => outbox.add(m, Array.from({ length: 50 }, (_, j) => registered(i * 50 + j))));
      const bus = new RecordingBus();
      const relays = [db, ...others].map((replica) => new OutboxRelay(replica, bus, 'customers', logger, { batchSize: 40 }));
      // A relay that finds older rows locked by another ends its run: run them all until nothing is left.
      while (await rows().countBy({ publishedAt: IsNull() })) await Promise.all(relays.map((r) => r.drain()));
      const expected = (await rows().find({ order: { seq: 'ASC' } })).map((r) => r.id);
      expect(bus.published.map((e) => e.id)).toEqual(expected);
      expect(expected).toHaveLength(600);
    } finally {
      for (const other of others) await other.close();
    }
  });

  it('prunes published rows after the retention, handled-event records after twice the retention, never what is unpublished', async () => {
    await db.transaction((m) => outbox.add(m, [registered(1), registered(2), registered(3)]));
    const [old, recent] = await rows().find({ order: { seq: 'ASC' } });
    const now = Date.now();
    await db.transaction(async (m) => {
      await m.getRepository(OutboxEventRow).update({ seq: old.seq }, { publishedAt: new Date(now - 8 * DAY_MS) });
      await m.getRepository(OutboxEventRow).update({ seq: recent.seq }, { publishedAt: new Date(now - 6 * DAY_MS) });
      await m.getRepository(ProcessedEventRow).insert([
        { eventId: 'handled-15-days-ago', type: 't', processedAt: new Date(now - 15 * DAY_MS) },
        { eventId: 'handled-13-days-ago', type: 't', processedAt: new Date(now - 13 * DAY_MS) },
      ]);
    });
    expect(await pruneEventTables(db, 7 * DAY_MS, now)).toEqual({ outbox: 1, processed: 1 });
    expect((await rows().find({ order: { seq: 'ASC' } })).map((r) => r.key)).toEqual(['c2', 'c3']);
    expect((await db.manager.getRepository(ProcessedEventRow).find()).map((r) => r.eventId)).toEqual(['handled-13-days-ago']);
  });

  it('replays what was published since a time: consumers skip what they handled and handle what they had lost', async () => {
    const bus = new InProcessEventBus();
    const relay = new OutboxRelay(db, bus, 'customers', logger);
    const handled: string[] = [];
    let calls = 0;
    const handler = idempotentHandler(db, async (_m, events) => {
      calls++;
      handled.push(...events.map((e) => e.key));
    });
    // Published while nobody consumed (as if Redis lost them before the group read them).
    await db.transaction((m) => outbox.add(m, [registered(1)]));
    await relay.drain();
    await until(async () => (await rows().countBy({ publishedAt: Not(IsNull()) })) === 1);
    const consumer = bus.consume({ group: 'customers-test', producers: ['customers'], logger, handler });
    await db.transaction((m) => outbox.add(m, [registered(2)]));
    await relay.drain();
    await consumer.caughtUp();
    expect(handled).toEqual(['c2']);
    await until(async () => (await rows().countBy({ publishedAt: IsNull() })) === 0);

    expect(await markForReplay(db, new Date(Date.now() - 60_000))).toBe(2);
    await relay.drain();
    await consumer.caughtUp();
    expect(handled).toEqual(['c2', 'c1']);
    expect(calls).toBe(2);
    await relay.stop();
    await bus.close();
  });

  it('handles an erasure again when it is delivered again, and nothing else', async () => {
    const seen: string[] = [];
    const handler = idempotentHandler(db, async (_m, events) => void seen.push(...events.map((e) => e.type)));
    const [linked, erased] = [
      { id: 'e-linked', type: 'customer.identity_linked', payload: { customerId: 'c1', identityType: 'EMAIL', identityValue: 'a@b.c' } },
      { id: 'e-erased', type: 'customer.erased', payload: { customerId: 'c1', erasedIds: ['c1'], erasedAt: new Date().toISOString() } },
    ].map((e) => ({ ...e, version: 1, occurredAt: new Date().toISOString(), producer: 'customers', key: 'c1' }) as EventEnvelope);
    await handler([linked, erased]);
    await handler([linked, erased]);
    expect(seen).toEqual(['customer.identity_linked', 'customer.erased', 'customer.erased']);
  });
});
