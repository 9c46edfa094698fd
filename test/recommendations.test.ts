import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { businessWindowStart } from '../shared/business-time';
import { Channel } from '../shared/graphql/channel';
import { createRedis } from '../shared/redis';
import { graphql, query } from '../shared/testkit';
import { FulfillmentStatus, FulfillmentType, OrderStatus } from '../subgraphs/orders/src/order/order.entity';
import { startTestGraph, type TestGraph } from './support/graph';

/**
 * Recommendations through the gateway: context (store, presence, EC), reasons, what was given back,
 * consent, erasure, stock and list caches following events, and a rebuild equal to the incremental state.
 * Each test builds its own small world of styles and customers beside the demo data.
 */

const RECS = `query($id: ID!, $context: RecommendationContext, $first: Int) { customer(id: $id) {
  recommendations(first: $first, context: $context) {
    score product { id soldOnline availability { location { id } available } }
    variant { id size color availability { location { id } available } }
    reasons { code message basedOn { id } } } } }`;
const BOUGHT_TOGETHER = `query($id: ID!) { product(id: $id) { boughtTogether(first: 50) { id } } }`;
const LISTS = `query($id: ID!) { location(id: $id) { bestsellers(first: 50, days: 1) { id } newArrivals(first: 50) { id } } }`;
const REGISTER = `mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { customerId userErrors { code } } }`;
const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { userErrors { code } } }`;
const RETURN = `mutation($input: CreateReturnInput!) { createReturn(input: $input) { userErrors { code } } }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } userErrors { code } } }`;
const CANCEL = `mutation($input: CancelOrderInput!) { cancelOrder(input: $input) { userErrors { code } } }`;
const CONSENT = `mutation($input: UpdateConsentsInput!) { updateConsents(input: $input) { userErrors { code } } }`;
const CHECK_IN = `mutation($input: CheckInInput!) { checkIn(input: $input) { userErrors { code } } }`;
const TRACK = `mutation($input: TrackEventsInput!) { trackEvents(input: $input) { accepted rejected { code } } }`;
const ERASE = `mutation($input: EraseCustomerInput!) { eraseCustomer(input: $input) { userErrors { code } } }`;
const MERGE = `mutation($input: MergeCustomersInput!) { mergeCustomers(input: $input) { userErrors { code } } }`;

interface Rec {
  score: number;
  product: { id: string; soldOnline: boolean; availability: Array<{ location: { id: string }; available: number }> };
  variant: { id: string; size: string; color: string; availability: Array<{ location: { id: string }; available: number }> } | null;
  reasons: Array<{ code: string; message: string; basedOn: { id: string } | null }>;
}

let graph: TestGraph;
let url: string;
let support: Record<string, string>;
let admin: Record<string, string>;
let storeA: string;
let storeB: string;
let warehouse: string;

beforeAll(async () => {
  graph = await startTestGraph();
  url = graph.gateway.url;
  support = await graph.as({ role: 'SUPPORT', staffId: 'recs-support' });
  admin = await graph.as({ role: 'ADMIN', staffId: 'recs-admin' });
  const stores = graph.data.locations.filter((l) => l.type === 'STORE');
  [storeA, storeB] = [stores[0].id, stores[1].id];
  warehouse = graph.data.locations.find((l) => l.type === 'WAREHOUSE')!.id;
});
afterAll(() => graph?.teardown());

/** Styles of a category of their own, released 10 days ago unless said, in sizes S and M and colours NAVY and WHITE. */
async function styles(names: string[], soldOnline: (name: string) => boolean = () => true, releasedAt = new Date(Date.now() - 10 * 86_400_000)) {
  const run = randomUUID().slice(0, 6);
  const products = names.map((name) => ({
    id: randomUUID(),
    code: `T-${name}-${run}`,
    name: `${name} ${run}`,
    brand: 'Test',
    category: `test-${run}`,
    price: 5500,
    releasedAt,
    soldOnline: soldOnline(name),
    variants: ['S', 'M'].flatMap((size) =>
      ['NAVY', 'WHITE'].map((color) => ({ id: randomUUID(), sku: `T-${name}-${run}-${size}-${color}`, size, color })),
    ),
  }));
  await graph.subgraphs.inventory.domain.products.createProducts(products);
  const byName = Object.fromEntries(names.map((n, i) => [n, products[i]]));
  const variant = (name: string, size: string, color: string) => byName[name].variants.find((v) => v.size === size && v.color === color)!.id;
  return { byName, variant };
}

async function stock(locationId: string, lines: Array<{ variantId: string; productId: string; quantity: number }>) {
  await graph.subgraphs.inventory.domain.stock.receive([{ locationId, lines, reference: 'test', actor: 'test' }]);
}

async function customer(name: string): Promise<string> {
  const { registerCustomer } = await query(url, REGISTER, { input: { displayName: name } }, support);
  return registerCustomer.customerId;
}

/** A fulfilled order of one unit per variant, placed now unless said (a store sale at `locationId`, or EC). */
async function bought(
  customerId: string | null,
  lines: Array<{ productId: string; variantId: string }>,
  locationId: string | null = null,
  placedAt = new Date(),
) {
  const [order] = await graph.subgraphs.orders.domain.orders.recordOrders([
    {
      number: `T-${randomUUID().slice(0, 12)}`,
      channel: locationId ? Channel.STORE : Channel.EC,
      status: OrderStatus.COMPLETED,
      customerId,
      locationId,
      placedAt,
      externalId: null,
      fulfillmentType: locationId ? FulfillmentType.CARRY_OUT : FulfillmentType.SHIP,
      fulfillmentLocationId: locationId,
      fulfillmentStatus: locationId ? FulfillmentStatus.PICKED_UP : FulfillmentStatus.DELIVERED,
      lines: lines.map((l) => ({ ...l, quantity: 1, unitPrice: 5500, taxRateBp: 1000 })),
    },
  ]);
  return order.id;
}

async function recs(customerId: string, context: Record<string, unknown> | null, first = 50): Promise<Rec[]> {
  return (await query(url, RECS, { id: customerId, context, first }, support)).customer.recommendations;
}

const ids = (list: Array<{ id: string }>) => list.map((x) => x.id);
/** What a list recommends and why (scores decay with time, so two calls differ in them). */
const summary = (list: Rec[]) => list.map((r) => ({ product: r.product.id, variant: r.variant?.id ?? null, reasons: r.reasons }));
const codes = (rec: Rec) => rec.reasons.map((r) => r.code);
const availableAt = (levels: Rec['product']['availability'], locationId: string) =>
  levels.filter((l) => l.location.id === locationId).reduce((sum, l) => sum + l.available, 0);

/**
 * shirt is bought with trousers, jacket and belt by others; trousers are at store A (size M) and the
 * warehouse, the jacket (not sold online) at store A, the belt at store B. The shopper owns a navy M shirt.
 */
async function shirtWorld() {
  const world = await styles(['shirt', 'trousers', 'jacket', 'belt'], (name) => name !== 'jacket');
  const { byName, variant } = world;
  await stock(storeA, [
    { variantId: variant('trousers', 'M', 'NAVY'), productId: byName.trousers.id, quantity: 3 },
    { variantId: variant('trousers', 'S', 'WHITE'), productId: byName.trousers.id, quantity: 3 },
    { variantId: variant('jacket', 'M', 'WHITE'), productId: byName.jacket.id, quantity: 3 },
  ]);
  await stock(storeB, [{ variantId: variant('belt', 'M', 'NAVY'), productId: byName.belt.id, quantity: 3 }]);
  await stock(warehouse, [
    { variantId: variant('trousers', 'M', 'NAVY'), productId: byName.trousers.id, quantity: 3 },
    { variantId: variant('jacket', 'M', 'NAVY'), productId: byName.jacket.id, quantity: 3 },
  ]);
  const line = (name: string, size = 'M', color = 'NAVY') => ({ productId: byName[name].id, variantId: variant(name, size, color) });
  const others = [];
  for (const other of ['trousers', 'jacket', 'belt']) {
    const buyer = await customer(`Other ${other}`);
    others.push({ buyer, order: await bought(buyer, [line('shirt'), line(other)]) });
  }
  const shopper = await customer('Shopper');
  await bought(shopper, [line('shirt')]);
  await graph.settle();
  return { ...world, line, shopper, others };
}

describe('Customer.recommendations in context', () => {
  it('in a store: only what is available there, in her size; reasons name what led to them, with a variant in her size and colour', async () => {
    const { byName, variant, shopper } = await shirtWorld();
    const list = await recs(shopper, { locationId: storeA });
    expect(list.length).toBeGreaterThan(0);
    for (const rec of list) expect(availableAt(rec.product.availability, storeA)).toBeGreaterThan(0);
    expect(ids(list.map((r) => r.product))).not.toContain(byName.belt.id);
    const trousers = list.find((r) => r.product.id === byName.trousers.id)!;
    expect(trousers.reasons[0]).toMatchObject({ code: 'BOUGHT_TOGETHER', basedOn: { id: byName.shirt.id } });
    // Her size and colour (M, navy), which store A has.
    expect(trousers.variant!.id).toBe(variant('trousers', 'M', 'NAVY'));
    expect(availableAt(trousers.variant!.availability, storeA)).toBeGreaterThan(0);
    for (const rec of list) {
      expect(rec.reasons.length).toBeGreaterThan(0);
      for (const r of rec.reasons) expect(typeof r.message).toBe('string');
    }
    // Store popularity comes as POPULAR_IN_STORE, never as the channel's POPULAR.
    expect(list.flatMap(codes)).not.toContain('POPULAR');
  });

  it('online (EC): only styles sold online with units at the warehouse', async () => {
    const { byName, shopper } = await shirtWorld();
    const list = await recs(shopper, { channel: 'EC' });
    expect(list.length).toBeGreaterThan(0);
    for (const rec of list) {
      expect(rec.product.soldOnline).toBe(true);
      expect(availableAt(rec.product.availability, warehouse)).toBeGreaterThan(0);
    }
    const found = ids(list.map((r) => r.product));
    expect(found).toContain(byName.trousers.id);
    expect(found).not.toContain(byName.jacket.id);
    expect(found).not.toContain(byName.belt.id);
  });

  it('in the store she checked into, when no context is given', async () => {
    const { byName, shopper } = await shirtWorld();
    await query(url, CHECK_IN, { input: { customerId: shopper, locationId: storeB, method: 'QR' } }, await graph.as({ customer: shopper }));
    await graph.settle();
    const list = await recs(shopper, null);
    for (const rec of list) expect(availableAt(rec.product.availability, storeB)).toBeGreaterThan(0);
    expect(ids(list.map((r) => r.product))).toContain(byName.belt.id);
    // The app is in the store with her; the web shop is not.
    expect(summary(await recs(shopper, { channel: 'APP' }))).toEqual(summary(list));
    const web = await recs(shopper, { channel: 'EC' });
    for (const rec of web) expect(availableAt(rec.product.availability, warehouse)).toBeGreaterThan(0);
    expect(ids(web.map((r) => r.product))).not.toContain(byName.belt.id);
  });

  it('gives each customer of one list their own context: one being in a store filters nobody else', async () => {
    const { byName, line } = await shirtWorld();
    const run = randomUUID().slice(0, 8);
    const [visitor, newcomer] = [await customer(`Batch ${run} A`), await customer(`Batch ${run} B`)];
    await bought(visitor, [line('shirt')]);
    await query(url, CHECK_IN, { input: { customerId: visitor, locationId: storeB, method: 'STAFF' } }, support);
    await graph.settle();
    const alone = async (id: string) => ids((await recs(id, null)).map((r) => r.product));
    // Without a context nothing is filtered by stock: the new shirt, stocked nowhere, is there.
    expect(await alone(newcomer)).toContain(byName.shirt.id);
    // Both in one list: the recommendations service answers them in one batch.
    const listed = await query(url, `query($name: String!) { customers(first: 2, filter: { name: $name }) {
      edges { node { id recommendations(first: 50) { product { id } } } } } }`, { name: `Batch ${run}` }, support);
    const byCustomer = new Map<string, string[]>(
      listed.customers.edges.map((e: { node: { id: string; recommendations: Rec[] } }) => [e.node.id, ids(e.node.recommendations.map((r) => r.product))]),
    );
    expect(byCustomer.get(newcomer)).toEqual(await alone(newcomer));
    expect(byCustomer.get(visitor)).toEqual(await alone(visitor));
  });

  it('follows stock within the events: sold out at the store, the style leaves; back in stock, it returns', async () => {
    const { byName, variant, shopper } = await shirtWorld();
    const has = async () => ids((await recs(shopper, { locationId: storeA })).map((r) => r.product)).includes(byName.trousers.id);
    expect(await has()).toBe(true);
    // Only the M trousers are her size: with them gone, the S left in the store do not count.
    const adjust = (delta: number) =>
      query(url, ADJUST, { input: { locationId: storeA, variantId: variant('trousers', 'M', 'NAVY'), delta, reason: 'count' } }, admin);
    await adjust(-3);
    await graph.settle();
    expect(await has()).toBe(false);
    await adjust(2);
    await graph.settle();
    expect(await has()).toBe(true);
  });
});

describe('who she is and what she did', () => {
  it('names what she buys again, what sells in the store and what is new there', async () => {
    // Twenty customers bought the socks twice at store A: a kind bought again, and the store's bestseller.
    const { byName, variant } = await styles(['socks', 'fresh'], () => true, new Date());
    const socks = { productId: byName.socks.id, variantId: variant('socks', 'M', 'NAVY') };
    const fresh = { productId: byName.fresh.id, variantId: variant('fresh', 'M', 'NAVY') };
    await stock(storeA, [{ ...socks, quantity: 100 }, { ...fresh, quantity: 3 }]);
    for (let i = 0; i < 20; i++) {
      const buyer = await customer(`Socks ${i}`);
      await bought(buyer, [socks], storeA);
      await bought(buyer, [socks], storeA);
    }
    const shopper = await customer('Socks again');
    await bought(shopper, [socks], storeA, new Date(Date.now() - 20 * 86_400_000));
    await graph.settle();
    const list = await recs(shopper, { locationId: storeA });
    const again = list.find((r) => r.product.id === socks.productId)!;
    expect(again.reasons[0]).toMatchObject({ code: 'BUY_AGAIN', basedOn: { id: socks.productId } });
    expect(codes(again)).toContain('POPULAR_IN_STORE');
    expect(again.variant!.id).toBe(socks.variantId);
    expect(codes(list.find((r) => r.product.id === fresh.productId)!)).toContain('NEW_ARRIVAL');
  });

  it('follows a merge: the survivor gets what the merged record bought, and where it checked in', async () => {
    const { byName, shopper } = await shirtWorld();
    const twin = await customer('Shopper, registered again');
    await query(url, CHECK_IN, { input: { customerId: shopper, locationId: storeA, method: 'STAFF' } }, support);
    await graph.settle();
    const personalCodes = async () => (await recs(twin, null)).flatMap(codes).filter((c) => c === 'BOUGHT_TOGETHER');
    expect(await personalCodes()).toEqual([]);
    expect((await query(url, MERGE, { input: { survivorId: twin, mergedId: shopper } }, support)).mergeCustomers.userErrors).toEqual([]);
    await graph.settle();
    const list = await recs(twin, null);
    for (const rec of list) expect(availableAt(rec.product.availability, storeA)).toBeGreaterThan(0);
    expect(list.find((r) => r.product.id === byName.trousers.id)!.reasons[0]).toMatchObject({ code: 'BOUGHT_TOGETHER', basedOn: { id: byName.shirt.id } });
  });
});

describe('serving', () => {
  it('sends as many SQL statements for a long history as for a single purchase', async () => {
    const { shopper } = await shirtWorld();
    const collector = await customer('Collector');
    for (const p of graph.data.products.slice(0, 30)) await bought(collector, [{ productId: p.id, variantId: p.variants[0].id }]);
    await graph.settle();
    const statements = async (customerId: string) => {
      const response = await graphql(url, RECS, { id: customerId, context: { locationId: storeA }, first: 10 }, support);
      expect(response.errors).toBeUndefined();
      return graph.subgraphs.recommendations.db.statements.forRequest(response.requestId);
    };
    // The first requests fill the cached lists (neighbours of their styles, the store's bestsellers).
    await statements(shopper);
    await statements(collector);
    expect(await statements(collector)).toBe(await statements(shopper));
  });
});

describe('what was given back, consent and erasure', () => {
  it('leaves returned and cancelled units out of pairs, holdings and lists, and the cached lists follow', async () => {
    const { byName, line, variant, others } = await shirtWorld();
    const together = async () => ids((await query(url, BOUGHT_TOGETHER, { id: byName.shirt.id })).product.boughtTogether);
    expect(await together()).toEqual(expect.arrayContaining([byName.trousers.id, byName.jacket.id, byName.belt.id]));
    // The only buyer of shirt and trousers returns the trousers.
    const returned = await query(url, RETURN, { input: { orderId: others[0].order, locationId: storeA, lines: [{ variantId: variant('trousers', 'M', 'NAVY'), quantity: 1 }] } }, admin);
    expect(returned.createReturn.userErrors).toEqual([]);
    await graph.settle();
    expect(await together()).not.toContain(byName.trousers.id);

    // An online order cancelled before it shipped: its styles were never bought together.
    const buyer = await customer('Canceller');
    await stock(warehouse, [line('shirt'), line('belt')].map((l) => ({ ...l, quantity: 2 })));
    const placed = await query(url, PLACE, {
      input: { idempotencyKey: randomUUID(), channel: 'EC', customerId: buyer, lines: [line('shirt'), line('belt')].map((l) => ({ variantId: l.variantId, quantity: 1 })), fulfillment: { type: 'SHIP' } },
    }, admin);
    expect(placed.placeOrder.userErrors).toEqual([]);
    await graph.settle();
    const beforeCancel = await graph.subgraphs.recommendations.db.manager.query(
      'SELECT weight FROM co_purchase WHERE product_id = ? AND other_product_id = ?', [byName.shirt.id, byName.belt.id]);
    expect(Number(beforeCancel[0].weight)).toBe(2);
    await query(url, CANCEL, { input: { orderId: placed.placeOrder.order.id } }, admin);
    await graph.settle();
    const afterCancel = await graph.subgraphs.recommendations.db.manager.query(
      'SELECT weight FROM co_purchase WHERE product_id = ? AND other_product_id = ?', [byName.shirt.id, byName.belt.id]);
    expect(Number(afterCancel[0].weight)).toBe(1);
    const owned = await graph.subgraphs.recommendations.db.manager.query('SELECT * FROM customer_product WHERE customer_id = ?', [buyer]);
    expect(owned).toEqual([]);
  });

  it('store lists: bestsellers of today and new arrivals at the store, refreshed by sales, returns and stock', async () => {
    const { byName, line } = await shirtWorld();
    const lists = async () => (await query(url, LISTS, { id: storeA })).location;
    const before = await lists();
    expect(ids(before.newArrivals)).toEqual(expect.arrayContaining([byName.trousers.id, byName.jacket.id]));
    expect(ids(before.newArrivals)).not.toContain(byName.belt.id);
    expect(ids(before.bestsellers)).not.toContain(byName.jacket.id);
    const sale = await bought(null, [line('jacket', 'M', 'WHITE')], storeA);
    await graph.settle();
    const after = await lists();
    expect(ids(after.bestsellers)).toContain(byName.jacket.id);
    await query(url, RETURN, { input: { orderId: sale, locationId: storeA, lines: [{ variantId: line('jacket', 'M', 'WHITE').variantId, quantity: 1 }] } }, admin);
    await graph.settle();
    expect(ids((await lists()).bestsellers)).not.toContain(byName.jacket.id);
    // Stock moves the new arrivals: the belt reaches store A.
    await stock(storeA, [{ ...line('belt'), quantity: 1 }]);
    await graph.settle();
    expect(ids((await lists()).newArrivals)).toContain(byName.belt.id);
  });

  it('refused PERSONALIZATION: what a newcomer gets in the same context; given again, personal again', async () => {
    const { shopper } = await shirtWorld();
    const newcomer = await customer('Newcomer');
    const me = await graph.as({ customer: shopper });
    const personal = summary(await recs(shopper, { locationId: storeA }));
    expect(personal.flatMap((r) => r.reasons.map((x) => x.code))).toContain('BOUGHT_TOGETHER');
    await query(url, CONSENT, { input: { customerId: shopper, consents: [{ purpose: 'PERSONALIZATION', granted: false }] } }, me);
    await graph.settle();
    const refused = await recs(shopper, { locationId: storeA });
    expect(summary(refused)).toEqual(summary(await recs(newcomer, { locationId: storeA })));
    expect(refused.flatMap(codes).filter((c) => ['BUY_AGAIN', 'BOUGHT_TOGETHER', 'VIEWED_TOGETHER'].includes(c))).toEqual([]);
    // Her sizes are personal too: the SKU suggested is the store's (its most bought size, else its deepest stock), as a newcomer's.
    for (const r of refused) expect(availableAt(r.variant!.availability, storeA)).toBeGreaterThan(0);
    await query(url, CONSENT, { input: { customerId: shopper, consents: [{ purpose: 'PERSONALIZATION', granted: true }] } }, me);
    await graph.settle();
    expect(summary(await recs(shopper, { locationId: storeA }))).toEqual(personal);
  });

  it('views count (VIEWED_TOGETHER); erasure leaves nothing personal behind, and the rebuild brings nothing back', async () => {
    const { byName, shopper } = await shirtWorld();
    const viewer = await customer('Viewer');
    const view = (customerId: string, productId: string, type = 'PRODUCT_VIEW') => ({
      eventId: randomUUID(), type, occurredAt: new Date().toISOString(), channel: 'EC', customerId, productId,
    });
    // Someone else looked at shirt and trousers; the shopper looks at the shirt.
    const tracked = await query(url, TRACK, { input: { events: [view(viewer, byName.shirt.id), view(viewer, byName.trousers.id), view(shopper, byName.shirt.id)] } }, support);
    expect(tracked.trackEvents.rejected).toEqual([]);
    await query(url, CHECK_IN, { input: { customerId: shopper, locationId: storeA, method: 'STAFF' } }, support);
    await graph.settle();
    const trousers = (await recs(shopper, { locationId: storeA })).find((r) => r.product.id === byName.trousers.id)!;
    expect(codes(trousers)).toEqual(expect.arrayContaining(['BOUGHT_TOGETHER', 'VIEWED_TOGETHER']));

    // Her PERSONALIZATION choice is personal too.
    await query(url, CONSENT, { input: { customerId: shopper, consents: [{ purpose: 'PERSONALIZATION', granted: false }] } }, support);
    await graph.settle();
    const { manager: recsDb } = graph.subgraphs.recommendations.db;
    expect(Number((await recsDb.query('SELECT COUNT(*) AS n FROM personalization_choice WHERE customer_id = ?', [shopper]))[0].n)).toBe(1);
    expect((await query(url, ERASE, { input: { customerId: shopper } }, admin)).eraseCustomer.userErrors).toEqual([]);
    await graph.settle();
    const { manager } = graph.subgraphs.recommendations.db;
    const personalRows = async () => {
      const counts: Record<string, number> = {};
      for (const [table, column] of [
        ['purchase_line', 'customer_id'], ['purchase_line', 'attributed_customer_id'], ['product_view', 'customer_id'],
        ['customer_product', 'customer_id'], ['customer_view_product', 'customer_id'], ['customer_presence', 'customer_id'],
        ['personalization_choice', 'customer_id'],
      ]) {
        counts[`${table}.${column}`] = Number((await manager.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`, [shopper]))[0].n);
      }
      return counts;
    };
    expect(Object.values(await personalRows()).every((n) => n === 0)).toBe(true);
    // Her sale still counts in sales figures, anonymised.
    expect(Number((await manager.query('SELECT COUNT(*) AS n FROM purchase_line WHERE product_id = ? AND customer_id IS NULL', [byName.shirt.id]))[0].n)).toBe(1);
    await graph.subgraphs.recommendations.domain.ranking.rebuild();
    expect(Object.values(await personalRows()).every((n) => n === 0)).toBe(true);
  });

  it('does not offer her again what she returned, nor what goes with it, while others who bought it still get it', async () => {
    const { byName, line, shopper } = await shirtWorld();
    const offered = async (customerId: string) => ids((await recs(customerId, { locationId: storeA })).map((r) => r.product));
    // A cap at store A that someone bought with the trousers, and nothing else.
    const { byName: caps, variant: capVariant } = await styles(['cap']);
    const cap = { productId: caps.cap.id, variantId: capVariant('cap', 'M', 'NAVY') };
    await stock(storeA, [{ ...cap, quantity: 3 }]);
    await bought(await customer('Trousers and cap'), [line('trousers'), cap]);
    const basedOnTrousers = async () =>
      (await recs(shopper, { locationId: storeA })).filter((r) => r.reasons.some((x) => x.basedOn?.id === byName.trousers.id)).map((r) => r.product.id);
    // She buys the trousers that go with her shirt: the cap goes with them. She brings them back.
    const order = await bought(shopper, [line('trousers')]);
    await graph.settle();
    expect(await basedOnTrousers()).toEqual([cap.productId]);
    const returned = await query(url, RETURN, { input: { orderId: order, locationId: storeA, lines: [{ variantId: line('trousers').variantId, quantity: 1 }] } }, admin);
    expect(returned.createReturn.userErrors).toEqual([]);
    await graph.settle();
    expect(await offered(shopper)).not.toContain(byName.trousers.id);
    expect(await basedOnTrousers()).toEqual([]);
    const other = await customer('Another shirt');
    await bought(other, [line('shirt')]);
    await graph.settle();
    expect(await offered(other)).toContain(byName.trousers.id);
  });

  it('`npm run recs:rebuild` derives exactly the state the events built incrementally, from the stored facts', async () => {
    await shirtWorld();
    const { ranking } = graph.subgraphs.recommendations.domain;
    const incremental = await ranking.derivedState();
    expect(incremental.co_purchase.length).toBeGreaterThan(0);
    expect(incremental.co_view.length).toBeGreaterThan(0);
    await graph.subgraphs.recommendations.db.transaction((manager) => manager.query('DELETE FROM co_purchase'));
    const run = spawnSync('npm', ['run', '-s', 'recs:rebuild'], {
      env: { ...process.env, DB_PREFIX: graph.config.dbPrefix, DATA_DIR: graph.config.dataDir, REDIS_KEY_PREFIX: graph.config.redisKeyPrefix },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(await ranking.derivedState()).toEqual(incremental);
  });
});

describe('store and style lists', () => {
  const ALL_LISTS = `query($id: ID!, $productId: ID!) {
    location(id: $id) { bestsellers(first: 50, days: 1) { id } newArrivals(first: 50) { id } }
    product(id: $productId) { boughtTogether(first: 50) { id } } }`;

  it('are served from the cache (Redis when configured) until an event changes them', async () => {
    const { byName, line } = await shirtWorld();
    const read = async () => {
      const response = await graphql<{ location: { bestsellers: Array<{ id: string }> } }>(url, ALL_LISTS, { id: storeA, productId: byName.shirt.id });
      expect(response.errors).toBeUndefined();
      return { data: response.data!, statements: graph.subgraphs.recommendations.db.statements.forRequest(response.requestId) };
    };
    const first = await read();
    const again = await read();
    expect(again.data).toEqual(first.data);
    expect(again.statements).toBe(0);
    if (graph.config.redisUrl) {
      const redis = createRedis(graph.config.redisUrl, 'test');
      try {
        expect((await redis.keys(`${graph.config.redisKeyPrefix}cache:recommendations:recs:list:*`)).length).toBeGreaterThan(0);
      } finally {
        redis.disconnect();
      }
    }
    // A sale at the store: its bestsellers are read again, once.
    await bought(null, [line('jacket', 'M', 'WHITE')], storeA);
    await graph.settle();
    const afterSale = await read();
    expect(afterSale.statements).toBeGreaterThan(0);
    expect(ids(afterSale.data.location.bestsellers)).toContain(byName.jacket.id);
    expect((await read()).statements).toBe(0);
  });

  it("count bestsellers' days on Japan's calendar", async () => {
    const { byName, line } = await shirtWorld();
    const midnight = businessWindowStart(new Date(), 1, graph.config.tzBusiness).getTime();
    // 23:30 yesterday in Tokyo, and just after midnight (never in the future).
    await bought(null, [line('jacket', 'M', 'WHITE')], storeA, new Date(midnight - 30 * 60_000));
    await bought(null, [line('belt')], storeA, new Date(Math.max(midnight, Math.min(midnight + 60_000, Date.now() - 1000))));
    await graph.settle();
    const bestsellers = async (days: number) =>
      ids((await query(url, 'query($id: ID!, $days: Int) { location(id: $id) { bestsellers(first: 50, days: $days) { id } } }', { id: storeA, days })).location.bestsellers);
    const today = await bestsellers(1);
    expect(today).toContain(byName.belt.id);
    expect(today).not.toContain(byName.jacket.id);
    expect(await bestsellers(2)).toEqual(expect.arrayContaining([byName.belt.id, byName.jacket.id]));
  });

  it('list every new arrival a store has, however many newer ones are elsewhere', async () => {
    // 210 newer styles stocked nowhere (last in the file: they crowd every new arrivals list after it),
    // and an older arrival (released 30 days ago) at store A.
    const elsewhere = await styles(Array.from({ length: 210 }, (_, i) => `newer${i}`));
    const run = randomUUID().slice(0, 6);
    const older = {
      id: randomUUID(), code: `T-older-${run}`, name: `older ${run}`, brand: 'Test', category: `test-${run}`, price: 5500,
      releasedAt: new Date(Date.now() - 30 * 86_400_000), soldOnline: true, variants: [{ id: randomUUID(), sku: `T-older-${run}-M`, size: 'M', color: 'NAVY' }],
    };
    await graph.subgraphs.inventory.domain.products.createProducts([older]);
    await stock(storeA, [{ variantId: older.variants[0].id, productId: older.id, quantity: 1 }]);
    await graph.settle();
    const arrivals = ids((await query(url, 'query($id: ID!) { location(id: $id) { newArrivals(first: 50) { id } } }', { id: storeA })).location.newArrivals);
    expect(arrivals).toContain(older.id);
    expect(arrivals).not.toContain(elsewhere.byName.newer0.id);
  });
});
