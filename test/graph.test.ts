import { businessWindowStart } from '../shared/business-time';
import { query, testConfig } from '../shared/testkit';
import { IdentityType } from '../shared/graphql/identity';
import { normalizeIdentityValue } from '../shared/identity/normalize';
import type { DemoCustomer, DemoOrder } from '../scripts/seed/demo-data';
import { startTestGraph, type TestGraph } from './support/graph';
import { deliveredOrder } from './support/orders';

const CUSTOMER_360 = `query Customer360($id: ID!) {
  customer(id: $id) {
    id displayName displayNameKana
    identities { type value }
    orders(first: 100) {
      edges { node {
        number channel placedAt externalId
        location { id name }
        total { amount currencyCode }
        lines {
          quantity unitPrice { amount }
          product { id name }
          variant { id sku size color availability { location { id } onHand available } }
        }
      } }
      pageInfo { hasNextPage }
    }
    purchaseSummary {
      lifetimeValue { amount currencyCode } orderCount
      byChannel { channel amount { amount } orderCount }
    }
    recommendations(first: 8) { score product { id name } reasons { code message } }
  }
}`;

let graph: TestGraph;
let url: string;
/** A support agent sees every customer and their contact details. */
let support: Record<string, string>;

beforeAll(async () => {
  // Every order with every line's stock at every location in one request: more than a client may ask
  // for at once under the default cost limit (README: Limits), which this test raises.
  graph = await startTestGraph({ scale: 0.05, config: testConfig({ COST_LIMIT: '10000000' }) });
  url = graph.gateway.url;
  support = await graph.as({ role: 'SUPPORT', staffId: 'test-support' });
});
afterAll(() => graph?.teardown());

function ordersOf(customerId: string): DemoOrder[] {
  return graph.data.orders.filter((o) => o.customerId === customerId);
}

/** A customer who bought both in a store and online, with a history worth showing. */
function omnichannelCustomer(): DemoCustomer {
  const found = graph.data.customers.find((c) => {
    const channels = new Set(ordersOf(c.id).map((o) => o.channel));
    return channels.has('STORE') && (channels.has('EC') || channels.has('APP')) && ordersOf(c.id).length >= 3;
  });
  if (!found) throw new Error('the demo data has no omnichannel customer');
  return found;
}

const lineTotal = (o: DemoOrder) => o.lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);

describe('one query, every service', () => {
  it('returns a customer with identities, orders across channels, lines with variant, product and stock, the summary and recommendations', async () => {
    const demo = omnichannelCustomer();
    const expectedOrders = ordersOf(demo.id).sort((a, b) => b.placedAt.getTime() - a.placedAt.getTime());
    const { customer } = await query(url, CUSTOMER_360, { id: demo.id }, support);

    expect(customer.displayName).toBe(demo.displayName);
    expect(customer.displayNameKana).toBe(demo.displayNameKana);
    expect(new Set(customer.identities.map((i: { type: string; value: string }) => `${i.type}:${i.value}`))).toEqual(
      new Set(demo.identities.map((i) => `${i.type}:${normalizeIdentityValue(IdentityType[i.type], i.value)}`)),
    );

    // Orders: all of them, newest first, each as written.
    const orders = customer.orders.edges.map((e: { node: any }) => e.node); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(orders.map((o: { number: string }) => o.number)).toEqual(expectedOrders.map((o) => o.number));
    expect(new Set(orders.map((o: { channel: string }) => o.channel)).has('STORE')).toBe(true);
    const products = new Map(graph.data.products.map((p) => [p.id, p]));
    const stock = new Map(graph.data.stock.flatMap((s) => s.lines.map((l) => [`${s.locationId}:${l.variantId}`, l.quantity])));
    for (const [i, order] of orders.entries()) {
      const written = expectedOrders[i];
      expect(order.channel).toBe(written.channel);
      expect(order.placedAt).toBe(written.placedAt.toISOString());
      expect(order.location?.id ?? null).toBe(written.locationId);
      expect(order.total).toEqual({ amount: lineTotal(written), currencyCode: 'JPY' });
      expect(order.lines).toHaveLength(written.lines.length);
      for (const [j, line] of order.lines.entries()) {
        const writtenLine = written.lines[j];
        const product = products.get(writtenLine.productId)!;
        expect(line.product).toEqual({ id: product.id, name: product.name });
        expect(line.variant.sku).toBe(product.variants.find((v) => v.id === writtenLine.variantId)!.sku);
        expect(line.quantity).toBe(writtenLine.quantity);
        expect(line.unitPrice.amount).toBe(writtenLine.unitPrice);
        // Stock by location is the opening stock the seed received (history does not move it).
        for (const level of line.variant.availability) {
          expect(level.onHand).toBe(stock.get(`${level.location.id}:${line.variant.id}`));
        }
        expect(line.variant.availability.length).toBe(
          graph.data.stock.filter((s) => s.lines.some((l) => l.variantId === writtenLine.variantId)).length,
        );
      }
    }

    // Purchase summary by channel, from the same orders.
    const byChannel = new Map<string, { amount: number; orderCount: number }>();
    for (const o of expectedOrders) {
      const entry = byChannel.get(o.channel) ?? { amount: 0, orderCount: 0 };
      entry.amount += lineTotal(o);
      entry.orderCount += 1;
      byChannel.set(o.channel, entry);
    }
    expect(customer.purchaseSummary.orderCount).toBe(expectedOrders.length);
    expect(customer.purchaseSummary.lifetimeValue.amount).toBe(expectedOrders.reduce((s, o) => s + lineTotal(o), 0));
    expect(
      Object.fromEntries(
        customer.purchaseSummary.byChannel.map((c: { channel: string; amount: { amount: number }; orderCount: number }) => [
          c.channel,
          { amount: c.amount.amount, orderCount: c.orderCount },
        ]),
      ),
    ).toEqual(Object.fromEntries(byChannel));

    // Recommendations: resolved products, nothing already bought unless bought again, every one with a reason code.
    const owned = new Set(expectedOrders.flatMap((o) => o.lines.map((l) => l.productId)));
    expect(customer.recommendations).toHaveLength(8);
    for (const rec of customer.recommendations) {
      const codes = rec.reasons.map((r: { code: string }) => r.code);
      if (owned.has(rec.product.id)) expect(codes).toContain('BUY_AGAIN');
      expect(rec.product.name).toBe(products.get(rec.product.id)!.name);
      expect(['BUY_AGAIN', 'BOUGHT_TOGETHER', 'VIEWED_TOGETHER', 'POPULAR', 'NEW_ARRIVAL']).toContain(codes[0]);
    }
    expect(['BUY_AGAIN', 'BOUGHT_TOGETHER', 'VIEWED_TOGETHER']).toContain(customer.recommendations[0].reasons[0].code);
  });

  it('finds a customer by any identity, however it is typed', async () => {
    const demo = graph.data.customers.find((c) => c.identities.some((i) => i.type === 'PHONE'))!;
    const phone = demo.identities.find((i) => i.type === 'PHONE')!.value; // +8190XXXXXXXX
    const domestic = `0${phone.slice(3, 5)}-${phone.slice(5, 9)}-${phone.slice(9)}`;
    const result = await query(url, `query($v: String!) { customerByIdentity(type: PHONE, value: $v) { id } }`, { v: domestic }, support);
    expect(result.customerByIdentity).toEqual({ id: demo.id });
    const none = await query(url, `{ customerByIdentity(type: EMAIL, value: "nobody@example.invalid") { id } }`, {}, support);
    expect(none.customerByIdentity).toBeNull();
  });

  it('serves the catalog: products, codes, SKUs, locations near a point and availability on both levels', async () => {
    const product = graph.data.products.find((p) => p.variants.length > 1)!;
    const variant = product.variants[0];
    const shibuya = graph.data.locations.find((l) => l.code.includes('SHIBUYA')) ?? graph.data.locations[0];
    const result = await query(
      url,
      `query($code: String!, $sku: String!, $lat: Float!, $lng: Float!, $loc: [ID!]) {
        productByCode(code: $code) {
          id name price { amount } variants { sku }
          availability(locationIds: $loc) { location { id } onHand available }
          totalAvailable
        }
        variantBySku(sku: $sku) { id product { code } availability(near: { lat: $lat, lng: $lng, radiusKm: 5 }) { location { id } onHand } }
        locations(near: { lat: $lat, lng: $lng, radiusKm: 5 }) { id code type geo { lat lng } }
        products(first: 5) { edges { cursor node { code } } pageInfo { hasNextPage endCursor } }
      }`,
      { code: product.code, sku: variant.sku, lat: shibuya.lat, lng: shibuya.lng, loc: [shibuya.id] },
      // On-hand figures are staff detail.
      await graph.as({ role: 'STORE_STAFF', staffId: 'test-clerk', locationId: shibuya.id }),
    );
    expect(result.productByCode.name).toBe(product.name);
    expect(result.productByCode.price.amount).toBe(product.price);
    expect(result.productByCode.variants.map((v: { sku: string }) => v.sku)).toEqual(product.variants.map((v) => v.sku));
    const shibuyaStock = graph.data.stock.find((s) => s.locationId === shibuya.id)!;
    const expectedAtShibuya = shibuyaStock.lines.filter((l) => l.productId === product.id).reduce((s, l) => s + l.quantity, 0);
    expect(result.productByCode.availability).toEqual(
      expectedAtShibuya ? [{ location: { id: shibuya.id }, onHand: expectedAtShibuya, available: expectedAtShibuya }] : [],
    );
    const everywhere = graph.data.stock.flatMap((s) => s.lines).filter((l) => l.productId === product.id);
    expect(result.productByCode.totalAvailable).toBe(everywhere.reduce((s, l) => s + l.quantity, 0));
    expect(result.variantBySku.product.code).toBe(product.code);
    expect(result.locations[0].id).toBe(shibuya.id);
    for (const level of result.variantBySku.availability) {
      expect(result.locations.map((l: { id: string }) => l.id)).toContain(level.location.id);
    }
    const page2 = await query(url, `query($after: String) { products(first: 5, after: $after) { edges { node { code } } } }`, {
      after: result.products.pageInfo.endCursor,
    });
    const codes = [...graph.data.products.map((p) => p.code)].sort();
    expect(result.products.edges.map((e: { node: { code: string } }) => e.node.code)).toEqual(codes.slice(0, 5));
    expect(page2.products.edges.map((e: { node: { code: string } }) => e.node.code)).toEqual(codes.slice(5, 10));
  });

  it("ranks a store's bestsellers over Japan's calendar from the order.placed events it consumed", async () => {
    const since = businessWindowStart(new Date(), 90, 'Asia/Tokyo');
    const units = new Map<string, Map<string, number>>();
    for (const order of graph.data.orders) {
      if (order.channel !== 'STORE' || !order.locationId || order.placedAt < since) continue;
      const store = units.get(order.locationId) ?? new Map<string, number>();
      for (const line of order.lines) store.set(line.productId, (store.get(line.productId) ?? 0) + line.quantity);
      units.set(order.locationId, store);
    }
    const [locationId, sold] = [...units].sort((a, b) => b[1].size - a[1].size)[0];
    const expected = [...sold].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5).map(([id]) => id);
    const result = await query(url, `query($id: ID!) { location(id: $id) { bestsellers(first: 5, days: 90) { id name } } }`, {
      id: locationId,
    });
    expect(result.location.bestsellers.map((p: { id: string }) => p.id)).toEqual(expected);
  });

  it('lists styles bought together: each was bought by a customer who also bought the style', async () => {
    const buyersOf = new Map<string, Set<string>>();
    for (const order of graph.data.orders) {
      if (!order.customerId) continue;
      for (const line of order.lines) {
        if (!buyersOf.has(line.productId)) buyersOf.set(line.productId, new Set());
        buyersOf.get(line.productId)!.add(order.customerId);
      }
    }
    const [productId, buyers] = [...buyersOf].sort((a, b) => b[1].size - a[1].size)[0];
    const result = await query(url, `query($id: ID!) { product(id: $id) { boughtTogether(first: 5) { id code } } }`, { id: productId });
    expect(result.product.boughtTogether).toHaveLength(5);
    for (const other of result.product.boughtTogether) {
      expect(other.id).not.toBe(productId);
      expect([...buyersOf.get(other.id)!].some((c) => buyers.has(c))).toBe(true);
    }
  });

  it('follows new orders: once an order.placed is consumed, its style is no longer recommended to the buyer unless bought again', async () => {
    const demo = omnichannelCustomer();
    const before = await query(url, `query($id: ID!) { customer(id: $id) { recommendations(first: 50) { product { id } reasons { code } } } }`, { id: demo.id }, support);
    const productId = before.customer.recommendations.find((r: { reasons: Array<{ code: string }> }) => r.reasons[0].code !== 'BUY_AGAIN').product.id;
    const product = graph.data.products.find((p) => p.id === productId)!;
    await graph.subgraphs.orders.domain.orders.recordOrders([
      deliveredOrder({ customerId: demo.id, productId, variantId: product.variants[0].id, unitPrice: product.price }),
    ]);
    await graph.settle();
    const after = await query(url, `query($id: ID!) { customer(id: $id) { recommendations(first: 10) { product { id } reasons { code } } purchaseSummary { orderCount } } }`, {
      id: demo.id,
    }, support);
    const again = after.customer.recommendations.find((r: { product: { id: string } }) => r.product.id === productId);
    if (again) expect(again.reasons.map((r: { code: string }) => r.code)).toContain('BUY_AGAIN');
    expect(after.customer.purchaseSummary.orderCount).toBe(ordersOf(demo.id).length + 1);
  });
});
