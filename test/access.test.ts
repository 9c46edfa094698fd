import fs from 'node:fs';
import path from 'node:path';
import { PartnerKeys } from '../gateway/src/partners/partner-keys';
import { openGatewayDatabase } from '../gateway/src/storage';
import type { Database } from '../shared/db/database';
import { createLogger } from '../shared/logger';
import { graphql, query } from '../shared/testkit';
import { maskEmail } from '../shared/masking';
import { ACCESS_MATRIX, ADDRESS, CALLERS, checkoutDetailsOf, renderAccessTable, scopesOf, UNSHARED, type Caller, type Probe, type Subjects } from './support/access-matrix';
import type { DemoOrder } from '../scripts/seed/demo-data';
import { startTestGraph, type TestGraph } from './support/graph';

let graph: TestGraph;
let gatewayDb: Database;
/** The customer whose data is probed (customer (self)), who grants PARTNER_SHARING in beforeAll. */
let subjects: Subjects;
/** A customer who has not granted PARTNER_SHARING, probed by the same partner (UNSHARED). */
let unshared: Subjects;
const headers = {} as Record<Caller, Record<string, string>>;
const partnerIds = {} as Record<Caller, string>;

const subjectsOf = (caller: Caller) => (caller === UNSHARED ? unshared : subjects);

beforeAll(async () => {
  graph = await startTestGraph({ scale: 0.01 });
  const { customers, orders, locations, products } = graph.data;
  const [store, otherStore] = locations.filter((l) => l.type === 'STORE');
  // Whose data is probed: customers with an e-mail address (a verified EMAIL identity, which names them
  // in check-ins and events), a key that is not a contact detail (linked again by the linkIdentity probe:
  // outside the look-up budget of masked roles) and orders.
  const keyOf = (c: (typeof customers)[number]) => c.identities.find((i) => ['MEMBER_CARD', 'APP_INSTALL', 'LINE_USER'].includes(i.type) && i.verified);
  const candidates = customers.filter(
    (c) => c.email && c.identities.some((i) => i.type === 'EMAIL' && i.value === c.email && i.verified) && keyOf(c) && orders.some((o) => o.customerId === c.id),
  );
  const subjectsFor = (customer: (typeof customers)[number], otherCustomerId: string, setUp: SetUp): Subjects => {
    const order = orders.find((o) => o.customerId === customer.id)!;
    return {
      customerId: customer.id,
      email: customer.email!,
      displayName: customer.displayName,
      identity: { type: keyOf(customer)!.type, value: keyOf(customer)!.value },
      otherCustomerId,
      orderId: order.id,
      orderNumber: order.number,
      productId: products[0].id,
      locationId: locations[0].id,
      storeId: store.id,
      otherStoreId: otherStore.id,
      ...setUp,
    };
  };
  const [self, withoutConsent] = candidates;
  const other = customers.find((c) => c.id !== self.id && c.id !== withoutConsent.id)!;
  gatewayDb = await openGatewayDatabase(graph.config, createLogger({ logLevel: 'warn' }, 'test'));
  const partnerKeys = new PartnerKeys(gatewayDb);
  for (const caller of CALLERS) {
    if (caller === 'anonymous') headers[caller] = {};
    else if (caller === 'customer (self)') headers[caller] = await graph.as({ customer: self.id });
    else if (caller === 'customer (other)') headers[caller] = await graph.as({ customer: other.id });
    else if (caller === 'store staff') headers[caller] = await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-1', locationId: store.id });
    else if (caller === 'support') headers[caller] = await graph.as({ role: 'SUPPORT', staffId: 'agent-1' });
    else if (caller === 'marketing') headers[caller] = await graph.as({ role: 'MARKETING', staffId: 'marketer-1' });
    else if (caller === 'admin') headers[caller] = await graph.as({ role: 'ADMIN', staffId: 'admin-1' });
    else if (caller === UNSHARED) continue; // the key of 'partner customers:read', below
    else {
      const { id, key } = await partnerKeys.create(caller, scopesOf(caller));
      headers[caller] = { 'x-api-key': key };
      partnerIds[caller] = id;
    }
  }
  headers[UNSHARED] = headers['partner customers:read'];
  partnerIds[UNSHARED] = partnerIds['partner customers:read'];
  const setUp = {
    ...(await setUpOrdersAndStock(orders.find((o) => o.customerId === self.id)!, store.id, otherStore.id)),
    ...(await setUpAddressesAndCarts(self.id, store.id)),
  };
  subjects = subjectsFor(self, other.id, setUp);
  unshared = subjectsFor(withoutConsent, self.id, setUp);

  // The probed customer lets partners see their data; the other customer of the probes never did.
  const granted = await query(
    graph.gateway.url,
    'mutation($input: UpdateConsentsInput!) { updateConsents(input: $input) { customer { consents { purpose granted } } userErrors { code } } }',
    { input: { customerId: self.id, consents: [{ purpose: 'PARTNER_SHARING', granted: true }] } },
    headers['customer (self)'],
  );
  expect(granted.updateConsents.userErrors).toEqual([]);
  expect(granted.updateConsents.customer.consents).toContainEqual({ purpose: 'PARTNER_SHARING', granted: true });
  const consents = await query(graph.gateway.url, 'query($id: ID!) { customer(id: $id) { consents { purpose granted } } }', { id: withoutConsent.id }, headers.admin);
  expect(consents.customer.consents).toContainEqual({ purpose: 'PARTNER_SHARING', granted: false });
});
type SetUp = Pick<
  Subjects,
  'returnReason' | 'storeOrderId' | 'otherStoreOrderId' | 'cancelledOrderNumber' | 'cancelReason' | 'releasedReservationId' | 'guestOrderNumber' | 'guestEmail'
> &
  AddressesAndCarts;
type AddressesAndCarts = Pick<
  Subjects,
  | 'addressId'
  | 'probeAddressIds'
  | 'checkoutOrderId'
  | 'checkoutOrderNumber'
  | 'checkoutCartId'
  | 'paymentReference'
  | 'checkoutDetails'
  | 'cartId'
  | 'anonymousCartId'
  | 'claimableCartIds'
  | 'tillCartIds'
>;

/**
 * What the order and stock probes act on, so that they change nothing: completed orders at both
 * stores, an order the customer placed and cancelled, a reservation at the other store released.
 */
async function setUpOrdersAndStock(order: DemoOrder, storeId: string, otherStoreId: string): Promise<Omit<SetUp, keyof AddressesAndCarts>> {
  const { orders, locations, products, stock } = graph.data;
  const completedAt = (locationId: string) => {
    const order = orders.find((o) => o.locationId === locationId);
    if (!order) throw new Error(`the demo data has no order at ${locationId}`);
    return order.id;
  };
  /** A variant with the most units at a location (of styles sold online, when asked). */
  const stocked = (locationId: string, online: boolean) => {
    const soldOnline = new Set(products.filter((p) => p.soldOnline).map((p) => p.id));
    const lines = stock.find((s) => s.locationId === locationId)!.lines.filter((l) => !online || soldOnline.has(l.productId));
    return lines.reduce((best, l) => (l.quantity > best.quantity ? l : best));
  };

  const returnReason = 'too small (access probe)';
  const returned = await query(
    graph.gateway.url,
    'mutation($input: CreateReturnInput!) { createReturn(input: $input) { return { reason } userErrors { code } } }',
    { input: { orderId: order.id, locationId: storeId, lines: [{ variantId: order.lines[0].variantId, quantity: 1 }], reason: returnReason } },
    headers.admin,
  );
  expect(returned.createReturn).toEqual({ return: { reason: returnReason }, userErrors: [] });

  const cancelReason = 'changed my mind (access probe)';
  const warehouse = locations.find((l) => l.type === 'WAREHOUSE')!;
  const placed = await query(
    graph.gateway.url,
    'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id number } userErrors { code } } }',
    { input: { idempotencyKey: 'access-setup-cancelled', channel: 'EC', lines: [{ variantId: stocked(warehouse.id, true).variantId, quantity: 1 }], fulfillment: { type: 'SHIP' } } },
    headers['customer (self)'],
  );
  expect(placed.placeOrder.userErrors).toEqual([]);
  const cancelled = await query(
    graph.gateway.url,
    'mutation($input: CancelOrderInput!) { cancelOrder(input: $input) { order { status } userErrors { code } } }',
    { input: { orderId: placed.placeOrder.order.id, reason: cancelReason } },
    headers['customer (self)'],
  );
  expect(cancelled.cancelOrder).toEqual({ order: { status: 'CANCELLED' }, userErrors: [] });

  const reserved = await query(
    graph.gateway.url,
    'mutation($input: ReserveStockInput!) { reserveStock(input: $input) { reservation { id } userErrors { code } } }',
    { input: { idempotencyKey: 'access-setup-released', locationId: otherStoreId, lines: [{ variantId: stocked(otherStoreId, false).variantId, quantity: 1 }], ttlSeconds: 60 } },
    headers.admin,
  );
  expect(reserved.reserveStock.userErrors).toEqual([]);
  const released = await query(
    graph.gateway.url,
    'mutation($input: ReleaseReservationInput!) { releaseReservation(input: $input) { reservation { status } userErrors { code } } }',
    { input: { reservationId: reserved.reserveStock.reservation.id } },
    headers.admin,
  );
  expect(released.releaseReservation).toEqual({ reservation: { status: 'RELEASED' }, userErrors: [] });

  const guestEmail = 'access-guest@example.com';
  const guest = await query(
    graph.gateway.url,
    'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { orderNumber userErrors { code } } }',
    { input: { idempotencyKey: 'access-setup-guest', channel: 'EC', guestEmail, lines: [{ variantId: stocked(warehouse.id, true).variantId, quantity: 1 }], fulfillment: { type: 'SHIP' } } },
  );
  expect(guest.placeOrder.userErrors).toEqual([]);

  return {
    returnReason,
    storeOrderId: completedAt(storeId),
    otherStoreOrderId: completedAt(otherStoreId),
    cancelledOrderNumber: placed.placeOrder.order.number,
    cancelReason,
    releasedReservationId: reserved.reserveStock.reservation.id,
    guestOrderNumber: guest.placeOrder.orderNumber,
    guestEmail,
  };
}

/** A day within the delivery window (DELIVERY_LEAD_DAYS 2 to DELIVERY_HORIZON_DAYS 14 after today in Japan). */
function deliveryDay(daysAhead: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) + daysAhead * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

/**
 * What the address, cart and checkout probes act on: the customer's default address and one more per
 * caller; an order she checked out from her cart (shipped to that address, paid by card); her active
 * cart; an anonymous cart to read; per caller an empty anonymous cart to claim and one with a line in
 * stock at the store staff's store to check out at the till.
 */
async function setUpAddressesAndCarts(customerId: string, storeId: string): Promise<AddressesAndCarts> {
  const { products, stock } = graph.data;
  const url = graph.gateway.url;
  const her = headers['customer (self)'];
  const soldOnline = new Set(products.filter((p) => p.soldOnline).map((p) => p.id));
  const { variantId } = stock.find((s) => s.locationId === storeId)!.lines.find((l) => soldOnline.has(l.productId))!;
  // Units enough for every cart below, at the store (a shipped order may come from a store too).
  const adjusted = await query(
    url,
    'mutation($input: AdjustStockInput!) { adjustStock(input: $input) { level { available } userErrors { code } } }',
    { input: { locationId: storeId, variantId, delta: 2 * CALLERS.length + 10, reason: 'access probe stock' } },
    headers.admin,
  );
  expect(adjusted.adjustStock.userErrors).toEqual([]);

  const ADD = 'mutation($input: AddAddressInput!) { addAddress(input: $input) { address { id isDefault } userErrors { code } } }';
  const added = await query(url, ADD, { input: { customerId, address: ADDRESS, isDefault: true } }, her);
  expect(added.addAddress).toEqual({ address: { id: expect.any(String), isDefault: true }, userErrors: [] });
  const addressId: string = added.addAddress.address.id;
  const probeAddressIds = {} as Record<Caller, string>;
  for (const caller of CALLERS) {
    const { addAddress } = await query(url, ADD, { input: { customerId, address: ADDRESS } }, headers.admin);
    expect(addAddress.userErrors).toEqual([]);
    probeAddressIds[caller] = addAddress.address.id;
  }

  const CREATE = 'mutation($input: CartCreateInput!) { cartCreate(input: $input) { cart { id itemCount } userErrors { code } } }';
  const cartOf = async (who: Record<string, string>, quantity: number): Promise<string> => {
    const { cartCreate } = await query(url, CREATE, { input: { channel: 'EC', lines: quantity ? [{ variantId, quantity }] : [] } }, who);
    expect(cartCreate.userErrors).toEqual([]);
    expect(cartCreate.cart.itemCount).toBe(quantity);
    return cartCreate.cart.id;
  };

  // Her checkout: shipped to her default address on a date and in a slot, paid by card.
  const checkoutCartId = await cartOf(her, 1);
  const paymentReference = 'access-probe-card';
  const deliveryDate = deliveryDay(3);
  const { checkoutCart } = await query(
    url,
    'mutation($input: CheckoutCartInput!) { checkoutCart(input: $input) { cart { id status } order { id number } userErrors { code } } }',
    {
      input: {
        cartId: checkoutCartId,
        idempotencyKey: 'access-setup-checkout',
        fulfillment: { type: 'SHIP', addressId, deliveryDate, deliverySlot: 'H19_21' },
        payment: { method: 'CARD', reference: paymentReference },
      },
    },
    her,
  );
  expect(checkoutCart.userErrors).toEqual([]);
  expect(checkoutCart.cart).toEqual({ id: checkoutCartId, status: 'CHECKED_OUT' });
  const { orderByNumber: order } = await query(
    url,
    'query($number: String!) { orderByNumber(number: $number) { id deliveryDate deliverySlot shippingFee { amount } payment { method status reference deadline } cart { id } shippingAddress { recipientName phone } } }',
    { number: checkoutCart.order.number },
    her,
  );
  expect(order).toMatchObject({
    id: checkoutCart.order.id,
    deliveryDate,
    deliverySlot: 'H19_21',
    shippingFee: { amount: expect.any(Number) },
    payment: { method: 'CARD', status: 'AUTHORIZED', reference: paymentReference, deadline: null },
    cart: { id: checkoutCartId },
    shippingAddress: { recipientName: ADDRESS.recipientName, phone: '+819012345678' },
  });

  // Her next cart, active; the anonymous ones.
  const cartId = await cartOf(her, 1);
  expect(cartId).not.toBe(checkoutCartId);
  const anonymousCartId = await cartOf(headers.anonymous, 1);
  const claimableCartIds = {} as Record<Caller, string>;
  const tillCartIds = {} as Record<Caller, string>;
  for (const caller of CALLERS) {
    claimableCartIds[caller] = await cartOf(headers.anonymous, 0);
    tillCartIds[caller] = await cartOf(headers.anonymous, 1);
  }

  return {
    addressId,
    probeAddressIds,
    checkoutOrderId: checkoutCart.order.id,
    checkoutOrderNumber: checkoutCart.order.number,
    checkoutCartId,
    paymentReference,
    checkoutDetails: checkoutDetailsOf(order),
    cartId,
    anonymousCartId,
    claimableCartIds,
    tillCartIds,
  };
}

afterAll(async () => {
  await gatewayDb?.close();
  await graph?.teardown();
});

const cases = ACCESS_MATRIX.flatMap((row) => CALLERS.map((caller) => [row.what, caller, row.outcomes[caller], row] as const));

describe('access matrix through the gateway', () => {
  it.each(cases)('%s — %s: %s', async (_what, caller, outcome, row) => {
    for (const rowProbe of row.probes) {
      const probe: Omit<Probe, 'asCustomer'> = caller === 'customer (self)' && rowProbe.asCustomer ? rowProbe.asCustomer : rowProbe;
      const s = subjectsOf(caller);
      const response = await graphql(graph.gateway.url, probe.document, probe.variables(s, caller), headers[caller]);
      const value = probe.pick(response.data);
      const codes = (response.errors ?? []).map((e) => e.extensions?.code);
      const payloadCodes = rowProbe.codes?.(response.data) ?? [];
      const expected = rowProbe.expected?.(s);
      /** What must reach no MASKED or denied caller. */
      const guarded = rowProbe.guarded?.(s) ?? (expected ? [expected] : []);
      const leaksNothing = () => guarded.forEach((value) => expect(JSON.stringify(response)).not.toContain(value));
      switch (outcome) {
        case 'ALLOW':
          expect(response.errors).toBeUndefined();
          expect(value ?? null).not.toBeNull();
          if (expected) expect(value).toBe(expected);
          // A mutation did only the harmless thing its probe asks (e.g. SAME_CUSTOMER), and refused nothing.
          if (rowProbe.codes) expect(payloadCodes).toEqual(rowProbe.allowedCodes ?? []);
          break;
        case 'MASKED':
          expect(response.errors).toBeUndefined();
          expect(value).toBe(rowProbe.masked ? rowProbe.masked(s) : maskEmail(expected!));
          expect(guarded.length).toBeGreaterThan(0);
          leaksNothing();
          break;
        case 'NULL':
          expect(response.errors).toBeUndefined();
          expect(value ?? null).toBeNull();
          break;
        case 'REJECTED':
          // The mutation answers, and refuses the caller in its payload (not a GraphQL error).
          expect(response.errors).toBeUndefined();
          expect(value ?? null).not.toBeNull();
          expect(payloadCodes).toHaveLength(1);
          expect(rowProbe.refusedCodes).toContain(payloadCodes[0]);
          break;
        case 'BUDGETED': {
          // Answered within the staff member's budget (the customer looked up); past it each look-up is RATE_LIMITED, with nothing in it.
          const answered = ((value ?? []) as Array<{ id: string } | null>).filter((v) => v !== null);
          expect(answered.length).toBeGreaterThan(0);
          expect(answered).toEqual(answered.map(() => ({ id: s.customerId })));
          expect(codes.length).toBeGreaterThan(0);
          expect(new Set(codes)).toEqual(new Set(['RATE_LIMITED']));
          break;
        }
        default:
          expect(value ?? null).toBeNull();
          expect(codes.length).toBeGreaterThan(0);
          expect(new Set(codes)).toEqual(new Set([outcome]));
          // Nothing guarded reaches the caller: not in partial data, not in an error message.
          leaksNothing();
      }
    }
  });

  it("records the partner's unmasked read of a customer's e-mail address (contactReads, as an admin)", async () => {
    const partner = 'partner customers:read';
    const read = await query(graph.gateway.url, 'query($id: ID!) { customer(id: $id) { email } }', { id: subjects.customerId }, headers[partner]);
    expect(read.customer.email).toBe(subjects.email);
    const reads = await query(
      graph.gateway.url,
      'query($actorId: String!) { contactReads(first: 100, filter: { actorId: $actorId }) { edges { node { actorKind actorId customerId fields } } } }',
      { actorId: partnerIds[partner] },
      headers.admin,
    );
    const nodes = reads.contactReads.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toContainEqual({ actorKind: 'PARTNER', actorId: partnerIds[partner], customerId: subjects.customerId, fields: ['email'] });
    // Reads of the customer without PARTNER_SHARING were refused, so never recorded.
    expect(nodes.filter((n: { customerId: string }) => n.customerId === unshared.customerId)).toEqual([]);
  });

  it('is the table README.md shows', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain(renderAccessTable());
  });
});
