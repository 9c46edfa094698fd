import { randomUUID } from 'node:crypto';
import { graphql, query } from '../shared/testkit';
import { startTestGraph, type TestGraph } from './support/graph';
import { deliveredOrder } from './support/orders';

/**
 * One customer across every channel, through the gateway: identities and their normalisation,
 * behaviour events, presence, consents, segments. Merges, disclosure and erasure: customer-cases.test.ts.
 */

let graph: TestGraph;
let support: Record<string, string>;
let clerk: Record<string, string>;
let marketing: Record<string, string>;
const url = () => graph.gateway.url;

beforeAll(async () => {
  graph = await startTestGraph({ scale: 0.02 });
  await graph.settle();
  support = await graph.as({ role: 'SUPPORT', staffId: 'agent-7' });
  clerk = await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-7', locationId: graph.data.locations[0].id });
  marketing = await graph.as({ role: 'MARKETING', staffId: 'marketer-7' });
});
afterAll(async () => {
  await graph?.teardown();
});

const REGISTER = `mutation($input: RegisterCustomerInput!) {
  registerCustomer(input: $input) { customerId customer { id displayName } userErrors { field code } } }`;
const LINK = `mutation($input: LinkIdentityInput!) {
  linkIdentity(input: $input) { customer { id identities { type value verified } } userErrors { field code } } }`;
const TRACK = `mutation($input: TrackEventsInput!) {
  trackEvents(input: $input) { accepted duplicates rejected { index eventId code } } }`;
const TOUCHPOINTS = `query($id: ID!, $first: Int, $after: String, $types: [TouchpointType!]) {
  customer(id: $id) { touchpoints(first: $first, after: $after, types: $types) {
    edges { cursor node { eventId type channel occurredAt query product { id } location { id } } } pageInfo { hasNextPage endCursor } } } }`;

const unique = () => randomUUID().slice(0, 8);

async function register(input: Record<string, unknown>, headers: Record<string, string> = {}): Promise<string> {
  const { registerCustomer } = await query(url(), REGISTER, { input }, headers);
  expect(registerCustomer.userErrors).toEqual([]);
  return registerCustomer.customerId;
}

describe('identities', () => {
  it('normalises values before storing and before looking up, and finds the customer by any of them', async () => {
    const tag = unique();
    const id = await register(
      {
        displayName: '山田 花子',
        displayNameKana: 'ヤマダ ハナコ',
        identities: [
          { type: 'PHONE', value: '０９０-５５５５-' + String(Math.floor(Math.random() * 9000) + 1000) },
          { type: 'EMAIL', value: `  Hanako.${tag}@Example.JP ` },
          { type: 'MEMBER_CARD', value: `mc ${tag.slice(0, 4)}-${tag.slice(4)}` },
        ],
      },
      support,
    );
    const { customer } = await query(url(), '{ customer(id: "' + id + '") { identities { type value } } }', {}, support);
    const values = Object.fromEntries(customer.identities.map((i: { type: string; value: string }) => [i.type, i.value]));
    expect(values.EMAIL).toBe(`hanako.${tag}@example.jp`);
    expect(values.PHONE).toMatch(/^\+81905555\d{4}$/);
    expect(values.MEMBER_CARD).toBe(`MC${tag.toUpperCase()}`);

    const lookups: Array<[string, string]> = [
      ['EMAIL', `HANAKO.${tag}@example.jp`],
      ['PHONE', values.PHONE.replace('+81', '0').replace(/^(\d{3})(\d{4})(\d{4})$/, '$1-$2-$3')],
      ['MEMBER_CARD', `ｍｃ　${tag.slice(0, 4)} ${tag.slice(4)}`],
    ];
    for (const [type, value] of lookups) {
      const found = await query(url(), 'query($type: IdentityType!, $value: String!) { customerByIdentity(type: $type, value: $value) { id } }', { type, value }, clerk);
      expect({ type, id: found.customerByIdentity?.id }).toEqual({ type, id });
    }
  });

  it('never moves an identity that belongs to someone else: IDENTITY_TAKEN', async () => {
    const card = `MC${unique()}`;
    const owner = await register({ displayName: 'Owner', identities: [{ type: 'MEMBER_CARD', value: card }] }, support);
    const other = await register({ displayName: 'Other' }, support);
    const { linkIdentity } = await query(url(), LINK, { input: { customerId: other, identity: { type: 'MEMBER_CARD', value: card.toLowerCase() } } }, support);
    expect(linkIdentity.customer).toBeNull();
    expect(linkIdentity.userErrors).toEqual([{ field: ['input', 'identity'], code: 'IDENTITY_TAKEN' }]);
    const { registerCustomer } = await query(url(), REGISTER, { input: { displayName: 'Third', identities: [{ type: 'MEMBER_CARD', value: card }] } });
    expect(registerCustomer.userErrors.map((e: { code: string }) => e.code)).toEqual(['IDENTITY_TAKEN']);
    const { customerByIdentity } = await query(url(), `{ customerByIdentity(type: MEMBER_CARD, value: "${card}") { id } }`, {}, support);
    expect(customerByIdentity.id).toBe(owner);
    // Linking one's own identity again is not an error, and changes nothing.
    const again = await query(url(), LINK, { input: { customerId: owner, identity: { type: 'MEMBER_CARD', value: card } } }, support);
    expect(again.linkIdentity.userErrors).toEqual([]);
    expect(again.linkIdentity.customer.identities.filter((i: { type: string }) => i.type === 'MEMBER_CARD')).toHaveLength(1);
  });

  it('lets staff find a person by name however the reading is typed', async () => {
    // A name no demo customer has: the unique suffix spelt in letters (digits could leave it empty).
    const family = `ヤマダ${unique().replace(/\d/g, (d) => 'ghijklmnop'[Number(d)])}`;
    const reading = `${family} タロウ`;
    const id = await register({ displayName: '山田 太郎', displayNameKana: reading }, support);
    const halfWidth = reading.normalize('NFKC').replace(/[ァ-ヶ]/g, (c) => c); // katakana as typed on a till
    const hiragana = family.replace(/[ァ-ヶ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
    const halfKana = 'ﾔﾏﾀﾞ';
    for (const name of [family, hiragana, halfWidth.slice(0, family.length)]) {
      const { customers } = await query(url(), 'query($name: String!) { customers(filter: { name: $name }, first: 100) { edges { node { id } } } }', { name }, clerk);
      expect({ name, ids: customers.edges.map((e: { node: { id: string } }) => e.node.id) }).toEqual({ name, ids: [id] });
    }
    const { customers } = await query(url(), 'query($name: String!) { customers(filter: { name: $name }, first: 100) { edges { node { id } } } }', { name: halfKana }, clerk);
    expect(customers.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(id);
  });
});

describe('behaviour events and touchpoints', () => {
  it('keeps a batch: new events once, redelivered ones as duplicates, a bad one rejected alone', async () => {
    const customerId = await register({ displayName: 'Browser' }, support);
    const product = graph.data.products[0];
    const base = Date.now() - 3_600_000;
    const events = [
      { eventId: `e1-${unique()}`, type: 'PRODUCT_VIEW', occurredAt: new Date(base).toISOString(), channel: 'EC', customerId, productId: product.id },
      { eventId: `e2-${unique()}`, type: 'SEARCH', occurredAt: new Date(base + 1000).toISOString(), channel: 'APP', customerId, query: 'ニット' },
      { eventId: `e3-${unique()}`, type: 'PRODUCT_VIEW', occurredAt: new Date(base + 2000).toISOString(), channel: 'EC', customerId }, // no productId
      { eventId: `e4-${unique()}`, type: 'PRODUCT_VIEW', occurredAt: new Date(base + 3000).toISOString(), channel: 'EC', customerId, productId: product.id },
      // The cart records what is added to it: one source, no double counting.
      { eventId: `e5-${unique()}`, type: 'ADD_TO_CART', occurredAt: new Date(base + 4000).toISOString(), channel: 'EC', customerId, productId: product.id },
    ];
    const first = await query(url(), TRACK, { input: { events } }, support);
    expect(first.trackEvents).toEqual({
      accepted: 3,
      duplicates: [],
      rejected: [
        { index: 2, eventId: events[2].eventId, code: 'MISSING_FIELD' },
        { index: 4, eventId: events[4].eventId, code: 'RECORDED_BY_CART' },
      ],
    });
    const retried = await query(url(), TRACK, { input: { events: [events[0], events[3]] } }, support);
    expect(retried.trackEvents).toEqual({ accepted: 0, duplicates: [events[0].eventId, events[3].eventId], rejected: [] });

    // Time order (newest first), pagination, type filter.
    const page1 = (await query(url(), TOUCHPOINTS, { id: customerId, first: 2 }, support)).customer.touchpoints;
    expect(page1.edges.map((e: { node: { eventId: string } }) => e.node.eventId)).toEqual([events[3].eventId, events[1].eventId]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await query(url(), TOUCHPOINTS, { id: customerId, first: 2, after: page1.pageInfo.endCursor }, support)).customer.touchpoints;
    expect(page2.edges.map((e: { node: { eventId: string } }) => e.node.eventId)).toEqual([events[0].eventId]);
    expect(page2.edges[0].node.product).toEqual({ id: product.id });
    const searches = (await query(url(), TOUCHPOINTS, { id: customerId, types: ['SEARCH'] }, support)).customer.touchpoints;
    expect(searches.edges.map((e: { node: { query: string; channel: string } }) => [e.node.query, e.node.channel])).toEqual([['ニット', 'APP']]);
  });

  it('rejects each bad event with its own code and refuses batches over 500', async () => {
    const now = Date.now();
    const events = [
      { eventId: '', type: 'PAGE_VIEW', occurredAt: new Date(now).toISOString(), channel: 'EC', identity: { type: 'DEVICE', value: 'd' } },
      { eventId: `f-${unique()}`, type: 'PAGE_VIEW', occurredAt: new Date(now + 3_600_000).toISOString(), channel: 'EC', identity: { type: 'DEVICE', value: 'd' } },
      { eventId: `u-${unique()}`, type: 'PAGE_VIEW', occurredAt: new Date(now).toISOString(), channel: 'EC', customerId: randomUUID() },
      { eventId: `b-${unique()}`, type: 'PAGE_VIEW', occurredAt: new Date(now).toISOString(), channel: 'EC' },
      { eventId: `p-${unique()}`, type: 'PAGE_VIEW', occurredAt: new Date(now).toISOString(), channel: 'EC', identity: { type: 'PHONE', value: '12' } },
    ];
    const { trackEvents } = await query(url(), TRACK, { input: { events } }, support);
    expect(trackEvents.accepted).toBe(0);
    expect(trackEvents.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [0, 'INVALID_EVENT_ID'],
      [1, 'OCCURRED_IN_FUTURE'],
      [2, 'UNKNOWN_CUSTOMER'],
      [3, 'INVALID_SUBJECT'],
      [4, 'INVALID_IDENTITY'],
    ]);
    const tooMany = Array.from({ length: 501 }, (_, i) => ({ ...events[1], eventId: `many-${i}-${unique()}`, occurredAt: new Date(now).toISOString() }));
    const response = await graphql(url(), TRACK, { input: { events: tooMany } }, support);
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("keeps an anonymous device's events, lets an anonymous caller send only those, and gives them to whoever links the device", async () => {
    const device = `dev-${unique()}`;
    const occurredAt = new Date(Date.now() - 60_000).toISOString();
    const anonymous = await query(url(), TRACK, {
      input: {
        events: [
          { eventId: `a1-${device}`, type: 'PAGE_VIEW', occurredAt, channel: 'EC', identity: { type: 'DEVICE', value: device } },
          { eventId: `a2-${device}`, type: 'PAGE_VIEW', occurredAt, channel: 'EC', customerId: graph.data.customers[0].id },
          { eventId: `a3-${device}`, type: 'PAGE_VIEW', occurredAt, channel: 'EC', identity: { type: 'MEMBER_CARD', value: graph.data.customers[0].identities.find((i) => i.type === 'MEMBER_CARD')?.value ?? 'MC1' } },
        ],
      },
    });
    expect(anonymous.trackEvents.accepted).toBe(1);
    expect(anonymous.trackEvents.rejected.map((r: { code: string }) => r.code)).toEqual(['FORBIDDEN_SUBJECT', 'FORBIDDEN_SUBJECT']);

    const customerId = await register({ displayName: 'Later Linked' }, support);
    expect((await query(url(), TOUCHPOINTS, { id: customerId }, support)).customer.touchpoints.edges).toEqual([]);
    await query(url(), LINK, { input: { customerId, identity: { type: 'DEVICE', value: device } } }, await graph.as({ customer: customerId }));
    const after = (await query(url(), TOUCHPOINTS, { id: customerId }, support)).customer.touchpoints.edges;
    expect(after.map((e: { node: { eventId: string } }) => e.node.eventId)).toEqual([`a1-${device}`]);
  });

  it('keeps an eventId per subject: one caller cannot take another\'s ids, and each retry is still a duplicate', async () => {
    const ann = await register({ displayName: 'Ann Ids' }, support);
    const bob = await register({ displayName: 'Bob Ids' }, support);
    const asAnn = await graph.as({ customer: ann });
    const asBob = await graph.as({ customer: bob });
    const device = `dev-${unique()}`;
    // Every client numbers its own events: the same id from three senders, each for their own subject.
    const eventId = `ev-1-${unique()}`;
    const occurredAt = new Date(Date.now() - 60_000).toISOString();
    const view = (subject: Record<string, unknown>) => ({ input: { events: [{ eventId, type: 'PAGE_VIEW', occurredAt, channel: 'EC', ...subject }] } });
    const sent = async (subject: Record<string, unknown>, headers: Record<string, string> = {}) => (await query(url(), TRACK, view(subject), headers)).trackEvents;

    expect(await sent({ customerId: bob }, asBob)).toEqual({ accepted: 1, duplicates: [], rejected: [] });
    expect(await sent({ customerId: ann }, asAnn)).toEqual({ accepted: 1, duplicates: [], rejected: [] });
    expect(await sent({ identity: { type: 'DEVICE', value: device } })).toEqual({ accepted: 1, duplicates: [], rejected: [] });
    // Sent again, each is its sender's retry; staff sending for Ann hit her id too.
    expect(await sent({ customerId: ann }, asAnn)).toEqual({ accepted: 0, duplicates: [eventId], rejected: [] });
    expect(await sent({ customerId: ann }, support)).toEqual({ accepted: 0, duplicates: [eventId], rejected: [] });
    expect(await sent({ customerId: bob }, asBob)).toEqual({ accepted: 0, duplicates: [eventId], rejected: [] });
    expect(await sent({ identity: { type: 'DEVICE', value: device } })).toEqual({ accepted: 0, duplicates: [eventId], rejected: [] });
    // Whether Bob used an id is nothing Ann learns: sending it for him is refused, not a duplicate.
    expect((await sent({ customerId: bob }, asAnn)).rejected.map((r: { code: string }) => r.code)).toEqual(['FORBIDDEN_SUBJECT']);

    const history = async (id: string) => (await query(url(), TOUCHPOINTS, { id }, support)).customer.touchpoints.edges.map((e: { node: { eventId: string } }) => e.node.eventId);
    expect(await history(ann)).toEqual([eventId]);
    expect(await history(bob)).toEqual([eventId]);
  });
});

describe('store sales under a membership card alone', () => {
  it('join the customer who links the card: orders, purchase summary and segments follow', async () => {
    const card = `MC${unique().toUpperCase()}`;
    const [product] = graph.data.products;
    const sale = deliveredOrder({ customerId: 'nobody', productId: product.id, variantId: product.variants[0].id, unitPrice: product.price });
    await graph.subgraphs.orders.domain.orders.recordOrders([
      { ...sale, customerId: null, customerIdentity: { type: 'MEMBER_CARD', value: card }, channel: 'STORE' as never, locationId: graph.data.locations[0].id },
    ]);
    await graph.settle();
    const customerId = await register({ displayName: 'Card Holder' }, support);
    const VIEW = `query($id: ID!) { customer(id: $id) { orders(first: 5) { edges { node { number channel } } } purchaseSummary { orderCount lifetimeValue { amount } } segments { code } } }`;
    const before = (await query(url(), VIEW, { id: customerId }, support)).customer;
    expect(before.orders.edges).toEqual([]);
    expect(before.segments.map((s: { code: string }) => s.code)).toEqual(['NEW']);

    // The customer types the number in themselves: unverified, it brings nobody's purchases with it.
    const typed = { type: 'MEMBER_CARD', value: `${card.slice(0, 6)}-${card.slice(6)}`.toLowerCase() };
    const own = await query(url(), LINK, { input: { customerId, identity: typed } }, await graph.as({ customer: customerId }));
    expect(own.linkIdentity.customer.identities).toEqual([{ type: 'MEMBER_CARD', value: card, verified: false }]);
    await graph.settle();
    expect((await query(url(), VIEW, { id: customerId }, support)).customer.orders.edges).toEqual([]);
    // A clerk sees the card at the till and verifies it: now the card's sales are hers.
    await query(url(), LINK, { input: { customerId, identity: typed } }, clerk);
    await graph.settle();
    const after = (await query(url(), VIEW, { id: customerId }, support)).customer;
    expect(after.orders.edges.map((e: { node: { number: string } }) => e.node.number)).toEqual([sale.number]);
    expect(after.purchaseSummary).toEqual({ orderCount: 1, lifetimeValue: { amount: product.price } });
    expect(after.segments.map((s: { code: string }) => s.code).sort()).toEqual(['NEW', 'STORE_ONLY']);
  });
});

describe('PERSONALIZATION', () => {
  it('refused, the recommendations are not personal; given again, they are', async () => {
    const shopper = graph.data.customers.find((c) => graph.data.orders.filter((o) => o.customerId === c.id).length >= 5)!;
    const newcomer = await register({ displayName: 'No History' }, support);
    const RECS = 'query($id: ID!) { customer(id: $id) { recommendations(first: 10) { product { id } reasons { code } } } }';
    const recsOf = async (id: string) => (await query(url(), RECS, { id }, support)).customer.recommendations;
    const popular = await recsOf(newcomer);
    const personal = await recsOf(shopper.id);
    expect(personal).not.toEqual(popular);
    const UPDATE = 'mutation($input: UpdateConsentsInput!) { updateConsents(input: $input) { userErrors { code } } }';
    await query(url(), UPDATE, { input: { customerId: shopper.id, consents: [{ purpose: 'PERSONALIZATION', granted: false }] } }, await graph.as({ customer: shopper.id }));
    await graph.settle();
    expect(await recsOf(shopper.id)).toEqual(popular);
    await query(url(), UPDATE, { input: { customerId: shopper.id, consents: [{ purpose: 'PERSONALIZATION', granted: true }] } }, await graph.as({ customer: shopper.id }));
    await graph.settle();
    expect(await recsOf(shopper.id)).toEqual(personal);
  });
});

describe('presence', () => {
  const CHECK_IN = `mutation($input: CheckInInput!) { checkIn(input: $input) {
    presence { method since expiresAt location { id name } } userErrors { code } } }`;
  const PRESENCE = 'query($id: ID!) { customer(id: $id) { presence { method location { id } } touchpoints(types: [STORE_CHECK_IN]) { edges { node { location { id } } } } } }';

  it('answers where a customer is until the check-in expires or another replaces it', async () => {
    const app = `app-${unique()}`;
    const customerId = await register({ displayName: 'Shopper', identities: [{ type: 'APP_INSTALL', value: app }] }, support);
    const me = await graph.as({ customer: customerId });
    const [shibuya, ginza] = graph.data.locations.filter((l) => l.type === 'STORE');
    const beacon = await query(url(), 'query($b: String!) { locationByBeacon(beaconId: $b) { id } }', { b: shibuya.beaconIds[0] }, me);
    expect(beacon.locationByBeacon.id).toBe(shibuya.id);

    const first = await query(url(), CHECK_IN, { input: { identity: { type: 'APP_INSTALL', value: app }, locationId: shibuya.id, method: 'BEACON', beaconId: shibuya.beaconIds[0] } }, me);
    expect(first.checkIn.userErrors).toEqual([]);
    expect(first.checkIn.presence.location).toEqual({ id: shibuya.id, name: shibuya.name });
    const { since, expiresAt } = first.checkIn.presence;
    expect(Date.parse(expiresAt) - Date.parse(since)).toBe(120 * 60_000);
    expect((await query(url(), PRESENCE, { id: customerId }, support)).customer.presence).toEqual({ method: 'BEACON', location: { id: shibuya.id } });

    // A clerk checks her in at his own store only.
    const elsewhere = await query(url(), CHECK_IN, { input: { customerId, locationId: ginza.id, method: 'STAFF' } }, clerk);
    expect(elsewhere.checkIn.userErrors).toEqual([{ code: 'OTHER_LOCATION' }]);
    await query(url(), CHECK_IN, { input: { customerId, locationId: ginza.id, method: 'QR' } }, me);
    const now = (await query(url(), PRESENCE, { id: customerId }, support)).customer;
    expect(now.presence).toEqual({ method: 'QR', location: { id: ginza.id } });
    expect(now.touchpoints.edges.map((e: { node: { location: { id: string } } }) => e.node.location.id)).toEqual([ginza.id, shibuya.id]);

    // The store's list of who is in now: Ginza has her, Shibuya no longer does; its clerk only reads his own store's.
    const IN_STORE = 'query($l: ID!) { customersInStore(locationId: $l) { id } }';
    expect((await query(url(), IN_STORE, { l: ginza.id }, support)).customersInStore).toContainEqual({ id: customerId });
    expect((await query(url(), IN_STORE, { l: shibuya.id }, support)).customersInStore).not.toContainEqual({ id: customerId });
    const clerkStore = (await graphql(url(), IN_STORE, { l: ginza.id }, clerk)).errors?.map((e) => e.extensions?.code);
    expect(clerkStore).toEqual(['FORBIDDEN']);
    const twoHoursOn = await graph.subgraphs.customers.domain.presence.presentAt(ginza.id, 100, new Date(Date.now() + 121 * 60_000));
    expect(twoHoursOn.map((p) => p.customerId)).not.toContain(customerId);

    // Two hours on, nothing says she is still there.
    const [later] = await graph.subgraphs.customers.domain.presence.of([customerId], new Date(Date.now() + 121 * 60_000));
    expect(later).toBeNull();
    // Another customer cannot check her in.
    const stranger = await graph.as({ customer: graph.data.customers[1].id });
    const refused = await query(url(), CHECK_IN, { input: { customerId, locationId: ginza.id, method: 'QR' } }, stranger);
    expect(refused.checkIn.userErrors).toEqual([{ code: 'FORBIDDEN_SUBJECT' }]);
  });
});

describe('consents', () => {
  const UPDATE = `mutation($input: UpdateConsentsInput!) { updateConsents(input: $input) {
    customer { consents { purpose granted updatedAt } consentHistory { purpose granted actorKind } } userErrors { code } } }`;

  it('keeps a choice per purpose with its history, and records only real changes', async () => {
    const customerId = await register({ displayName: 'Chooser' }, support);
    const me = await graph.as({ customer: customerId });
    const first = await query(url(), UPDATE, { input: { customerId, consents: [{ purpose: 'EMAIL_MARKETING', granted: true }, { purpose: 'PERSONALIZATION', granted: true }] } }, me);
    const consents = Object.fromEntries(first.updateConsents.customer.consents.map((c: { purpose: string; granted: boolean }) => [c.purpose, c.granted]));
    expect(consents).toEqual({ EMAIL_MARKETING: true, PUSH: false, PERSONALIZATION: true, PARTNER_SHARING: false });
    const second = await query(url(), UPDATE, { input: { customerId, consents: [{ purpose: 'EMAIL_MARKETING', granted: true }, { purpose: 'PERSONALIZATION', granted: false }] } }, support);
    expect(second.updateConsents.customer.consentHistory).toEqual([
      { purpose: 'EMAIL_MARKETING', granted: true, actorKind: 'CUSTOMER' },
      { purpose: 'PERSONALIZATION', granted: true, actorKind: 'CUSTOMER' },
      { purpose: 'PERSONALIZATION', granted: false, actorKind: 'STAFF' },
    ]);
    const other = await graph.as({ customer: graph.data.customers[0].id });
    const refused = await graphql(url(), UPDATE, { input: { customerId, consents: [{ purpose: 'PUSH', granted: true }] } }, other);
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(await graph.subgraphs.customers.domain.consents.sharingWithPartners([customerId])).toEqual(new Set());
  });
});

describe('segments', () => {
  const REPORT = '{ segmentReport { segments { code customers revenue { amount } revenueShare averageLifetimeValue { amount } } } }';

  it('classifies the demo customers: store buyers who browse online are worth more than store-only ones', async () => {
    const { segmentReport } = await query(url(), REPORT, {}, marketing);
    const byCode = Object.fromEntries(segmentReport.segments.map((s: { code: string }) => [s.code, s]));
    expect(Object.keys(byCode).sort()).toEqual(['CART_ABANDONED', 'EC_ONLY', 'LAPSED', 'NEW', 'OMNICHANNEL', 'STORE_BUYER_EC_BROWSER', 'STORE_ONLY', 'VIP']);
    for (const code of ['OMNICHANNEL', 'STORE_ONLY', 'EC_ONLY', 'STORE_BUYER_EC_BROWSER', 'VIP']) expect(byCode[code].customers).toBeGreaterThan(0);
    expect(byCode.STORE_BUYER_EC_BROWSER.averageLifetimeValue.amount).toBeGreaterThan(byCode.STORE_ONLY.averageLifetimeValue.amount);
    expect(byCode.VIP.revenueShare).toBeGreaterThan(0.2);

    // A period: the same members, the money of the orders placed in it only.
    const PERIOD = 'query($since: DateTime) { segmentReport(since: $since) { segments { code customers revenue { amount } } } }';
    const figures = async (since: string) => Object.fromEntries((await query(url(), PERIOD, { since }, marketing)).segmentReport.segments.map((s: { code: string }) => [s.code, s]));
    const lastYear = await figures(new Date(Date.now() - 365 * 24 * 3600 * 1000).toISOString());
    const ahead = await figures(new Date(Date.now() + 24 * 3600 * 1000).toISOString());
    expect(lastYear.VIP.customers).toBe(byCode.VIP.customers);
    expect(lastYear.VIP.revenue.amount).toBeGreaterThan(0);
    expect(lastYear.VIP.revenue.amount).toBeLessThan(byCode.VIP.revenue.amount);
    expect(ahead.VIP).toEqual({ code: 'VIP', customers: byCode.VIP.customers, revenue: { amount: 0 } });

    const { customers } = await query(url(), '{ customers(filter: { segment: VIP }, first: 100) { edges { node { id segments { code } } } } }', {}, marketing);
    expect(customers.edges.length).toBe(byCode.VIP.customers);
    for (const edge of customers.edges) expect(edge.node.segments.map((s: { code: string }) => s.code)).toContain('VIP');
  });

  it('moves a customer between segments within moments of what they do', async () => {
    const customerId = await register({ displayName: 'Newcomer', channel: 'STORE' }, clerk);
    const SEGMENTS = 'query($id: ID!) { customer(id: $id) { segments { code } } }';
    const codes = async () => (await query(url(), SEGMENTS, { id: customerId }, support)).customer.segments.map((s: { code: string }) => s.code).sort();
    expect(await codes()).toEqual(['NEW']);
    const [product] = graph.data.products;
    await graph.subgraphs.orders.domain.orders.recordOrders([{ ...deliveredOrder({ customerId, productId: product.id, variantId: product.variants[0].id, unitPrice: product.price }), channel: 'STORE' as never }]);
    await graph.settle();
    expect(await codes()).toEqual(['NEW', 'STORE_ONLY']);
    await query(url(), TRACK, { input: { events: [{ eventId: `seg-${unique()}`, type: 'PAGE_VIEW', occurredAt: new Date().toISOString(), channel: 'EC', customerId }] } }, support);
    expect(await codes()).toEqual(['NEW', 'STORE_BUYER_EC_BROWSER']);
    // A cancelled order no longer counts: she is a store buyer again only through the store sale.
    const online = { ...deliveredOrder({ customerId, productId: product.id, variantId: product.variants[0].id, unitPrice: product.price }), status: 'PLACED' as never, fulfillmentStatus: 'PENDING' as never };
    const [order] = await graph.subgraphs.orders.domain.orders.recordOrders([online]);
    await graph.settle();
    expect(await codes()).toEqual(['NEW', 'OMNICHANNEL']);
    const cancelled = await query(url(), 'mutation($input: CancelOrderInput!) { cancelOrder(input: $input) { userErrors { code } } }', { input: { orderId: order.id } }, support);
    expect(cancelled.cancelOrder.userErrors).toEqual([]);
    await graph.settle();
    expect(await codes()).toEqual(['NEW', 'STORE_BUYER_EC_BROWSER']);
    // Segments are for staff; the customer does not see how marketing classifies them.
    const own = await graphql(url(), '{ me { segments { code } } }', {}, await graph.as({ customer: customerId }));
    expect(own.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});
