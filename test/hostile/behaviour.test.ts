import { randomUUID } from 'node:crypto';
import { graphql, query } from '../../shared/testkit';
import type { DemoLocation } from '../../scripts/seed/demo-data';
import type { TestGraph } from '../support/graph';
import { locationsOf, startSettledGraph, unique } from '../support/hostile';

/**
 * Behaviour and check-ins, replayed through the gateway as an attacker would send them: anonymous
 * events under someone's device id to write their history (and to learn whether the device is
 * theirs), events and check-ins naming products, variants and locations that do not exist, a
 * warehouse, or a beacon of another store.
 */

let graph: TestGraph;
let support: Record<string, string>;
let store: DemoLocation;
let otherStore: DemoLocation;
let warehouse: DemoLocation;
const url = () => graph.gateway.url;

beforeAll(async () => {
  graph = await startSettledGraph();
  support = await graph.as({ role: 'SUPPORT', staffId: 'agent-b' });
  ({ stores: [store, otherStore], warehouse } = locationsOf(graph));
}, 180_000);
afterAll(async () => {
  await graph?.teardown();
});

const TRACK = 'mutation($input: TrackEventsInput!) { trackEvents(input: $input) { accepted duplicates rejected { index eventId code } } }';
const CHECK_IN = 'mutation($input: CheckInInput!) { checkIn(input: $input) { presence { location { id } } customer { id } userErrors { field code } } }';
const HISTORY = 'query($id: ID!) { customer(id: $id) { touchpoints(first: 50) { edges { node { eventId } } } } }';

const event = (fields: Record<string, unknown>) => ({ eventId: unique('ev'), type: 'PAGE_VIEW', channel: 'EC', occurredAt: new Date().toISOString(), ...fields });

async function register(displayName: string): Promise<string> {
  const { registerCustomer } = await query(url(), 'mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { customerId } }', { input: { displayName } }, support);
  return registerCustomer.customerId;
}

async function historyOf(customerId: string): Promise<string[]> {
  return (await query(url(), HISTORY, { id: customerId }, support)).customer.touchpoints.edges.map((e: { node: { eventId: string } }) => e.node.eventId);
}

describe('anonymous writes stay anonymous', () => {
  it("keeps anonymous events of a claimed device out of its owner's history, answered exactly like those of a device nobody has", async () => {
    const owner = await register('Device Owner');
    const ownerHeaders = await graph.as({ customer: owner });
    const device = unique('dev');
    await query(url(), 'mutation($input: LinkIdentityInput!) { linkIdentity(input: $input) { userErrors { code } } }', { input: { customerId: owner, identity: { type: 'DEVICE', value: device } } }, ownerHeaders);

    const product = graph.data.products[0].id;
    const forged = [event({ type: 'PRODUCT_VIEW', productId: product, identity: { type: 'DEVICE', value: device } }), event({ identity: { type: 'DEVICE', value: device } })];
    const nobodys = [event({ type: 'PRODUCT_VIEW', productId: product, identity: { type: 'DEVICE', value: unique('dev') } }), event({ identity: { type: 'DEVICE', value: unique('dev') } })];
    const claimed = await query(url(), TRACK, { input: { events: forged } });
    const unclaimed = await query(url(), TRACK, { input: { events: nobodys } });
    expect(claimed).toEqual(unclaimed);
    expect(claimed.trackEvents).toEqual({ accepted: 2, duplicates: [], rejected: [] });
    // Another customer signed in is no more the owner than an anonymous caller.
    const stranger = await graph.as({ customer: await register('Stranger') });
    const byStranger = event({ identity: { type: 'DEVICE', value: device } });
    expect((await query(url(), TRACK, { input: { events: [byStranger] } }, stranger)).trackEvents).toEqual({ accepted: 1, duplicates: [], rejected: [] });

    // The owner's own events join her history; none of the others, now or after the device is linked again.
    const own = event({ identity: { type: 'DEVICE', value: device } });
    await query(url(), TRACK, { input: { events: [own] } }, ownerHeaders);
    await query(url(), 'mutation($input: LinkIdentityInput!) { linkIdentity(input: $input) { userErrors { code } } }', { input: { customerId: owner, identity: { type: 'DEVICE', value: device } } }, support);
    await graph.settle();
    expect(await historyOf(owner)).toEqual([own.eventId]);
    // Nor in the views the recommendations service keeps of her (the forged view was of a product).
    const views: unknown[] = await graph.subgraphs.recommendations.db.manager.query('SELECT product_id FROM product_view WHERE customer_id = ? OR identity_value = ?', [owner, device]);
    expect(views).toEqual([]);
  });
});

describe('behaviour names what exists', () => {
  it('rejects events naming unknown products, variants or locations, a variant of another product, or a check-in at a warehouse, one by one', async () => {
    const [product, other] = graph.data.products;
    const customerId = await register('Browser');
    const me = await graph.as({ customer: customerId });
    const unknown = randomUUID();
    const events = [
      event({ type: 'PRODUCT_VIEW', customerId, productId: unknown }),
      event({ type: 'PRODUCT_VIEW', customerId, productId: product.id, variantId: unknown }),
      event({ type: 'STORE_CHECK_IN', customerId, locationId: unknown }),
      event({ type: 'PRODUCT_VIEW', customerId, productId: product.id, variantId: other.variants[0].id }),
      event({ type: 'STORE_CHECK_IN', customerId, locationId: warehouse.id }),
      event({ type: 'PRODUCT_VIEW', customerId, productId: product.id, variantId: product.variants[0].id }),
      event({ type: 'STORE_CHECK_IN', customerId, locationId: store.id }),
    ];
    const { trackEvents } = await query(url(), TRACK, { input: { events } }, me);
    expect(trackEvents.accepted).toBe(2);
    expect(trackEvents.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [0, 'UNKNOWN_PRODUCT'],
      [1, 'UNKNOWN_VARIANT'],
      [2, 'UNKNOWN_LOCATION'],
      [3, 'INVALID_REFERENCE'],
      [4, 'NOT_A_STORE'],
    ]);
    expect((await historyOf(customerId)).sort()).toEqual([events[5].eventId, events[6].eventId].sort());
    // Anonymous callers too (their device's events).
    const anonymous = await query(url(), TRACK, { input: { events: [event({ type: 'PRODUCT_VIEW', productId: unknown, identity: { type: 'DEVICE', value: unique('dev') } })] } });
    expect(anonymous.trackEvents.rejected.map((r: { code: string }) => r.code)).toEqual(['UNKNOWN_PRODUCT']);
  });
});

describe('check-ins are where they claim', () => {
  it('refuses an unknown location, a warehouse, and a beacon of another store; a signed-in customer checks themselves in by default', async () => {
    const customerId = await register('Visitor');
    const me = await graph.as({ customer: customerId });
    const attempts: Array<[Record<string, unknown>, { field: string[]; code: string }]> = [
      [{ locationId: randomUUID(), method: 'QR' }, { field: ['input', 'locationId'], code: 'UNKNOWN_LOCATION' }],
      [{ locationId: warehouse.id, method: 'QR' }, { field: ['input', 'locationId'], code: 'NOT_A_STORE' }],
      [{ locationId: store.id, method: 'BEACON', beaconId: otherStore.beaconIds[0] }, { field: ['input', 'beaconId'], code: 'BEACON_NOT_AT_LOCATION' }],
      [{ locationId: store.id, method: 'BEACON', beaconId: 'beacon-nowhere' }, { field: ['input', 'beaconId'], code: 'BEACON_NOT_AT_LOCATION' }],
      [{ locationId: store.id, method: 'BEACON' }, { field: ['input', 'beaconId'], code: 'MISSING_BEACON' }],
    ];
    for (const [input, error] of attempts) {
      expect((await query(url(), CHECK_IN, { input }, me)).checkIn).toEqual({ presence: null, customer: null, userErrors: [error] });
    }
    const presence = async () => (await query(url(), 'query($id: ID!) { customer(id: $id) { presence { location { id } } } }', { id: customerId }, support)).customer.presence;
    expect(await presence()).toBeNull();

    const ok = await query(url(), CHECK_IN, { input: { locationId: store.id, method: 'BEACON', beaconId: store.beaconIds[0] } }, me);
    expect(ok.checkIn).toEqual({ presence: { location: { id: store.id } }, customer: { id: customerId }, userErrors: [] });
    expect(await presence()).toEqual({ location: { id: store.id } });
    // Staff who name nobody check nobody in: only a signed-in customer has a self to default to.
    const clerk = await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-b', locationId: store.id });
    expect((await query(url(), CHECK_IN, { input: { locationId: store.id, method: 'STAFF' } }, clerk)).checkIn.userErrors).toEqual([{ field: ['input'], code: 'INVALID_SUBJECT' }]);
    const anonymous = await graphql(url(), CHECK_IN, { input: { locationId: store.id, method: 'QR' } });
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });
});
