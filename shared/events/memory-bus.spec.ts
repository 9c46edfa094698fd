import pino from 'pino';
import { envelope, type EventEnvelope } from './envelope';
import { InProcessEventBus } from './memory-bus';
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
});
