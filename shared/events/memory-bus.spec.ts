import pino from 'pino';
import { MemoryDeadLetters } from './bus';
import { envelope, type EventEnvelope } from './envelope';
import { IN_PROCESS_BATCH, InProcessEventBus } from './memory-bus';
import { pausingHandler } from '../testkit/pausing-handler';

const logger = pino({ level: 'silent' });

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

function cancelled(n: number): EventEnvelope {
  return envelope('orders', {
    type: 'order.cancelled',
    key: `o${n}`,
    payload: { orderId: `o${n}`, channel: 'EC', customerId: null, cancelledAt: new Date().toISOString(), reason: null, restock: null },
  });
}

describe('InProcessEventBus', () => {
  it('delivers each event once per group; a late group starts where the stream is retained', async () => {
    const bus = new InProcessEventBus();
    const a: string[] = [];
    const b: string[] = [];
    const groupA = bus.consume({ group: 'a', producers: ['orders'], logger, handler: async (es) => void a.push(...es.map((e) => e.key)) });
    await bus.publish([placed(1), placed(2)]);
    const groupB = bus.consume({ group: 'b', producers: ['orders'], logger, handler: async (es) => void b.push(...es.map((e) => e.key)) });
    await bus.publish([placed(3)]);
    await groupA.caughtUp();
    await groupB.caughtUp();
    expect(a).toEqual(['o1', 'o2', 'o3']);
    // A late group gets a suffix of the stream (what was not yet trimmed), in order, without gaps.
    expect(b).toEqual(['o1', 'o2', 'o3'].slice(-b.length));
    expect(b).toContain('o3');
    await bus.close();
  });

  it('hands a group that is behind its events in batches of IN_PROCESS_BATCH', async () => {
    const bus = new InProcessEventBus();
    const sizes: number[] = [];
    const group = bus.consume({ group: 'g', producers: ['orders'], logger, handler: async (es) => void sizes.push(es.length) });
    await bus.publish(Array.from({ length: IN_PROCESS_BATCH + 5 }, (_, i) => placed(i)));
    await group.caughtUp();
    expect(sizes).toEqual([IN_PROCESS_BATCH, 5]);
    await bus.close();
  });

  it('handles an event published while the group is idle, without anyone asking', async () => {
    const bus = new InProcessEventBus();
    const handled: string[] = [];
    bus.consume({ group: 'g', producers: ['orders'], logger, handler: async (es) => void handled.push(...es.map((e) => e.key)) });
    await bus.publish([placed(1)]);
    await new Promise((r) => setTimeout(r, 50));
    expect(handled).toEqual(['o1']);
    await bus.publish([placed(2)]);
    await new Promise((r) => setTimeout(r, 50));
    expect(handled).toEqual(['o1', 'o2']);
    await bus.close();
  });

  it('runs one handler call at a time per group, and is caught up only when the failed event is handled', async () => {
    const bus = new InProcessEventBus();
    const handled: string[] = [];
    let active = 0;
    let maxActive = 0;
    let failuresLeft = 1;
    const consumer = bus.consume({
      group: 'g',
      producers: ['orders'],
      logger,
      handler: async (events) => {
        maxActive = Math.max(maxActive, ++active);
        await new Promise((r) => setTimeout(r, 30));
        active--;
        if (events.some((e) => e.key === 'o1') && failuresLeft > 0) {
          failuresLeft--;
          throw new Error('not yet');
        }
        handled.push(...events.map((e) => e.key));
      },
    });
    await bus.publish([placed(1)]);
    await new Promise((r) => setTimeout(r, 80)); // o1 has failed and waits for its retry
    await bus.publish([placed(2)]);
    await consumer.caughtUp();
    expect(handled.sort()).toEqual(['o1', 'o2']);
    expect(maxActive).toBe(1);
    await bus.close();
  });

  it('keeps nothing of a stream that no group reads', async () => {
    const bus = new InProcessEventBus();
    await bus.publish(Array.from({ length: 1000 }, (_, i) => placed(i)));
    expect(bus.stream('orders').entries).toHaveLength(0);
  });

  it('holds back what comes after a batch its handler paused on, and delivers both in order', async () => {
    const bus = new InProcessEventBus();
    const { handler, handled, pausedOn, resume } = pausingHandler();
    const consumer = bus.consume({ group: 'g', producers: ['orders'], logger, handler });
    await bus.publish([placed(1), placed(2)]);
    await pausedOn;
    // The pause is over before the next event comes: it still waits for the two before it.
    resume();
    await bus.publish([placed(3)]);
    await consumer.caughtUp();
    expect(handled).toEqual(['o1', 'o2', 'o3']);
    await bus.close();
  });

  it('retries a failing event later without losing it or holding back the others', async () => {
    const bus = new InProcessEventBus();
    const handled: string[] = [];
    let failuresLeft = 2;
    const consumer = bus.consume({
      group: 'g',
      producers: ['orders'],
      logger,
      handler: async (events) => {
        if (events.some((e) => e.key === 'o2') && failuresLeft > 0) {
          failuresLeft--;
          throw new Error('depends on something not yet here');
        }
        handled.push(...events.map((e) => e.key));
      },
    });
    await bus.publish([placed(1), placed(2), placed(3)]);
    await consumer.caughtUp();
    expect(handled.sort()).toEqual(['o1', 'o2', 'o3']);
    expect(failuresLeft).toBe(0);
    await bus.close();
  });

  it('dead-letters a malformed entry and a schema-invalid event at once, while the events behind them flow', async () => {
    const bus = new InProcessEventBus();
    const deadLetters = new MemoryDeadLetters();
    const handled: string[] = [];
    const consumer = bus.consume({ group: 'g', producers: ['orders'], logger, deadLetters, handler: async (es) => void handled.push(...es.map((e) => e.key)) });
    const unparseable = { ...placed(2), payload: '{"orderId":' } as unknown as EventEnvelope;
    const invalid = placed(3);
    (invalid.payload as { total: unknown }).total = 'a lot';
    const { handled: done } = await bus.publish([placed(1), unparseable, invalid, placed(4)]);
    await consumer.caughtUp();
    await done;
    expect(handled).toEqual(['o1', 'o4']);
    expect(deadLetters.letters.map((l) => [l.eventId, l.reason, l.deliveries])).toEqual([
      [unparseable.id, 'INVALID', 1],
      [invalid.id, 'INVALID', 1],
    ]);
    expect(deadLetters.letters[1].error).toMatch(/^payload\.total:/);
    expect(JSON.parse(deadLetters.letters[1].raw)).toEqual(invalid);
    await bus.close();
  });

  it('dead-letters an event whose handler fails on every one of maxDeliveries deliveries; the others are handled', async () => {
    const bus = new InProcessEventBus();
    const deadLetters = new MemoryDeadLetters();
    const handled: string[] = [];
    let attempts = 0;
    const consumer = bus.consume({
      group: 'g',
      producers: ['orders'],
      logger,
      deadLetters,
      maxDeliveries: 3,
      handler: async (events) => {
        if (events.some((e) => e.key === 'o2')) {
          attempts++;
          throw new Error('cannot handle o2');
        }
        handled.push(...events.map((e) => e.key));
      },
    });
    const { handled: done } = await bus.publish([placed(1), placed(2), placed(3)]);
    await consumer.caughtUp();
    await done;
    expect(handled.sort()).toEqual(['o1', 'o3']);
    // The first delivery tries the batch, then o2 alone: three deliveries of o2 in all.
    expect(attempts).toBe(4);
    expect(deadLetters.letters).toMatchObject([{ group: 'g', producer: 'orders', type: 'order.placed', reason: 'HANDLER_FAILED', deliveries: 3, error: 'Error: cannot handle o2' }]);
    await bus.close();
  });

  it('counts no delivery while the database does not answer, and delivers once it does', async () => {
    const bus = new InProcessEventBus();
    const deadLetters = new MemoryDeadLetters();
    let databaseUp = false;
    let healthChecks = 0;
    const handled: string[] = [];
    const consumer = bus.consume({
      group: 'g',
      producers: ['orders'],
      logger,
      deadLetters,
      maxDeliveries: 1,
      healthy: async () => (healthChecks++, databaseUp),
      handler: async (events) => {
        if (!databaseUp) throw new Error('connect ECONNREFUSED');
        handled.push(...events.map((e) => e.key));
      },
    });
    await bus.publish([placed(1), placed(2)]);
    // The consumer asked after the failure, and again a second later: it waits, counting nothing.
    while (healthChecks < 2) await new Promise((r) => setTimeout(r, 20));
    expect(await consumer.lag()).toEqual([{ producer: 'orders', lag: 2 }]);
    databaseUp = true;
    await consumer.caughtUp();
    expect(handled).toEqual(['o1', 'o2']);
    expect(deadLetters.letters).toEqual([]);
    await bus.close();
  });

  it('acknowledges the types its handler does not declare, never delivering nor dead-lettering them', async () => {
    const bus = new InProcessEventBus();
    const deadLetters = new MemoryDeadLetters();
    const batches: string[][] = [];
    const consumer = bus.consume({
      group: 'g',
      producers: ['orders'],
      types: ['order.cancelled'],
      logger,
      deadLetters,
      handler: async (events) => void batches.push(events.map((e) => `${e.type} ${e.key}`)),
    });
    // An invalid event of a type the group does not handle is none of its business either.
    const invalid = { ...placed(3), payload: { ...placed(3).payload, total: 'a lot' } } as unknown as EventEnvelope;
    const published = await bus.publish([placed(1), cancelled(2), invalid, placed(4)]);
    await consumer.caughtUp();
    // Every entry done with: the publisher (the outbox relay) is told they were all handled.
    await published.handled;
    expect(batches).toEqual([['order.cancelled o2']]);
    expect(deadLetters.letters).toEqual([]);
    expect(await consumer.lag()).toEqual([{ producer: 'orders', lag: 0 }]);

    // A batch of nothing it handles calls no handler at all.
    const others = await bus.publish([placed(5), placed(6)]);
    await consumer.caughtUp();
    await others.handled;
    expect(batches).toEqual([['order.cancelled o2']]);
    await bus.close();
  });

  it('tells the publisher when every group has handled an event, not before', async () => {
    const bus = new InProcessEventBus();
    const { handler, pausedOn, resume } = pausingHandler();
    const consumer = bus.consume({ group: 'slow', producers: ['orders'], logger, handler });
    bus.consume({ group: 'fast', producers: ['orders'], logger, handler: async () => undefined });
    let handled = false;
    const published = await bus.publish([placed(1)]);
    void published.handled!.then(() => (handled = true));
    await pausedOn;
    await new Promise((r) => setTimeout(r, 50));
    expect(handled).toBe(false);
    expect(await consumer.lag()).toEqual([{ producer: 'orders', lag: 1 }]);
    resume();
    await consumer.caughtUp();
    await published.handled;
    expect(handled).toBe(true);
    expect(await consumer.lag()).toEqual([{ producer: 'orders', lag: 0 }]);
    await bus.close();
  });
});
