import { randomUUID } from 'node:crypto';
import { graphql, query } from '../shared/testkit';
import { startTestGraph, type TestGraph } from './support/graph';
import { deliveredOrder } from './support/orders';

/**
 * Support's and admins' cases, through the gateway: merging two records of one person (also under
 * concurrency, which is meaningful on MariaDB), undoing it, disclosure exports and erasure.
 */

let graph: TestGraph;
let support: Record<string, string>;
let admin: Record<string, string>;
const url = () => graph.gateway.url;
const unique = () => randomUUID().slice(0, 8);

beforeAll(async () => {
  graph = await startTestGraph({ scale: 0.01 });
  support = await graph.as({ role: 'SUPPORT', staffId: 'agent-9' });
  admin = await graph.as({ role: 'ADMIN', staffId: 'admin-9' });
});
afterAll(async () => {
  await graph?.teardown();
});

const REGISTER = `mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { customerId userErrors { code } } }`;
const MERGE = `mutation($input: MergeCustomersInput!) { mergeCustomers(input: $input) {
  merge { id survivorId mergedId mergedById } survivor { id } userErrors { code } } }`;
const UNMERGE = `mutation($input: UnmergeCustomersInput!) { unmergeCustomers(input: $input) { merge { unmergedAt } userErrors { code } } }`;
const VIEW = `query($id: ID!) { customer(id: $id) { id email mergedIds identities { type value }
  consents { purpose granted } orders(first: 100) { edges { node { number } } } purchaseSummary { orderCount } } }`;

/** A customer with a membership card, consents and one delivered EC order of its own. */
async function person(consents: Record<string, boolean> = {}, email?: string) {
  const card = `MC${unique().toUpperCase()}`;
  const { registerCustomer } = await query(url(), REGISTER, { input: { displayName: `Case ${card}`, email, identities: [{ type: 'MEMBER_CARD', value: card }] } }, support);
  const id: string = registerCustomer.customerId;
  if (Object.keys(consents).length) {
    await query(url(), 'mutation($input: UpdateConsentsInput!) { updateConsents(input: $input) { userErrors { code } } }', {
      input: { customerId: id, consents: Object.entries(consents).map(([purpose, granted]) => ({ purpose, granted })) },
    }, support);
  }
  const product = graph.data.products[Math.floor(Math.random() * graph.data.products.length)];
  const [order] = await graph.subgraphs.orders.domain.orders.recordOrders([
    deliveredOrder({ customerId: id, productId: product.id, variantId: product.variants[0].id, unitPrice: product.price }),
  ]);
  return { id, card, email, orderNumber: order.number };
}

const view = async (id: string) => (await query(url(), VIEW, { id }, support)).customer;
const numbers = (customer: { orders: { edges: Array<{ node: { number: string } }> } }) => customer.orders.edges.map((e) => e.node.number).sort();
const cards = (customer: { identities: Array<{ type: string; value: string }> }) =>
  customer.identities.filter((i) => i.type === 'MEMBER_CARD').map((i) => i.value).sort();

describe('merging two records of one person', () => {
  it('answers a preview of one customer with itself, or of an unknown id, as the caller\'s mistake', async () => {
    const one = await person();
    const PREVIEW = 'query($s: ID!, $m: ID!) { previewCustomerMerge(survivorId: $s, mergedId: $m) { ordersMoving } }';
    const same = await graphql(url(), PREVIEW, { s: one.id, m: one.id }, support);
    const unknown = await graphql(url(), PREVIEW, { s: one.id, m: randomUUID() }, support);
    expect(same.errors?.map((e) => [e.extensions?.code, (e.extensions as { reason?: string }).reason])).toEqual([['BAD_USER_INPUT', 'SAME_CUSTOMER']]);
    expect(unknown.errors?.map((e) => [e.extensions?.code, (e.extensions as { reason?: string }).reason])).toEqual([['BAD_USER_INPUT', 'NOT_FOUND']]);
  });

  it('previews, merges (the merged id answers the survivor everywhere), and unmerges back to how both were', async () => {
    const survivor = await person({ PERSONALIZATION: true, EMAIL_MARKETING: true });
    const merged = await person({ PERSONALIZATION: false, EMAIL_MARKETING: true }, `case-${unique()}@example.jp`);
    await graph.settle();

    const preview = await query(url(), `query($s: ID!, $m: ID!) { previewCustomerMerge(survivorId: $s, mergedId: $m) {
      survivor { id } merged { id } identitiesMoving { type value } ordersMoving conflicts { field resolution } } }`, { s: survivor.id, m: merged.id }, support);
    // The e-mail address given at registration is an identity of the merged record too.
    expect(preview.previewCustomerMerge.identitiesMoving).toEqual([{ type: 'MEMBER_CARD', value: merged.card }, { type: 'EMAIL', value: merged.email }]);
    expect(preview.previewCustomerMerge.ordersMoving).toBe(1);
    expect(preview.previewCustomerMerge.conflicts).toEqual([
      { field: 'displayName', resolution: 'SURVIVOR_KEPT' },
      { field: 'consents.PERSONALIZATION', resolution: 'NOT_GRANTED' },
    ]);

    const { mergeCustomers } = await query(url(), MERGE, { input: { survivorId: survivor.id, mergedId: merged.id } }, support);
    expect(mergeCustomers.userErrors).toEqual([]);
    expect(mergeCustomers.merge).toMatchObject({ survivorId: survivor.id, mergedId: merged.id, mergedById: 'agent-9' });
    await graph.settle();

    const after = await view(merged.id);
    expect(after.id).toBe(survivor.id);
    expect(after.mergedIds).toEqual([merged.id]);
    expect(cards(after)).toEqual([survivor.card, merged.card].sort());
    expect(numbers(after)).toEqual([survivor.orderNumber, merged.orderNumber].sort());
    expect(after.purchaseSummary.orderCount).toBe(2);
    expect(after.email).toBeTruthy(); // filled from the merged record, which had one
    const consents = Object.fromEntries(after.consents.map((c: { purpose: string; granted: boolean }) => [c.purpose, c.granted]));
    expect(consents).toMatchObject({ PERSONALIZATION: false, EMAIL_MARKETING: true }); // the more restrictive choice wins
    const byCard = await query(url(), `{ customerByIdentity(type: MEMBER_CARD, value: "${merged.card}") { id } }`, {}, support);
    expect(byCard.customerByIdentity.id).toBe(survivor.id);
    // The merged customer's own sign-in now acts as the survivor.
    const { me } = await query(url(), '{ me { id } }', {}, await graph.as({ customer: merged.id }));
    expect(me.id).toBe(survivor.id);
    // Merging again is refused, in either direction.
    for (const input of [{ survivorId: survivor.id, mergedId: merged.id }, { survivorId: merged.id, mergedId: survivor.id }]) {
      expect((await query(url(), MERGE, { input }, support)).mergeCustomers.userErrors).toEqual([{ code: 'ALREADY_MERGED' }]);
    }

    const { unmergeCustomers } = await query(url(), UNMERGE, { input: { mergeId: mergeCustomers.merge.id } }, support);
    expect(unmergeCustomers.userErrors).toEqual([]);
    expect(unmergeCustomers.merge.unmergedAt).toBeTruthy();
    await graph.settle();
    const [s, m] = [await view(survivor.id), await view(merged.id)];
    expect([s.id, m.id]).toEqual([survivor.id, merged.id]);
    expect([cards(s), cards(m)]).toEqual([[survivor.card], [merged.card]]);
    expect([numbers(s), numbers(m)]).toEqual([[survivor.orderNumber], [merged.orderNumber]]);
    expect(s.email).toBeNull();
    expect(Object.fromEntries(s.consents.map((c: { purpose: string; granted: boolean }) => [c.purpose, c.granted]))).toMatchObject({ PERSONALIZATION: true });
    expect(Object.fromEntries(m.consents.map((c: { purpose: string; granted: boolean }) => [c.purpose, c.granted]))).toMatchObject({ PERSONALIZATION: false, EMAIL_MARKETING: true });
    expect((await query(url(), UNMERGE, { input: { mergeId: mergeCustomers.merge.id } }, support)).unmergeCustomers.userErrors).toEqual([{ code: 'ALREADY_UNMERGED' }]);
    // The records stay, for the record.
    const { customer } = await query(url(), 'query($id: ID!) { customer(id: $id) { merges { survivorId mergedId unmergedById } } }', { id: merged.id }, support);
    expect(customer.merges).toEqual([{ survivorId: survivor.id, mergedId: merged.id, unmergedById: 'agent-9' }]);
  });

  it('loses no identity and no order under concurrent merges of one pair, and of a chain', async () => {
    // The same pair, five times at once: one merge, four ALREADY_MERGED.
    const [a, b] = [await person(), await person()];
    const results = await Promise.all(
      Array.from({ length: 5 }, () => query(url(), MERGE, { input: { survivorId: b.id, mergedId: a.id } }, support)),
    );
    const codes = results.map((r) => r.mergeCustomers.userErrors.map((e: { code: string }) => e.code).join() || 'MERGED').sort();
    expect(codes).toEqual(['ALREADY_MERGED', 'ALREADY_MERGED', 'ALREADY_MERGED', 'ALREADY_MERGED', 'MERGED']);

    // Chains: A into B while B into C, and the pair both ways at once, a few times over.
    for (let round = 0; round < 4; round++) {
      const [x, y, z] = [await person(), await person(), await person()];
      const chain = await Promise.all([
        query(url(), MERGE, { input: { survivorId: y.id, mergedId: x.id } }, support),
        query(url(), MERGE, { input: { survivorId: z.id, mergedId: y.id } }, support),
        query(url(), MERGE, { input: { survivorId: x.id, mergedId: y.id } }, support),
      ]);
      const merged = chain.filter((r) => r.mergeCustomers.userErrors.length === 0);
      expect(merged.length).toBeGreaterThanOrEqual(1);
      for (const r of chain) for (const e of r.mergeCustomers.userErrors) expect(e.code).toBe('ALREADY_MERGED');
      await graph.settle();
      // Whatever won, every record answers one standing customer holding all three cards and orders if all merged,
      // and no card or order is lost or held twice in any case.
      const views = [await view(x.id), await view(y.id), await view(z.id)];
      const standing = [...new Map(views.map((v) => [v.id, v])).values()];
      expect(standing.flatMap(cards).sort()).toEqual([x.card, y.card, z.card].sort());
      expect(standing.flatMap(numbers).sort()).toEqual([x.orderNumber, y.orderNumber, z.orderNumber].sort());
      expect(standing.length).toBe(3 - merged.length);
    }
  });
});

describe('linking and tracking at the same moment', () => {
  it("loses no event to a race: a device's events sent while it is being linked all end up with its owner, and merges at the same time lose none either", async () => {
    for (let round = 0; round < 10; round++) {
      const device = `race-${unique()}`;
      const { registerCustomer } = await query(url(), REGISTER, { input: { displayName: `Racer ${round}` } }, support);
      const owner: string = registerCustomer.customerId;
      const other = await person();
      const events = Array.from({ length: 5 }, (_, i) => ({ eventId: `${device}-${i}`, type: 'PAGE_VIEW', occurredAt: new Date().toISOString(), channel: 'APP', identity: { type: 'DEVICE', value: device } }));
      const named = Array.from({ length: 5 }, (_, i) => ({ eventId: `${device}-n${i}`, type: 'PAGE_VIEW', occurredAt: new Date().toISOString(), channel: 'APP', customerId: other.id }));
      await Promise.all([
        query(url(), 'mutation($input: TrackEventsInput!) { trackEvents(input: $input) { accepted } }', { input: { events } }, support),
        query(url(), 'mutation($input: LinkIdentityInput!) { linkIdentity(input: $input) { userErrors { code } } }', { input: { customerId: owner, identity: { type: 'DEVICE', value: device } } }, support),
        query(url(), 'mutation($input: TrackEventsInput!) { trackEvents(input: $input) { accepted } }', { input: { events: named } }, support),
        query(url(), MERGE, { input: { survivorId: owner, mergedId: other.id } }, support),
      ]);
      const { customer } = await query(url(), 'query($id: ID!) { customer(id: $id) { touchpoints(first: 100) { edges { node { eventId } } } } }', { id: owner }, support);
      expect(customer.touchpoints.edges.map((e: { node: { eventId: string } }) => e.node.eventId).sort()).toEqual([...events, ...named].map((e) => e.eventId).sort());
    }
  });
});

describe('disclosure and erasure', () => {
  const EXPORT = 'query($id: ID!) { exportCustomerData(id: $id) { customerId exportedAt customers orders } }';
  const ERASE = 'mutation($input: EraseCustomerInput!) { eraseCustomer(input: $input) { customer { id displayName erasedAt } userErrors { code } } }';

  it('exports everything held about a person as one document, for support', async () => {
    const subject = await person({ PUSH: true }, `export-${unique()}@example.jp`);
    const other = await person();
    await query(url(), MERGE, { input: { survivorId: subject.id, mergedId: other.id } }, support);
    await query(url(), 'mutation($input: TrackEventsInput!) { trackEvents(input: $input) { accepted } }', {
      input: { events: [{ eventId: `x-${unique()}`, type: 'SEARCH', query: 'コート', occurredAt: new Date().toISOString(), channel: 'EC', customerId: subject.id }] },
    }, support);
    await graph.settle();
    const { exportCustomerData } = await query(url(), EXPORT, { id: other.id }, support);
    expect(exportCustomerData.customerId).toBe(subject.id);
    const { customers, orders } = exportCustomerData;
    expect(customers.profile.email).toMatch(/^export-/);
    expect(customers.mergedCustomers.map((c: { id: string }) => c.id)).toEqual([other.id]);
    expect(customers.identities.map((i: { value: string }) => i.value).sort()).toEqual([subject.card, other.card, subject.email].sort());
    // Who linked each key, and who vouched for it (support registered both records, and saw the cards).
    expect(customers.identities.find((i: { value: string }) => i.value === subject.card)).toMatchObject({ verified: true, linkedBy: 'STAFF:SUPPORT:agent-9', verifiedBy: 'STAFF:SUPPORT:agent-9' });
    expect(customers.identities.find((i: { value: string }) => i.value === subject.email)).toMatchObject({ verified: false, linkedBy: 'STAFF:SUPPORT:agent-9', verifiedBy: null });
    // PUSH: granted by one record, never asked on the other; merged, the more restrictive choice holds.
    expect(customers.consents.find((c: { purpose: string }) => c.purpose === 'PUSH').granted).toBe(false);
    expect(customers.consentHistory.filter((c: { purpose: string }) => c.purpose === 'PUSH').map((c: { granted: boolean }) => c.granted)).toEqual([true, false]);
    expect(customers.touchpoints.map((t: { query: string }) => t.query)).toContain('コート');
    expect(customers.mergeRecords.map((r: { mergedId: string }) => r.mergedId)).toEqual([other.id]);
    expect(orders.orders.map((o: { number: string }) => o.number).sort()).toEqual([subject.orderNumber, other.orderNumber].sort());
    expect(orders.orders[0].lines.length).toBeGreaterThan(0);

    const denied = await graphql(url(), EXPORT, { id: subject.id }, await graph.as({ role: 'STORE_STAFF', staffId: 'c', locationId: graph.data.locations[0].id }));
    expect(denied.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('erases personal data in every service for admins only, keeps orders anonymised, and leaves a tombstone', async () => {
    const subject = await person({ PARTNER_SHARING: true }, `erase-${unique()}@example.jp`);
    const merged = await person();
    await query(url(), MERGE, { input: { survivorId: subject.id, mergedId: merged.id } }, support);
    await graph.settle();

    const refused = await graphql(url(), ERASE, { input: { customerId: subject.id } }, support);
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

    const { eraseCustomer } = await query(url(), ERASE, { input: { customerId: merged.id } }, admin);
    expect(eraseCustomer.userErrors).toEqual([]);
    expect(eraseCustomer.customer).toMatchObject({ id: subject.id, displayName: '' });
    await graph.settle();

    const tombstone = (await query(url(), 'query($id: ID!) { customer(id: $id) { id displayName email phone erasedAt identities { value } consents { granted } touchpoints { edges { cursor } } orders(first: 10) { edges { cursor } } } }', { id: merged.id }, support)).customer;
    expect(tombstone).toMatchObject({ id: subject.id, displayName: '', email: null, phone: null, identities: [], touchpoints: { edges: [] }, orders: { edges: [] } });
    expect(tombstone.erasedAt).toBeTruthy();
    expect(tombstone.consents.every((c: { granted: boolean }) => !c.granted)).toBe(true);
    const byCard = await query(url(), `{ customerByIdentity(type: MEMBER_CARD, value: "${subject.card}") { id } }`, {}, support);
    expect(byCard.customerByIdentity).toBeNull();
    // The orders stay for accounting, without the person.
    for (const number of [subject.orderNumber, merged.orderNumber]) {
      const { orderByNumber } = await query(url(), 'query($n: String!) { orderByNumber(number: $n) { number total { amount } customer { id } } }', { n: number }, support);
      expect(orderByNumber).toMatchObject({ number, customer: null });
      expect(orderByNumber.total.amount).toBeGreaterThan(0);
    }
    const { exportCustomerData } = await query(url(), EXPORT, { id: subject.id }, support);
    expect(JSON.stringify(exportCustomerData)).not.toMatch(/erase-|MC[0-9A-F]{8}/);
    // It cannot be done twice, nor undone, and the tombstone is not anyone's to change.
    expect((await query(url(), ERASE, { input: { customerId: subject.id } }, admin)).eraseCustomer.userErrors).toEqual([{ code: 'CUSTOMER_ERASED' }]);
    const relink = await query(url(), 'mutation($input: LinkIdentityInput!) { linkIdentity(input: $input) { userErrors { code } } }', {
      input: { customerId: subject.id, identity: { type: 'MEMBER_CARD', value: subject.card } },
    }, support);
    expect(relink.linkIdentity.userErrors).toEqual([{ code: 'CUSTOMER_ERASED' }]);
  });
});
