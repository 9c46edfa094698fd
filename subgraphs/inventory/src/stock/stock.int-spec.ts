import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import type { Principal } from '../../../../shared/auth/principal';
import { MAX_STOCK_LEVEL } from '../../../../shared/bounds';
import { envelope, type EventEnvelope, type NewEvent } from '../../../../shared/events/envelope';
import type { EventType } from '../../../../shared/events/catalog';
import { outcomeOf } from '../../../../shared/testkit/subgraph';
import { StockDiscrepancy, StockLevel, StockMovement } from './stock.entity';
import { ledgerDisagreements, openTestInventory } from './stock.testkit';

const STORE = 'store-1';
const OTHER_STORE = 'store-2';
const admin: Principal = { kind: 'STAFF', staffId: 'a-1', role: 'ADMIN' };

let test: Awaited<ReturnType<typeof openTestInventory>>;

beforeAll(async () => {
  test = await openTestInventory([STORE, OTHER_STORE]);
});
afterAll(() => test.close());

describe('stock receipts', () => {
  it('adds up concurrent receipts, keeps the ledger and the levels in step, and announces the levels', async () => {
    const { platform, inventory } = test;
    const seen: EventEnvelope[] = [];
    const consumer = platform.bus.consume({
      group: 'stock-test',
      producers: ['inventory'],
      logger: inventory.infra.logger,
      handler: async (events) => void seen.push(...events),
    });
    const { stock } = inventory.domain;
    const lines = [
      { variantId: 'v1', productId: 'p1', quantity: 3 },
      { variantId: 'v2', productId: 'p1', quantity: 5 },
    ];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        stock.receive([{ locationId: STORE, lines, reference: `delivery-${i}`, actor: 'test' }]),
      ),
    );
    inventory.startRelay();
    await inventory.flushOutbox();
    await consumer.caughtUp();

    const levels = await inventory.db.manager.getRepository(StockLevel).find({ where: { locationId: STORE, variantId: In(['v1', 'v2']) }, order: { variantId: 'ASC' } });
    expect(levels.map((l) => [l.variantId, l.onHand, l.reserved, l.available])).toEqual([
      ['v1', 30, 0, 30],
      ['v2', 50, 0, 50],
    ]);
    const ledger = await inventory.db.manager.getRepository(StockMovement).find();
    for (const level of levels) {
      const moves = ledger.filter((m) => m.variantId === level.variantId && m.locationId === level.locationId);
      expect(moves.reduce((sum, m) => sum + m.onHandDelta, 0)).toBe(level.onHand);
    }
    // Every event reported levels that existed; the last one reports where they ended.
    const reported = seen.filter((e) => e.type === 'stock.changed').map((e) => (e as EventEnvelope<'stock.changed'>).payload.levels);
    expect(reported).toHaveLength(10);
    const onHandV1 = reported.map((ls) => ls.find((l) => l.variantId === 'v1')!.onHand).sort((a, b) => a - b);
    expect(onHandV1).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
    await consumer.stop();
  });
});

describe('adjustments and transfers', () => {
  it('adjusts with a reason in the ledger, never below what is reserved', async () => {
    const { variantId } = await test.sku(5);
    const level = await test.domain.stock.adjust(admin, { locationId: STORE, variantId, delta: -2, reason: 'damaged' });
    expect([level.onHand, level.reserved, level.available]).toEqual([3, 0, 3]);
    await test.domain.reservations.reserve(admin, { idempotencyKey: randomUUID(), locationId: STORE, lines: [{ variantId, quantity: 2 }] });
    expect(await outcomeOf(test.domain.stock.adjust(admin, { locationId: STORE, variantId, delta: -2, reason: 'count' }))).toBe('INSUFFICIENT_STOCK');
    expect(await outcomeOf(test.domain.stock.adjust(admin, { locationId: STORE, variantId, delta: 0, reason: 'count' }))).toBe('INVALID_QUANTITY');
    expect(await outcomeOf(test.domain.stock.adjust(admin, { locationId: OTHER_STORE, variantId, delta: -1, reason: 'count' }))).toBe('INSUFFICIENT_STOCK');
    expect(await outcomeOf(test.domain.stock.adjust(admin, { locationId: 'nowhere', variantId, delta: 1, reason: 'count' }))).toBe('UNKNOWN_LOCATION');
    expect(await test.level(variantId)).toEqual({ onHand: 3, reserved: 2, available: 1 });
    const rows = await test.inventory.db.manager.getRepository(StockMovement).findBy({ variantId, reason: 'ADJUSTMENT' });
    expect(rows.map((r) => [r.onHandDelta, r.note, r.actor])).toEqual([[-2, 'damaged', 'STAFF:ADMIN:a-1']]);
  });

  it('transfers every line or none, both sides in one transaction', async () => {
    const a = await test.sku(4);
    const b = await test.sku(1);
    const transfer = (quantityOfB: number) =>
      test.domain.stock.transfer(admin, {
        fromLocationId: STORE,
        toLocationId: OTHER_STORE,
        lines: [{ variantId: a.variantId, quantity: 3 }, { variantId: b.variantId, quantity: quantityOfB }],
      });
    await expect(transfer(2)).rejects.toMatchObject({ code: 'INSUFFICIENT_STOCK', field: ['input', 'lines', '1', 'quantity'] });
    expect([await test.level(a.variantId), await test.level(a.variantId, OTHER_STORE)]).toEqual([
      { onHand: 4, reserved: 0, available: 4 },
      { onHand: 0, reserved: 0, available: 0 },
    ]);
    const { transferId } = await transfer(1);
    expect([await test.level(a.variantId), await test.level(a.variantId, OTHER_STORE), await test.level(b.variantId, OTHER_STORE)]).toEqual([
      { onHand: 1, reserved: 0, available: 1 },
      { onHand: 3, reserved: 0, available: 3 },
      { onHand: 1, reserved: 0, available: 1 },
    ]);
    const rows = await test.inventory.db.manager.getRepository(StockMovement).findBy({ reference: `transfer:${transferId}` });
    expect(rows.map((r) => `${r.reason} ${r.locationId} ${r.onHandDelta}`).sort()).toEqual(
      [`TRANSFER_IN ${OTHER_STORE} 1`, `TRANSFER_IN ${OTHER_STORE} 3`, `TRANSFER_OUT ${STORE} -1`, `TRANSFER_OUT ${STORE} -3`].sort(),
    );
    const clerk: Principal = { kind: 'STAFF', staffId: 'c-1', role: 'STORE_STAFF', locationId: OTHER_STORE };
    await expect(transfer(0)).rejects.toMatchObject({ code: 'INVALID_QUANTITY' });
    await expect(test.domain.stock.transfer(clerk, { fromLocationId: STORE, toLocationId: OTHER_STORE, lines: [{ variantId: a.variantId, quantity: 1 }] })).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
  });
});

describe('the maximum stock level', () => {
  it('refuses an adjustment, a transfer or a receipt past MAX_STOCK_LEVEL, and writes nothing', async () => {
    const { variantId, productId } = await test.sku(10);
    const full = await test.domain.stock.adjust(admin, { locationId: STORE, variantId, delta: MAX_STOCK_LEVEL - 10, reason: 'count' });
    expect(full.onHand).toBe(MAX_STOCK_LEVEL);
    await expect(test.domain.stock.adjust(admin, { locationId: STORE, variantId, delta: 1, reason: 'count' })).rejects.toMatchObject({
      code: 'STOCK_LIMIT_EXCEEDED',
      field: ['input', 'delta'],
    });
    expect(await outcomeOf(test.domain.stock.adjust(admin, { locationId: STORE, variantId, delta: MAX_STOCK_LEVEL + 1, reason: 'count' }))).toBe('INVALID_QUANTITY');
    // The other store is 5 units short of the maximum: a transfer of 10 would take it past it.
    await test.domain.stock.adjust(admin, { locationId: OTHER_STORE, variantId, delta: MAX_STOCK_LEVEL - 5, reason: 'count' });
    await expect(
      test.domain.stock.transfer(admin, { fromLocationId: STORE, toLocationId: OTHER_STORE, lines: [{ variantId, quantity: 10 }] }),
    ).rejects.toMatchObject({ code: 'STOCK_LIMIT_EXCEEDED', field: ['input', 'lines', '0', 'quantity'] });
    expect(await outcomeOf(test.domain.stock.receive([{ locationId: STORE, lines: [{ variantId, productId, quantity: 2 }], reference: 'delivery', actor: 'test' }]))).toBe('STOCK_LIMIT_EXCEEDED');
    expect([await test.level(variantId), await test.level(variantId, OTHER_STORE)]).toEqual([
      { onHand: MAX_STOCK_LEVEL, reserved: 0, available: MAX_STOCK_LEVEL },
      { onHand: MAX_STOCK_LEVEL - 5, reserved: 0, available: MAX_STOCK_LEVEL - 5 },
    ]);
    expect(await ledgerDisagreements(test.inventory.db)).toEqual([]);
  });

  it('books a return up to the maximum and says in the ledger what it left out', async () => {
    const item = await test.sku(0);
    await test.domain.stock.adjust(admin, { locationId: STORE, variantId: item.variantId, delta: MAX_STOCK_LEVEL - 2, reason: 'count' });
    const orderId = randomUUID();
    const returnId = randomUUID();
    await test.platform.bus.publish([
      envelope('orders', {
        type: 'order.returned',
        key: orderId,
        payload: { orderId, returnId, channel: 'STORE', customerId: null, locationId: STORE, returnedAt: new Date().toISOString(), refundTotal: 5000, lines: [{ ...item, quantity: 5, refund: 5000 }] },
      }),
    ]);
    await test.inventory.consumer!.caughtUp();
    expect(await test.level(item.variantId)).toEqual({ onHand: MAX_STOCK_LEVEL, reserved: 0, available: MAX_STOCK_LEVEL });
    const [row] = await test.inventory.db.manager.getRepository(StockMovement).findBy({ reference: `return:${returnId}` });
    expect([row.onHandDelta, row.note]).toEqual([2, `order:${orderId}; 3 units beyond the maximum of ${MAX_STOCK_LEVEL} not booked`]);
    expect(await ledgerDisagreements(test.inventory.db)).toEqual([]);
  });
});

describe("orders' events", () => {
  /** Publishes events as the orders service would, and waits until inventory has handled them. */
  async function fromOrders(...events: Array<NewEvent<EventType>>): Promise<EventEnvelope[]> {
    const envelopes = events.map((e) => envelope('orders', e));
    await test.platform.bus.publish(envelopes);
    await test.inventory.consumer!.caughtUp();
    return envelopes;
  }

  const placed = (orderId: string, lines: Array<{ variantId: string; productId: string; quantity: number }>): NewEvent<'order.placed'> => ({
    type: 'order.placed',
    key: orderId,
    payload: {
      orderId,
      number: orderId.slice(0, 8),
      channel: 'STORE',
      customerId: null,
      customerIdentity: null,
      locationId: STORE,
      placedAt: new Date().toISOString(),
      total: 0,
      currencyCode: 'JPY',
      lines: lines.map((l) => ({ ...l, unitPrice: 1000 })),
      stockEffect: 'SOLD_AT_LOCATION',
    },
  });

  it('books a store sale; a sale beyond the count goes to zero and records a discrepancy, once under redelivery', async () => {
    const counted = await test.sku(3);
    const uncounted = await test.sku(0);
    const orderId = randomUUID();
    const [sale] = await fromOrders(placed(orderId, [{ ...counted, quantity: 1 }, { ...uncounted, quantity: 2 }, { ...counted, quantity: 1 }]));
    await test.platform.bus.publish([sale]);
    await test.inventory.consumer!.caughtUp();
    expect(await test.level(counted.variantId)).toEqual({ onHand: 1, reserved: 0, available: 1 });
    expect(await test.level(uncounted.variantId)).toEqual({ onHand: 0, reserved: 0, available: 0 });

    const oversold = randomUUID();
    await fromOrders(placed(oversold, [{ ...counted, quantity: 4 }]));
    expect(await test.level(counted.variantId)).toEqual({ onHand: 0, reserved: 0, available: 0 });
    const discrepancies = await test.inventory.db.manager.getRepository(StockDiscrepancy).findBy({ variantId: In([counted.variantId, uncounted.variantId]) });
    expect(discrepancies.map((d) => [d.variantId, d.expectedOnHand, d.sold, d.orderId]).sort()).toEqual(
      [[counted.variantId, 1, 4, oversold], [uncounted.variantId, 0, 2, orderId]].sort(),
    );
    const page = await test.domain.stock.discrepancies(STORE, 1, null);
    expect(page.edges.map((e) => e.node.orderId)).toEqual([oversold]);
    const next = await test.domain.stock.discrepancies(STORE, 10, page.pageInfo.endCursor);
    expect(next.edges.map((e) => e.node.orderId)).toContain(orderId);
    const sales = await test.inventory.db.manager.getRepository(StockMovement).findBy({ reason: 'SALE', reference: `order:${orderId}` });
    expect(sales).toHaveLength(2);
    expect(await ledgerDisagreements(test.inventory.db)).toEqual([]);
  });

  it('puts back what a cancellation names and restocks a return where it was received', async () => {
    const item = await test.sku(2);
    const orderId = randomUUID();
    const returnId = randomUUID();
    await fromOrders(
      {
        type: 'order.cancelled',
        key: orderId,
        payload: { orderId, channel: 'EC', customerId: null, cancelledAt: new Date().toISOString(), reason: null, restock: { locationId: STORE, lines: [{ ...item, quantity: 2 }] } },
      },
      {
        type: 'order.returned',
        key: orderId,
        payload: {
          orderId,
          returnId,
          channel: 'EC',
          customerId: null,
          locationId: OTHER_STORE,
          returnedAt: new Date().toISOString(),
          refundTotal: 1000,
          lines: [{ ...item, quantity: 1, refund: 1000 }],
        },
      },
    );
    expect(await test.level(item.variantId)).toEqual({ onHand: 4, reserved: 0, available: 4 });
    expect(await test.level(item.variantId, OTHER_STORE)).toEqual({ onHand: 1, reserved: 0, available: 1 });
    const returned = await test.inventory.db.manager.getRepository(StockMovement).findBy({ reference: `return:${returnId}` });
    expect(returned.map((r) => [r.reason, r.locationId, r.onHandDelta, r.note])).toEqual([['RETURN_RESTOCK', OTHER_STORE, 1, `order:${orderId}`]]);
  });

  it('keeps the ledger and the levels in step through a concurrent mixed workload', async () => {
    const items = [await test.sku(20), await test.sku(20)];
    const work: Array<Promise<unknown>> = [];
    for (let i = 0; i < 30; i++) {
      const item = items[i % 2];
      const step = i % 5;
      if (step === 0) work.push(test.domain.stock.adjust(admin, { locationId: STORE, variantId: item.variantId, delta: i % 2 ? 3 : -2, reason: 'count' }));
      if (step === 1) work.push(test.domain.stock.transfer(admin, { fromLocationId: STORE, toLocationId: OTHER_STORE, lines: [{ variantId: item.variantId, quantity: 2 }] }));
      if (step === 2) work.push(test.domain.reservations.reserve(admin, { idempotencyKey: randomUUID(), locationId: STORE, lines: [{ variantId: item.variantId, quantity: 2 }] }).then((r) => test.domain.reservations.commit(admin, r.id)));
      if (step === 3) work.push(test.domain.reservations.reserve(admin, { idempotencyKey: randomUUID(), locationId: STORE, lines: [{ variantId: item.variantId, quantity: 1 }] }).then((r) => test.domain.reservations.release(admin, r.id)));
      if (step === 4) work.push(fromOrders(placed(randomUUID(), [{ ...item, quantity: 3 }])));
    }
    const outcomes = await Promise.all(work.map(outcomeOf));
    expect(outcomes.filter((o) => o !== 'OK' && o !== 'INSUFFICIENT_STOCK')).toEqual([]);
    expect(await ledgerDisagreements(test.inventory.db)).toEqual([]);
  });
});
