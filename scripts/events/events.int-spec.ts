import { randomUUID } from 'node:crypto';
import { In, IsNull } from 'typeorm';
import type { Principal } from '../../shared/auth/principal';
import { envelope, type EventEnvelope } from '../../shared/events/envelope';
import { DeadLetterStore } from '../../shared/events/dead-letters';
import { DeadLetterEventRow, OutboxEventRow, ProcessedEventRow } from '../../shared/events/outbox.entity';
import { Channel } from '../../shared/graphql/channel';
import { testConfig } from '../../shared/testkit';
import { openTestSubgraph } from '../../shared/testkit/subgraph';
import { OrderFact } from '../../subgraphs/customers/src/segment/segment.entity';
import { SUBGRAPHS } from '../subgraphs';
import { deadLetters } from './dead-letters';
import { replay } from './replay';

const SUPPORT: Principal = { kind: 'STAFF', staffId: 'agent-1', role: 'SUPPORT' };

function placed(orderId = randomUUID()): EventEnvelope<'order.placed'> {
  return envelope('orders', {
    type: 'order.placed',
    key: orderId,
    payload: {
      orderId, number: orderId.slice(0, 8), channel: 'EC', customerId: null, customerIdentity: null, locationId: null,
      placedAt: new Date().toISOString(), total: 1000, currencyCode: 'JPY', lines: [],
    },
  });
}

// Dead-lettering logs an error, as it should: silent here.
const openCustomers = () => openTestSubgraph(SUBGRAPHS.customers, testConfig({ LOG_LEVEL: 'silent' }));

async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((r) => setTimeout(r, 50));
}

// The customers service as it runs (its consumer of orders' events, its outbox, its metrics), on the
// embedded default or on MySQL + Redis when configured; the commands as an operator runs them.
describe('events of a running service, and the events commands', () => {
  let test: Awaited<ReturnType<typeof openCustomers>>;
  const lines: string[] = [];
  const print = (line: string) => void lines.push(line);
  const orderFacts = (ids: string[]) => test.subgraph.db.manager.getRepository(OrderFact).countBy({ orderId: In(ids) });
  const letters = () => test.subgraph.db.manager.getRepository(DeadLetterEventRow).find({ order: { deadAt: 'ASC' } });

  beforeAll(async () => {
    test = await openCustomers();
  });
  afterAll(() => test.close());
  beforeEach(() => void (lines.length = 0));

  it('dead-letters a poison event in the service database while the events behind it flow; metrics say so', async () => {
    const poison = placed();
    (poison.payload as { total: unknown }).total = '1,000円';
    const behind = [placed(), placed()];
    await test.platform.bus.publish([placed(), poison, ...behind]);
    await test.subgraph.consumer!.caughtUp();
    expect(await orderFacts(behind.map((e) => e.payload.orderId))).toBe(2);
    expect(await orderFacts([poison.payload.orderId])).toBe(0);
    expect(await letters()).toMatchObject([{ consumerGroup: 'customers', producer: 'orders', eventId: poison.id, eventType: 'order.placed', reason: 'INVALID', deliveries: 1 }]);

    const { url } = await test.subgraph.listen(0);
    const metrics = await (await fetch(`${url.replace(/\/graphql$/, '')}/metrics`)).text();
    expect(metrics).toContain('events_dead_lettered_total{group="customers",stream="orders",reason="INVALID",service="customers"} 1');
    expect(metrics).toContain('events_consumer_lag{group="customers",stream="orders",service="customers"} 0');
    expect(metrics).toContain('events_dead_letters{group="customers",service="customers"} 1');
    await test.subgraph.stopServing();
  });

  it('lists dead letters; a retry delivers one through the running consumer; a drop forgets one for good', async () => {
    const [poison] = await letters();
    // As if the handler had failed on this event until a fix was deployed.
    const fixed = placed();
    await new DeadLetterStore(test.subgraph.db).add({
      group: 'customers', producer: 'orders', entryId: '1-0', eventId: fixed.id, type: fixed.type, reason: 'HANDLER_FAILED',
      error: 'Error: it failed', raw: JSON.stringify(fixed), deliveries: 5,
    });
    const [, retried] = await letters();

    expect(await deadLetters(['list', '--service', 'customers'], test.config, print)).toBe(2);
    expect(lines.join('\n')).toContain(`${poison.id}  customers`);
    expect(lines.join('\n')).toContain(`HANDLER_FAILED after 5 deliveries  order.placed ${fixed.id}`);

    expect(await deadLetters(['retry', retried.id, '--service', 'customers'], test.config, print)).toBe(1);
    await until(async () => (await orderFacts([fixed.payload.orderId])) === 1);
    await until(async () => (await letters()).length === 1);

    // A retry of what still fails the schema keeps it, one delivery more.
    await deadLetters(['retry', '--service', 'customers'], test.config, print);
    await until(async () => (await letters())[0].deliveries === 2);
    expect((await letters())[0]).toMatchObject({ id: poison.id, reason: 'INVALID', retryRequestedAt: null });

    expect(await deadLetters(['drop', poison.id, '--service', 'customers'], test.config, print)).toBe(1);
    expect(await letters()).toEqual([]);
    // Its event counts as handled: a replay does not bring it back.
    expect(await test.subgraph.db.manager.getRepository(ProcessedEventRow).countBy({ eventId: poison.eventId! })).toBe(1);
    await expect(deadLetters(['drop', '--service', 'customers'], test.config, print)).rejects.toThrow(/usage/);
  });

  it("replays a service's published events, and refuses a time that is not one", async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    test.subgraph.startRelay();
    await test.subgraph.domain.customers.register(SUPPORT, { displayName: 'Replayed', channel: Channel.EC, identities: [] });
    await test.subgraph.flushOutbox();
    await until(async () => (await test.subgraph.db.manager.getRepository(OutboxEventRow).countBy({ publishedAt: IsNull() })) === 0);
    expect(await replay(['--since', since, '--service', 'customers'], test.config, print)).toBe(1);
    expect(lines[0]).toMatch(/^customers: 1 events published since .* marked for publishing again$/);
    await test.subgraph.flushOutbox();
    await expect(replay(['--since', 'last tuesday'], test.config, print)).rejects.toThrow(/ISO 8601/);
    await expect(replay(['--since', since, '--service', 'gateway'], test.config, print)).rejects.toThrow(/--service must be one of/);
  });
});
