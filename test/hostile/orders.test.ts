import { randomUUID } from 'node:crypto';
import { PartnerKeys } from '../../gateway/src/partners/partner-keys';
import { openGatewayDatabase } from '../../gateway/src/storage';
import type { Database } from '../../shared/db/database';
import { createLogger } from '../../shared/logger';
import { query } from '../../shared/testkit';
import type { TestGraph } from '../support/graph';
import { freshStyle, locationsOf, looseGraphql as graphql, startSettledGraph } from '../support/hostile';

/**
 * Attacks on orders, replayed through the gateway: probing for orders of others (by id, by number,
 * by someone else's idempotency key), reading a guest order with less than its number and e-mail
 * address, ordering for customers who do not exist or were erased, and store sales dated outside
 * the import window. Each is refused, and nothing of anyone else's order reaches the caller.
 */

let graph: TestGraph;
let gatewayDb: Database;
let admin: Record<string, string>;
let support: Record<string, string>;
let clerk: Record<string, string>;
let partner: Record<string, string>;
let store: string;
let warehouse: string;
/** A style sold online, with stock at the warehouse. */
let item: { productId: string; variantId: string; sku: string };
const url = () => graph.gateway.url;

beforeAll(async () => {
  graph = await startSettledGraph();
  ({ stores: [{ id: store }], warehouse: { id: warehouse } } = locationsOf(graph));
  admin = await graph.as({ role: 'ADMIN', staffId: 'admin-h' });
  support = await graph.as({ role: 'SUPPORT', staffId: 'agent-h' });
  clerk = await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-h', locationId: store });
  gatewayDb = await openGatewayDatabase(graph.config, createLogger({ logLevel: 'warn' }, 'test'));
  partner = { 'x-api-key': (await new PartnerKeys(gatewayDb).create('hostile marketplace', ['orders:write'])).key };

  const style = await freshStyle(graph, { prefix: 'HO', price: 3300, stock: 500, stockedAt: [warehouse, store] });
  item = { productId: style.productId, variantId: style.variants[0].id, sku: style.variants[0].sku };
}, 180_000);
afterAll(async () => {
  await gatewayDb?.close();
  await graph?.teardown();
});

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { orderNumber order { id number total { amount } } userErrors { field code message } } }`;
const BY_ID = 'query($id: ID!) { order(id: $id) { id number total { amount } } }';
const BY_NUMBER = 'query($number: String!, $guestEmail: String) { orderByNumber(number: $number, guestEmail: $guestEmail) { id number total { amount } lines { quantity } } }';
const REGISTER = `mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { customerId userErrors { code } } }`;
const IMPORT = `mutation($input: ImportStoreTransactionsInput!) { importStoreTransactions(input: $input) { results { transactionId status code } userErrors { code } } }`;

function placeInput(extra: Record<string, unknown> = {}, quantity = 1) {
  return { idempotencyKey: randomUUID(), channel: 'EC', lines: [{ variantId: item.variantId, quantity }], fulfillment: { type: 'SHIP' }, ...extra };
}

async function newCustomer(): Promise<{ id: string; headers: Record<string, string> }> {
  const { registerCustomer } = await query(url(), REGISTER, { input: { displayName: `Hostile ${randomUUID().slice(0, 6)}` } }, support);
  return { id: registerCustomer.customerId, headers: await graph.as({ customer: registerCustomer.customerId }) };
}

/** What a caller can compare between two answers: data and errors, without the request id. */
async function answer(document: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const { status, data, errors } = await graphql(url(), document, variables, headers);
  return { status, data, errors };
}

async function warehouseLevel(): Promise<{ onHand: number; reserved: number }> {
  const { product } = await query(url(), `query($id: ID!, $l: [ID!]) { product(id: $id) { availability(locationIds: $l) { onHand reserved } } }`, { id: item.productId, l: [warehouse] }, admin);
  return product.availability[0];
}

describe('no oracle: an order the caller may not read answers as one that does not exist', () => {
  it('by id and by number, for another customer, an anonymous caller and a partner', async () => {
    const owner = await newCustomer();
    const { placeOrder } = await query(url(), PLACE, { input: placeInput() }, owner.headers);
    expect(placeOrder.userErrors).toEqual([]);
    const { id, number } = placeOrder.order;
    const stranger = await newCustomer();

    for (const headers of [stranger.headers, {}, partner]) {
      const unknownById = await answer(BY_ID, { id: randomUUID() }, headers);
      expect(unknownById).toEqual({ status: 200, data: { order: null }, errors: undefined });
      expect(await answer(BY_ID, { id }, headers)).toEqual(unknownById);
      const unknownByNumber = await answer(BY_NUMBER, { number: `EC-2026-${randomUUID().slice(0, 10).toUpperCase()}` }, headers);
      expect(unknownByNumber).toEqual({ status: 200, data: { orderByNumber: null }, errors: undefined });
      expect(await answer(BY_NUMBER, { number }, headers)).toEqual(unknownByNumber);
    }
    expect((await query(url(), BY_NUMBER, { number }, owner.headers)).orderByNumber.id).toBe(id);
  });

  it("refuses someone else's idempotency key without naming their order, and a reused key with another request for everyone", async () => {
    const owner = await newCustomer();
    const stranger = await newCustomer();
    const input = placeInput({}, 2);
    const first = await query(url(), PLACE, { input }, owner.headers);
    expect(first.placeOrder.userErrors).toEqual([]);
    const { id, number } = first.placeOrder.order;
    await graph.settle();
    const before = await warehouseLevel();

    const reused = { orderNumber: null, order: null, userErrors: [{ field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String) }] };
    const attempts = [
      [input, stranger.headers], // the same request, by someone else
      [{ ...input, lines: [{ variantId: item.variantId, quantity: 3 }] }, owner.headers], // the owner, asking for something else
      [{ ...input, fulfillment: { type: 'SHIP_FROM_STORE', locationId: store } }, owner.headers],
      [{ ...input, channel: 'APP' }, owner.headers],
      [{ ...input, customerId: stranger.id }, support], // staff, for someone else
      [{ ...input, guestEmail: 'guest@example.com' }, {}], // a guest
      [{ ...input, customerId: owner.id }, partner], // a partner, for the owner
    ] as const;
    for (const [attempt, headers] of attempts) {
      const response = await graphql(url(), PLACE, { input: attempt }, headers);
      expect(response.errors).toBeUndefined();
      expect(response.data!.placeOrder).toEqual(reused);
      expect(JSON.stringify(response)).not.toContain(number);
      expect(JSON.stringify(response)).not.toContain(id);
    }
    // The owner's own retry is still the same order, and nothing else was reserved or sold.
    const retry = await query(url(), PLACE, { input }, owner.headers);
    expect(retry.placeOrder.order.id).toBe(id);
    await graph.settle();
    expect(await warehouseLevel()).toEqual(before);
  });
});

describe('a guest reads their order with its number and e-mail address together, nothing less', () => {
  it('opens the order to both, and to neither alone', async () => {
    const email = `guest-${randomUUID().slice(0, 8)}@example.jp`;
    const placed = await graphql(url(), PLACE, { input: placeInput({ guestEmail: email }) });
    expect(placed.errors).toBeUndefined();
    const { orderNumber, order } = placed.data!.placeOrder;
    expect(order).toEqual({ id: expect.any(String), number: orderNumber, total: { amount: 3300 } });

    const opened = await answer(BY_NUMBER, { number: orderNumber, guestEmail: email.toUpperCase() });
    expect(opened).toEqual({ status: 200, data: { orderByNumber: { id: order.id, number: orderNumber, total: { amount: 3300 }, lines: [{ quantity: 1 }] } }, errors: undefined });
    const nothing = { status: 200, data: { orderByNumber: null }, errors: undefined };
    expect(await answer(BY_NUMBER, { number: orderNumber })).toEqual(nothing);
    expect(await answer(BY_NUMBER, { number: orderNumber, guestEmail: `x${email}` })).toEqual(nothing);
    expect(await answer(BY_NUMBER, { number: `EC-2026-${randomUUID().slice(0, 10).toUpperCase()}`, guestEmail: email })).toEqual(nothing);
    expect(await answer(BY_ID, { id: order.id })).toEqual({ status: 200, data: { order: null }, errors: undefined });
    // Another customer holding the address's number gets no more than anyone.
    expect(await answer(BY_NUMBER, { number: orderNumber }, (await newCustomer()).headers)).toEqual(nothing);
  });

  it("tells a guest who uses a customer's address nothing about that customer", async () => {
    const email = `member-${randomUUID().slice(0, 8)}@example.jp`;
    const { registerCustomer } = await query(url(), 'mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { customerId userErrors { code } } }', { input: { displayName: 'Member' } }, support);
    // Support links the address after checking it: orders made with it join the customer.
    const linked = await query(
      url(),
      'mutation($input: LinkIdentityInput!) { linkIdentity(input: $input) { userErrors { code } } }',
      { input: { customerId: registerCustomer.customerId, identity: { type: 'EMAIL', value: email }, verified: true } },
      support,
    );
    expect(linked.linkIdentity.userErrors).toEqual([]);
    await graph.settle();
    const WITH_CUSTOMER = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { orderNumber order { number customer { id } } userErrors { code } } }`;
    const placed = await graphql(url(), WITH_CUSTOMER, { input: placeInput({ guestEmail: email }) });
    expect(placed.errors).toBeUndefined();
    expect(placed.data!.placeOrder.order).toEqual({ number: placed.data!.placeOrder.orderNumber, customer: null });
    const read = await answer('query($number: String!, $guestEmail: String) { orderByNumber(number: $number, guestEmail: $guestEmail) { number customer { id } } }', { number: placed.data!.placeOrder.orderNumber, guestEmail: email });
    expect(read).toEqual({ status: 200, data: { orderByNumber: { number: placed.data!.placeOrder.orderNumber, customer: null } }, errors: undefined });
    expect(JSON.stringify([placed, read])).not.toContain(registerCustomer.customerId);
    // Nor does the order join the customer: typing an address proves nothing, so staff see a guest
    // order, and the customer's history (purchase summary, orders) does not change.
    await graph.settle();
    const staff = await query(url(), 'query($number: String!) { orderByNumber(number: $number) { customer { id } } }', { number: placed.data!.placeOrder.orderNumber }, support);
    expect(staff.orderByNumber.customer).toBeNull();
    const history = await query(url(), 'query($id: ID!) { customer(id: $id) { purchaseSummary { orderCount } orders(first: 5) { edges { node { number } } } } }', { id: registerCustomer.customerId }, support);
    expect(history.customer).toEqual({ purchaseSummary: { orderCount: 0 }, orders: { edges: [] } });
  });

  it('gives staff who see contact details masked no way to learn whose an address is by ordering with it', async () => {
    const email = `masked-${randomUUID().slice(0, 8)}@example.jp`;
    const { registerCustomer } = await query(url(), REGISTER, { input: { displayName: 'Masked Member' } }, support);
    await query(
      url(),
      'mutation($input: LinkIdentityInput!) { linkIdentity(input: $input) { userErrors { code } } }',
      { input: { customerId: registerCustomer.customerId, identity: { type: 'EMAIL', value: email }, verified: true } },
      support,
    );
    await graph.settle();
    const ORDER_WITH_CUSTOMER = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { customer { id } } userErrors { code } } }`;
    const marketing = await graph.as({ role: 'MARKETING', staffId: 'marketing-h' });
    for (const headers of [clerk, marketing]) {
      const placed = await query(url(), ORDER_WITH_CUSTOMER, { input: placeInput({ guestEmail: email }) }, headers);
      expect(placed.placeOrder).toEqual({ order: { customer: null }, userErrors: [] });
    }
  });
});

describe('orders refuse customers who do not exist or were erased', () => {
  it('for staff and partners naming one, and for the erased customer themselves; a customer registered a moment ago orders at once', async () => {
    const before = await warehouseLevel();
    const unknown = randomUUID();
    for (const headers of [support, partner]) {
      const { placeOrder } = await query(url(), PLACE, { input: placeInput({ customerId: unknown }) }, headers);
      expect(placeOrder).toEqual({ orderNumber: null, order: null, userErrors: [{ field: ['input', 'customerId'], code: 'UNKNOWN_CUSTOMER', message: expect.any(String) }] });
    }

    const erased = await newCustomer();
    const erasure = await query(url(), 'mutation($input: EraseCustomerInput!) { eraseCustomer(input: $input) { userErrors { code } } }', { input: { customerId: erased.id } }, admin);
    expect(erasure.eraseCustomer.userErrors).toEqual([]);
    for (const headers of [support, partner]) {
      const { placeOrder } = await query(url(), PLACE, { input: placeInput({ customerId: erased.id }) }, headers);
      expect(placeOrder.userErrors.map((e: { code: string }) => e.code)).toEqual(['UNKNOWN_CUSTOMER']);
    }
    // Their own token places nothing either (refused at the gateway, or by orders).
    const own = await graphql(url(), PLACE, { input: placeInput() }, erased.headers);
    expect(own.data?.placeOrder?.order ?? null).toBeNull();
    expect([...(own.errors ?? []).map((e) => e.extensions?.code), ...(own.data?.placeOrder?.userErrors ?? []).map((e: { code: string }) => e.code)]).toHaveLength(1);
    await graph.settle();
    expect(await warehouseLevel()).toEqual(before);

    // No event has reached orders yet: the check asks the customers service.
    const { registerCustomer } = await query(url(), REGISTER, { input: { displayName: 'Just Registered' } }, support);
    const fresh = await query(url(), PLACE, { input: placeInput({ customerId: registerCustomer.customerId }) }, support);
    expect(fresh.placeOrder.userErrors).toEqual([]);
  });
});

describe('store sales are dated within the import window', () => {
  it('rejects sales before the window or in the future, each alone, and imports the rest', async () => {
    const day = 24 * 3600 * 1000;
    const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
    const sale = (occurredAt: string) => ({ transactionId: `HO-${randomUUID()}`, occurredAt, lines: [{ sku: item.sku, quantity: 1, unitPrice: 3300 }] });
    const transactions = [
      sale(at(-91 * day)),
      sale('1970-01-01T00:00:00.000Z'),
      sale(at(day)),
      sale(at(10 * 60 * 1000)),
      sale('9999-12-31T23:59:59.000Z'),
      sale(at(-89 * day)),
      sale(at(2 * 60 * 1000)), // a till's clock a little ahead
    ];
    const { importStoreTransactions } = await query(url(), IMPORT, { input: { locationId: store, transactions } }, clerk);
    expect(importStoreTransactions.results.map((r: { status: string; code: string | null }) => [r.status, r.code])).toEqual([
      ['REJECTED', 'SALE_TOO_OLD'],
      ['REJECTED', 'SALE_TOO_OLD'],
      ['REJECTED', 'SALE_IN_FUTURE'],
      ['REJECTED', 'SALE_IN_FUTURE'],
      ['REJECTED', 'SALE_IN_FUTURE'],
      ['IMPORTED', null],
      ['IMPORTED', null],
    ]);
    // Nothing of the rejected ones was recorded.
    const recorded = await graph.subgraphs.orders.domain.orders.byExternalIds(graph.subgraphs.orders.db.manager, store, transactions.map((t) => t.transactionId));
    expect(recorded.map((o) => o.externalId).sort()).toEqual([transactions[5].transactionId, transactions[6].transactionId].sort());
  });
});
