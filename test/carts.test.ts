import { randomUUID } from 'node:crypto';
import { PartnerKeys } from '../gateway/src/partners/partner-keys';
import { openGatewayDatabase } from '../gateway/src/storage';
import { createLogger } from '../shared/logger';
import { graphql, query, testConfig } from '../shared/testkit';
import { startTestGraph, type TestGraph } from './support/graph';

/**
 * One cart in every channel, through the gateway: a basket started anonymously in the app, claimed on
 * sign-in, added to on the web, found by the clerk with her membership card and paid at the till;
 * a guest shipping checkout with cash on delivery; carts competing for the last units.
 */

let graph: TestGraph;
let admin: Record<string, string>;
const url = () => graph.gateway.url;
const anonymous = {};

const CART_FIELDS = `id status lastChannel itemCount subtotal { amount currencyCode } taxTotal { amount } customer { id } checkedOutOrder { id }
  lines { id quantity variant { id } product { id } unitPrice { amount } total { amount } problem }`;
const CREATE = `mutation($input: CartCreateInput!) { cartCreate(input: $input) { cart { ${CART_FIELDS} } userErrors { field code } } }`;
const ADD = `mutation($input: CartLinesAddInput!) { cartLinesAdd(input: $input) { cart { ${CART_FIELDS} } userErrors { field code } } }`;
const UPDATE = `mutation($input: CartLinesUpdateInput!) { cartLinesUpdate(input: $input) { cart { ${CART_FIELDS} } userErrors { field code } } }`;
const REMOVE = `mutation($input: CartLinesRemoveInput!) { cartLinesRemove(input: $input) { cart { ${CART_FIELDS} } userErrors { field code } } }`;
const CLAIM = `mutation($input: ClaimCartInput!) { claimCart(input: $input) { cart { ${CART_FIELDS} } userErrors { field code } } }`;
const CART = `query($id: ID!) { cart(id: $id) { ${CART_FIELDS} } }`;
const CHECKOUT = `mutation($input: CheckoutCartInput!) { checkoutCart(input: $input) {
  cart { id status checkedOutOrder { id } } order { id number channel status location { id } total { amount } lines { variant { id } quantity } } userErrors { field code } } }`;
/** What a guest sees of her checkout: the order number (the order itself she reads with orderByNumber and her e-mail). */
const GUEST_CHECKOUT = `mutation($input: CheckoutCartInput!) { checkoutCart(input: $input) { cart { id status } orderNumber userErrors { field code } } }`;
const GUEST_ORDER = `query($number: String!, $email: String!) { orderByNumber(number: $number, guestEmail: $email) {
  id status total { amount } shippingFee { amount } deliveryDate deliverySlot
  shippingAddress { recipientName postalCode prefecture city line1 line2 phone }
  payment { method status reference deadline } cart { id } lines { quantity } } }`;
const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { level { available } userErrors { code } } }`;
const LEVELS = `query($id: ID!) { product(id: $id) { variants { id availability { location { id } available } } } }`;

type CartView = {
  id: string;
  status: string;
  itemCount: number;
  subtotal: { amount: number } | null;
  taxTotal: { amount: number } | null;
  customer: { id: string } | null;
  lines: Array<{ id: string; quantity: number; variant: { id: string }; unitPrice: { amount: number } | null; total: { amount: number } | null; problem: string | null }>;
};

let store: { id: string };
/** Styles sold online with their first variant and price; each scenario takes its own. */
let styles: Array<{ productId: string; variantId: string; price: number }>;

async function availableAt(productId: string, variantId: string, locationId: string): Promise<number> {
  const { product } = await query(url(), LEVELS, { id: productId }, admin);
  const variant = product.variants.find((v: { id: string }) => v.id === variantId);
  return variant.availability.find((a: { location: { id: string } }) => a.location.id === locationId)?.available ?? 0;
}

/** Sets the units available of a variant at a location to exactly `units`. */
async function stockExactly(productId: string, variantId: string, locationId: string, units: number): Promise<void> {
  const delta = units - (await availableAt(productId, variantId, locationId));
  if (delta === 0) return;
  const { adjustStock } = await query(url(), ADJUST, { input: { locationId, variantId, delta, reason: 'carts test' } }, admin);
  expect(adjustStock.userErrors).toEqual([]);
}

beforeAll(async () => {
  graph = await startTestGraph({ scale: 0.02, config: testConfig({ RATE_LIMIT_GUEST_ORDERS: '1000000' }) });
  await graph.settle();
  admin = await graph.as({ role: 'ADMIN', staffId: 'admin-carts' });
  store = graph.data.locations.find((l) => l.type === 'STORE' && l.pickupEnabled)!;
  styles = graph.data.products
    .filter((p) => p.soldOnline)
    .slice(0, 10)
    .map((p) => ({ productId: p.id, variantId: p.variants[0].id, price: p.price }));
}, 180_000);
afterAll(() => graph?.teardown(), 60_000);

describe('an anonymous cart', () => {
  it('is created with an unguessable id and priced by the catalog at read time', async () => {
    const [style] = styles;
    await stockExactly(style.productId, style.variantId, store.id, 5);
    const { cartCreate } = await query(url(), CREATE, { input: { channel: 'APP', lines: [{ variantId: style.variantId, quantity: 2 }] } }, anonymous);
    expect(cartCreate.userErrors).toEqual([]);
    const cart: CartView = cartCreate.cart;
    // 192 random bits, base64url.
    expect(cart.id).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(cart).toMatchObject({ status: 'ACTIVE', itemCount: 2, customer: null, subtotal: { amount: 2 * style.price } });
    expect(cart.taxTotal!.amount).toBe(Math.floor((2 * style.price * 1000) / 11000));
    expect(cart.lines).toEqual([expect.objectContaining({ quantity: 2, variant: { id: style.variantId }, unitPrice: { amount: style.price }, problem: null })]);

    // Read and changed by its id alone; a changed quantity and a removed line show at once.
    expect((await query(url(), CART, { id: cart.id }, anonymous)).cart.itemCount).toBe(2);
    const updated = (await query(url(), UPDATE, { input: { cartId: cart.id, lines: [{ lineId: cart.lines[0].id, quantity: 3 }] } }, anonymous)).cartLinesUpdate;
    expect(updated.cart.itemCount).toBe(3);
    const removed = (await query(url(), REMOVE, { input: { cartId: cart.id, lineIds: [cart.lines[0].id] } }, anonymous)).cartLinesRemove;
    expect(removed.cart).toMatchObject({ itemCount: 0, lines: [], subtotal: { amount: 0 } });
  });

  it('refuses bad lines with stable codes and changes nothing', async () => {
    const [, style] = styles;
    const { cartCreate } = await query(url(), CREATE, { input: { channel: 'EC', lines: [{ variantId: style.variantId, quantity: 1 }] } }, anonymous);
    const cartId = cartCreate.cart.id;
    const add = async (lines: unknown) => (await query(url(), ADD, { input: { cartId, lines } }, anonymous)).cartLinesAdd;
    expect((await add([{ variantId: 'no-such-variant', quantity: 1 }])).userErrors).toEqual([{ field: ['input', 'lines', '0', 'variantId'], code: 'UNKNOWN_VARIANT' }]);
    expect((await add([{ variantId: style.variantId, quantity: 0 }])).userErrors[0].code).toBe('INVALID_QUANTITY');
    expect((await add([{ variantId: style.variantId, quantity: 10 }])).userErrors[0].code).toBe('INVALID_QUANTITY');
    const storeOnly = graph.data.products.find((p) => !p.soldOnline);
    if (storeOnly) expect((await add([{ variantId: storeOnly.variants[0].id, quantity: 1 }])).userErrors[0].code).toBe('DISCONTINUED');
    expect((await query(url(), ADD, { input: { cartId: 'x'.repeat(32), lines: [{ variantId: style.variantId, quantity: 1 }] } }, anonymous)).cartLinesAdd.userErrors[0].code).toBe('UNKNOWN_CART');
    expect((await query(url(), CART, { id: cartId }, anonymous)).cart.itemCount).toBe(1);
  });
});

describe('one cart per person in every channel', () => {
  it('app cart → sign-in claim → web adds → the clerk finds her by card and checks out at the till', async () => {
    const [, , style, other] = styles;
    const customer = graph.data.customers.find((c) => c.identities.some((i) => i.type === 'MEMBER_CARD'))!;
    const card = customer.identities.find((i) => i.type === 'MEMBER_CARD')!.value;
    const her = await graph.as({ customer: customer.id });
    await stockExactly(style.productId, style.variantId, store.id, 6);
    await stockExactly(other.productId, other.variantId, store.id, 4);

    // On the train, not signed in: the app starts a cart.
    const { cartCreate } = await query(url(), CREATE, { input: { channel: 'APP', lines: [{ variantId: style.variantId, quantity: 2 }] } }, anonymous);
    const anonymousCartId = cartCreate.cart.id;
    // She signs in: the app claims the cart into hers.
    const claimed = (await query(url(), CLAIM, { input: { cartId: anonymousCartId } }, her)).claimCart;
    expect(claimed.userErrors).toEqual([]);
    expect(claimed.cart).toMatchObject({ customer: { id: customer.id }, itemCount: 2 });
    const cartId = claimed.cart.id;
    expect(cartId).not.toBe(anonymousCartId);
    // The anonymous cart is closed: it can neither change nor be claimed by someone else.
    expect((await query(url(), ADD, { input: { cartId: anonymousCartId, lines: [{ variantId: style.variantId, quantity: 1 }] } }, anonymous)).cartLinesAdd.userErrors[0].code).toBe('UNKNOWN_CART');
    const stranger = await graph.as({ customer: graph.data.customers.find((c) => c.id !== customer.id)!.id });
    expect((await query(url(), CLAIM, { input: { cartId: anonymousCartId } }, stranger)).claimCart.userErrors[0].code).toBe('NOT_CLAIMABLE');
    // Nor can anyone else change hers.
    expect((await query(url(), ADD, { input: { cartId, lines: [{ variantId: style.variantId, quantity: 1 }] } }, stranger)).cartLinesAdd.userErrors[0].code).toBe('NOT_YOUR_CART');

    // At home on the web shop: the same cart.
    const web = (await query(url(), `query { me { cart { id itemCount } } }`, {}, her)).me.cart;
    expect(web).toEqual({ id: cartId, itemCount: 2 });
    const added = (await query(url(), ADD, { input: { cartId, channel: 'EC', lines: [{ variantId: other.variantId, quantity: 1 }] } }, her)).cartLinesAdd;
    expect(added.cart).toMatchObject({ itemCount: 3, lastChannel: 'EC' });
    // cartCreate while signed in is her one cart, not another.
    expect((await query(url(), CREATE, { input: { channel: 'APP' } }, her)).cartCreate.cart.id).toBe(cartId);

    // In the store: the clerk scans her card and sees the cart.
    const clerk = await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-carts', locationId: store.id });
    const found = await query(url(), `query($v: String!) { customerByIdentity(type: MEMBER_CARD, value: $v) { id cart { id itemCount lines { variant { id } quantity } } } }`, { v: card }, clerk);
    expect(found.customerByIdentity).toMatchObject({ id: customer.id, cart: { id: cartId, itemCount: 3 } });
    const before = { style: await availableAt(style.productId, style.variantId, store.id), other: await availableAt(other.productId, other.variantId, store.id) };
    const key = randomUUID();
    const input = { cartId, idempotencyKey: key, fulfillment: { type: 'CARRY_OUT', locationId: store.id }, payment: { method: 'PAY_AT_STORE' } };
    // Not at another store's till, and not by her own hand.
    const elsewhere = graph.data.locations.find((l) => l.type === 'STORE' && l.id !== store.id)!;
    const otherClerk = await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-elsewhere', locationId: elsewhere.id });
    expect((await graphql(url(), CHECKOUT, { input: { ...input, fulfillment: { type: 'CARRY_OUT', locationId: elsewhere.id } } }, clerk)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await query(url(), CHECKOUT, { input }, her)).checkoutCart.userErrors[0].code).toBe('NOT_AT_THE_TILL');
    void otherClerk;

    const { checkoutCart } = await query(url(), CHECKOUT, { input }, clerk);
    expect(checkoutCart.userErrors).toEqual([]);
    expect(checkoutCart.order).toMatchObject({ channel: 'STORE', location: { id: store.id } });
    expect(checkoutCart.cart).toEqual({ id: cartId, status: 'CHECKED_OUT', checkedOutOrder: { id: checkoutCart.order.id } });
    // Stock at that store down by exactly the quantities.
    expect(await availableAt(style.productId, style.variantId, store.id)).toBe(before.style - 2);
    expect(await availableAt(other.productId, other.variantId, store.id)).toBe(before.other - 1);
    // A retry returns the same order; another key is refused.
    expect((await query(url(), CHECKOUT, { input }, clerk)).checkoutCart.order.id).toBe(checkoutCart.order.id);
    expect((await query(url(), CHECKOUT, { input: { ...input, idempotencyKey: randomUUID() } }, clerk)).checkoutCart.userErrors[0].code).toBe('CART_CHECKED_OUT');
    expect(await availableAt(style.productId, style.variantId, store.id)).toBe(before.style - 2);

    // Her next cart is a new one; the order is hers, of channel STORE.
    expect((await query(url(), `query { me { cart { id } } }`, {}, her)).me.cart).toBeNull();
    const orders = await query(url(), `query($id: ID!) { customer(id: $id) { orders(first: 5) { edges { node { id channel } } } } }`, { id: customer.id }, admin);
    expect(orders.customer.orders.edges.map((e: { node: unknown }) => e.node)).toContainEqual({ id: checkoutCart.order.id, channel: 'STORE' });
    // Her adds are touchpoints, once each: two in the app, one on the web.
    await graph.settle();
    const touchpoints = await query(url(), `query($id: ID!) { customer(id: $id) { touchpoints(first: 50, types: [ADD_TO_CART]) { edges { node { channel product { id } } } } } }`, { id: customer.id }, admin);
    const adds = touchpoints.customer.touchpoints.edges.map((e: { node: { channel: string; product: { id: string } } }) => e.node);
    expect(adds.filter((t: { product: { id: string } }) => t.product.id === other.productId)).toEqual([{ channel: 'EC', product: { id: other.productId } }]);
  });
});

describe('carts competing for the last units', () => {
  it('100 concurrent checkouts of carts holding the last 7 units: 7 orders, no unit sold twice', async () => {
    const style = styles[5];
    await stockExactly(style.productId, style.variantId, store.id, 100);
    const carts: string[] = [];
    for (let i = 0; i < 100; i++) {
      const { cartCreate } = await query(url(), CREATE, { input: { channel: 'EC', lines: [{ variantId: style.variantId, quantity: 1 }] } }, anonymous);
      carts.push(cartCreate.cart.id);
    }
    await stockExactly(style.productId, style.variantId, store.id, 7);
    const outcomes = await Promise.all(
      carts.map((cartId) =>
        query(url(), GUEST_CHECKOUT, {
          input: { cartId, idempotencyKey: randomUUID(), guestEmail: `guest-${cartId.slice(0, 8)}@example.com`, fulfillment: { type: 'PICKUP_IN_STORE', locationId: store.id }, payment: { method: 'PAY_AT_STORE' } },
        }, anonymous).then((r) => r.checkoutCart),
      ),
    );
    const placed = outcomes.filter((o) => o.orderNumber);
    expect(placed).toHaveLength(7);
    expect(outcomes.filter((o) => !o.orderNumber).map((o) => o.userErrors[0].code)).toEqual(Array(93).fill('INSUFFICIENT_STOCK'));
    expect(await availableAt(style.productId, style.variantId, store.id)).toBe(0);
    // The refused carts stay open, to be changed and tried again.
    expect((await query(url(), CART, { id: carts[outcomes.findIndex((o) => !o.orderNumber)] }, anonymous)).cart.status).toBe('ACTIVE');
  }, 180_000);
});

/** A day within the delivery window (DELIVERY_LEAD_DAYS 2 to DELIVERY_HORIZON_DAYS 14 after today in Japan). */
function deliveryDay(daysAhead: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) + daysAhead * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

const ADDRESS = { recipientName: '山田 花子', postalCode: '150-0041', prefecture: '東京', city: '渋谷区', line1: '神南1-2-3', line2: 'ハイツ101', phone: '090-1234-5678' };

describe('checkout that ships, or waits for a konbini payment', () => {
  it('a guest ships to an address with cash on delivery: the order keeps the address, slot, fee and payment', async () => {
    const style = styles[6];
    await stockExactly(style.productId, style.variantId, store.id, 3);
    const { cartCreate } = await query(url(), CREATE, { input: { channel: 'EC', lines: [{ variantId: style.variantId, quantity: 1 }] } }, anonymous);
    const cartId = cartCreate.cart.id;
    const email = `cod-${randomUUID().slice(0, 8)}@example.com`;
    const input = (over: Record<string, unknown> = {}) => ({
      cartId,
      idempotencyKey: randomUUID(),
      guestEmail: email,
      fulfillment: { type: 'SHIP', address: ADDRESS, deliveryDate: deliveryDay(3), deliverySlot: 'H19_21' },
      payment: { method: 'CASH_ON_DELIVERY' },
      ...over,
    });
    const refused = async (over: Record<string, unknown>) => (await query(url(), GUEST_CHECKOUT, { input: input(over) }, anonymous)).checkoutCart.userErrors;
    // Bad input: a stable code each, and the cart stays open.
    expect(await refused({ guestEmail: null })).toEqual([{ field: ['input', 'guestEmail'], code: 'GUEST_EMAIL_REQUIRED' }]);
    expect((await refused({ fulfillment: { type: 'SHIP' } }))[0].code).toBe('ADDRESS_REQUIRED');
    expect((await refused({ fulfillment: { type: 'SHIP', address: { ...ADDRESS, postalCode: '150-41' } } }))[0].code).toBe('INVALID_POSTAL_CODE');
    expect((await refused({ fulfillment: { type: 'SHIP', address: { ...ADDRESS, prefecture: 'Atlantis' } } }))[0].code).toBe('INVALID_PREFECTURE');
    expect((await refused({ fulfillment: { type: 'SHIP', address: ADDRESS, deliveryDate: deliveryDay(1) } }))[0].code).toBe('DELIVERY_DATE_OUT_OF_RANGE');
    expect((await refused({ fulfillment: { type: 'SHIP', address: ADDRESS, deliveryDate: deliveryDay(15) } }))[0].code).toBe('DELIVERY_DATE_OUT_OF_RANGE');
    expect((await refused({ payment: { method: 'PAY_AT_STORE' } }))[0].code).toBe('PAYMENT_METHOD_NOT_ALLOWED');
    expect((await refused({ payment: { method: 'CARD' } }))[0].code).toBe('PAYMENT_REFERENCE_REQUIRED');
    expect((await refused({ fulfillment: { type: 'CARRY_OUT', locationId: store.id } }))[0].code).toBe('NOT_AT_THE_TILL');
    expect((await query(url(), CART, { id: cartId }, anonymous)).cart.status).toBe('ACTIVE');

    const ok = input();
    const { checkoutCart } = await query(url(), GUEST_CHECKOUT, { input: ok }, anonymous);
    expect(checkoutCart.userErrors).toEqual([]);
    const { orderByNumber: order } = await query(url(), GUEST_ORDER, { number: checkoutCart.orderNumber, email }, anonymous);
    // Goods below the free-shipping threshold pay the fee; cash on delivery adds its own.
    const fee = style.price >= 5000 ? 0 : 550;
    expect(order).toMatchObject({
      status: 'PLACED',
      shippingFee: { amount: fee },
      total: { amount: style.price + fee + 330 },
      deliveryDate: deliveryDay(3),
      deliverySlot: 'H19_21',
      shippingAddress: { recipientName: '山田 花子', postalCode: '1500041', prefecture: '東京都', city: '渋谷区', line1: '神南1-2-3', line2: 'ハイツ101', phone: '+819012345678' },
      payment: { method: 'CASH_ON_DELIVERY', status: 'PENDING', reference: null, deadline: null },
      cart: { id: cartId },
    });
    // The retry is the same order; the cart cannot be checked out again.
    expect((await query(url(), GUEST_CHECKOUT, { input: ok }, anonymous)).checkoutCart.orderNumber).toBe(checkoutCart.orderNumber);
    expect((await refused({}))[0].code).toBe('CART_CHECKED_OUT');
    expect((await refused({}))).toHaveLength(1);
  });

  it('a konbini order unpaid by its deadline is cancelled and its stock returned; one paid in time stands', async () => {
    const style = styles[7];
    await stockExactly(style.productId, style.variantId, store.id, 4);
    const email = `konbini-${randomUUID().slice(0, 8)}@example.com`;
    const checkout = async (reference: string) => {
      const { cartCreate } = await query(url(), CREATE, { input: { channel: 'APP', lines: [{ variantId: style.variantId, quantity: 2 }] } }, anonymous);
      const { checkoutCart } = await query(url(), GUEST_CHECKOUT, {
        input: { cartId: cartCreate.cart.id, idempotencyKey: randomUUID(), guestEmail: email, fulfillment: { type: 'PICKUP_IN_STORE', locationId: store.id }, payment: { method: 'KONBINI', reference } },
      }, anonymous);
      expect(checkoutCart.userErrors).toEqual([]);
      return (await query(url(), GUEST_ORDER, { number: checkoutCart.orderNumber, email }, anonymous)).orderByNumber;
    };
    const unpaid = await checkout('KB-unpaid-1');
    const paid = await checkout('KB-paid-1');
    expect(unpaid.payment).toMatchObject({ method: 'KONBINI', status: 'PENDING', reference: 'KB-unpaid-1' });
    expect(Date.parse(unpaid.payment.deadline)).toBeGreaterThan(Date.now() + 2 * 24 * 3600 * 1000);
    expect(await availableAt(style.productId, style.variantId, store.id)).toBe(0);

    // The payment provider's integration reports one paid (a partner with payments:write).
    const gatewayDb = await openGatewayDatabase(graph.config, createLogger({ logLevel: 'warn' }, 'test'));
    const { key } = await new PartnerKeys(gatewayDb).create('payment provider', ['payments:write']).finally(() => gatewayDb.close());
    const RECORD = `mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { payment { status paidAt } userErrors { code } } }`;
    const provider = { 'x-api-key': key };
    expect((await query(url(), RECORD, { input: { orderId: paid.id, status: 'PAID', reference: 'wrong' } }, provider)).recordPayment.userErrors[0].code).toBe('PAYMENT_REFERENCE_MISMATCH');
    expect((await query(url(), RECORD, { input: { orderId: paid.id, status: 'PAID', reference: 'KB-paid-1' } }, provider)).recordPayment.payment.status).toBe('PAID');
    // Nobody else may.
    expect((await graphql(url(), RECORD, { input: { orderId: unpaid.id, status: 'PAID', reference: 'KB-unpaid-1' } }, anonymous)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    // Past the deadline, the orders service's periodic sweep cancels the unpaid one.
    await graph.subgraphs.orders.domain.payments.cancelOverdueKonbini(new Date(Date.parse(unpaid.payment.deadline) + 1000));
    await graph.settle();
    const after = async (id: string) => (await query(url(), `query($id: ID!) { order(id: $id) { status payment { status } } }`, { id }, admin)).order;
    expect(await after(unpaid.id)).toEqual({ status: 'CANCELLED', payment: { status: 'FAILED' } });
    expect(await after(paid.id)).toEqual({ status: 'PLACED', payment: { status: 'PAID' } });
    expect(await availableAt(style.productId, style.variantId, store.id)).toBe(2);
  });
});

describe('a customer ships to her saved address, and an idle cart is CART_ABANDONED', () => {
  it('checks out to a saved address by id; another customer cannot use it', async () => {
    const style = styles[8];
    await stockExactly(style.productId, style.variantId, store.id, 3);
    const [customer, stranger] = graph.data.customers.slice(40, 42);
    const her = await graph.as({ customer: customer.id });
    const ADD_ADDRESS = `mutation($input: AddAddressInput!) { addAddress(input: $input) { address { id } userErrors { code } } }`;
    const { addAddress } = await query(url(), ADD_ADDRESS, { input: { customerId: customer.id, address: ADDRESS } }, her);
    expect(addAddress.userErrors).toEqual([]);
    const addressId = addAddress.address.id;
    const cartOf = async (who: Record<string, string>) => {
      const { cartCreate } = await query(url(), CREATE, { input: { channel: 'APP', lines: [{ variantId: style.variantId, quantity: 1 }] } }, who);
      return cartCreate.cart.id as string;
    };
    const shipTo = (cartId: string) => ({
      cartId,
      idempotencyKey: randomUUID(),
      fulfillment: { type: 'SHIP', addressId, deliveryDate: deliveryDay(2), deliverySlot: 'MORNING' },
      payment: { method: 'CARD', reference: `pi_${randomUUID().slice(0, 12)}` },
    });
    // Someone else's saved address is no address of theirs.
    const theirs = await graph.as({ customer: stranger.id });
    expect((await query(url(), CHECKOUT, { input: shipTo(await cartOf(theirs)) }, theirs)).checkoutCart.userErrors[0].code).toBe('UNKNOWN_ADDRESS');

    const input = shipTo(await cartOf(her));
    const { checkoutCart } = await query(url(), CHECKOUT, { input }, her);
    expect(checkoutCart.userErrors).toEqual([]);
    const { order } = await query(url(), `query($id: ID!) { order(id: $id) { channel deliverySlot shippingAddress { postalCode prefecture phone } payment { method status reference } } }`, { id: checkoutCart.order.id }, her);
    expect(order).toEqual({
      channel: 'APP',
      deliverySlot: 'MORNING',
      shippingAddress: { postalCode: '1500041', prefecture: '東京都', phone: '+819012345678' },
      payment: { method: 'CARD', status: 'AUTHORIZED', reference: input.payment.reference },
    });
    // Store staff see the snapshot masked, as they see her contact details.
    const clerk = await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-masks', locationId: store.id });
    const masked = (await query(url(), `query($id: ID!) { order(id: $id) { shippingAddress { phone line1 } } }`, { id: checkoutCart.order.id }, clerk)).order;
    expect(masked.shippingAddress).toEqual({ phone: '+81******5678', line1: '神**-*-*' });
  });

  it('a cart with lines left idle, with no order since, puts her in CART_ABANDONED; a change takes her out', async () => {
    const style = styles[9];
    await stockExactly(style.productId, style.variantId, store.id, 5);
    const customer = graph.data.customers[45];
    const her = await graph.as({ customer: customer.id });
    const { cartCreate } = await query(url(), CREATE, { input: { channel: 'EC', lines: [{ variantId: style.variantId, quantity: 1 }] } }, her);
    await graph.settle();
    const segments = async () =>
      (await query(url(), `query($id: ID!) { customer(id: $id) { segments { code } } }`, { id: customer.id }, admin)).customer.segments.map((s: { code: string }) => s.code);
    expect(await segments()).not.toContain('CART_ABANDONED');
    // The customers service's periodic job, run as it would be a day later.
    const { segments: service } = graph.subgraphs.customers.domain;
    await service.refreshIdleCarts(new Date(Date.now() + (graph.config.carts.abandonedAfterHours + 1) * 3600 * 1000));
    expect(await segments()).toContain('CART_ABANDONED');
    const listed = await query(url(), `query { customers(first: 100, filter: { segment: CART_ABANDONED }) { edges { node { id } } } }`, {}, admin);
    expect(listed.customers.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(customer.id);
    const report = await query(url(), `query { segmentReport { segments { code customers } } }`, {}, admin);
    expect(report.segmentReport.segments.find((s: { code: string }) => s.code === 'CART_ABANDONED').customers).toBeGreaterThanOrEqual(1);

    // She comes back and changes her cart: no longer abandoned.
    await query(url(), ADD, { input: { cartId: cartCreate.cart.id, lines: [{ variantId: style.variantId, quantity: 1 }] } }, her);
    await graph.settle();
    expect(await segments()).not.toContain('CART_ABANDONED');
  });
});
