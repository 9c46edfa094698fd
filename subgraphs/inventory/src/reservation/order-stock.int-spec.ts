import { randomUUID } from 'node:crypto';
import type { Principal } from '../../../../shared/auth/principal';
import type { EventPayloads } from '../../../../shared/events/catalog';
import { envelope } from '../../../../shared/events/envelope';
import { OutboxEventRow } from '../../../../shared/events/outbox.entity';
import { outcomeOf } from '../../../../shared/testkit/subgraph';
import { inventorySubgraph } from '../definition';
import type { InventoryDomain } from '../domain';
import { StockDiscrepancyKind } from '../stock/stock.entity';
import { ledgerDisagreements, openTestInventory } from '../stock/stock.testkit';
import { ReservationStatus, StockReservation, StockReservationLine } from './reservation.entity';

/**
 * placeOrder across a failure, on inventory's side (ARCHITECTURE.md, "Orders and stock across a
 * failure"): every crash window is played by leaving out the step the crash would skip (the orders
 * service's synchronous commit), letting the hold lapse and the sweeper run, and then delivering
 * `order.placed` as the orders service's outbox would, late or more than once.
 */
const ordersService: Principal = { kind: 'SERVICE', service: 'orders' };
const STORE = 'store-os1';
const MINUTE = 60_000;

describe('an order takes its stock whatever fails in between', () => {
  let test: Awaited<ReturnType<typeof openTestInventory>>;
  let domain: InventoryDomain;

  beforeAll(async () => {
    test = await openTestInventory([STORE]);
    domain = test.domain;
  });
  afterAll(() => test.close());

  const sku = async (onHand: number) => (await test.sku(onHand)).variantId;
  const level = (variantId: string) => test.level(variantId);
  const ledgerAgrees = async () => expect(await ledgerDisagreements(test.inventory.db)).toEqual([]);
  const reserve = (variantId: string, quantity: number, options: { key?: string; ttlSeconds?: number; now?: Date } = {}) =>
    domain.reservations.reserve(
      ordersService,
      { idempotencyKey: options.key ?? randomUUID(), locationId: STORE, lines: [{ variantId, quantity }], ttlSeconds: options.ttlSeconds ?? 60 },
      options.now,
    );
  /** Someone else buys `quantity` units: reserved and committed at once. */
  const sellElsewhere = async (variantId: string, quantity: number) => domain.reservations.commit(ordersService, (await reserve(variantId, quantity, { ttlSeconds: 900 })).id);
  const sweepAfterTheHold = () => domain.reservations.sweepExpired(new Date(Date.now() + 2 * MINUTE));

  /** Delivers orders' events to inventory's consumer, as the bus does (each delivery a new transaction). */
  async function deliver(...events: Array<ReturnType<typeof placed> | ReturnType<typeof cancelled>>): Promise<void> {
    await test.inventory.db.transaction((manager) => inventorySubgraph.consumes!.handler(domain)(manager, events));
  }
  function placed(orderId: string, reservation: StockReservation) {
    const payload: EventPayloads['order.placed'] = {
      orderId,
      number: `EC-T-${orderId.slice(0, 8)}`,
      channel: 'EC',
      customerId: null,
      customerIdentity: null,
      locationId: null,
      placedAt: reservation.createdAt.toISOString(),
      total: 0,
      currencyCode: 'JPY',
      lines: reservation.lines.map((l) => ({ variantId: l.variantId, productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice })),
      stockEffect: 'COMMIT_RESERVATION',
      reservationId: reservation.id,
    };
    return envelope('orders', { type: 'order.placed', key: orderId, payload });
  }
  function cancelled(orderId: string, reservation: StockReservation) {
    const lines = reservation.lines.map((l) => ({ variantId: l.variantId, productId: l.productId, quantity: l.quantity }));
    const payload: EventPayloads['order.cancelled'] = {
      orderId,
      channel: 'EC',
      customerId: null,
      cancelledAt: new Date().toISOString(),
      reason: null,
      // What the orders service believes; inventory goes by its own record of the reservation.
      restock: { locationId: STORE, lines },
      reservationId: reservation.id,
    };
    return envelope('orders', { type: 'order.cancelled', key: orderId, payload });
  }
  const reservationOf = async (id: string) => {
    const row = await test.inventory.db.manager.getRepository(StockReservation).findOneByOrFail({ id });
    const lines = await test.inventory.db.manager.getRepository(StockReservationLine).findBy({ reservationId: id });
    return { status: row.status, orderId: row.orderId, short: lines.map((l) => l.quantityShort) };
  };
  const shortagesOf = async (orderId: string) => {
    const { edges } = await domain.stock.discrepancies(STORE, 100, null, StockDiscrepancyKind.ORDER_SHORTAGE);
    return edges.map((e) => e.node).filter((d) => d.orderId === orderId).map((d) => ({ kind: d.kind, sold: d.sold, expectedOnHand: d.expectedOnHand }));
  };
  const shortageEvents = async (orderId: string) =>
    (await test.inventory.db.manager.getRepository(OutboxEventRow).findBy({ type: 'stock.shortage', key: orderId })).map(
      (row) => JSON.parse(row.payload) as EventPayloads['stock.shortage'],
    );

  it('takes the stock once when the fast path committed it and order.placed comes too (and again)', async () => {
    const variantId = await sku(5);
    const orderId = randomUUID();
    const reservation = await reserve(variantId, 2);
    expect((await domain.orderStock.commitForOrder(ordersService, reservation.id, orderId)).status).toBe(ReservationStatus.COMMITTED);
    await deliver(placed(orderId, reservation));
    await deliver(placed(orderId, reservation));
    await sweepAfterTheHold();
    expect(await level(variantId)).toEqual({ onHand: 3, reserved: 0, available: 3 });
    expect(await reservationOf(reservation.id)).toEqual({ status: ReservationStatus.COMMITTED, orderId, short: [0] });
    await ledgerAgrees();
  });

  it('after a crash before the commit, the sweeper frees the lapsed hold and order.placed takes the units again: nothing is sold twice', async () => {
    const variantId = await sku(2);
    const orderId = randomUUID();
    // Reserved, the order recorded with order.placed in its outbox, and then the commit never came.
    const reservation = await reserve(variantId, 2);
    expect(await sweepAfterTheHold()).toBeGreaterThanOrEqual(1);
    expect(await level(variantId)).toEqual({ onHand: 2, reserved: 0, available: 2 });
    await deliver(placed(orderId, reservation));
    expect(await level(variantId)).toEqual({ onHand: 0, reserved: 0, available: 0 });
    expect(await reservationOf(reservation.id)).toEqual({ status: ReservationStatus.COMMITTED, orderId, short: [0] });
    // The units are the order's: nobody else gets them, and a redelivery takes nothing more.
    expect(await outcomeOf(reserve(variantId, 1))).toBe('INSUFFICIENT_STOCK');
    await deliver(placed(orderId, reservation));
    expect(await level(variantId)).toEqual({ onHand: 0, reserved: 0, available: 0 });
    expect(await shortagesOf(orderId)).toEqual([]);
    await ledgerAgrees();
  });

  it('when the lapsed units were sold meanwhile, takes what is left and flags the rest as the order\'s shortage, for staff and for orders', async () => {
    const variantId = await sku(3);
    const orderId = randomUUID();
    const reservation = await reserve(variantId, 3);
    await sweepAfterTheHold();
    await sellElsewhere(variantId, 2);
    await deliver(placed(orderId, reservation));
    // One unit was left: taken; the level never goes below zero, and nothing is sold twice.
    expect(await level(variantId)).toEqual({ onHand: 0, reserved: 0, available: 0 });
    expect(await reservationOf(reservation.id)).toEqual({ status: ReservationStatus.COMMITTED, orderId, short: [2] });
    expect(await shortagesOf(orderId)).toEqual([{ kind: StockDiscrepancyKind.ORDER_SHORTAGE, sold: 3, expectedOnHand: 1 }]);
    const [told, ...more] = await shortageEvents(orderId);
    expect(more).toEqual([]);
    expect(told).toMatchObject({ orderId, reservationId: reservation.id, locationId: STORE, lines: [{ variantId, quantity: 3, short: 2 }] });
    // Delivered again, or committed by a late fast path: the same shortage, once.
    await deliver(placed(orderId, reservation));
    expect((await domain.orderStock.commitForOrder(ordersService, reservation.id, orderId)).status).toBe(ReservationStatus.COMMITTED);
    expect(await shortagesOf(orderId)).toHaveLength(1);
    expect(await shortageEvents(orderId)).toHaveLength(1);
    await ledgerAgrees();

    // Cancelled: only the unit that was taken goes back, whatever the event's restock says.
    await deliver(cancelled(orderId, reservation));
    expect(await level(variantId)).toEqual({ onHand: 1, reserved: 0, available: 1 });
    await deliver(cancelled(orderId, reservation));
    expect(await level(variantId)).toEqual({ onHand: 1, reserved: 0, available: 1 });
    expect((await reservationOf(reservation.id)).status).toBe(ReservationStatus.CANCELLED);
    await ledgerAgrees();
  });

  it('takes nothing for an order whose stock is wholly gone, and a cancellation puts nothing back', async () => {
    const variantId = await sku(1);
    const orderId = randomUUID();
    const reservation = await reserve(variantId, 1);
    await sweepAfterTheHold();
    await sellElsewhere(variantId, 1);
    await deliver(placed(orderId, reservation));
    expect(await level(variantId)).toEqual({ onHand: 0, reserved: 0, available: 0 });
    expect(await shortagesOf(orderId)).toEqual([{ kind: StockDiscrepancyKind.ORDER_SHORTAGE, sold: 1, expectedOnHand: 0 }]);
    await deliver(cancelled(orderId, reservation));
    expect(await level(variantId)).toEqual({ onHand: 0, reserved: 0, available: 0 });
    await ledgerAgrees();
  });

  it('commits a hold past its time for its order when the sweeper has not run yet, and the sweeper then leaves it alone', async () => {
    const variantId = await sku(4);
    const orderId = randomUUID();
    const reservation = await reserve(variantId, 2);
    const later = new Date(Date.now() + 2 * MINUTE);
    // The public commit refuses a lapsed hold; the order's commit does not: the order exists.
    expect(await outcomeOf(domain.reservations.commit(ordersService, reservation.id, later))).toBe('RESERVATION_EXPIRED');
    expect((await domain.orderStock.commitForOrder(ordersService, reservation.id, orderId, later)).status).toBe(ReservationStatus.COMMITTED);
    await domain.reservations.sweepExpired(later);
    expect(await reservationOf(reservation.id)).toEqual({ status: ReservationStatus.COMMITTED, orderId, short: [0] });
    expect(await level(variantId)).toEqual({ onHand: 2, reserved: 0, available: 2 });
    await ledgerAgrees();
  });

  it('takes the units once when the fast path, order.placed and the sweeper race over a hold past its time', async () => {
    const variantId = await sku(6);
    const later = new Date(Date.now() + 2 * MINUTE);
    const reservations = await Promise.all([1, 2, 3].map(() => reserve(variantId, 2)));
    await Promise.all(
      reservations.flatMap((reservation) => {
        const orderId = randomUUID();
        return [domain.orderStock.commitForOrder(ordersService, reservation.id, orderId, later), deliver(placed(orderId, reservation)), domain.reservations.sweepExpired(later)];
      }),
    );
    expect(await level(variantId)).toEqual({ onHand: 0, reserved: 0, available: 0 });
    for (const reservation of reservations) expect((await reservationOf(reservation.id)).short).toEqual([0]);
    await ledgerAgrees();
  });

  it('lets the hold go when the cancellation arrives before order.placed, and the late order.placed takes nothing', async () => {
    const variantId = await sku(4);
    const orderId = randomUUID();
    const reservation = await reserve(variantId, 2);
    await deliver(cancelled(orderId, reservation));
    expect(await level(variantId)).toEqual({ onHand: 4, reserved: 0, available: 4 });
    await deliver(placed(orderId, reservation));
    expect((await domain.orderStock.commitForOrder(ordersService, reservation.id, orderId)).status).toBe(ReservationStatus.CANCELLED);
    expect(await outcomeOf(domain.reservations.commit(ordersService, reservation.id))).toBe('RESERVATION_CANCELLED');
    expect(await level(variantId)).toEqual({ onHand: 4, reserved: 0, available: 4 });
    await ledgerAgrees();
  });

  it('puts back all of a committed order on cancellation, once', async () => {
    const variantId = await sku(5);
    const orderId = randomUUID();
    const reservation = await reserve(variantId, 3);
    await domain.orderStock.commitForOrder(ordersService, reservation.id, orderId);
    expect(await level(variantId)).toEqual({ onHand: 2, reserved: 0, available: 2 });
    await deliver(cancelled(orderId, reservation), placed(orderId, reservation), cancelled(orderId, reservation));
    expect(await level(variantId)).toEqual({ onHand: 5, reserved: 0, available: 5 });
    await ledgerAgrees();
  });

  it('holds a lapsed reservation again when its request is retried, or says INSUFFICIENT_STOCK when the units are gone', async () => {
    const variantId = await sku(2);
    const key = randomUUID();
    const first = await reserve(variantId, 2, { key });
    await sweepAfterTheHold();
    const again = await reserve(variantId, 2, { key, ttlSeconds: 900 });
    expect({ id: again.id, status: again.status }).toEqual({ id: first.id, status: ReservationStatus.ACTIVE });
    expect(await level(variantId)).toEqual({ onHand: 2, reserved: 2, available: 0 });
    await domain.reservations.release(ordersService, first.id);

    const otherKey = randomUUID();
    const lapsing = await reserve(variantId, 2, { key: otherKey });
    await sweepAfterTheHold();
    await sellElsewhere(variantId, 1);
    expect(await outcomeOf(reserve(variantId, 2, { key: otherKey }))).toBe('INSUFFICIENT_STOCK');
    expect((await reservationOf(lapsing.id)).status).toBe(ReservationStatus.EXPIRED);
    expect(await level(variantId)).toEqual({ onHand: 1, reserved: 0, available: 1 });
    await ledgerAgrees();
  });
});
