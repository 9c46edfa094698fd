import { randomUUID } from 'node:crypto';
import { PRINCIPAL_HEADER, signPrincipal } from '../shared/auth/principal';
import { envelope } from '../shared/events/envelope';
import { graphql, query } from '../shared/testkit';
import { ledgerDisagreements } from '../subgraphs/inventory/src/stock/stock.testkit';
import { startTestGraph, type TestGraph } from './support/graph';

/**
 * One stock picture through the gateway: adjustments, transfers, reservations (idempotent, expiring,
 * never overselling), store sales beyond the count, returns, and who may change stock where.
 */

let graph: TestGraph;
let admin: Record<string, string>;
let clerk: Record<string, string>;
let store: string;
let otherStore: string;
const url = () => graph.gateway.url;

beforeAll(async () => {
  graph = await startTestGraph({ scale: 0.01 });
  await graph.settle();
  [store, otherStore] = graph.data.locations.filter((l) => l.type === 'STORE').map((l) => l.id);
  admin = await graph.as({ role: 'ADMIN', staffId: 'admin-s' });
  clerk = await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-s', locationId: store });
});
afterAll(async () => {
  await graph?.teardown();
});

const ADJUST = `mutation($input: AdjustStockInput!) {
  adjustStock(input: $input) { level { onHand reserved available } userErrors { field code } } }`;
const TRANSFER = `mutation($input: TransferStockInput!) {
  transferStock(input: $input) { transferId levels { location { id } onHand available } userErrors { field code } } }`;
const RESERVATION = `reservation { id status locationId expiresAt lines { variant { id } quantity unitPrice { amount currencyCode } taxRate } } userErrors { field code }`;
const RESERVE = `mutation($input: ReserveStockInput!) { reserveStock(input: $input) { ${RESERVATION} } }`;
const COMMIT = `mutation($input: CommitReservationInput!) { commitReservation(input: $input) { ${RESERVATION} } }`;
const RELEASE = `mutation($input: ReleaseReservationInput!) { releaseReservation(input: $input) { ${RESERVATION} } }`;
const LEVELS = `query($id: ID!, $locationIds: [ID!]) {
  product(id: $id) { variants { availability(locationIds: $locationIds) { location { id } onHand reserved available } } } }`;
const DISCREPANCIES = `query($locationId: ID, $first: Int, $after: String) {
  stockDiscrepancies(locationId: $locationId, first: $first, after: $after) {
    edges { node { variant { id } location { id } expectedOnHand sold orderId occurredAt } } pageInfo { hasNextPage endCursor } } }`;

/** A style of its own with one SKU, `units` on hand at the store (set through adjustStock). */
async function freshSku(units: number, taxRateBp?: number): Promise<{ productId: string; variantId: string }> {
  const code = `E2E-${randomUUID().slice(0, 8)}`;
  const [product] = await graph.subgraphs.inventory.domain.products.createProducts([
    { code, name: code, brand: 'Test', category: 'Test', price: 3300, taxRateBp, releasedAt: new Date(), soldOnline: true, variants: [{ sku: `${code}-M`, color: 'Navy', size: 'M' }] },
  ]);
  const [variant] = await graph.subgraphs.inventory.domain.products.variantsByProductIds([product.id]);
  if (units) {
    const { adjustStock } = await query(url(), ADJUST, { input: { locationId: store, variantId: variant.id, delta: units, reason: 'opening count' } }, admin);
    expect(adjustStock.userErrors).toEqual([]);
  }
  return { productId: product.id, variantId: variant.id };
}

async function levelAt(productId: string, locationId = store): Promise<{ onHand: number; reserved: number; available: number }> {
  const { product } = await query(url(), LEVELS, { id: productId, locationIds: [locationId] }, admin);
  const [level] = product.variants[0].availability;
  return level ? { onHand: level.onHand, reserved: level.reserved, available: level.available } : { onHand: 0, reserved: 0, available: 0 };
}

const reserve = (variantId: string, quantity: number, extra: Record<string, unknown> = {}, headers = admin) =>
  query(url(), RESERVE, { input: { idempotencyKey: randomUUID(), locationId: store, lines: [{ variantId, quantity }], ...extra } }, headers).then((d) => d.reserveStock);

async function ledgerAgrees(): Promise<void> {
  expect(await ledgerDisagreements(graph.subgraphs.inventory.db)).toEqual([]);
}

describe('adjustments and transfers', () => {
  it('adjusts with a reason, never below zero, and transfers all lines or none', async () => {
    const { productId, variantId } = await freshSku(5);
    const down = await query(url(), ADJUST, { input: { locationId: store, variantId, delta: -6, reason: 'count' } }, clerk);
    expect(down.adjustStock).toEqual({ level: null, userErrors: [{ field: ['input', 'delta'], code: 'INSUFFICIENT_STOCK' }] });
    const transfer = (quantity: number) =>
      query(url(), TRANSFER, { input: { fromLocationId: store, toLocationId: otherStore, lines: [{ variantId, quantity: 2 }, { variantId, quantity }] } }, clerk);
    expect((await transfer(4)).transferStock.userErrors).toEqual([{ field: ['input', 'lines', '1', 'quantity'], code: 'INSUFFICIENT_STOCK' }]);
    expect(await levelAt(productId, otherStore)).toEqual({ onHand: 0, reserved: 0, available: 0 });
    const moved = await transfer(1);
    expect(moved.transferStock.userErrors).toEqual([]);
    expect(await levelAt(productId)).toEqual({ onHand: 2, reserved: 0, available: 2 });
    expect(await levelAt(productId, otherStore)).toEqual({ onHand: 3, reserved: 0, available: 3 });
    await ledgerAgrees();
  });
});

describe('reservations', () => {
  it('reserves at the catalog price and tax, answers a retried key with the same reservation, commits and releases idempotently', async () => {
    const { productId, variantId } = await freshSku(6, 800);
    const idempotencyKey = randomUUID();
    const first = await reserve(variantId, 2, { idempotencyKey });
    expect(first.userErrors).toEqual([]);
    expect(first.reservation).toMatchObject({
      status: 'ACTIVE',
      locationId: store,
      lines: [{ variant: { id: variantId }, quantity: 2, unitPrice: { amount: 3300, currencyCode: 'JPY' }, taxRate: 0.08 }],
    });
    expect((await reserve(variantId, 2, { idempotencyKey })).reservation.id).toBe(first.reservation.id);
    expect(await levelAt(productId)).toEqual({ onHand: 6, reserved: 2, available: 4 });

    const input = { reservationId: first.reservation.id };
    for (let i = 0; i < 2; i++) {
      const { commitReservation } = await query(url(), COMMIT, { input }, admin);
      expect([commitReservation.reservation.status, commitReservation.userErrors]).toEqual(['COMMITTED', []]);
    }
    expect(await levelAt(productId)).toEqual({ onHand: 4, reserved: 0, available: 4 });

    const second = await reserve(variantId, 3);
    for (let i = 0; i < 2; i++) {
      const { releaseReservation } = await query(url(), RELEASE, { input: { reservationId: second.reservation.id } }, admin);
      expect([releaseReservation.reservation.status, releaseReservation.userErrors]).toEqual(['RELEASED', []]);
    }
    const late = await query(url(), COMMIT, { input: { reservationId: second.reservation.id } }, admin);
    expect(late.commitReservation.userErrors).toEqual([{ field: ['input', 'reservationId'], code: 'RESERVATION_RELEASED' }]);
    expect(await levelAt(productId)).toEqual({ onHand: 4, reserved: 0, available: 4 });

    const invalid = await reserve(variantId, 1000);
    expect(invalid.userErrors).toEqual([{ field: ['input', 'lines', '0', 'quantity'], code: 'INVALID_QUANTITY' }]);
    expect((await reserve(randomUUID(), 1)).userErrors[0].code).toBe('UNKNOWN_VARIANT');
    await ledgerAgrees();
  });

  it('releases what lapsed when the sweeper runs; a lapsed reservation cannot be committed', async () => {
    const { productId, variantId } = await freshSku(2);
    const held = await reserve(variantId, 2, { ttlSeconds: 1 });
    expect(await levelAt(productId)).toEqual({ onHand: 2, reserved: 2, available: 0 });
    await graph.subgraphs.inventory.domain.reservations.sweepExpired(new Date(Date.now() + 2000));
    expect(await levelAt(productId)).toEqual({ onHand: 2, reserved: 0, available: 2 });
    const late = await query(url(), COMMIT, { input: { reservationId: held.reservation.id } }, admin);
    expect(late.commitReservation.userErrors).toEqual([{ field: ['input', 'reservationId'], code: 'RESERVATION_EXPIRED' }]);
  });

  it('never oversells: 40 concurrent reservations for 10 available, exactly 10 hold', async () => {
    const { productId, variantId } = await freshSku(10);
    const answers = await Promise.all(Array.from({ length: 40 }, () => reserve(variantId, 1)));
    const codes = answers.map((a) => (a.userErrors.length ? a.userErrors[0].code : 'OK'));
    expect(codes.filter((c) => c === 'OK')).toHaveLength(10);
    expect(codes.filter((c) => c === 'INSUFFICIENT_STOCK')).toHaveLength(30);
    expect(await levelAt(productId)).toEqual({ onHand: 10, reserved: 10, available: 0 });
    await ledgerAgrees();
  });
});

describe('store sales and returns', () => {
  it('books a sale beyond the count at zero, lists the discrepancy for the store, and restocks a return', async () => {
    const { productId, variantId } = await freshSku(1);
    const orderId = randomUUID();
    // As the orders service announces an imported store sale.
    const line = { variantId, productId, quantity: 3, unitPrice: 3300 };
    await graph.platform.bus.publish([
      envelope('orders', {
        type: 'order.placed',
        key: orderId,
        payload: { orderId, number: 'ST-E2E', channel: 'STORE', customerId: null, customerIdentity: null, locationId: store, placedAt: new Date().toISOString(), total: 9900, currencyCode: 'JPY', lines: [line], stockEffect: 'SOLD_AT_LOCATION' },
      }),
    ]);
    await graph.settle();
    expect(await levelAt(productId)).toEqual({ onHand: 0, reserved: 0, available: 0 });
    const { stockDiscrepancies } = await query(url(), DISCREPANCIES, { locationId: store, first: 5 }, clerk);
    expect(stockDiscrepancies.edges[0].node).toMatchObject({ variant: { id: variantId }, location: { id: store }, expectedOnHand: 1, sold: 3, orderId });

    const returnId = randomUUID();
    await graph.platform.bus.publish([
      envelope('orders', {
        type: 'order.returned',
        key: orderId,
        payload: { orderId, returnId, channel: 'STORE', customerId: null, locationId: otherStore, returnedAt: new Date().toISOString(), refundTotal: 3300, lines: [{ variantId, productId, quantity: 1, refund: 3300 }] },
      }),
    ]);
    await graph.settle();
    expect(await levelAt(productId, otherStore)).toEqual({ onHand: 1, reserved: 0, available: 1 });
    await ledgerAgrees();
  });
});

describe('access', () => {
  it('refuses store staff at another store, customers and anonymous callers', async () => {
    const { variantId } = await freshSku(3);
    const elsewhere = await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-x', locationId: otherStore });
    const attempts = [
      await graphql(url(), ADJUST, { input: { locationId: store, variantId, delta: -1, reason: 'count' } }, elsewhere),
      await graphql(url(), RESERVE, { input: { idempotencyKey: randomUUID(), locationId: store, lines: [{ variantId, quantity: 1 }] } }, elsewhere),
      await graphql(url(), DISCREPANCIES, { locationId: store }, elsewhere),
      await graphql(url(), DISCREPANCIES, {}, clerk),
      await graphql(url(), RESERVE, { input: { idempotencyKey: randomUUID(), locationId: store, lines: [{ variantId, quantity: 1 }] } }, await graph.as({ customer: graph.data.customers[0].id })),
    ];
    expect(attempts.map((r) => r.errors?.[0]?.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    const anonymous = await graphql(url(), ADJUST, { input: { locationId: store, variantId, delta: 1, reason: 'count' } });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await levelAt((await graph.subgraphs.inventory.domain.products.variantsByIds([variantId]))[0].productId)).toEqual({ onHand: 3, reserved: 0, available: 3 });
  });

  it('serves variantsBySku to services only, in the order asked, in one SQL statement', async () => {
    const skus = graph.data.products.slice(0, 3).map((p) => p.variants[0].sku);
    const document = 'query($skus: [String!]!) { variantsBySku(skus: $skus) { id sku } }';
    expect((await graphql(url(), document, { skus }, admin)).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const asService = { [PRINCIPAL_HEADER]: signPrincipal({ kind: 'SERVICE', service: 'orders' }, graph.config.internalSigningKey) };
    const asked = [skus[2], 'NO-SUCH-SKU', skus[0], skus[1]];
    const response = await graphql<{ variantsBySku: Array<{ sku: string } | null> }>(graph.subgraphs.inventory.url!, document, { skus: asked }, asService);
    expect(response.data?.variantsBySku.map((v) => v?.sku ?? null)).toEqual([skus[2], null, skus[0], skus[1]]);
    expect(graph.subgraphs.inventory.db.statements.forRequest(response.requestId)).toBe(1);
    const asStaff = { [PRINCIPAL_HEADER]: signPrincipal({ kind: 'STAFF', staffId: 'a', role: 'ADMIN' }, graph.config.internalSigningKey) };
    expect((await graphql(graph.subgraphs.inventory.url!, document, { skus }, asStaff)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
