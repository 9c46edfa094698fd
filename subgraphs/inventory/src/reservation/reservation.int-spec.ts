import { randomUUID } from 'node:crypto';
import type { Principal } from '../../../../shared/auth/principal';
import { outcomeOf } from '../../../../shared/testkit/subgraph';
import type { InventoryDomain } from '../domain';
import { ledgerDisagreements, openTestInventory } from '../stock/stock.testkit';
import { ReservationStatus } from './reservation.entity';

const ordersService: Principal = { kind: 'SERVICE', service: 'orders' };
const STORE = 'store-r1';
const OTHER_STORE = 'store-r2';

describe('stock reservations', () => {
  let test: Awaited<ReturnType<typeof openTestInventory>>;
  let domain: InventoryDomain;
  const outcome = outcomeOf;
  const sku = async (onHand: number, options?: Parameters<typeof test.sku>[1]) => (await test.sku(onHand, options)).variantId;
  const level = (variantId: string) => test.level(variantId);
  const ledgerAgrees = async () => expect(await ledgerDisagreements(test.inventory.db)).toEqual([]);

  const reserve = (variantId: string, quantity: number, extra: { key?: string; ttlSeconds?: number; locationId?: string } = {}) =>
    domain.reservations.reserve(ordersService, {
      idempotencyKey: extra.key ?? randomUUID(),
      locationId: extra.locationId ?? STORE,
      lines: [{ variantId, quantity }],
      ttlSeconds: extra.ttlSeconds,
    });

  beforeAll(async () => {
    test = await openTestInventory([STORE, OTHER_STORE]);
    domain = test.domain;
  });
  afterAll(() => test.close());

  it('holds the units at the catalog price and tax rate, and commits them out of on hand once', async () => {
    const variantId = await sku(5, { price: 5500, priceOverride: 6600, taxRateBp: 800 });
    const reservation = await reserve(variantId, 2);
    expect(reservation.status).toBe(ReservationStatus.ACTIVE);
    expect(reservation.lines.map((l) => [l.variantId, l.quantity, l.unitPrice, l.currencyCode, l.taxRateBp])).toEqual([[variantId, 2, 6600, 'JPY', 800]]);
    expect(reservation.expiresAt.getTime() - reservation.createdAt.getTime()).toBe(15 * 60 * 1000);
    expect(await level(variantId)).toEqual({ onHand: 5, reserved: 2, available: 3 });

    const committed = await domain.reservations.commit(ordersService, reservation.id);
    expect(committed.status).toBe(ReservationStatus.COMMITTED);
    expect(await level(variantId)).toEqual({ onHand: 3, reserved: 0, available: 3 });
    // Again: the same answer, nothing moves twice.
    expect((await domain.reservations.commit(ordersService, reservation.id)).status).toBe(ReservationStatus.COMMITTED);
    expect(await level(variantId)).toEqual({ onHand: 3, reserved: 0, available: 3 });
    expect(await outcome(domain.reservations.release(ordersService, reservation.id))).toBe('RESERVATION_COMMITTED');
    await ledgerAgrees();
  });

  it('releases idempotently, and a released reservation cannot be committed', async () => {
    const variantId = await sku(3);
    const reservation = await reserve(variantId, 3);
    expect(await level(variantId)).toEqual({ onHand: 3, reserved: 3, available: 0 });
    expect((await domain.reservations.release(ordersService, reservation.id)).status).toBe(ReservationStatus.RELEASED);
    expect((await domain.reservations.release(ordersService, reservation.id)).status).toBe(ReservationStatus.RELEASED);
    expect(await level(variantId)).toEqual({ onHand: 3, reserved: 0, available: 3 });
    expect(await outcome(domain.reservations.commit(ordersService, reservation.id))).toBe('RESERVATION_RELEASED');
    expect(await outcome(domain.reservations.commit(ordersService, randomUUID()))).toBe('UNKNOWN_RESERVATION');
  });

  it('holds every line or none, and says which line fell short', async () => {
    const plenty = await sku(10);
    const scarce = await sku(1);
    const attempt = domain.reservations.reserve(ordersService, {
      idempotencyKey: randomUUID(),
      locationId: STORE,
      lines: [{ variantId: plenty, quantity: 4 }, { variantId: scarce, quantity: 2 }],
    });
    await expect(attempt).rejects.toMatchObject({ code: 'INSUFFICIENT_STOCK', field: ['input', 'lines', '1', 'quantity'] });
    expect(await level(plenty)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    expect(await level(scarce)).toEqual({ onHand: 1, reserved: 0, available: 1 });
    expect(await outcome(reserve(plenty, 0))).toBe('INVALID_QUANTITY');
    expect(await outcome(reserve(plenty, 1000))).toBe('INVALID_QUANTITY');
    expect(await outcome(reserve(randomUUID(), 1))).toBe('UNKNOWN_VARIANT');
    expect(await outcome(reserve(plenty, 1, { locationId: 'nowhere' }))).toBe('UNKNOWN_LOCATION');
    expect(await outcome(reserve(plenty, 1, { ttlSeconds: 24 * 3600 + 1 }))).toBe('INVALID_TTL');
    // Stock elsewhere does not count.
    expect(await outcome(reserve(plenty, 1, { locationId: OTHER_STORE }))).toBe('INSUFFICIENT_STOCK');
  });

  it('answers a retried key with the same reservation, also when the retries race, and refuses a reused key', async () => {
    const variantId = await sku(10);
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 8 }, () => reserve(variantId, 2, { key })));
    expect(new Set(answers.map((r) => r.id)).size).toBe(1);
    expect(await level(variantId)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    expect(await outcome(reserve(variantId, 3, { key }))).toBe('IDEMPOTENCY_KEY_REUSED');
    const clerk: Principal = { kind: 'STAFF', staffId: 'c-1', role: 'STORE_STAFF', locationId: STORE };
    await expect(domain.reservations.reserve(clerk, { idempotencyKey: key, locationId: STORE, lines: [{ variantId, quantity: 2 }] })).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  });

  it('never oversells: of 40 concurrent reservations of one unit for 10 available, exactly 10 hold', async () => {
    const variantId = await sku(10);
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => outcome(reserve(variantId, 1))));
    expect(outcomes.filter((o) => o === 'OK')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'INSUFFICIENT_STOCK')).toHaveLength(30);
    expect(await level(variantId)).toEqual({ onHand: 10, reserved: 10, available: 0 });
    await ledgerAgrees();
  });

  it('sweeps lapsed reservations back into available; a lapsed one cannot be committed', async () => {
    const variantId = await sku(4);
    const lapsing = await reserve(variantId, 3, { ttlSeconds: 60 });
    const lasting = await reserve(variantId, 1, { ttlSeconds: 3600 });
    const later = new Date(Date.now() + 61_000);
    expect(await outcome(domain.reservations.commit(ordersService, lapsing.id, later))).toBe('RESERVATION_EXPIRED');
    expect(await domain.reservations.sweepExpired(later)).toBeGreaterThanOrEqual(1);
    expect(await level(variantId)).toEqual({ onHand: 4, reserved: 1, available: 3 });
    expect(await outcome(domain.reservations.commit(ordersService, lapsing.id))).toBe('RESERVATION_EXPIRED');
    // Releasing a lapsed reservation changes nothing more; the other one is untouched.
    expect((await domain.reservations.release(ordersService, lapsing.id)).status).toBe(ReservationStatus.EXPIRED);
    expect((await domain.reservations.commit(ordersService, lasting.id)).status).toBe(ReservationStatus.COMMITTED);
    expect(await level(variantId)).toEqual({ onHand: 3, reserved: 0, available: 3 });
    await ledgerAgrees();
  });

  it('lets store staff reserve at their own store only', async () => {
    const variantId = await sku(2);
    const clerk: Principal = { kind: 'STAFF', staffId: 'c-2', role: 'STORE_STAFF', locationId: OTHER_STORE };
    await expect(domain.reservations.reserve(clerk, { idempotencyKey: randomUUID(), locationId: STORE, lines: [{ variantId, quantity: 1 }] })).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    const held = await reserve(variantId, 1);
    await expect(domain.reservations.release(clerk, held.id)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(await level(variantId)).toEqual({ onHand: 2, reserved: 1, available: 1 });
  });
});
