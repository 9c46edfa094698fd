import { randomUUID } from 'node:crypto';
import type { EventPayloads } from '../../../../shared/events/catalog';
import { idempotentHandler } from '../../../../shared/events/consumer';
import { envelope, type EventEnvelope } from '../../../../shared/events/envelope';
import type { EventBatchHandler } from '../../../../shared/events/bus';
import { Channel } from '../../../../shared/graphql/channel';
import { openTestCustomers, SUPPORT } from '../customers.testkit';
import { customersSubgraph } from '../definition';
import { SegmentCode, SegmentMembership } from '../segment/segment.entity';
import { TouchpointRow, TouchpointType } from '../touchpoint/touchpoint.entity';
import { CartState } from './cart-state.entity';

const HOUR = 3_600_000;
/** CART_ABANDONED_AFTER_HOURS of these tests. */
const IDLE_HOURS = 2;

let test: Awaited<ReturnType<typeof openTestCustomers>>;
/** The consumer's handler as the bus calls it: each event id handled once. */
let consume: EventBatchHandler;
/** The domain handler alone, as it runs for an event whose handled record is gone (a replay). */
let handleAgain: (events: EventEnvelope[]) => Promise<void>;

beforeAll(async () => {
  test = await openTestCustomers({ CART_ABANDONED_AFTER_HOURS: String(IDLE_HOURS) });
  const { consumes } = customersSubgraph;
  consume = idempotentHandler(test.db, consumes!.handler(test.domain), consumes!.types);
  handleAgain = (events) => test.db.transaction((manager) => consumes!.handler(test.domain)(manager, events));
});
afterAll(() => test.close());

const ago = (hours: number) => new Date(Date.now() - hours * HOUR);
const later = (hours: number) => new Date(Date.now() + hours * HOUR);

function cartChanged(payload: Partial<EventPayloads['cart.changed']> & { customerId: string | null }): EventEnvelope<'cart.changed'> {
  const full: EventPayloads['cart.changed'] = { cartId: randomUUID(), channel: 'EC', itemCount: 1, changedAt: new Date().toISOString(), added: [], orderId: null, ...payload };
  return envelope('carts', { type: 'cart.changed', key: full.cartId, payload: full });
}

function orderPlaced(customerId: string, placedAt: Date): EventEnvelope<'order.placed'> {
  const orderId = randomUUID();
  return envelope('orders', {
    type: 'order.placed',
    key: orderId,
    payload: {
      orderId,
      number: `T-${orderId.slice(0, 8)}`,
      channel: 'STORE',
      customerId,
      customerIdentity: null,
      locationId: 'store-1',
      placedAt: placedAt.toISOString(),
      total: 5500,
      currencyCode: 'JPY',
      lines: [{ variantId: 'v-1', productId: 'p-1', quantity: 1, unitPrice: 5500 }],
    },
  });
}

async function touchpointsOf(customerId: string) {
  const rows = await test.db.manager.getRepository(TouchpointRow).find({ where: { customerId }, order: { eventId: 'ASC' } });
  return rows.map((t) => ({ eventId: t.eventId, type: t.type, channel: t.channel, productId: t.productId, variantId: t.variantId, occurredAt: t.occurredAt.toISOString() }));
}

async function segmentsOf(customerId: string): Promise<SegmentCode[]> {
  return (await test.db.manager.getRepository(SegmentMembership).findBy({ customerId })).map((m) => m.code).sort();
}

const abandoned = async (customerId: string) => (await segmentsOf(customerId)).includes(SegmentCode.CART_ABANDONED);

describe('cart.changed: what was added becomes ADD_TO_CART touchpoints', () => {
  it("keeps each added line of a customer's cart once, with the event's channel and time, and publishes it as trackEvents does", async () => {
    const customerId = await test.register(SUPPORT);
    const changedAt = ago(0.1);
    const event = cartChanged({
      customerId,
      channel: 'APP',
      itemCount: 3,
      changedAt: changedAt.toISOString(),
      added: [
        { variantId: 'v-1', productId: 'p-1', quantity: 2 },
        { variantId: 'v-2', productId: 'p-2', quantity: 1 },
      ],
    });
    await consume([event]);
    const expected = [0, 1].map((i) => ({
      eventId: `cart:${event.id}:${i}`,
      type: TouchpointType.ADD_TO_CART,
      channel: Channel.APP,
      productId: `p-${i + 1}`,
      variantId: `v-${i + 1}`,
      occurredAt: changedAt.toISOString(),
    }));
    expect(await touchpointsOf(customerId)).toEqual(expected);
    // Redelivered, and handled again once its record is gone: still once each.
    await consume([event]);
    await handleAgain([event]);
    expect(await touchpointsOf(customerId)).toEqual(expected);
    const tracked = (await test.events('customer.event_tracked')).filter((e) => e.customerId === customerId);
    expect(tracked.map((e) => [e.eventId, e.type, e.channel, e.productId, e.variantId])).toEqual(expected.map((t) => [t.eventId, 'ADD_TO_CART', 'APP', t.productId, t.variantId]));
  });

  it("ignores anonymous carts, gives a merged-away customer's adds to the survivor, and an erased customer's to nobody", async () => {
    const added = [{ variantId: 'v-1', productId: 'p-1', quantity: 1 }];
    const anonymous = cartChanged({ customerId: null, added });
    await consume([anonymous]);
    expect(await test.db.manager.getRepository(TouchpointRow).countBy({ eventId: `cart:${anonymous.id}:0` })).toBe(0);
    expect(await test.db.manager.getRepository(CartState).countBy({ cartId: anonymous.payload.cartId })).toBe(0);

    const survivor = await test.register(SUPPORT);
    const merged = await test.register(SUPPORT);
    await test.domain.merges.merge(SUPPORT, survivor, merged);
    const fromMerged = cartChanged({ customerId: merged, added });
    await consume([fromMerged]);
    expect((await touchpointsOf(survivor)).map((t) => t.eventId)).toEqual([`cart:${fromMerged.id}:0`]);

    const erased = await test.register(SUPPORT);
    await test.domain.privacy.erase(erased);
    const fromErased = cartChanged({ customerId: erased, added });
    await consume([fromErased]);
    expect(await test.db.manager.getRepository(TouchpointRow).countBy({ eventId: `cart:${fromErased.id}:0` })).toBe(0);
    expect(await test.db.manager.getRepository(CartState).countBy({ customerId: erased })).toBe(0);
  });
});

describe('trackEvents and ADD_TO_CART', () => {
  it('refuses ADD_TO_CART per event (RECORDED_BY_CART) and keeps the rest of the batch; history a service loads keeps them', async () => {
    const customerId = await test.register(SUPPORT);
    const event = (type: TouchpointType) => ({ eventId: randomUUID(), type, occurredAt: new Date(), channel: Channel.EC, customerId, productId: 'p-1' });
    const batch = [event(TouchpointType.ADD_TO_CART), event(TouchpointType.PRODUCT_VIEW)];
    const result = await test.domain.touchpoints.track(SUPPORT, batch, { checkReferences: false });
    expect(result.accepted).toBe(1);
    expect(result.rejected.map((r) => [r.index, r.code])).toEqual([[0, 'RECORDED_BY_CART']]);
    // Services too: the cart is the one source.
    const service = await test.domain.touchpoints.track({ kind: 'SERVICE', service: 'pos' }, [event(TouchpointType.ADD_TO_CART)]);
    expect(service.rejected.map((r) => r.code)).toEqual(['RECORDED_BY_CART']);
    // The seed's history (`acceptCartAdds`) was recorded by the carts of its time.
    const history = await test.domain.touchpoints.track({ kind: 'SERVICE', service: 'seed' }, [event(TouchpointType.ADD_TO_CART)], { acceptCartAdds: true });
    expect(history).toEqual({ accepted: 1, duplicates: [], rejected: [] });
  });
});

describe('CART_ABANDONED', () => {
  it('comes once a cart with lines has idled long enough, by the periodic check alone, and goes with the next order', async () => {
    const customerId = await test.register(SUPPORT);
    await consume([cartChanged({ customerId, itemCount: 2, changedAt: ago(IDLE_HOURS - 0.5).toISOString() })]);
    expect(await abandoned(customerId)).toBe(false);
    await test.domain.segments.refreshIdleCarts();
    expect(await abandoned(customerId)).toBe(false);
    // An hour on, with no request in between: the periodic check finds it.
    await test.domain.segments.refreshIdleCarts(later(1));
    expect(await abandoned(customerId)).toBe(true);
    expect((await test.domain.customers.list({ segment: SegmentCode.CART_ABANDONED }, 100)).edges.map((e) => e.node.id)).toContain(customerId);
    const report = await test.domain.segments.report();
    expect(report.find((f) => f.code === SegmentCode.CART_ABANDONED)?.customers).toBeGreaterThanOrEqual(1);

    // An order since the cart last changed (a store sale, say): out.
    await consume([orderPlaced(customerId, new Date())]);
    expect(await abandoned(customerId)).toBe(false);
    await test.domain.segments.refreshAll(later(1));
    expect(await abandoned(customerId)).toBe(false);
  });

  it('goes when the cart changes (emptied, or touched again), and an older event changes nothing', async () => {
    const customerId = await test.register(SUPPORT);
    const cartId = randomUUID();
    await consume([cartChanged({ customerId, cartId, itemCount: 2, changedAt: ago(IDLE_HOURS + 1).toISOString() })]);
    // Reported late, it is abandoned at once.
    expect(await abandoned(customerId)).toBe(true);
    // Touched again: not idle any more.
    await consume([cartChanged({ customerId, cartId, itemCount: 3, changedAt: new Date().toISOString() })]);
    expect(await abandoned(customerId)).toBe(false);
    await test.domain.segments.refreshIdleCarts(later(IDLE_HOURS + 0.1));
    expect(await abandoned(customerId)).toBe(true);
    // Emptied: out, whatever time passes.
    const emptiedAt = new Date();
    await consume([cartChanged({ customerId, cartId, itemCount: 0, changedAt: emptiedAt.toISOString() })]);
    expect(await abandoned(customerId)).toBe(false);
    // An event from before (delivered late) is ignored: the cart stays empty.
    await consume([cartChanged({ customerId, cartId, itemCount: 5, changedAt: ago(IDLE_HOURS + 3).toISOString() })]);
    expect(await test.db.manager.getRepository(CartState).findOneByOrFail({ customerId })).toMatchObject({ cartId, itemCount: 0, changedAt: emptiedAt });
    await test.domain.segments.refreshAll(later(IDLE_HOURS * 10));
    expect(await abandoned(customerId)).toBe(false);
  });

  it('runs as the periodic job segments.idle-carts of the service', async () => {
    const customerId = await test.register(SUPPORT);
    await consume([cartChanged({ customerId, itemCount: 1, changedAt: ago(IDLE_HOURS + 1).toISOString() })]);
    // As if the cart had come due after the event was handled.
    await test.db.transaction((manager) => manager.getRepository(SegmentMembership).delete({ customerId, code: SegmentCode.CART_ABANDONED }));
    expect(await abandoned(customerId)).toBe(false);
    await customersSubgraph.periodic!.find((job) => job.name === 'segments.idle-carts')!.run(test.domain);
    expect(await abandoned(customerId)).toBe(true);
  });

  it("is disclosed and erased with the person, and a merged-away customer's cart never keeps the survivor abandoned", async () => {
    const erased = await test.register(SUPPORT);
    const last = cartChanged({ customerId: erased, itemCount: 1, changedAt: ago(IDLE_HOURS + 1).toISOString() });
    await consume([last]);
    expect(await abandoned(erased)).toBe(true);
    // Disclosed while it is kept.
    expect((await test.domain.privacy.export(erased))?.lastCartChange).toEqual([{ cartId: last.payload.cartId, itemCount: 1, changedAt: new Date(last.payload.changedAt) }]);
    await test.domain.privacy.erase(erased);
    expect(await test.db.manager.getRepository(CartState).countBy({ customerId: erased })).toBe(0);
    expect(await segmentsOf(erased)).toEqual([]);

    const survivor = await test.register(SUPPORT);
    const merged = await test.register(SUPPORT);
    await consume([cartChanged({ customerId: merged, itemCount: 2, changedAt: ago(IDLE_HOURS + 1).toISOString() })]);
    expect(await abandoned(merged)).toBe(true);
    await test.domain.merges.merge(SUPPORT, survivor, merged);
    expect(await test.db.manager.getRepository(CartState).countBy({ customerId: merged })).toBe(0);
    await test.domain.segments.refreshIdleCarts(later(IDLE_HOURS * 10));
    await test.domain.segments.refreshAll(later(IDLE_HOURS * 10));
    expect(await abandoned(survivor)).toBe(false);
    // What carts reports next for the survivor (lines moved into her cart) decides.
    await consume([cartChanged({ customerId: survivor, itemCount: 2, changedAt: new Date().toISOString() })]);
    await test.domain.segments.refreshIdleCarts(later(IDLE_HOURS + 0.1));
    expect(await abandoned(survivor)).toBe(true);
    // A late event naming the merged-away id counts for the survivor, never under the old id.
    await consume([cartChanged({ customerId: merged, itemCount: 0, changedAt: new Date().toISOString() })]);
    expect(await test.db.manager.getRepository(CartState).countBy({ customerId: merged })).toBe(0);
    expect(await abandoned(survivor)).toBe(false);
  });
});
