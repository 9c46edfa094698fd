import { graphql, query } from '../../shared/testkit';
import type { DemoCustomer } from '../../scripts/seed/demo-data';
import type { TestGraph } from '../support/graph';
import { locationsOf, looseGraphql, startSettledGraph, unique } from '../support/hostile';

/**
 * Masked stays masked, replayed through the gateway past the look-ups: a store clerk who sees
 * `+81******5678` tries candidate numbers through every write that answers whether a value is someone
 * else's (linkIdentity on a throwaway customer, updateCustomer, registerCustomer, unlinkIdentity:
 * IDENTITY_TAKEN or not), and through check-ins and behaviour events that resolve a number to its owner
 * (the customer answered, or the event visible in their touchpoints). The writes spend the clerk's
 * look-up budget (MASKED_LOOKUPS_PER_MINUTE, 10 here) and are on the contactReads trail, found or
 * not; check-ins and events under an e-mail address or phone number are refused from masked roles
 * outright (CONTACT_IDENTITY_NOT_ALLOWED), whoever holds the value.
 */

const BUDGET = 10;
let graph: TestGraph;
let admin: Record<string, string>;
let support: Record<string, string>;
let store: { id: string };
/** A customer whose phone number is a verified PHONE identity: it names them in check-ins and events. */
let victim: DemoCustomer;
const url = () => graph.gateway.url;

beforeAll(async () => {
  graph = await startSettledGraph();
  admin = await graph.as({ role: 'ADMIN', staffId: 'admin-co' });
  support = await graph.as({ role: 'SUPPORT', staffId: 'agent-co' });
  store = locationsOf(graph).stores[0];
  victim = graph.data.customers.find((c) => c.phone && c.identities.some((i) => i.type === 'PHONE' && i.value === c.phone && i.verified))!;
}, 180_000);
afterAll(async () => {
  await graph?.teardown();
});

const REGISTER = 'mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { customerId userErrors { code } } }';
const LINK = 'mutation($input: LinkIdentityInput!) { linkIdentity(input: $input) { customerId userErrors { code } } }';
const UPDATE = 'mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { customerId userErrors { code } } }';
const UNLINK = 'mutation($input: UnlinkIdentityInput!) { unlinkIdentity(input: $input) { customerId userErrors { code } } }';
const CHECK_IN = 'mutation($input: CheckInInput!) { checkIn(input: $input) { presence { since } customer { id } userErrors { field code } } }';
const TRACK = 'mutation($input: TrackEventsInput!) { trackEvents(input: $input) { accepted rejected { index code } } }';
const HISTORY = 'query($id: ID!) { customer(id: $id) { touchpoints(first: 100) { edges { node { eventId } } } } }';

/** Wrong candidates of the victim's masked number: the same first digits and last four. */
function wrongCandidates(count: number, offset = 0): string[] {
  const last4 = victim.phone!.slice(-4);
  return Array.from({ length: count }, (_, i) => `+8180${String(20_000 + offset + i).padStart(4, '0')}${last4}`).filter((c) => c !== victim.phone);
}

async function clerkHeaders(staffId: string): Promise<Record<string, string>> {
  return graph.as({ role: 'STORE_STAFF', staffId, locationId: store.id });
}

async function trailOf(staffId: string): Promise<Array<{ customerId: string | null; fields: string[] }>> {
  const { contactReads } = await query(url(), 'query($a: String!) { contactReads(first: 100, filter: { actorId: $a }) { edges { node { customerId fields } } } }', { a: staffId }, admin);
  return contactReads.edges.map((e: { node: { customerId: string | null; fields: string[] } }) => e.node).reverse();
}

/** The codes of a mutation's response: GraphQL errors' extensions, then its payload's userErrors. */
function outcome(response: Awaited<ReturnType<typeof looseGraphql>>, field: string): string[] {
  return [...(response.errors ?? []).map((e) => e.extensions?.code ?? '?'), ...(response.data?.[field]?.userErrors ?? []).map((e: { code: string }) => e.code)];
}

describe('writes that answer whose a contact detail is spend the look-up budget, and are audited', () => {
  it('linkIdentity on a throwaway customer: the true number found within the budget is on the trail with its owner; past the budget RATE_LIMITED, nothing linked', async () => {
    const staffId = unique('hostile-linker');
    const clerk = await clerkHeaders(staffId);
    const throwaway = (await query(url(), REGISTER, { input: { displayName: 'Throwaway' } }, clerk)).registerCustomer.customerId;
    const link = (value: string) => looseGraphql(url(), LINK, { input: { customerId: throwaway, identity: { type: 'PHONE', value }, verified: false } }, clerk);

    const wrong = wrongCandidates(BUDGET - 1);
    for (const candidate of wrong) expect(outcome(await link(candidate), 'linkIdentity')).toEqual([]);
    // The tenth try is the true number: answered (the budget allows it), but not unseen.
    expect(outcome(await link(victim.phone!), 'linkIdentity')).toEqual(['IDENTITY_TAKEN']);
    const trail = await trailOf(staffId);
    expect(trail).toEqual([...wrong.map(() => ({ customerId: null, fields: ['lookup.PHONE'] })), { customerId: victim.id, fields: ['lookup.PHONE'] }]);

    // Past the budget, the next candidates (the true one among them) answer nothing but RATE_LIMITED.
    for (const candidate of [...wrongCandidates(3, 100), victim.phone!]) {
      const refused = await link(candidate);
      expect(outcome(refused, 'linkIdentity')).toEqual(['RATE_LIMITED']);
      expect(refused.data?.linkIdentity ?? null).toBeNull();
    }
    expect(await trailOf(staffId)).toHaveLength(BUDGET);
    const { customer } = await query(url(), 'query($id: ID!) { customer(id: $id) { identities { type } } }', { id: throwaway }, support);
    expect(customer.identities).toHaveLength(BUDGET - 1);
  });

  it('updateCustomer, registerCustomer and unlinkIdentity spend the same budget: the true number past it is RATE_LIMITED, never IDENTITY_TAKEN', async () => {
    const staffId = unique('hostile-updater');
    const clerk = await clerkHeaders(staffId);
    const throwaway = (await query(url(), REGISTER, { input: { displayName: 'Throwaway' } }, clerk)).registerCustomer.customerId;
    const [a, b, c, d, ...rest] = wrongCandidates(BUDGET, 200);
    expect(outcome(await looseGraphql(url(), UPDATE, { input: { customerId: throwaway, phone: a } }, clerk), 'updateCustomer')).toEqual([]);
    expect(outcome(await looseGraphql(url(), REGISTER, { input: { displayName: 'Walk-in', phone: b, email: `${unique('walk-in')}@example.jp` } }, clerk), 'registerCustomer')).toEqual([]);
    expect(outcome(await looseGraphql(url(), REGISTER, { input: { displayName: 'Walk-in', identities: [{ type: 'PHONE', value: c }] } }, clerk), 'registerCustomer')).toEqual([]);
    expect(outcome(await looseGraphql(url(), UNLINK, { input: { customerId: victim.id, identity: { type: 'PHONE', value: d } } }, clerk), 'unlinkIdentity')).toEqual(['IDENTITY_NOT_LINKED']);
    for (const candidate of rest.slice(0, BUDGET - 5)) {
      expect(outcome(await looseGraphql(url(), UPDATE, { input: { customerId: throwaway, phone: candidate } }, clerk), 'updateCustomer')).toEqual([]);
    }
    expect(await trailOf(staffId)).toHaveLength(BUDGET);

    const attempts: Array<[string, string, Record<string, unknown>]> = [
      [UPDATE, 'updateCustomer', { input: { customerId: throwaway, phone: victim.phone } }],
      [REGISTER, 'registerCustomer', { input: { displayName: 'Walk-in', phone: victim.phone } }],
      [REGISTER, 'registerCustomer', { input: { displayName: 'Walk-in', identities: [{ type: 'PHONE', value: victim.phone }] } }],
      [UNLINK, 'unlinkIdentity', { input: { customerId: victim.id, identity: { type: 'PHONE', value: victim.phone } } }],
    ];
    for (const [document, field, variables] of attempts) {
      const refused = await looseGraphql(url(), document, variables, clerk);
      expect(outcome(refused, field)).toEqual(['RATE_LIMITED']);
      expect(JSON.stringify(refused)).not.toContain(victim.id);
    }
    // Nothing was unlinked from the victim.
    const { customer } = await query(url(), 'query($id: ID!) { customer(id: $id) { identities { type value } } }', { id: victim.id }, support);
    expect(customer.identities).toContainEqual({ type: 'PHONE', value: victim.phone });
  });
});

describe('check-ins, behaviour events and store sales by e-mail address or phone number are refused from masked roles', () => {
  it('checkIn by PHONE or EMAIL: CONTACT_IDENTITY_NOT_ALLOWED for the owner and for nobody alike; by customerId it still works', async () => {
    const clerk = await clerkHeaders(unique('hostile-door'));
    const responses = [];
    for (const identity of [
      { type: 'PHONE', value: victim.phone },
      { type: 'PHONE', value: wrongCandidates(1, 300)[0] },
      ...(victim.email ? [{ type: 'EMAIL', value: victim.email }] : []),
      { type: 'EMAIL', value: `${unique('nobody')}@example.jp` },
    ]) {
      const response = await query(url(), CHECK_IN, { input: { identity, locationId: store.id, method: 'STAFF' } }, clerk);
      responses.push(response);
      expect(response.checkIn).toEqual({ presence: null, customer: null, userErrors: [{ field: ['input', 'identity'], code: 'CONTACT_IDENTITY_NOT_ALLOWED' }] });
    }
    expect(JSON.stringify(responses)).not.toContain(victim.id);
    const byId = await query(url(), CHECK_IN, { input: { customerId: victim.id, locationId: store.id, method: 'STAFF' } }, clerk);
    expect(byId.checkIn).toMatchObject({ customer: { id: victim.id }, userErrors: [] });
  });

  it.each([
    ['store staff', 'STORE_STAFF' as const],
    ['marketing', 'MARKETING' as const],
  ])("trackEvents by %s under a PHONE: rejected (CONTACT_IDENTITY_NOT_ALLOWED), and nothing joins the owner's history", async (_who, role) => {
    const staffId = unique(`hostile-tracker-${role.toLowerCase()}`);
    const headers = role === 'STORE_STAFF' ? await clerkHeaders(staffId) : await graph.as({ role, staffId });
    const events = [victim.phone!, wrongCandidates(1, 400)[0]].map((value) => ({
      eventId: unique('ev'),
      type: 'PAGE_VIEW',
      channel: 'EC',
      occurredAt: new Date().toISOString(),
      identity: { type: 'PHONE', value },
    }));
    const tracked = await query(url(), TRACK, { input: { events } }, headers);
    expect(tracked.trackEvents).toEqual({ accepted: 0, rejected: [{ index: 0, code: 'CONTACT_IDENTITY_NOT_ALLOWED' }, { index: 1, code: 'CONTACT_IDENTITY_NOT_ALLOWED' }] });
    const history = (await query(url(), HISTORY, { id: victim.id }, support)).customer.touchpoints.edges.map((e: { node: { eventId: string } }) => e.node.eventId);
    for (const { eventId } of events) expect(history).not.toContain(eventId);
  });

  it('importStoreTransactions by a clerk under a PHONE or EMAIL: REJECTED (CONTACT_IDENTITY_NOT_ALLOWED), no sale, no owner named', async () => {
    const clerk = await clerkHeaders(unique('hostile-till'));
    const sku = graph.data.products[0].variants[0].sku;
    const sale = (identity: { type: string; value: string }) => ({
      transactionId: unique('POS'),
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      identity,
      lines: [{ sku, quantity: 1, unitPrice: 1000 }],
    });
    const transactions = [sale({ type: 'PHONE', value: victim.phone! }), sale({ type: 'PHONE', value: wrongCandidates(1, 500)[0] })];
    const imported = await query(
      url(),
      'mutation($input: ImportStoreTransactionsInput!) { importStoreTransactions(input: $input) { results { status code order { id customer { id } } } } }',
      { input: { locationId: store.id, transactions } },
      clerk,
    );
    expect(imported.importStoreTransactions.results).toEqual([
      { status: 'REJECTED', code: 'CONTACT_IDENTITY_NOT_ALLOWED', order: null },
      { status: 'REJECTED', code: 'CONTACT_IDENTITY_NOT_ALLOWED', order: null },
    ]);
  });
});
