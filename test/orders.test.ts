import { randomUUID } from 'node:crypto';
import { graphql, query } from '../shared/testkit';
import { ledgerDisagreements } from '../subgraphs/inventory/src/stock/stock.testkit';
import { startTestGraph, type TestGraph } from './support/graph';

/**
 * Selling across channels through the gateway: placeOrder (and the no-overselling guarantee), store
 * sales, cancellations, pick-ups, returns and the purchase summary net of them.
 */

let graph: TestGraph;
let admin: Record<string, string>;
let support: Record<string, string>;
const url = () => graph.gateway.url;
const key = () => randomUUID();

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  orderNumber userErrors { field code }
  order { id number channel status total { amount } taxTotal { amount } customer { id } location { id }
    fulfillment { type status location { id } } lines { variant { id } quantity unitPrice { amount } total { amount } taxRate } } } }`;
const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { level { available } userErrors { code } } }`;
const LEVEL = `query($id: ID!) { product(id: $id) { variants { id price { amount } availability { location { id } onHand reserved available } } } }`;
const CANCEL = `mutation($input: CancelOrderInput!) { cancelOrder(input: $input) { order { id status cancelReason fulfillment { status } } userErrors { code } } }`;
const READY = `mutation($input: PickupInput!) { markReadyForPickup(input: $input) { order { status fulfillment { status } } userErrors { code } } }`;
const COMPLETE = `mutation($input: PickupInput!) { completePickup(input: $input) { order { status fulfillment { status } } userErrors { code } } }`;
const QUEUE = `query($locationId: ID!) { pickupQueue(locationId: $locationId, first: 100) { edges { node { id status } } } }`;
const RETURN = `mutation($input: CreateReturnInput!) { createReturn(input: $input) {
  return { id location { id } refundTotal { amount } lines { variant { id } quantity refund { amount } } } userErrors { field code } } }`;
const IMPORT = `mutation($input: ImportStoreTransactionsInput!) { importStoreTransactions(input: $input) {
  userErrors { code }
  results { transactionId status code order { id channel status externalId location { id } fulfillment { type status }
    total { amount } lines { variant { id } quantity unitPrice { amount } } } } } }`;
const REGISTER = `mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { customerId userErrors { code } } }`;
const SUMMARY = `query($id: ID!) { customer(id: $id) {
  purchaseSummary { lifetimeValue { amount } orderCount byChannel { channel amount { amount } orderCount } }
  orders(first: 20) { edges { node { id channel returns { refundTotal { amount } } } } } } }`;

let store: { id: string };
let otherStore: { id: string };
let warehouse: { id: string };
/** Styles sold online, one per scenario, so that scenarios never share stock. */
let styles: Array<{ productId: string; variantId: string; sku: string; price: number }>;

beforeAll(async () => {
  graph = await startTestGraph({ scale: 0.02 });
  await graph.settle();
  admin = await graph.as({ role: 'ADMIN', staffId: 'admin-5' });
  support = await graph.as({ role: 'SUPPORT', staffId: 'agent-5' });
  const stores = graph.data.locations.filter((l) => l.type === 'STORE' && l.pickupEnabled);
  [store, otherStore] = stores;
  warehouse = graph.data.locations.find((l) => l.type === 'WAREHOUSE')!;
  const online = graph.data.products.filter((p) => p.soldOnline).slice(0, 8);
  styles = [];
  for (const product of online) {
    const { product: found } = await query(url(), LEVEL, { id: product.id }, admin);
    const v = found.variants[0];
    styles.push({ productId: product.id, variantId: v.id, sku: product.variants[0].sku, price: v.price.amount });
  }
}, 180_000);
afterAll(async () => {
  await graph?.teardown();
});

/** Units available of a variant at a location, as the gateway answers. */
async function available(style: (typeof styles)[number], locationId: string): Promise<number> {
  const { product } = await query(url(), LEVEL, { id: style.productId }, admin);
  const variant = product.variants.find((v: { id: string }) => v.id === style.variantId);
  return variant.availability.find((a: { location: { id: string } }) => a.location.id === locationId)?.available ?? 0;
}

/** Makes exactly `units` available at a location, with an adjustment (a stock count). */
async function setAvailable(style: (typeof styles)[number], locationId: string, units: number): Promise<void> {
  const delta = units - (await available(style, locationId));
  if (delta === 0) return;
  const { adjustStock } = await query(url(), ADJUST, { input: { locationId, variantId: style.variantId, delta, reason: 'test count' } }, admin);
  expect(adjustStock.userErrors).toEqual([]);
  expect(adjustStock.level.available).toBe(units);
}

async function newCustomer(): Promise<{ id: string; headers: Record<string, string> }> {
  const { registerCustomer } = await query(url(), REGISTER, { input: { displayName: `Buyer ${key().slice(0, 6)}` } }, support);
  return { id: registerCustomer.customerId, headers: await graph.as({ customer: registerCustomer.customerId }) };
}

function placeInput(style: (typeof styles)[number], fulfillment: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { idempotencyKey: key(), channel: 'EC', lines: [{ variantId: style.variantId, quantity: 1 }], fulfillment, ...extra };
}

describe('no overselling', () => {
  it('lets exactly 50 of 200 concurrent orders for 50 units through; the rest get INSUFFICIENT_STOCK; levels and ledger agree', async () => {
    const style = styles[0];
    await setAvailable(style, store.id, 50);
    const buyer = await newCustomer();
    const responses = await Promise.all(
      Array.from({ length: 200 }, () =>
        graphql<{ placeOrder: { order: { id: string } | null; userErrors: Array<{ code: string }> } }>(
          url(),
          PLACE,
          { input: placeInput(style, { type: 'SHIP_FROM_STORE', locationId: store.id }) },
          buyer.headers,
        ),
      ),
    );
    expect(responses.filter((r) => r.errors?.length)).toEqual([]);
    const payloads = responses.map((r) => r.data!.placeOrder);
    expect(payloads.filter((p) => p.order).length).toBe(50);
    expect(payloads.filter((p) => !p.order).map((p) => p.userErrors.map((e) => e.code).join())).toEqual(Array(150).fill('INSUFFICIENT_STOCK'));
    expect(new Set(payloads.filter((p) => p.order).map((p) => p.order!.id)).size).toBe(50);
    await graph.settle();
    expect(await available(style, store.id)).toBe(0);
    expect(await ledgerDisagreements(graph.subgraphs.inventory.db)).toEqual([]);
  }, 180_000);
});

describe('placeOrder', () => {
  it('charges the catalog price with its tax, whatever the client believes, and ships from the warehouse', async () => {
    const style = styles[1];
    await setAvailable(style, warehouse.id, 5);
    const buyer = await newCustomer();
    const { placeOrder } = await query(url(), PLACE, { input: placeInput(style, { type: 'SHIP' }, { lines: [{ variantId: style.variantId, quantity: 1 }, { variantId: style.variantId, quantity: 1 }] }) }, buyer.headers);
    expect(placeOrder.userErrors).toEqual([]);
    const { order } = placeOrder;
    expect(order).toMatchObject({ channel: 'EC', status: 'PLACED', customer: { id: buyer.id }, fulfillment: { type: 'SHIP', status: 'PENDING', location: { id: warehouse.id } } });
    expect(order.lines).toEqual([{ variant: { id: style.variantId }, quantity: 2, unitPrice: { amount: style.price }, total: { amount: 2 * style.price }, taxRate: 0.1 }]);
    expect(order.total.amount).toBe(2 * style.price);
    expect(order.taxTotal.amount).toBe(Math.floor((2 * style.price * 1000) / 11_000));
    await graph.settle();
    expect(await available(style, warehouse.id)).toBe(3);
  });

  it('returns the same order for a retried request, also when the retries race', async () => {
    const style = styles[1];
    await setAvailable(style, warehouse.id, 10);
    const buyer = await newCustomer();
    const input = placeInput(style, { type: 'SHIP' });
    const racing = await Promise.all(Array.from({ length: 5 }, () => query(url(), PLACE, { input }, buyer.headers)));
    const again = await query(url(), PLACE, { input }, buyer.headers);
    const ids = new Set([...racing, again].map((r) => r.placeOrder.order.id));
    expect(ids.size).toBe(1);
    await graph.settle();
    expect(await available(style, warehouse.id)).toBe(9);
    expect(await ledgerDisagreements(graph.subgraphs.inventory.db)).toEqual([]);
  });

  it.each([
    ['no lines', { lines: [] }, 'INVALID_LINES'],
    ['100 units', { lines: [{ variantId: 'V', quantity: 60 }, { variantId: 'V', quantity: 40 }] }, 'INVALID_QUANTITY'],
    ['an unknown variant', { lines: [{ variantId: 'no-such-variant', quantity: 1 }] }, 'UNKNOWN_VARIANT'],
    ['a store sale channel', { channel: 'STORE' }, 'UNSUPPORTED_CHANNEL'],
    ['pickup without a store', { fulfillment: { type: 'PICKUP_IN_STORE' } }, 'LOCATION_REQUIRED'],
    ['pickup at the warehouse', { fulfillment: { type: 'PICKUP_IN_STORE', locationId: 'WAREHOUSE' } }, 'NOT_A_STORE'],
  ])('refuses %s with a userError', async (_, change, code) => {
    const buyer = await newCustomer();
    const style = styles[2];
    const input = { ...placeInput(style, { type: 'SHIP' }), ...change } as Record<string, unknown>;
    if (Array.isArray(input.lines)) input.lines = (input.lines as Array<{ variantId: string }>).map((l) => ({ ...l, variantId: l.variantId === 'V' ? style.variantId : l.variantId }));
    const fulfillment = input.fulfillment as { locationId?: string };
    if (fulfillment.locationId === 'WAREHOUSE') fulfillment.locationId = warehouse.id;
    const { placeOrder } = await query(url(), PLACE, { input }, buyer.headers);
    expect(placeOrder.order).toBeNull();
    expect(placeOrder.userErrors.map((e: { code: string }) => e.code)).toEqual([code]);
  });

  it('takes guest orders with an e-mail address, and refuses a customer ordering for someone else', async () => {
    const style = styles[2];
    await setAvailable(style, warehouse.id, 5);
    const noEmail = await query(url(), PLACE.replace(/order \{[\s\S]*\} \} \} \}$/, '} }'), { input: placeInput(style, { type: 'SHIP' }) });
    expect(noEmail.placeOrder.userErrors.map((e: { code: string }) => e.code)).toEqual(['GUEST_EMAIL_REQUIRED']);
    const guest = await query(url(), PLACE.replace(/order \{[\s\S]*\} \} \} \}$/, '} }'), { input: placeInput(style, { type: 'SHIP' }, { guestEmail: ' Guest@Example.JP ' }) });
    expect(guest.placeOrder.userErrors).toEqual([]);
    expect(guest.placeOrder.orderNumber).toMatch(/^EC-/);
    const buyer = await newCustomer();
    const other = await newCustomer();
    const forbidden = await graphql(url(), PLACE, { input: placeInput(style, { type: 'SHIP' }, { customerId: other.id }) }, buyer.headers);
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('cancellations, pick-ups and returns', () => {
  it('cancels before fulfilment and puts the stock back; a second cancel is ILLEGAL_TRANSITION; nobody cancels for someone else', async () => {
    const style = styles[3];
    await setAvailable(style, store.id, 4);
    const buyer = await newCustomer();
    const { placeOrder } = await query(url(), PLACE, { input: placeInput(style, { type: 'SHIP_FROM_STORE', locationId: store.id }) }, buyer.headers);
    await graph.settle();
    expect(await available(style, store.id)).toBe(3);
    const stranger = await newCustomer();
    const refused = await graphql(url(), CANCEL, { input: { orderId: placeOrder.order.id } }, stranger.headers);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const { cancelOrder } = await query(url(), CANCEL, { input: { orderId: placeOrder.order.id, reason: 'changed my mind' } }, buyer.headers);
    expect(cancelOrder.order).toMatchObject({ status: 'CANCELLED', cancelReason: 'changed my mind' });
    const again = await query(url(), CANCEL, { input: { orderId: placeOrder.order.id } }, buyer.headers);
    expect(again.cancelOrder.userErrors.map((e: { code: string }) => e.code)).toEqual(['ILLEGAL_TRANSITION']);
    await graph.settle();
    expect(await available(style, store.id)).toBe(4);
    expect(await ledgerDisagreements(graph.subgraphs.inventory.db)).toEqual([]);
  });

  it('moves a pickup order along the queue at its store, refunds a return elsewhere, and nets it out of the purchase summary', async () => {
    const style = styles[4];
    await setAvailable(style, store.id, 5);
    await setAvailable(style, otherStore.id, 0);
    const buyer = await newCustomer();
    const clerk = await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-5', locationId: store.id });
    const otherClerk = await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-6', locationId: otherStore.id });
    const input = placeInput(style, { type: 'PICKUP_IN_STORE', locationId: store.id }, { channel: 'APP', lines: [{ variantId: style.variantId, quantity: 3 }] });
    const { placeOrder } = await query(url(), PLACE, { input }, buyer.headers);
    expect(placeOrder.order).toMatchObject({ location: { id: store.id }, fulfillment: { type: 'PICKUP_IN_STORE', status: 'PENDING' } });
    const orderId = placeOrder.order.id;

    const queue = await query(url(), QUEUE, { locationId: store.id }, clerk);
    expect(queue.pickupQueue.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(orderId);
    expect((await graphql(url(), QUEUE, { locationId: store.id }, otherClerk)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await graphql(url(), READY, { input: { orderId } }, otherClerk)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const early = await query(url(), COMPLETE, { input: { orderId } }, clerk);
    expect(early.completePickup.userErrors.map((e: { code: string }) => e.code)).toEqual(['ILLEGAL_TRANSITION']);
    const ready = await query(url(), READY, { input: { orderId } }, clerk);
    expect(ready.markReadyForPickup.order).toEqual({ status: 'READY_FOR_PICKUP', fulfillment: { status: 'READY_FOR_PICKUP' } });
    const done = await query(url(), COMPLETE, { input: { orderId } }, clerk);
    expect(done.completePickup.order).toEqual({ status: 'COMPLETED', fulfillment: { status: 'PICKED_UP' } });
    const after = await query(url(), QUEUE, { locationId: store.id }, clerk);
    expect(after.pickupQueue.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(orderId);

    // A return at another store, by its staff.
    const back = await query(url(), RETURN, { input: { orderId, locationId: otherStore.id, lines: [{ variantId: style.variantId, quantity: 2 }] } }, otherClerk);
    expect(back.createReturn.userErrors).toEqual([]);
    expect(back.createReturn.return).toMatchObject({ location: { id: otherStore.id }, refundTotal: { amount: 2 * style.price }, lines: [{ quantity: 2, refund: { amount: 2 * style.price } }] });
    const tooMany = await query(url(), RETURN, { input: { orderId, locationId: otherStore.id, lines: [{ variantId: style.variantId, quantity: 2 }] } }, otherClerk);
    expect(tooMany.createReturn.userErrors.map((e: { code: string }) => e.code)).toEqual(['RETURN_EXCEEDS_PURCHASE']);
    await graph.settle();
    expect(await available(style, otherStore.id)).toBe(2);
    expect(await ledgerDisagreements(graph.subgraphs.inventory.db)).toEqual([]);

    const { customer } = await query(url(), SUMMARY, { id: buyer.id }, support);
    expect(customer.purchaseSummary).toEqual({
      lifetimeValue: { amount: style.price },
      orderCount: 1,
      byChannel: [{ channel: 'APP', amount: { amount: style.price }, orderCount: 1 }],
    });
    expect(customer.orders.edges[0].node.returns).toEqual([{ refundTotal: { amount: 2 * style.price } }]);
  });
});

describe('importStoreTransactions', () => {
  it('records each sale once, takes the stock out of the store, rejects bad ones alone, and attributes a card sale once the card is linked', async () => {
    const style = styles[5];
    await setAvailable(style, store.id, 10);
    const clerk = await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-8', locationId: store.id });
    const otherClerk = await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-9', locationId: otherStore.id });
    const card = `77${String(Date.now()).slice(-8)}`;
    const tx = `POS-${key()}`;
    const transactions = [
      { transactionId: tx, occurredAt: new Date().toISOString(), identity: { type: 'MEMBER_CARD', value: `${card.slice(0, 5)}-${card.slice(5)}` }, lines: [{ sku: style.sku, quantity: 2, unitPrice: style.price - 100 }] },
      { transactionId: `POS-${key()}`, occurredAt: new Date().toISOString(), lines: [{ sku: 'NO-SUCH-SKU', quantity: 1, unitPrice: 100 }] },
      { transactionId: tx, occurredAt: new Date().toISOString(), lines: [{ sku: style.sku, quantity: 2, unitPrice: style.price }] },
    ];
    const input = { locationId: store.id, transactions };
    const { importStoreTransactions } = await query(url(), IMPORT, { input }, clerk);
    const [first, rejected, repeated] = importStoreTransactions.results;
    expect(first).toMatchObject({
      status: 'IMPORTED',
      order: { channel: 'STORE', status: 'COMPLETED', externalId: tx, location: { id: store.id }, fulfillment: { type: 'CARRY_OUT', status: 'PICKED_UP' }, total: { amount: 2 * (style.price - 100) } },
    });
    expect(rejected).toMatchObject({ status: 'REJECTED', code: 'UNKNOWN_SKU', order: null });
    expect(repeated).toMatchObject({ status: 'DUPLICATE', order: { id: first.order.id } });

    const again = await query(url(), IMPORT, { input: { locationId: store.id, transactions: [transactions[0]] } }, clerk);
    expect(again.importStoreTransactions.results[0]).toMatchObject({ status: 'DUPLICATE', order: { id: first.order.id } });
    expect((await graphql(url(), IMPORT, { input }, otherClerk)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    await graph.settle();
    expect(await available(style, store.id)).toBe(8);
    expect(await ledgerDisagreements(graph.subgraphs.inventory.db)).toEqual([]);

    const { registerCustomer } = await query(url(), REGISTER, { input: { displayName: 'Card Holder', identities: [{ type: 'MEMBER_CARD', value: card }] } }, support);
    await graph.settle();
    const { customer } = await query(url(), SUMMARY, { id: registerCustomer.customerId }, support);
    expect(customer.orders.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([first.order.id]);
    expect(customer.purchaseSummary.byChannel).toEqual([{ channel: 'STORE', amount: { amount: 2 * (style.price - 100) }, orderCount: 1 }]);

    // The till sold more than the system counted: the sale stands, the count goes to zero, staff see why.
    const beyond = `POS-${key()}`;
    const oversold = await query(url(), IMPORT, {
      input: { locationId: store.id, transactions: [{ transactionId: beyond, occurredAt: new Date().toISOString(), lines: [{ sku: style.sku, quantity: 11, unitPrice: style.price }] }] },
    }, clerk);
    expect(oversold.importStoreTransactions.results[0].status).toBe('IMPORTED');
    await graph.settle();
    expect(await available(style, store.id)).toBe(0);
    const { stockDiscrepancies } = await query(url(), `query($l: ID!) { stockDiscrepancies(locationId: $l, first: 5) { edges { node { kind variant { id } expectedOnHand sold unitsShort orderId } } } }`, { l: store.id }, clerk);
    expect(stockDiscrepancies.edges[0].node).toEqual({ kind: 'SALE_BEYOND_COUNT', variant: { id: style.variantId }, expectedOnHand: 8, sold: 11, unitsShort: 3, orderId: oversold.importStoreTransactions.results[0].order.id });
    expect(await ledgerDisagreements(graph.subgraphs.inventory.db)).toEqual([]);
  });
});

describe('store transaction ids belong to their store', () => {
  it("imports another store's sale with the same transaction id as a sale of its own; the same store's again is a DUPLICATE", async () => {
    const style = styles[5];
    await setAvailable(style, store.id, 5);
    await setAvailable(style, otherStore.id, 5);
    const clerk = await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-10', locationId: store.id });
    const otherClerk = await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-11', locationId: otherStore.id });
    // Each store's tills number their own receipts: both stores ring up receipt 0001 of the day.
    const sale = { transactionId: `R-${key().slice(0, 8)}-0001`, occurredAt: new Date().toISOString(), lines: [{ sku: style.sku, quantity: 1, unitPrice: style.price }] };
    const importAt = async (locationId: string, headers: Record<string, string>) =>
      (await query(url(), IMPORT, { input: { locationId, transactions: [sale] } }, headers)).importStoreTransactions.results[0];
    const here = await importAt(store.id, clerk);
    const there = await importAt(otherStore.id, otherClerk);
    expect(here).toMatchObject({ status: 'IMPORTED', code: null, order: { externalId: sale.transactionId, location: { id: store.id } } });
    expect(there).toMatchObject({ status: 'IMPORTED', code: null, order: { externalId: sale.transactionId, location: { id: otherStore.id } } });
    expect(there.order.id).not.toBe(here.order.id);
    expect(await importAt(otherStore.id, otherClerk)).toMatchObject({ status: 'DUPLICATE', order: { id: there.order.id } });
    expect(await importAt(store.id, clerk)).toMatchObject({ status: 'DUPLICATE', order: { id: here.order.id } });
    await graph.settle();
    expect(await available(style, store.id)).toBe(4);
    expect(await available(style, otherStore.id)).toBe(4);
    expect(await ledgerDisagreements(graph.subgraphs.inventory.db)).toEqual([]);
  });

  it('keeps ids that differ only in case or a trailing space apart, in one import and across imports', async () => {
    const style = styles[5];
    await setAvailable(style, store.id, 5);
    const clerk = await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-12', locationId: store.id });
    const id = `Rx-${key().slice(0, 8)}`;
    const sale = (transactionId: string) => ({ transactionId, occurredAt: new Date().toISOString(), lines: [{ sku: style.sku, quantity: 1, unitPrice: style.price }] });
    const { importStoreTransactions } = await query(url(), IMPORT, { input: { locationId: store.id, transactions: [sale(id), sale(id.toUpperCase())] } }, clerk);
    expect(importStoreTransactions.results.map((r: { status: string }) => r.status)).toEqual(['IMPORTED', 'IMPORTED']);
    const again = await query(url(), IMPORT, { input: { locationId: store.id, transactions: [sale(`${id} `), sale(id)] } }, clerk);
    expect(again.importStoreTransactions.results.map((r: { status: string }) => r.status)).toEqual(['IMPORTED', 'DUPLICATE']);
  });
});

describe('placeOrder across a failure', () => {
  const ORDER_STOCK = `query($id: ID!) { order(id: $id) { status stockShortAt lines { quantity quantityShort } } }`;
  const SHORTAGES = `query($l: ID!) { stockDiscrepancies(locationId: $l, kind: ORDER_SHORTAGE, first: 5) { edges { node { kind orderId sold expectedOnHand unitsShort variant { id } } } } }`;

  it('places the order when inventory fails at the commit; order.placed takes the stock once, and a retry returns the order', async () => {
    const style = styles[6];
    await setAvailable(style, store.id, 3);
    const buyer = await newCustomer();
    const input = placeInput(style, { type: 'SHIP_FROM_STORE', locationId: store.id });
    const inventory = graph.subgraphs.orders.domain.inventory;
    // Inventory dies between "order saved" and "reservation committed" (the call fails; the order is saved).
    const commit = jest.spyOn(inventory, 'commitForOrder').mockRejectedValue(new Error('inventory killed'));
    try {
      const placed = await graphql<{ placeOrder: { order: { id: string; status: string }; userErrors: unknown[] } }>(url(), PLACE, { input }, buyer.headers);
      expect(placed.errors).toBeUndefined();
      expect(placed.data!.placeOrder.order.status).toBe('PLACED');
      const retried = await query(url(), PLACE, { input }, buyer.headers);
      expect(retried.placeOrder.order.id).toBe(placed.data!.placeOrder.order.id);
      expect(commit).toHaveBeenCalled();
    } finally {
      commit.mockRestore();
    }
    await graph.settle();
    expect(await available(style, store.id)).toBe(2);
    expect(await ledgerDisagreements(graph.subgraphs.inventory.db)).toEqual([]);
  });

  it('flags an order whose lapsed hold was sold meanwhile as short, lists it for the store, and a cancel restocks only what was taken', async () => {
    const style = styles[7];
    await setAvailable(style, store.id, 2);
    const buyer = await newCustomer();
    const clerk = await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-12', locationId: store.id });
    const inventory = graph.subgraphs.orders.domain.inventory;
    const reserve = inventory.reserve.bind(inventory);
    // The request stalls past its hold: the sweeper frees the units, and one of them leaves the shelf meanwhile.
    const stall = jest.spyOn(inventory, 'reserve').mockImplementation(async (request) => {
      const held = await reserve(request);
      await graph.subgraphs.inventory.domain.reservations.sweepExpired(new Date(Date.now() + 16 * 60_000));
      await setAvailable(style, store.id, 1);
      return held;
    });
    let orderId: string;
    try {
      const { placeOrder } = await query(url(), PLACE, { input: placeInput(style, { type: 'SHIP_FROM_STORE', locationId: store.id }, { lines: [{ variantId: style.variantId, quantity: 2 }] }) }, buyer.headers);
      expect(placeOrder.userErrors).toEqual([]);
      orderId = placeOrder.order.id;
    } finally {
      stall.mockRestore();
    }
    await graph.settle();
    // What was there was taken, nothing was sold twice, and the order says it is one unit short.
    expect(await available(style, store.id)).toBe(0);
    const { order } = await query(url(), ORDER_STOCK, { id: orderId }, support);
    expect(order).toMatchObject({ status: 'PLACED', stockShortAt: expect.any(String), lines: [{ quantity: 2, quantityShort: 1 }] });
    const { stockDiscrepancies } = await query(url(), SHORTAGES, { l: store.id }, clerk);
    expect(stockDiscrepancies.edges.map((e: { node: unknown }) => e.node)).toContainEqual({
      kind: 'ORDER_SHORTAGE',
      orderId,
      sold: 2,
      expectedOnHand: 1,
      unitsShort: 1,
      variant: { id: style.variantId },
    });

    const { cancelOrder } = await query(url(), CANCEL, { input: { orderId, reason: 'out of stock' } }, buyer.headers);
    expect(cancelOrder.userErrors).toEqual([]);
    await graph.settle();
    expect(await available(style, store.id)).toBe(1);
    expect(await ledgerDisagreements(graph.subgraphs.inventory.db)).toEqual([]);
  });
});
