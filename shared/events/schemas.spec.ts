import { randomUUID } from 'node:crypto';
import type { EventPayloads, EventType } from './catalog';
import { envelope } from './envelope';
import { decodeEvent, PAYLOAD_SCHEMAS } from './schemas';

const now = new Date().toISOString();
const id = () => randomUUID();

/** One payload of each type of the catalog, as its producer writes it. */
const SAMPLES: { [K in EventType]: EventPayloads[K] } = {
  'customer.registered': { customerId: id(), channel: null },
  'customer.identity_linked': { customerId: id(), identityType: 'MEMBER_CARD', identityValue: '1234' },
  'customer.identity_unlinked': { customerId: id(), identityType: 'EMAIL', identityValue: 'a@example.com' },
  'customer.merged': { mergeId: id(), survivorId: id(), mergedId: id(), mergedAt: now },
  'customer.unmerged': { mergeId: id(), survivorId: id(), mergedId: id(), restoredIds: [id()] },
  'customer.erased': { customerId: id(), erasedIds: [id()], erasedAt: now },
  'customer.consent_changed': { customerId: id(), purpose: 'PUSH', granted: false, changedAt: now },
  'customer.event_tracked': {
    eventId: 'client-1', type: 'SEARCH', channel: 'APP', occurredAt: now, customerId: null, identityType: 'DEVICE',
    identityValue: 'dev-1', productId: null, variantId: null, locationId: null,
  },
  'order.placed': {
    orderId: id(), number: 'EC-1', channel: 'EC', customerId: id(), customerIdentity: null, locationId: null, placedAt: now,
    total: 11000, currencyCode: 'JPY', lines: [{ variantId: id(), productId: id(), quantity: 1, unitPrice: 11000 }],
    stockEffect: 'COMMIT_RESERVATION', reservationId: id(),
  },
  'order.cancelled': { orderId: id(), channel: 'APP', customerId: null, cancelledAt: now, reason: null, restock: null },
  'order.returned': {
    orderId: id(), returnId: id(), channel: 'STORE', customerId: null, locationId: id(), returnedAt: now, refundTotal: 500,
    lines: [{ variantId: id(), productId: id(), quantity: 1, refund: 500 }],
  },
  'product.changed': {
    productId: id(), code: 'P-1', brand: 'b', category: 'c', price: 1000, releasedAt: now, soldOnline: true, variantIds: [],
  },
  'stock.shortage': { orderId: id(), reservationId: id(), locationId: id(), recordedAt: now, lines: [{ variantId: id(), productId: id(), quantity: 2, short: 1 }] },
  'stock.changed': { locationId: id(), levels: [{ variantId: id(), productId: id(), onHand: 1, reserved: 0, available: 1 }] },
  'cart.changed': { cartId: 'c'.repeat(32), customerId: id(), channel: 'APP', itemCount: 2, changedAt: new Date().toISOString(), added: [{ variantId: id(), productId: id(), quantity: 2 }], orderId: null },
};

const producerOf = (type: EventType) => ({ customer: 'customers', order: 'orders', product: 'inventory', stock: 'inventory', cart: 'carts' })[type.split('.')[0] as 'customer'];

describe('the catalog as schemas', () => {
  it.each(Object.keys(PAYLOAD_SCHEMAS) as EventType[])('accepts a %s event as its producer writes it, as JSON or as an object', (type) => {
    const event = envelope(producerOf(type), { type, key: 'k', payload: SAMPLES[type] as never });
    expect(decodeEvent(event.producer, event)).toEqual({ ok: true, event });
    expect(decodeEvent(event.producer, JSON.stringify(event))).toEqual({ ok: true, event });
  });

  it('keeps fields a newer producer added', () => {
    const event = envelope('customers', { type: 'customer.registered', key: 'c', payload: { ...SAMPLES['customer.registered'], since: 'v2' } as never });
    const decoded = decodeEvent('customers', JSON.stringify(event));
    expect(decoded.ok && decoded.event.payload).toEqual({ ...SAMPLES['customer.registered'], since: 'v2' });
  });

  it('refuses what is not JSON, or not an event of the catalog, saying where', () => {
    const good = envelope('orders', { type: 'order.placed', key: 'o', payload: SAMPLES['order.placed'] });
    const cases: Array<[unknown, string, RegExp]> = [
      ['{"id":', 'UNPARSEABLE', /not JSON/],
      ['"just a string"', 'INVALID', /\(entry\)/],
      [{ ...good, payload: { ...good.payload, total: 'a lot' } }, 'INVALID', /^payload\.total:/],
      [{ ...good, payload: { ...good.payload, lines: [{ variantId: 'v' }] } }, 'INVALID', /^payload\.lines\.0\.productId:/],
      [{ ...good, payload: { ...good.payload, placedAt: 'yesterday' } }, 'INVALID', /^payload\.placedAt:/],
      [{ ...good, payload: JSON.stringify(good.payload) }, 'INVALID', /^payload:/],
      [{ ...good, type: 'order.teleported' }, 'INVALID', /^type:/],
      [{ ...good, version: 2 }, 'INVALID', /^version:/],
      [{ ...good, producer: 'customers' }, 'INVALID', /^producer:/],
      [{ ...good, id: 'x'.repeat(37) }, 'INVALID', /^id:/],
      // Well-formed, and out of what any service accepts: junk, not data.
      [{ ...good, payload: { ...good.payload, total: -11000 } }, 'INVALID', /^payload\.total:/],
      [{ ...good, payload: { ...good.payload, lines: [{ ...good.payload.lines[0], quantity: 0 }] } }, 'INVALID', /^payload\.lines\.0\.quantity:/],
      [{ ...good, payload: { ...good.payload, lines: [{ ...good.payload.lines[0], quantity: 1e6 }] } }, 'INVALID', /^payload\.lines\.0\.quantity:/],
      [{ ...good, payload: { ...good.payload, orderId: 'o'.repeat(10_000) } }, 'INVALID', /^payload\.orderId:/],
    ];
    for (const [entry, reason, error] of cases) {
      const decoded = decodeEvent('orders', entry);
      expect(decoded).toMatchObject({ ok: false, reason });
      expect(!decoded.ok && decoded.error).toMatch(error);
    }
    expect(decodeEvent('orders', { ...good, type: 'order.teleported' })).toMatchObject({ eventId: good.id, type: 'order.teleported' });
  });
});
