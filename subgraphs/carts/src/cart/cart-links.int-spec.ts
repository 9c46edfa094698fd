import { randomUUID } from 'node:crypto';
import type { EventPayloads } from '../../../../shared/events/catalog';
import { idempotentHandler } from '../../../../shared/events/consumer';
import { envelope, type EventEnvelope } from '../../../../shared/events/envelope';
import type { EventBatchHandler } from '../../../../shared/events/bus';
import { OutboxEventRow } from '../../../../shared/events/outbox.entity';
import { testConfig } from '../../../../shared/testkit';
import { openTestSubgraph, type TestSubgraph } from '../../../../shared/testkit/subgraph';
import type { CartsContext } from '../context';
import { cartsSubgraph } from '../definition';
import type { CartsDomain } from '../domain';
import { CartLineRow, CartMergeMoveRow, CartRow, CartStatus } from './cart.entity';
import { CartExpiry } from './cart-expiry';

const config = testConfig();

function customerEvent<T extends 'customer.merged' | 'customer.unmerged' | 'customer.erased'>(type: T, payload: EventPayloads[T]): EventEnvelope {
  return envelope('customers', { type, key: 'customerId' in payload ? payload.customerId : payload.survivorId, payload });
}

// Carts and the customers service's merges, unmerges and erasures, on a real database (no inventory:
// these paths do not ask it).
describe('carts follow merges, unmerges and erasures', () => {
  let opened: TestSubgraph<CartsDomain, CartsContext>;
  let domain: CartsDomain;
  let handle: EventBatchHandler;

  beforeAll(async () => {
    opened = await openTestSubgraph(cartsSubgraph, config);
    domain = opened.subgraph.domain;
    handle = idempotentHandler(opened.subgraph.db, cartsSubgraph.consumes!.handler(domain));
  });
  afterAll(() => opened.close());

  const db = () => opened.subgraph.db;

  /** A customer's active cart with these lines (variant → units), written as the service writes them. */
  async function cartOf(customerId: string, lines: Record<string, number>): Promise<CartRow> {
    const cart = await domain.carts.activeCartOf(customerId, 'APP');
    await db().transaction(async (manager) => {
      for (const [variantId, quantity] of Object.entries(lines)) {
        await manager.getRepository(CartLineRow).insert({ id: randomUUID(), cartId: cart.id, variantId, productId: `p-${variantId}`, quantity, addedAt: new Date() });
      }
    });
    return cart;
  }

  async function linesOf(cartId: string): Promise<Record<string, number>> {
    const lines = await domain.carts.linesOf([cartId]);
    return Object.fromEntries(lines.map((l) => [l.variantId, l.quantity]));
  }

  const active = async (customerId: string) => (await domain.carts.activeOfCustomers([customerId]))[0] ?? null;

  it('a merge moves the merged-away cart into the survivor\'s (quantities add up to the line limit); the unmerge gives them back', async () => {
    const [survivor, merged, mergeId] = [randomUUID(), randomUUID(), randomUUID()];
    const kept = await cartOf(survivor, { shirt: 2, socks: 9 });
    const away = await cartOf(merged, { socks: 3, cap: 1 });
    const before = await db().manager.getRepository(OutboxEventRow).count();

    await handle([customerEvent('customer.merged', { mergeId, survivorId: survivor, mergedId: merged, mergedAt: new Date().toISOString() })]);
    // socks: 9 + 3 capped at the per-line limit (10); what moved is remembered.
    expect(await linesOf(kept.id)).toEqual({ shirt: 2, socks: 10, cap: 1 });
    expect(await linesOf(away.id)).toEqual({});
    expect((await db().manager.getRepository(CartRow).findOneByOrFail({ id: away.id })).status).toBe(CartStatus.MERGED);
    expect(await active(merged)).toBeNull();
    // The survivor's cart changed: customers hears of it (CART_ABANDONED follows the survivor's cart).
    const events = (await db().manager.getRepository(OutboxEventRow).find({ order: { seq: 'ASC' } })).slice(before);
    expect(events.map((e) => [e.type, JSON.parse(e.payload).customerId, JSON.parse(e.payload).itemCount])).toEqual([['cart.changed', survivor, 13]]);
    // Handled again (a redelivery): nothing more moves.
    await handle([customerEvent('customer.merged', { mergeId, survivorId: survivor, mergedId: merged, mergedAt: new Date().toISOString() })]);
    expect(await linesOf(kept.id)).toEqual({ shirt: 2, socks: 10, cap: 1 });

    await handle([customerEvent('customer.unmerged', { mergeId, survivorId: survivor, mergedId: merged, restoredIds: [merged] })]);
    expect(await linesOf(kept.id)).toEqual({ shirt: 2, socks: 9 });
    expect(await active(merged)).toMatchObject({ id: away.id, status: CartStatus.ACTIVE });
    expect(await linesOf(away.id)).toEqual({ socks: 1, cap: 1 });
    expect(await db().manager.getRepository(CartMergeMoveRow).countBy({ mergeId })).toBe(0);
  });

  it('the merged-away id reaches the survivor\'s cart, through a chain of merges', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await handle([customerEvent('customer.merged', { mergeId: randomUUID(), survivorId: b, mergedId: a, mergedAt: new Date().toISOString() })]);
    await handle([customerEvent('customer.merged', { mergeId: randomUUID(), survivorId: c, mergedId: b, mergedAt: new Date().toISOString() })]);
    const cart = await domain.carts.activeCartOf(a, 'EC');
    expect(cart.customerId).toBe(c);
  });

  it('an erasure deletes every cart of the person and its lines', async () => {
    const [customer, merged] = [randomUUID(), randomUUID()];
    const mine = await cartOf(customer, { shirt: 1 });
    const theirs = await cartOf(merged, { cap: 2 });
    await handle([customerEvent('customer.merged', { mergeId: randomUUID(), survivorId: customer, mergedId: merged, mergedAt: new Date().toISOString() })]);
    await handle([customerEvent('customer.erased', { customerId: customer, erasedIds: [customer, merged], erasedAt: new Date().toISOString() })]);
    expect(await db().manager.getRepository(CartRow).countBy([{ id: mine.id }, { id: theirs.id }])).toBe(0);
    expect(await domain.carts.linesOf([mine.id, theirs.id])).toEqual([]);
  });

  it('anonymous carts idle past CART_ANONYMOUS_IDLE_DAYS expire and lose their lines; customers\' carts are kept', async () => {
    const anonymous = await domain.carts.create({ kind: 'ANONYMOUS' }, 'EC', []);
    const customers = await cartOf(randomUUID(), { shirt: 1 });
    await db().transaction(async (manager) => {
      await manager.getRepository(CartLineRow).insert({ id: randomUUID(), cartId: anonymous.id, variantId: 'shirt', productId: 'p-shirt', quantity: 1, addedAt: new Date() });
    });
    const later = new Date(Date.now() + (config.carts.anonymousIdleDays + 1) * 24 * 3600 * 1000);
    const expiry = new CartExpiry(db(), config.carts.anonymousIdleDays);
    expect(await expiry.run(new Date())).toBe(0);
    expect(await expiry.run(later)).toBeGreaterThanOrEqual(1);
    expect((await domain.carts.byIds([anonymous.id]))[0].status).toBe(CartStatus.EXPIRED);
    expect(await domain.carts.linesOf([anonymous.id])).toEqual([]);
    expect((await domain.carts.byIds([customers.id]))[0].status).toBe(CartStatus.ACTIVE);
  });
});
