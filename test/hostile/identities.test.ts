import { randomUUID } from 'node:crypto';
import { graphql, query } from '../../shared/testkit';
import type { TestGraph } from '../support/graph';
import { locationsOf, startSettledGraph, unique } from '../support/hostile';

/**
 * Who a customer is, replayed through the gateway as an attacker would try it: an EC_ACCOUNT planted
 * before its owner ever signs in (anonymously, or by a store clerk), keys typed in to collect someone
 * else's history, a second customer under someone's e-mail address, and identity values that look
 * alike. Each is refused, and the legitimate path (a signed-in registrant, support after checking, a
 * clerk who saw the card) still works.
 */

let graph: TestGraph;
let support: Record<string, string>;
let clerk: Record<string, string>;
let store: { id: string; beaconIds: string[] };
const url = () => graph.gateway.url;

beforeAll(async () => {
  graph = await startSettledGraph();
  store = locationsOf(graph).stores[0];
  support = await graph.as({ role: 'SUPPORT', staffId: 'agent-h' });
  clerk = await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-h', locationId: store.id });
}, 180_000);
afterAll(async () => {
  await graph?.teardown();
});

const REGISTER = `mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { customerId customer { id } userErrors { field code } } }`;
const LINK = `mutation($input: LinkIdentityInput!) { linkIdentity(input: $input) { customerId userErrors { field code } } }`;
const ME = '{ me { id identities { type value verified linkedBy verifiedBy } } }';
const TOUCHPOINTS = 'query($id: ID!) { customer(id: $id) { touchpoints(first: 20) { edges { node { eventId } } } } }';
const CHECK_IN = 'mutation($input: CheckInInput!) { checkIn(input: $input) { presence { location { id } } userErrors { code } } }';
const TRACK = 'mutation($input: TrackEventsInput!) { trackEvents(input: $input) { accepted rejected { index code } } }';

/** A token of the identity provider for `subject` (a development token: the gateway verifies it alike). */
const signedInAs = (subject: string) => graph.as({ customer: subject });

async function registered(input: Record<string, unknown>, headers: Record<string, string>): Promise<string> {
  const { registerCustomer } = await query(url(), REGISTER, { input }, headers);
  expect(registerCustomer.userErrors).toEqual([]);
  return registerCustomer.customerId;
}

describe('no one claims a sign-in identity', () => {
  it('refuses an EC_ACCOUNT planted by an anonymous sign-up: the owner of the subject later signs in as nobody, and registers as themselves', async () => {
    const subject = unique('idp');
    const planted = await query(url(), REGISTER, { input: { displayName: 'Planted', identities: [{ type: 'EC_ACCOUNT', value: subject }] } });
    expect(planted.registerCustomer).toEqual({ customerId: null, customer: null, userErrors: [{ field: ['input', 'identities', '0'], code: 'EC_ACCOUNT_NOT_ALLOWED' }] });

    // The real owner of the subject signs in: nobody yet (anonymous rights), not someone's planted record.
    const owner = await signedInAs(subject);
    const before = await graphql(url(), ME, {}, owner);
    expect({ status: before.status, errors: before.errors, me: before.data?.me }).toEqual({ status: 200, errors: undefined, me: null });
    const customerId = await registered({ displayName: 'Rightful Owner' }, owner);
    // From the next request on, the same token is that customer, whose sign-in came from the token.
    const after = await query(url(), ME, {}, owner);
    expect(after.me).toEqual({ id: customerId, identities: [{ type: 'EC_ACCOUNT', value: subject, verified: true, linkedBy: 'ANONYMOUS', verifiedBy: 'SIGN_IN' }] });
    // Signed in as a customer now, registering again is not theirs to do.
    const twice = await graphql(url(), REGISTER, { input: { displayName: 'Twice' } }, owner);
    expect(twice.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it("refuses a store clerk's (and a customer's own) EC_ACCOUNT link; support may link one after checking", async () => {
    const subject = unique('idp');
    const victim = await registered({ displayName: 'Clienteled' }, clerk);
    for (const headers of [clerk, await graph.as({ customer: victim })]) {
      const { linkIdentity } = await query(url(), LINK, { input: { customerId: victim, identity: { type: 'EC_ACCOUNT', value: subject }, verified: true } }, headers);
      expect(linkIdentity).toEqual({ customerId: null, userErrors: [{ field: ['input', 'identity'], code: 'EC_ACCOUNT_NOT_ALLOWED' }] });
    }
    // The clerk cannot read the customer as that customer: the subject names nobody.
    expect((await query(url(), '{ me { id } }', {}, await signedInAs(subject))).me).toBeNull();

    const { linkIdentity } = await query(url(), LINK, { input: { customerId: victim, identity: { type: 'EC_ACCOUNT', value: subject } } }, support);
    expect(linkIdentity).toEqual({ customerId: victim, userErrors: [] });
    expect((await query(url(), '{ me { id } }', {}, await signedInAs(subject))).me).toEqual({ id: victim });
  });

  it('keeps keys a customer typed in out of history and check-ins until a clerk who saw them verifies them', async () => {
    const customerId = await registered({ displayName: 'Typed Keys' }, support);
    const me = await graph.as({ customer: customerId });
    for (const type of ['APP_INSTALL', 'LINE_USER', 'MEMBER_CARD']) {
      const value = unique(type).replace(/[-_]/g, '').toUpperCase();
      // Someone's app kept behaviour under the key (sent by a service of ours, as staff may).
      const eventId = unique('ev');
      const tracked = await query(url(), TRACK, { input: { events: [{ eventId, type: 'APP_OPEN', channel: 'APP', occurredAt: new Date().toISOString(), identity: { type, value } }] } }, support);
      expect(tracked.trackEvents).toEqual({ accepted: 1, rejected: [] });
      // The customer types the key in: linked, unverified, and it brings nothing.
      expect((await query(url(), LINK, { input: { customerId, identity: { type, value }, verified: true } }, me)).linkIdentity.userErrors).toEqual([]);
      const own = (await query(url(), ME, {}, me)).me.identities.find((i: { value: string }) => i.value === value);
      expect(own).toEqual({ type, value, verified: false, linkedBy: `CUSTOMER:${customerId}`, verifiedBy: null });
      const history = async () => (await query(url(), TOUCHPOINTS, { id: customerId }, support)).customer.touchpoints.edges.map((e: { node: { eventId: string } }) => e.node.eventId);
      expect(await history()).not.toContain(eventId);
      const byKey = { identity: { type, value }, locationId: store.id, method: 'STAFF' };
      expect((await query(url(), CHECK_IN, { input: byKey }, clerk)).checkIn).toEqual({ presence: null, userErrors: [{ code: 'UNKNOWN_CUSTOMER' }] });

      // The clerk sees the card (the app, the LINE account) and verifies it.
      expect((await query(url(), LINK, { input: { customerId, identity: { type, value } } }, clerk)).linkIdentity.userErrors).toEqual([]);
      expect(await history()).toContain(eventId);
      expect((await query(url(), CHECK_IN, { input: byKey }, clerk)).checkIn).toEqual({ presence: { location: { id: store.id } }, userErrors: [] });
    }
  });
});

describe('registration behaves', () => {
  it('makes the e-mail address an identity: a second registration with it is IDENTITY_TAKEN, and look-ups find the first', async () => {
    const email = `${unique('twice')}@example.jp`;
    const first = await graphql(url(), REGISTER, { input: { displayName: 'First', email: email.toUpperCase() } });
    // Anonymous: the new id, without an error for the customer it may not read yet.
    expect(first.errors).toBeUndefined();
    const customerId = (first.data as { registerCustomer: { customerId: string; customer: unknown } }).registerCustomer.customerId;
    expect(first.data).toEqual({ registerCustomer: { customerId: expect.any(String), customer: null, userErrors: [] } });

    const secondName = unique('Second');
    const second = await query(url(), REGISTER, { input: { displayName: secondName, email: ` ${email} ` } });
    expect(second.registerCustomer).toEqual({ customerId: null, customer: null, userErrors: [{ field: ['input', 'email'], code: 'IDENTITY_TAKEN' }] });
    const found = await query(url(), 'query($v: String!) { customerByIdentity(type: EMAIL, value: $v) { id } }', { v: email }, support);
    expect(found.customerByIdentity).toEqual({ id: customerId });
    const { customers } = await query(url(), 'query($v: String!) { customers(first: 5, filter: { name: $v }) { edges { node { id } } } }', { v: secondName }, support);
    expect(customers.edges).toEqual([]);
  });
});

describe('identity values are what they claim', () => {
  it.each([
    ['a right-to-left override', '\u202e'],
    ['a zero-width space', '\u200b'],
    ['a NUL', '\u0000'],
    ['a bell', '\u0007'],
  ])('refuses a value with %s wherever an identity enters (BAD_USER_INPUT, FORBIDDEN_CHARACTER)', async (_what, hidden) => {
    const card = `MC${hidden}${randomUUID().slice(0, 6)}`;
    const attempts: Array<[string, Record<string, unknown>, Record<string, string>]> = [
      [REGISTER, { input: { displayName: 'Lookalike', identities: [{ type: 'MEMBER_CARD', value: card }] } }, support],
      [REGISTER, { input: { displayName: 'Lookalike', email: `a${hidden}@example.jp` } }, {}],
      ['query($v: String!) { customerByIdentity(type: MEMBER_CARD, value: $v) { id } }', { v: card }, support],
      ['query($v: String!) { customers(first: 1, filter: { identity: { type: EMAIL, value: $v } }) { edges { node { id } } } }', { v: `a${hidden}@example.jp` }, support],
      [CHECK_IN, { input: { identity: { type: 'MEMBER_CARD', value: card }, locationId: store.id, method: 'STAFF' } }, clerk],
    ];
    for (const [document, variables, headers] of attempts) {
      const response = await graphql(url(), document, variables, headers);
      expect(response.errors?.map((e) => [e.extensions?.code, (e.extensions as { reason?: string } | undefined)?.reason])).toEqual([['BAD_USER_INPUT', 'FORBIDDEN_CHARACTER']]);
    }
    const tracked = await query(url(), TRACK, {
      input: { events: [{ eventId: unique('ev'), type: 'PAGE_VIEW', channel: 'EC', occurredAt: new Date().toISOString(), identity: { type: 'DEVICE', value: `dev${hidden}1` } }] },
    });
    expect(tracked.trackEvents).toEqual({ accepted: 0, rejected: [{ index: 0, code: 'INVALID_IDENTITY' }] });
  });

  it('folds compatibility forms (NFKC): a full-width card number finds the same customer', async () => {
    const digits = String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
    const customerId = await registered({ displayName: 'Card', identities: [{ type: 'MEMBER_CARD', value: `MC${digits}` }] }, support);
    const fullWidth = `ＭＣ${[...digits].map((d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).join('')}`;
    const found = await query(url(), 'query($v: String!) { customerByIdentity(type: MEMBER_CARD, value: $v) { id } }', { v: fullWidth }, clerk);
    expect(found.customerByIdentity).toEqual({ id: customerId });
  });
});
