import { randomUUID } from 'node:crypto';
import { PRINCIPAL_HEADER, signPrincipal, type Principal } from '../../../../shared/auth/principal';
import type { EventPayloads } from '../../../../shared/events/catalog';
import { idempotentHandler } from '../../../../shared/events/consumer';
import { envelope } from '../../../../shared/events/envelope';
import { OutboxEventRow } from '../../../../shared/events/outbox.entity';
import type { OpenSubgraph } from '../../../../shared/subgraph';
import { graphql, testConfig } from '../../../../shared/testkit';
import { openTestSubgraph, type TestSubgraph } from '../../../../shared/testkit/subgraph';
import type { OrdersContext } from '../context';
import type { CustomersClient } from '../customers-client/customers.client';
import { ordersSubgraph } from '../definition';
import type { OrdersDomain } from '../domain';
import type { InventoryClient, Reservation } from '../inventory-client/inventory.client';
import { ReturnService } from '../return/return.service';
import { addDays, businessDate } from './checkout-rules';
import { Order } from './order.entity';
import { OrderPlacement } from './order-placement.service';
import { KONBINI_DEADLINE_PASSED } from './order-status.service';

/**
 * placeOrder as a checkout, on the orders subgraph alone (signed principals, as the gateway and the
 * carts service send them; inventory a stand-in): address snapshots, delivery dates, fees and
 * payments; sales at the till; recordPayment; the konbini deadline; who sees the address, and its
 * erasure.
 */
const config = testConfig();
const as = (principal: Principal) => ({ [PRINCIPAL_HEADER]: signPrincipal(principal, config.internalSigningKey) });
const WAREHOUSE = 'wh-co1';
const STORE = 'st-co1';
const OTHER_STORE = 'st-co2';
/** ¥1,800 a unit: two come to ¥3,600, below free shipping (¥5,000). */
const VARIANT = 'v-co1';
const PRODUCT = 'p-co1';
const PRICE = 1800;
/** A style sold in stores only. */
const STORE_ONLY = 'v-co2';

const carts: Principal = { kind: 'SERVICE', service: 'carts' };
const clerk: Principal = { kind: 'STAFF', staffId: 'clerk-1', role: 'STORE_STAFF', locationId: STORE };
const support: Principal = { kind: 'STAFF', staffId: 'agent-1', role: 'SUPPORT' };
const marketing: Principal = { kind: 'STAFF', staffId: 'mk-1', role: 'MARKETING' };
const provider: Principal = { kind: 'PARTNER', partnerId: 'psp-1', scopes: ['payments:write'] };

/** Inventory as the orders service sees it: a warehouse and two stores, each with plenty of the one variant. */
class StandInInventory {
  reservations: Array<{ id: string; locationId: string }> = [];
  committed: string[] = [];

  async catalogFor(variantIds: string[]) {
    const available = new Map([WAREHOUSE, STORE, OTHER_STORE].map((l) => [l, 100]));
    return {
      variants: variantIds.map((id) => ([VARIANT, STORE_ONLY].includes(id) ? { id, productId: PRODUCT, soldOnline: id !== STORE_ONLY, unitPrice: PRICE, available } : null)),
      locations: [
        { id: WAREHOUSE, type: 'WAREHOUSE' as const, pickupEnabled: false },
        { id: STORE, type: 'STORE' as const, pickupEnabled: true },
        { id: OTHER_STORE, type: 'STORE' as const, pickupEnabled: true },
      ],
    };
  }

  async location(id: string) {
    return [WAREHOUSE, STORE, OTHER_STORE].includes(id) ? { id, type: id === WAREHOUSE ? 'WAREHOUSE' : 'STORE', pickupEnabled: true } : null;
  }

  async reserve(input: { locationId: string; lines: Array<{ variantId: string; quantity: number }> }): Promise<Reservation> {
    const reservation = {
      id: randomUUID(),
      locationId: input.locationId,
      lines: input.lines.map((l) => ({ variantId: l.variantId, productId: PRODUCT, quantity: l.quantity, unitPrice: PRICE, currencyCode: 'JPY', taxRate: 0.1 })),
    };
    this.reservations.push({ id: reservation.id, locationId: reservation.locationId });
    return reservation;
  }

  async commitForOrder(reservationId: string): Promise<void> {
    this.committed.push(reservationId);
  }

  async release(): Promise<void> {}
}

const ORDER_FIELDS = `id number channel status total { amount } taxTotal { amount } location { id }
  fulfillment { type status location { id } }
  shippingAddress { recipientName postalCode prefecture city line1 line2 phone }
  deliveryDate deliverySlot shippingFee { amount } paymentFee { amount }
  payment { method status reference deadline paidAt } cart { id }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { orderNumber userErrors { field code } order { ${ORDER_FIELDS} } } }`;
const READ = `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
const RECORD = `mutation($input: RecordPaymentInput!) { recordPayment(input: $input) {
  orderNumber payment { method status reference paidAt } userErrors { field code } } }`;
const RETURN = `mutation($input: CreateReturnInput!) { createReturn(input: $input) { return { refundTotal { amount } } userErrors { code } } }`;

/** As the carts service sends an address: typed by the shopper, line2 explicitly null. */
const ADDRESS = { recipientName: '山田 花子', postalCode: '１５０－００４１', prefecture: 'Tokyo', city: '渋谷区', line1: '神南1-2-3', line2: null, phone: '090-1234-5678' };
const SNAPSHOT = { recipientName: '山田 花子', postalCode: '1500041', prefecture: '東京都', city: '渋谷区', line1: '神南1-2-3', line2: null, phone: '+819012345678' };

let opened: TestSubgraph<OrdersDomain, OrdersContext>;
let orders: OpenSubgraph<OrdersDomain, OrdersContext>;
let inventory: StandInInventory;
let url: string;

beforeAll(async () => {
  opened = await openTestSubgraph(ordersSubgraph, config);
  orders = opened.subgraph;
  url = (await orders.listen(0)).url;
  inventory = new StandInInventory();
  const customers = { stands: async () => true } as unknown as CustomersClient;
  const stock = inventory as unknown as InventoryClient;
  const { config: running, logger, outbox } = orders.infra;
  // The domain's placement and returns, with inventory's stand-in.
  orders.domain.placement = new OrderPlacement(orders.db, orders.domain.orders, stock, customers, logger, running.reservations.holdSeconds, {
    settings: running.checkout,
    timeZone: running.tzBusiness,
  });
  orders.domain.returns = new ReturnService(orders.db, outbox, stock);
});
afterAll(() => opened.close());

/** A day `days` after today in the business calendar. */
const inDays = (days: number) => addDays(businessDate(new Date(), config.tzBusiness), days);

function input(overrides: Record<string, unknown> = {}, fulfillment: Record<string, unknown> = {}) {
  return {
    idempotencyKey: randomUUID(),
    channel: 'EC',
    customerId: randomUUID(),
    lines: [{ variantId: VARIANT, quantity: 2 }],
    ...overrides,
    fulfillment: { type: 'SHIP', ...fulfillment },
  };
}

async function place(principal: Principal, variables: Record<string, unknown>) {
  const response = await graphql<{ placeOrder: { orderNumber: string | null; userErrors: Array<{ field: string[]; code: string }>; order: Record<string, any> | null } }>( // eslint-disable-line @typescript-eslint/no-explicit-any
    url,
    PLACE,
    { input: variables },
    as(principal),
  );
  return response;
}

/** placeOrder that must succeed: the order as its payload shows it. */
async function placed(principal: Principal, variables: Record<string, unknown>) {
  const { data, errors } = await place(principal, variables);
  expect({ errors, userErrors: data?.placeOrder.userErrors }).toEqual({ errors: undefined, userErrors: [] });
  return data!.placeOrder.order!;
}

/** placeOrder that must stop with a userError: its code. */
async function refusal(principal: Principal, variables: Record<string, unknown>) {
  const { data, errors } = await place(principal, variables);
  expect(errors).toBeUndefined();
  expect(data!.placeOrder.order).toBeNull();
  return data!.placeOrder.userErrors.map((e) => e.code);
}

/** The thrown error's code of a request refused outright (FORBIDDEN, UNAUTHENTICATED). */
async function deniedCode(principal: Principal, variables: Record<string, unknown>) {
  const { data, errors } = await place(principal, variables);
  expect(data?.placeOrder ?? null).toBeNull();
  return errors?.map((e) => e.extensions?.code);
}

async function read(principal: Principal, id: string) {
  const { data, errors } = await graphql<{ order: Record<string, any> }>(url, READ, { id }, as(principal)); // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(errors).toBeUndefined();
  return data!.order;
}

async function outbox<T extends 'order.placed' | 'order.cancelled'>(type: T, orderId: string) {
  const rows = await orders.db.manager.getRepository(OutboxEventRow).findBy({ type, key: orderId });
  return rows.map((row) => JSON.parse(row.payload) as EventPayloads[T]);
}

async function recordPayment(principal: Principal, variables: { orderId: string; status: string; reference: string }) {
  const { data, errors } = await graphql<{ recordPayment: { orderNumber: string | null; payment: Record<string, unknown> | null; userErrors: Array<{ code: string }> } }>(
    url,
    RECORD,
    { input: variables },
    as(principal),
  );
  return { data: data?.recordPayment ?? null, errors: errors?.map((e) => e.extensions?.code) };
}
const codesOf = (result: Awaited<ReturnType<typeof recordPayment>>) => result.data?.userErrors.map((e) => e.code);

describe('placeOrder with a checkout', () => {
  it('ships cash on delivery with the address snapshot, the date and slot, the shipping and COD fees in the total, and a pending payment', async () => {
    const customerId = randomUUID();
    const deliveryDate = inDays(config.checkout.deliveryLeadDays);
    const order = await placed(
      { kind: 'CUSTOMER', customerId },
      input({ customerId, payment: { method: 'CASH_ON_DELIVERY', reference: null } }, { address: ADDRESS, deliveryDate, deliverySlot: 'H19_21' }),
    );
    const goods = 2 * PRICE;
    const { shippingFee, cashOnDeliveryFee } = config.checkout;
    expect(goods).toBeLessThan(config.checkout.freeShippingFrom);
    expect(order).toMatchObject({
      channel: 'EC',
      status: 'PLACED',
      total: { amount: goods + shippingFee + cashOnDeliveryFee },
      // Tax inside the goods and inside each fee, at 10 %.
      taxTotal: { amount: Math.floor(goods / 11) + Math.floor(shippingFee / 11) + Math.floor(cashOnDeliveryFee / 11) },
      fulfillment: { type: 'SHIP', status: 'PENDING', location: { id: WAREHOUSE } },
      shippingAddress: SNAPSHOT,
      deliveryDate,
      deliverySlot: 'H19_21',
      shippingFee: { amount: shippingFee },
      paymentFee: { amount: cashOnDeliveryFee },
      payment: { method: 'CASH_ON_DELIVERY', status: 'PENDING', reference: null, deadline: null, paidAt: null },
      cart: null,
    });
    // Lifetime value counts what was paid: order.placed carries the same total; the lines are the goods.
    const [event] = await outbox('order.placed', order.id);
    expect(event).toMatchObject({ total: goods + shippingFee + cashOnDeliveryFee, stockEffect: 'COMMIT_RESERVATION', lines: [{ variantId: VARIANT, quantity: 2, unitPrice: PRICE }] });
    expect(inventory.committed).toContain(event.reservationId);
    expect(await read({ kind: 'CUSTOMER', customerId }, order.id)).toEqual(order);
  });

  it('ships free from the threshold, and a card payment starts authorised with its reference', async () => {
    const units = Math.ceil(config.checkout.freeShippingFrom / PRICE);
    const order = await placed(carts, input({ lines: [{ variantId: VARIANT, quantity: units }], payment: { method: 'CARD', reference: 'pi_free' } }, { address: ADDRESS }));
    expect(order).toMatchObject({
      total: { amount: units * PRICE },
      shippingFee: { amount: 0 },
      paymentFee: null,
      deliveryDate: null,
      deliverySlot: 'ANY',
      payment: { method: 'CARD', status: 'AUTHORIZED', reference: 'pi_free', deadline: null },
    });
  });

  it('places an order without a payment exactly as before checkout: no payment, no fees, the goods as total', async () => {
    const order = await placed(support, input());
    expect(order).toMatchObject({ total: { amount: 2 * PRICE }, shippingAddress: null, deliveryDate: null, deliverySlot: null, shippingFee: null, paymentFee: null, payment: null, cart: null });
  });

  it('refuses what the rules refuse, with their codes', async () => {
    const customerId = randomUUID();
    const customer: Principal = { kind: 'CUSTOMER', customerId };
    const checkout = (payment: Record<string, unknown>, fulfillment: Record<string, unknown> = { address: ADDRESS }) => input({ customerId, payment }, fulfillment);
    expect(await refusal(customer, checkout({ method: 'CASH_ON_DELIVERY' }, {}))).toEqual(['ADDRESS_REQUIRED']);
    expect(await refusal(customer, checkout({ method: 'CASH_ON_DELIVERY' }, { address: { ...ADDRESS, postalCode: '12' } }))).toEqual(['INVALID_POSTAL_CODE']);
    expect(await refusal(customer, checkout({ method: 'CASH_ON_DELIVERY' }, { address: ADDRESS, deliveryDate: inDays(0) }))).toEqual(['DELIVERY_DATE_OUT_OF_RANGE']);
    expect(await refusal(customer, checkout({ method: 'CASH_ON_DELIVERY' }, { address: ADDRESS, deliveryDate: inDays(config.checkout.deliveryHorizonDays + 1) }))).toEqual(['DELIVERY_DATE_OUT_OF_RANGE']);
    expect(await refusal(customer, checkout({ method: 'PAY_AT_STORE' }))).toEqual(['PAYMENT_METHOD_NOT_ALLOWED']);
    expect(await refusal(customer, checkout({ method: 'KONBINI', reference: null }))).toEqual(['PAYMENT_REFERENCE_REQUIRED']);
    expect(await refusal(customer, input({ customerId, channel: 'STORE' }))).toEqual(['UNSUPPORTED_CHANNEL']);
    expect(await refusal(customer, input({ customerId, lines: [{ variantId: STORE_ONLY, quantity: 1 }] }))).toEqual(['NOT_SOLD_ONLINE']);
    expect(await refusal(customer, input({ customerId, payment: { method: 'CARD', reference: 'r' } }, { type: 'CARRY_OUT', locationId: STORE }))).toEqual(['UNSUPPORTED_FULFILLMENT']);
  });

  it('takes cartId from the carts service only; everyone else is refused outright', async () => {
    const cartId = randomUUID().replace(/-/g, '');
    const customerId = randomUUID();
    const fromCart = input({ customerId, cartId, payment: { method: 'PAY_AT_STORE' } }, { type: 'PICKUP_IN_STORE', locationId: STORE });
    expect(await deniedCode({ kind: 'CUSTOMER', customerId }, fromCart)).toEqual(['FORBIDDEN']);
    expect(await deniedCode(clerk, fromCart)).toEqual(['FORBIDDEN']);
    expect(await deniedCode({ kind: 'ANONYMOUS' }, { ...fromCart, customerId: null, guestEmail: 'guest@example.jp' })).toEqual(['FORBIDDEN']);
    const order = await placed(carts, fromCart);
    expect(order).toMatchObject({
      cart: { id: cartId },
      location: { id: STORE },
      fulfillment: { type: 'PICKUP_IN_STORE', location: { id: STORE } },
      shippingFee: null,
      payment: { method: 'PAY_AT_STORE', status: 'PENDING' },
    });
    // The same checkout sent again (a retry of the carts service) is the same order.
    expect((await placed(carts, fromCart)).id).toBe(order.id);
  });
});

describe('a sale at the till (CARRY_OUT)', () => {
  const tillSale = (locationId: string, payment: Record<string, unknown> | null = { method: 'PAY_AT_STORE' }) =>
    input({ channel: 'STORE', customerId: null, payment }, { type: 'CARRY_OUT', locationId });

  it('is rung up by store staff at their store: reserved and committed there, completed, handed over and paid; it can be returned', async () => {
    const before = inventory.reservations.length;
    const order = await placed(clerk, tillSale(STORE));
    expect(order).toMatchObject({
      channel: 'STORE',
      status: 'COMPLETED',
      location: { id: STORE },
      fulfillment: { type: 'CARRY_OUT', status: 'PICKED_UP', location: { id: STORE } },
      total: { amount: 2 * PRICE },
      shippingFee: null,
      payment: { method: 'PAY_AT_STORE', status: 'PAID', reference: null, deadline: null },
    });
    expect(order.payment.paidAt).toEqual(expect.any(String));
    expect(order.number).toMatch(/^ST-/);
    const [reservation] = inventory.reservations.slice(before);
    expect(reservation.locationId).toBe(STORE);
    const [event] = await outbox('order.placed', order.id);
    expect(event).toMatchObject({ channel: 'STORE', locationId: STORE, stockEffect: 'COMMIT_RESERVATION', reservationId: reservation.id });
    expect(inventory.committed).toContain(reservation.id);

    const { data } = await graphql<{ createReturn: { return: { refundTotal: { amount: number } } | null; userErrors: unknown[] } }>(
      url,
      RETURN,
      { input: { orderId: order.id, locationId: STORE, lines: [{ variantId: VARIANT, quantity: 1 }] } },
      as(clerk),
    );
    expect(data!.createReturn).toEqual({ return: { refundTotal: { amount: PRICE } }, userErrors: [] });
  });

  it('is refused to staff of another store, to everyone but store staff and the carts service, and without a payment', async () => {
    const before = inventory.reservations.length;
    expect(await deniedCode(clerk, tillSale(OTHER_STORE))).toEqual(['FORBIDDEN']);
    expect(await deniedCode(support, tillSale(STORE))).toEqual(['FORBIDDEN']);
    expect(await deniedCode({ kind: 'CUSTOMER', customerId: randomUUID() }, tillSale(STORE))).toEqual(['FORBIDDEN']);
    expect(await deniedCode({ kind: 'ANONYMOUS' }, tillSale(STORE))).toEqual(['UNAUTHENTICATED']);
    expect(await refusal(clerk, tillSale(STORE, null))).toEqual(['PAYMENT_REQUIRED']);
    expect(await refusal(clerk, tillSale(STORE, { method: 'KONBINI', reference: 'k' }))).toEqual(['PAYMENT_METHOD_NOT_ALLOWED']);
    expect(await refusal(clerk, input({ channel: 'STORE', customerId: null, payment: { method: 'PAY_AT_STORE' } }, { type: 'CARRY_OUT' }))).toEqual(['LOCATION_REQUIRED']);
    expect(inventory.reservations.length).toBe(before);
  });

  it('is rung up by the carts service at any store, for a customer or nobody, paid by card at the terminal; a store sells what is not sold online', async () => {
    const order = await placed(carts, { ...tillSale(OTHER_STORE, { method: 'CARD', reference: 'pos-77' }), lines: [{ variantId: STORE_ONLY, quantity: 1 }] });
    expect(order).toMatchObject({ status: 'COMPLETED', location: { id: OTHER_STORE }, payment: { method: 'CARD', status: 'PAID', reference: 'pos-77' } });
    const customerId = randomUUID();
    const forCustomer = await placed(carts, { ...tillSale(STORE), customerId });
    expect((await orders.domain.orders.byId(forCustomer.id))!.customerId).toBe(customerId);
  });
});

describe('recordPayment', () => {
  const cardOrder = (reference: string) => placed(carts, input({ payment: { method: 'CARD', reference } }, { address: ADDRESS }));

  it('moves a card payment to PAID (recording when), again is no change, then REFUNDED; the order number answers the provider', async () => {
    const order = await cardOrder('pi_1');
    const paid = await recordPayment(provider, { orderId: order.id, status: 'PAID', reference: 'pi_1' });
    expect(paid).toEqual({ errors: undefined, data: { orderNumber: order.number, payment: { method: 'CARD', status: 'PAID', reference: 'pi_1', paidAt: expect.any(String) }, userErrors: [] } });
    const again = await recordPayment(provider, { orderId: order.id, status: 'PAID', reference: 'pi_1' });
    expect(again.data!.payment).toEqual(paid.data!.payment);
    expect(codesOf(await recordPayment(provider, { orderId: order.id, status: 'AUTHORIZED', reference: 'pi_1' }))).toEqual(['ILLEGAL_PAYMENT_TRANSITION']);
    expect((await recordPayment(provider, { orderId: order.id, status: 'REFUNDED', reference: 'pi_1' })).data!.payment).toMatchObject({ status: 'REFUNDED' });
    expect(codesOf(await recordPayment(provider, { orderId: order.id, status: 'PAID', reference: 'pi_1' }))).toEqual(['ILLEGAL_PAYMENT_TRANSITION']);
    expect((await read(support, order.id)).payment).toMatchObject({ status: 'REFUNDED', paidAt: paid.data!.payment!.paidAt });
  });

  it('answers each refusal with its code', async () => {
    const order = await cardOrder('pi_2');
    expect(codesOf(await recordPayment(provider, { orderId: order.id, status: 'PAID', reference: 'pi_other' }))).toEqual(['PAYMENT_REFERENCE_MISMATCH']);
    expect(codesOf(await recordPayment(provider, { orderId: order.id, status: 'FAILED', reference: 'pi_2' }))).toEqual([]);
    expect(codesOf(await recordPayment(provider, { orderId: order.id, status: 'PAID', reference: 'pi_2' }))).toEqual(['ILLEGAL_PAYMENT_TRANSITION']);
    const unpaid = await placed(support, input());
    expect(codesOf(await recordPayment(provider, { orderId: unpaid.id, status: 'PAID', reference: 'x' }))).toEqual(['NO_PAYMENT']);
    const cancelled = await cardOrder('pi_3');
    await orders.domain.statusChanges.cancel(support, cancelled.id, 'changed my mind');
    expect(codesOf(await recordPayment(provider, { orderId: cancelled.id, status: 'PAID', reference: 'pi_3' }))).toEqual(['ORDER_CANCELLED']);
    // The authorisation of a cancelled order may still be reported failed (voided).
    expect(codesOf(await recordPayment(provider, { orderId: cancelled.id, status: 'FAILED', reference: 'pi_3' }))).toEqual([]);
    expect((await recordPayment(provider, { orderId: randomUUID(), status: 'PAID', reference: 'x' })).errors).toEqual(['NOT_FOUND']);
  });

  it('gives an order paid on delivery the reference first recorded', async () => {
    const order = await placed(carts, input({ payment: { method: 'CASH_ON_DELIVERY' } }, { address: ADDRESS }));
    expect((await recordPayment(provider, { orderId: order.id, status: 'PAID', reference: 'cod-9' })).data!.payment).toMatchObject({ status: 'PAID', reference: 'cod-9' });
    expect(codesOf(await recordPayment(provider, { orderId: order.id, status: 'REFUNDED', reference: 'cod-10' }))).toEqual(['PAYMENT_REFERENCE_MISMATCH']);
    const blank = await placed(carts, input({ payment: { method: 'CASH_ON_DELIVERY' } }, { address: ADDRESS }));
    expect(codesOf(await recordPayment(provider, { orderId: blank.id, status: 'PAID', reference: '  ' }))).toEqual(['PAYMENT_REFERENCE_MISMATCH']);
  });

  it('is for payment providers (payments:write), admins and services only', async () => {
    const order = await cardOrder('pi_4');
    const variables = { orderId: order.id, status: 'PAID', reference: 'pi_4' };
    for (const caller of [support, clerk, { kind: 'PARTNER', partnerId: 'p-9', scopes: ['orders:write'] } as Principal, { kind: 'CUSTOMER', customerId: randomUUID() } as Principal]) {
      expect(await recordPayment(caller, variables)).toEqual({ data: null, errors: ['FORBIDDEN'] });
    }
    expect(codesOf(await recordPayment({ kind: 'STAFF', staffId: 'a-1', role: 'ADMIN' }, variables))).toEqual([]);
  });
});

describe('the konbini deadline', () => {
  it('cancels an order still unpaid after its deadline through the cancel path (order.cancelled names the reservation), once; a paid one stays', async () => {
    const placedAt = Date.now();
    const unpaid = await placed(carts, input({ payment: { method: 'KONBINI', reference: 'k-1' } }, { address: ADDRESS }));
    const paid = await placed(carts, input({ payment: { method: 'KONBINI', reference: 'k-2' } }, { address: ADDRESS }));
    const deadline = new Date(unpaid.payment.deadline).getTime();
    expect(deadline - placedAt).toBeGreaterThanOrEqual(config.checkout.konbiniPaymentDays * 24 * 3600 * 1000 - 60_000);
    expect(deadline - placedAt).toBeLessThanOrEqual(config.checkout.konbiniPaymentDays * 24 * 3600 * 1000 + 60_000);
    expect(codesOf(await recordPayment(provider, { orderId: paid.id, status: 'PAID', reference: 'k-2' }))).toEqual([]);

    // Before the deadline nothing happens.
    expect(await orders.domain.payments.cancelOverdueKonbini(new Date(deadline - 1000))).toBe(0);
    expect((await read(support, unpaid.id)).status).toBe('PLACED');

    const after = new Date(deadline + 60_000);
    expect(await orders.domain.payments.cancelOverdueKonbini(after)).toBe(1);
    expect(await orders.domain.payments.cancelOverdueKonbini(after)).toBe(0);
    expect(await read(support, unpaid.id)).toMatchObject({ status: 'CANCELLED', payment: { method: 'KONBINI', status: 'FAILED', reference: 'k-1' } });
    expect((await orders.domain.orders.byId(unpaid.id))!.cancelReason).toBe(KONBINI_DEADLINE_PASSED);
    const [placedEvent] = await outbox('order.placed', unpaid.id);
    const cancelled = await outbox('order.cancelled', unpaid.id);
    expect(cancelled).toEqual([
      expect.objectContaining({
        orderId: unpaid.id,
        reason: KONBINI_DEADLINE_PASSED,
        reservationId: placedEvent.reservationId,
        restock: { locationId: WAREHOUSE, lines: [{ variantId: VARIANT, productId: PRODUCT, quantity: 2 }] },
      }),
    ]);
    expect((await read(support, paid.id)).status).toBe('PLACED');
    // Paid too late: the order is gone.
    expect(codesOf(await recordPayment(provider, { orderId: unpaid.id, status: 'PAID', reference: 'k-1' }))).toEqual(['ORDER_CANCELLED']);
  });

  it('runs as a periodic job of the orders service', () => {
    expect(ordersSubgraph.periodic?.map((job) => [job.name, job.everyMs])).toEqual([['payments.konbini-deadline', 60_000]]);
  });
});

describe('the shipping address is personal data', () => {
  it('is masked (recipient, street lines and phone) for staff who see contact details masked, in full for the customer and support', async () => {
    const customerId = randomUUID();
    const order = await placed(carts, input({ customerId, payment: { method: 'CARD', reference: 'pi_m' } }, { address: { ...ADDRESS, line2: 'ハイツ101' } }));
    const full = { ...SNAPSHOT, line2: 'ハイツ101' };
    const masked = { ...SNAPSHOT, recipientName: '山* **', line1: '神**-*-*', line2: 'ハ*****', phone: '+81******5678' };
    expect((await read({ kind: 'CUSTOMER', customerId }, order.id)).shippingAddress).toEqual(full);
    expect((await read(support, order.id)).shippingAddress).toEqual(full);
    expect((await read(clerk, order.id)).shippingAddress).toEqual(masked);
    expect((await read(marketing, order.id)).shippingAddress).toEqual(masked);
  });

  it('is erased with its customer (customer.erased), and the rest of the order stays', async () => {
    const customerId = randomUUID();
    const other = randomUUID();
    const order = await placed(carts, input({ customerId, payment: { method: 'CARD', reference: 'pi_e' } }, { address: ADDRESS }));
    const kept = await placed(carts, input({ customerId: other, payment: { method: 'CARD', reference: 'pi_k' } }, { address: ADDRESS }));
    const handle = idempotentHandler(orders.db, ordersSubgraph.consumes!.handler(orders.domain));
    await handle([envelope('customers', { type: 'customer.erased', key: customerId, payload: { customerId, erasedIds: [customerId], erasedAt: new Date().toISOString() } })]);
    const row = await orders.db.manager.getRepository(Order).findOneByOrFail({ id: order.id });
    expect([row.shipRecipientName, row.shipPostalCode, row.shipPrefecture, row.shipCity, row.shipLine1, row.shipLine2, row.shipPhone, row.requestFingerprint, row.customerId]).toEqual(
      Array(9).fill(null),
    );
    expect(await read(support, order.id)).toMatchObject({ shippingAddress: null, total: order.total, payment: order.payment, deliverySlot: 'ANY' });
    expect((await read(support, kept.id)).shippingAddress).toEqual(SNAPSHOT);
  });
});
