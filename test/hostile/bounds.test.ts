import { randomUUID } from 'node:crypto';
import { MAX_ORDER_TOTAL, MAX_STOCK_LEVEL, MAX_UNIT_PRICE } from '../../shared/bounds';
import { query } from '../../shared/testkit';
import { ledgerDisagreements } from '../../subgraphs/inventory/src/stock/stock.testkit';
import type { TestGraph } from '../support/graph';
import { freshStyle as newStyle, locationsOf, looseGraphql as graphql, startSettledGraph } from '../support/hostile';

/**
 * Numbers past their bounds, replayed through the gateway: stock levels pushed toward 2^31, prices
 * and quantities no till or shopper sends, and sums of money past a 32-bit Int. Each is refused with
 * a userError and nothing written, and what stays within the bounds still answers: the catalog, a
 * customer's purchase summary, the segment report.
 */

let graph: TestGraph;
let admin: Record<string, string>;
let support: Record<string, string>;
let marketing: Record<string, string>;
let store: string;
let warehouse: string;
const url = () => graph.gateway.url;

beforeAll(async () => {
  graph = await startSettledGraph();
  ({ stores: [{ id: store }], warehouse: { id: warehouse } } = locationsOf(graph));
  admin = await graph.as({ role: 'ADMIN', staffId: 'admin-b' });
  support = await graph.as({ role: 'SUPPORT', staffId: 'agent-b' });
  marketing = await graph.as({ role: 'MARKETING', staffId: 'marketer-b' });
}, 180_000);
afterAll(async () => {
  await graph?.teardown();
});

const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { level { onHand available } userErrors { field code } } }`;
const TRANSFER = `mutation($input: TransferStockInput!) { transferStock(input: $input) { transferId userErrors { field code } } }`;
const RESERVE = `mutation($input: ReserveStockInput!) { reserveStock(input: $input) { reservation { id } userErrors { field code } } }`;
const CATALOG = `query($id: ID!) { product(id: $id) { id totalAvailable availability { location { id } available } variants { totalAvailable availability { available } } } }`;
const IMPORT = `mutation($input: ImportStoreTransactionsInput!) { importStoreTransactions(input: $input) { results { transactionId status code order { id } } userErrors { code } } }`;
const RETURN = `mutation($input: CreateReturnInput!) { createReturn(input: $input) { return { id } userErrors { field code } } }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { orderNumber userErrors { field code } } }`;

/** A style of its own with `variants` SKUs, at a price; no stock. */
const freshStyle = (options: { variants?: number; price?: number } = {}) => newStyle(graph, { prefix: 'HB', ...options });

async function levelAt(productId: string, locationId: string): Promise<{ onHand: number; available: number }> {
  const { product } = await query(url(), `query($id: ID!, $l: [ID!]) { product(id: $id) { availability(locationIds: $l) { onHand available } } }`, { id: productId, l: [locationId] }, admin);
  return product.availability[0] ?? { onHand: 0, available: 0 };
}

describe('stock levels have a ceiling', () => {
  it('refuses adjustStock past the maximum level (the 2^31 replay), writes nothing, and the public catalog still answers', async () => {
    const { productId, variants } = await freshStyle();
    const variantId = variants[0].id;
    const adjust = (delta: number) => query(url(), ADJUST, { input: { locationId: store, variantId, delta, reason: 'hostile replay' } }, admin);

    expect((await adjust(MAX_STOCK_LEVEL)).adjustStock).toEqual({ level: { onHand: MAX_STOCK_LEVEL, available: MAX_STOCK_LEVEL }, userErrors: [] });
    // What 2,148 calls of a million did: every further one is refused, the level stays.
    for (let i = 0; i < 3; i++) {
      expect((await adjust(MAX_STOCK_LEVEL)).adjustStock).toEqual({ level: null, userErrors: [{ field: ['input', 'delta'], code: 'STOCK_LIMIT_EXCEEDED' }] });
    }
    expect((await adjust(1)).adjustStock.userErrors.map((e: { code: string }) => e.code)).toEqual(['STOCK_LIMIT_EXCEEDED']);
    expect((await adjust(2 ** 31 - 1)).adjustStock.userErrors.map((e: { code: string }) => e.code)).toEqual(['INVALID_QUANTITY']);
    expect((await adjust(-(2 ** 31))).adjustStock.userErrors.map((e: { code: string }) => e.code)).toEqual(['INVALID_QUANTITY']);

    // Anonymous, as the storefront asks.
    const catalog = await graphql(url(), CATALOG, { id: productId });
    expect(catalog.errors).toBeUndefined();
    expect(catalog.data!.product).toMatchObject({ id: productId, totalAvailable: MAX_STOCK_LEVEL, variants: [{ totalAvailable: MAX_STOCK_LEVEL }] });

    // A transfer may not fill the destination past the ceiling either, and moves nothing.
    await query(url(), ADJUST, { input: { locationId: warehouse, variantId, delta: MAX_STOCK_LEVEL - 5, reason: 'hostile replay' } }, admin);
    const transfer = await query(url(), TRANSFER, { input: { fromLocationId: store, toLocationId: warehouse, lines: [{ variantId, quantity: 10 }] } }, admin);
    expect(transfer.transferStock).toEqual({ transferId: null, userErrors: [{ field: ['input', 'lines', '0', 'quantity'], code: 'STOCK_LIMIT_EXCEEDED' }] });
    expect(await levelAt(productId, store)).toEqual({ onHand: MAX_STOCK_LEVEL, available: MAX_STOCK_LEVEL });
    expect(await levelAt(productId, warehouse)).toEqual({ onHand: MAX_STOCK_LEVEL - 5, available: MAX_STOCK_LEVEL - 5 });

    const reserve = await query(url(), RESERVE, { input: { idempotencyKey: randomUUID(), locationId: store, lines: [{ variantId, quantity: 1000 }] } }, admin);
    expect(reserve.reserveStock).toEqual({ reservation: null, userErrors: [{ field: ['input', 'lines', '0', 'quantity'], code: 'INVALID_QUANTITY' }] });
    await graph.settle();
    expect(await ledgerDisagreements(graph.subgraphs.inventory.db)).toEqual([]);
  });

  it('answers stock summed past 2^31 over variants and locations (SafeInt), anonymously', async () => {
    const { productId, variants } = await freshStyle({ variants: 200 });
    const locations = graph.data.locations.map((l) => l.id);
    // Every level at the ceiling: 200 SKUs x the locations x 1,000,000 units is more than 2^31.
    expect(variants.length * locations.length * MAX_STOCK_LEVEL).toBeGreaterThan(2 ** 31);
    await graph.subgraphs.inventory.domain.stock.receive(
      locations.map((locationId) => ({
        locationId,
        lines: variants.map((v) => ({ variantId: v.id, productId, quantity: MAX_STOCK_LEVEL })),
        reference: 'hostile: full shelves',
        actor: 'test',
      })),
    );
    const catalog = await graphql(url(), `query($id: ID!) { product(id: $id) { totalAvailable availability { available } } }`, { id: productId });
    expect(catalog.errors).toBeUndefined();
    expect(catalog.data!.product.totalAvailable).toBe(variants.length * locations.length * MAX_STOCK_LEVEL);
    expect(catalog.data!.product.availability).toHaveLength(locations.length);
  });
});

describe('prices and quantities have bounds, and sums of money do not overflow', () => {
  it('rejects a ¥2,000,000,000 POS line and other out-of-bounds sales alone; within the bounds, purchaseSummary and segmentReport answer sums past 2^31', async () => {
    const { variants } = await freshStyle();
    const sku = variants[0].sku;
    const card = `88${String(Date.now()).slice(-8)}`;
    const registered = await query(
      url(),
      'mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { customerId userErrors { code } } }',
      { input: { displayName: 'Big Spender', identities: [{ type: 'MEMBER_CARD', value: card }] } },
      support,
    );
    expect(registered.registerCustomer.userErrors).toEqual([]);
    const customerId = registered.registerCustomer.customerId;
    await graph.settle();

    const now = new Date().toISOString();
    const sale = (unitPrice: number, quantity: number) => ({
      transactionId: `HB-${randomUUID()}`,
      occurredAt: now,
      identity: { type: 'MEMBER_CARD', value: card },
      lines: [{ sku, quantity, unitPrice }],
    });
    // Within the bounds: each sale is 10 units at the highest unit price, just under the highest total.
    const big = () => sale(MAX_UNIT_PRICE, 10);
    const transactions = [sale(2_000_000_000, 1), sale(MAX_UNIT_PRICE + 1, 1), sale(-1, 1), sale(1000, 1000), sale(MAX_UNIT_PRICE, 20), big(), big(), big()];
    const { importStoreTransactions } = await query(url(), IMPORT, { input: { locationId: store, transactions } }, admin);
    expect(importStoreTransactions.results.map((r: { status: string; code: string | null }) => [r.status, r.code])).toEqual([
      ['REJECTED', 'INVALID_PRICE'],
      ['REJECTED', 'INVALID_PRICE'],
      ['REJECTED', 'INVALID_PRICE'],
      ['REJECTED', 'INVALID_QUANTITY'],
      ['REJECTED', 'ORDER_TOTAL_TOO_LARGE'],
      ['IMPORTED', null],
      ['IMPORTED', null],
      ['IMPORTED', null],
    ]);
    // A return of more units than a line may hold is refused before anything is looked up.
    const orderId = importStoreTransactions.results[5].order.id;
    for (const quantity of [1000, 2 ** 31 - 1]) {
      const back = await query(url(), RETURN, { input: { orderId, locationId: store, lines: [{ variantId: variants[0].id, quantity }] } }, admin);
      expect(back.createReturn).toEqual({ return: null, userErrors: [{ field: ['input', 'lines', '0', 'quantity'], code: 'INVALID_QUANTITY' }] });
    }
    await graph.settle();

    const lifetimeValue = 3 * 10 * MAX_UNIT_PRICE;
    expect(lifetimeValue).toBeGreaterThan(2 ** 31);
    const summary = await graphql(url(), 'query($id: ID!) { customer(id: $id) { purchaseSummary { lifetimeValue { amount } orderCount byChannel { channel amount { amount } } } } }', { id: customerId }, support);
    expect(summary.errors).toBeUndefined();
    expect(summary.data!.customer.purchaseSummary).toEqual({ lifetimeValue: { amount: lifetimeValue }, orderCount: 3, byChannel: [{ channel: 'STORE', amount: { amount: lifetimeValue } }] });

    const report = await graphql(url(), '{ segmentReport { segments { code customers revenue { amount } revenueShare averageLifetimeValue { amount } } } }', {}, marketing);
    expect(report.errors).toBeUndefined();
    const vip = report.data!.segmentReport.segments.find((s: { code: string }) => s.code === 'VIP');
    expect(vip.revenue.amount).toBeGreaterThanOrEqual(lifetimeValue);
  });

  it('refuses an online order past the highest total before anything is held', async () => {
    const { productId, variants } = await freshStyle({ price: 50_000_000 });
    await query(url(), ADJUST, { input: { locationId: warehouse, variantId: variants[0].id, delta: 30, reason: 'hostile replay' } }, admin);
    const input = (quantity: number) => ({ idempotencyKey: randomUUID(), channel: 'EC', guestEmail: 'whale@example.com', lines: [{ variantId: variants[0].id, quantity }], fulfillment: { type: 'SHIP' } });
    expect(20 * 50_000_000).toBeGreaterThan(MAX_ORDER_TOTAL);
    const refused = await query(url(), PLACE, { input: input(20) });
    expect(refused.placeOrder).toEqual({ orderNumber: null, userErrors: [{ field: ['input', 'lines'], code: 'ORDER_TOTAL_TOO_LARGE' }] });
    const tooMany = await query(url(), PLACE, { input: input(100) });
    expect(tooMany.placeOrder.userErrors.map((e: { code: string }) => e.code)).toEqual(['INVALID_QUANTITY']);
    await graph.settle();
    const { product } = await query(url(), `query($id: ID!, $l: [ID!]) { product(id: $id) { availability(locationIds: $l) { onHand reserved available } } }`, { id: productId, l: [warehouse] }, admin);
    expect(product.availability).toEqual([{ onHand: 30, reserved: 0, available: 30 }]);
  });
});
