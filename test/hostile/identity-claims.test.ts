import { graphql, query, testConfig } from '../../shared/testkit';
import { startTestGraph, type TestGraph } from '../support/graph';
import { locationsOf, looseGraphql, unique } from '../support/hostile';

/**
 * Claims on identities, replayed through the gateway: a signed-in customer tries thousands of e-mail
 * addresses with linkIdentity (IDENTITY_TAKEN or not) and squats the unknown ones so that their owners
 * cannot register; grows a record without bound; toggles a consent until its history is huge; hides
 * invisible characters in identity values; and signs in with subjects that look like someone else's.
 */

const LINKS_PER_HOUR = 10;
let graph: TestGraph;
let support: Record<string, string>;
let clerk: Record<string, string>;
let store: { id: string };
const url = () => graph.gateway.url;

beforeAll(async () => {
  // Sign-ups all come from one address here; their own budget is attacked in test/hostile/gateway.test.ts.
  const config = testConfig({ CONTACT_LINKS_PER_HOUR: String(LINKS_PER_HOUR), RATE_LIMIT_REGISTRATIONS: '1000000' });
  graph = await startTestGraph({ scale: 0.01, config });
  await graph.settle();
  store = locationsOf(graph).stores[0];
  support = await graph.as({ role: 'SUPPORT', staffId: 'agent-ic' });
  clerk = await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-ic', locationId: store.id });
}, 180_000);
afterAll(async () => {
  await graph?.teardown();
});

const REGISTER = 'mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { customerId userErrors { field code } } }';
const LINK = 'mutation($input: LinkIdentityInput!) { linkIdentity(input: $input) { customerId userErrors { code } } }';
const ME = '{ me { id email identities { type value verified } } }';
const address = () => `${unique('someone')}@example.jp`;

/** A customer signed in through the identity provider (registered as the token's subject), and their headers. */
async function signedInCustomer(): Promise<{ id: string; headers: Record<string, string> }> {
  const headers = await graph.as({ customer: unique('idp') });
  const { registerCustomer } = await query(url(), REGISTER, { input: { displayName: 'Signed In' } }, headers);
  expect(registerCustomer.userErrors).toEqual([]);
  return { id: registerCustomer.customerId, headers };
}

function codesOf(response: Awaited<ReturnType<typeof looseGraphql>>, field: string): string[] {
  return [...(response.errors ?? []).map((e) => e.extensions?.code ?? '?'), ...(response.data?.[field]?.userErrors ?? []).map((e: { code: string }) => e.code)];
}

describe('a customer cannot enumerate or squat e-mail addresses', () => {
  it(`tries at most CONTACT_LINKS_PER_HOUR (${LINKS_PER_HOUR}) addresses an hour: past it RATE_LIMITED, the registered address among them answering nothing`, async () => {
    const registered = address();
    expect((await query(url(), REGISTER, { input: { displayName: 'Registered', email: registered } })).registerCustomer.userErrors).toEqual([]);
    const attacker = await signedInCustomer();
    const link = (value: string) => looseGraphql(url(), LINK, { input: { customerId: attacker.id, identity: { type: 'EMAIL', value } } }, attacker.headers);
    const answers = [];
    for (let i = 0; i < LINKS_PER_HOUR - 1; i++) answers.push(codesOf(await link(address()), 'linkIdentity'));
    answers.push(codesOf(await link(registered), 'linkIdentity'));
    expect(answers).toEqual([...Array(LINKS_PER_HOUR - 1).fill([]), ['IDENTITY_TAKEN']]);
    for (const value of [address(), registered, address()]) {
      const refused = await link(value);
      expect(codesOf(refused, 'linkIdentity')).toEqual(['RATE_LIMITED']);
      expect((refused.errors![0].extensions as { retryAfter?: number }).retryAfter).toBeGreaterThan(60);
    }
    // updateCustomer is the same oracle, on the same budget.
    const update = await looseGraphql(url(), 'mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { userErrors { code } } }', { input: { customerId: attacker.id, email: registered } }, attacker.headers);
    expect(codesOf(update, 'updateCustomer')).toEqual(['RATE_LIMITED']);
  });

  it('loses an address it only typed in when its owner registers with it; a registration’s own address still refuses a second registration', async () => {
    const squatter = await signedInCustomer();
    const victimAddress = address();
    expect((await query(url(), LINK, { input: { customerId: squatter.id, identity: { type: 'EMAIL', value: victimAddress } } }, squatter.headers)).linkIdentity.userErrors).toEqual([]);
    const squatted = (await query(url(), ME, {}, squatter.headers)).me.identities;
    expect(squatted).toContainEqual({ type: 'EMAIL', value: victimAddress, verified: false });

    // The owner arrives and registers with the address: not IDENTITY_TAKEN; look-ups find the owner.
    const owner = await query(url(), REGISTER, { input: { displayName: 'Rightful Owner', email: victimAddress } });
    expect(owner.registerCustomer).toEqual({ customerId: expect.any(String), userErrors: [] });
    const found = await query(url(), 'query($v: String!) { customerByIdentity(type: EMAIL, value: $v) { id } }', { v: victimAddress }, support);
    expect(found.customerByIdentity).toEqual({ id: owner.registerCustomer.customerId });
    expect((await query(url(), ME, {}, squatter.headers)).me.identities).not.toContainEqual(expect.objectContaining({ value: victimAddress }));

    // The owner's registration holds: a second registration with it is IDENTITY_TAKEN, and the squatter cannot take it back.
    const second = await query(url(), REGISTER, { input: { displayName: 'Second', email: victimAddress } });
    expect(second.registerCustomer).toEqual({ customerId: null, userErrors: [{ field: ['input', 'email'], code: 'IDENTITY_TAKEN' }] });
    const back = await query(url(), LINK, { input: { customerId: squatter.id, identity: { type: 'EMAIL', value: victimAddress } } }, squatter.headers);
    expect(back.linkIdentity.userErrors).toEqual([{ code: 'IDENTITY_TAKEN' }]);
  });
});

describe('a record and its history stay bounded', () => {
  it('refuses a customer’s 21st identity (IDENTITY_LIMIT_REACHED), nothing linked', async () => {
    const customer = await signedInCustomer(); // one identity: the EC_ACCOUNT of the sign-in
    const devices = Array.from({ length: 19 }, () => unique('dev'));
    for (const batch of [devices.slice(0, 10), devices.slice(10)]) {
      const document = `mutation { ${batch.map((d, i) => `l${i}: linkIdentity(input: { customerId: "${customer.id}", identity: { type: DEVICE, value: "${d}" } }) { userErrors { code } }`).join(' ')} }`;
      const linked = await query(url(), document, {}, customer.headers);
      expect(Object.values(linked)).toEqual(batch.map(() => ({ userErrors: [] })));
    }
    const one = await query(url(), LINK, { input: { customerId: customer.id, identity: { type: 'DEVICE', value: unique('dev') } } }, customer.headers);
    expect(one.linkIdentity).toEqual({ customerId: null, userErrors: [{ code: 'IDENTITY_LIMIT_REACHED' }] });
    const byStaff = await query(url(), LINK, { input: { customerId: customer.id, identity: { type: 'MEMBER_CARD', value: unique('MC') } } }, clerk);
    expect(byStaff.linkIdentity.userErrors).toEqual([{ code: 'IDENTITY_LIMIT_REACHED' }]);
    expect((await query(url(), ME, {}, customer.headers)).me.identities).toHaveLength(20);
  });

  it('lists the 100 most recent consent changes however often a consent is toggled', async () => {
    const customer = await signedInCustomer();
    const toggles = Array.from({ length: 105 }, (_, i) => i % 2 === 0);
    for (let from = 0; from < toggles.length; from += 15) {
      const batch = toggles.slice(from, from + 15);
      const document = `mutation { ${batch.map((granted, i) => `t${i}: updateConsents(input: { customerId: "${customer.id}", consents: [{ purpose: PUSH, granted: ${granted} }] }) { userErrors { code } }`).join(' ')} }`;
      await query(url(), document, {}, customer.headers);
    }
    const { me } = await query(url(), '{ me { consentHistory { purpose granted changedAt } } }', {}, customer.headers);
    expect(me.consentHistory).toHaveLength(100);
    expect(me.consentHistory.map((c: { granted: boolean }) => c.granted)).toEqual(toggles.slice(5));
  });
});

describe('identity values are exactly what was typed', () => {
  it.each([
    ['a combining grapheme joiner', '\u034f'],
    ['a variation selector', '\ufe0f'],
    ['a supplementary variation selector', '\u{e0100}'],
    ['a Mongolian free variation selector', '\u180b'],
    ['a Hangul filler', '\u3164'],
    ['a Hangul choseong filler', '\u115f'],
    ['a half-width Hangul filler', '\uffa0'],
    ['a blank Braille pattern', '\u2800'],
    ['a Khmer inherent vowel', '\u17b4'],
    ['a combining dot above', '\u0307'],
  ])('refuses a value with %s wherever an identity enters (BAD_USER_INPUT, FORBIDDEN_CHARACTER)', async (_what, hidden) => {
    const card = `MC${hidden}${unique('x').slice(2)}`;
    const attempts: Array<[string, Record<string, unknown>, Record<string, string>]> = [
      [REGISTER, { input: { displayName: 'Lookalike', identities: [{ type: 'MEMBER_CARD', value: card }] } }, support],
      [REGISTER, { input: { displayName: 'Lookalike', email: `a1${hidden}@example.jp` } }, {}],
      ['query($v: String!) { customerByIdentity(type: MEMBER_CARD, value: $v) { id } }', { v: card }, support],
      ['query($v: String!) { customers(first: 1, filter: { identity: { type: DEVICE, value: $v } }) { edges { node { id } } } }', { v: `dev-1${hidden}` }, support],
      ['mutation($input: CheckInInput!) { checkIn(input: $input) { userErrors { code } } }', { input: { identity: { type: 'MEMBER_CARD', value: card }, locationId: store.id, method: 'STAFF' } }, clerk],
    ];
    for (const [document, variables, headers] of attempts) {
      const response = await graphql(url(), document, variables, headers);
      expect(response.errors?.map((e) => [e.extensions?.code, (e.extensions as { reason?: string } | undefined)?.reason])).toEqual([['BAD_USER_INPUT', 'FORBIDDEN_CHARACTER']]);
    }
    const tracked = await query(url(), 'mutation($input: TrackEventsInput!) { trackEvents(input: $input) { accepted rejected { index code } } }', {
      input: { events: [{ eventId: unique('ev'), type: 'PAGE_VIEW', channel: 'EC', occurredAt: new Date().toISOString(), identity: { type: 'DEVICE', value: `dev-1${hidden}` } }] },
    });
    expect(tracked.trackEvents).toEqual({ accepted: 0, rejected: [{ index: 0, code: 'INVALID_IDENTITY' }] });
  });

  it('keeps DEVICE keys that differ only in case apart on every database (no IDENTITY_TAKEN, no server error)', async () => {
    const device = unique('DEV-X');
    const first = (await query(url(), REGISTER, { input: { displayName: 'Upper', identities: [{ type: 'DEVICE', value: device }] } })).registerCustomer;
    const second = await graphql(url(), REGISTER, { input: { displayName: 'Lower', identities: [{ type: 'DEVICE', value: device.toLowerCase() }] } });
    expect(second.errors).toBeUndefined();
    const { registerCustomer } = second.data as { registerCustomer: { customerId: string; userErrors: unknown[] } };
    expect(registerCustomer.userErrors).toEqual([]);
    expect(registerCustomer.customerId).not.toBe(first.customerId);
    const lookUp = (value: string) => query(url(), 'query($v: String!) { customerByIdentity(type: DEVICE, value: $v) { id } }', { v: value }, support);
    expect((await lookUp(device)).customerByIdentity).toEqual({ id: first.customerId });
    expect((await lookUp(device.toLowerCase())).customerByIdentity).toEqual({ id: registerCustomer.customerId });
  });
});

describe('only the exact subject signs in', () => {
  it('refuses subjects that trim, fold width or differ in case to the victim’s EC_ACCOUNT: each signs in as nobody', async () => {
    const subject = unique('idp-victim-x');
    const victimHeaders = await graph.as({ customer: subject });
    const victim = (await query(url(), REGISTER, { input: { displayName: 'Victim' } }, victimHeaders)).registerCustomer.customerId;
    expect((await query(url(), '{ me { id } }', {}, victimHeaders)).me).toEqual({ id: victim });
    for (const lookalike of [` ${subject}`, `${subject} `, `${subject}\u00a0`, subject.replace('v', '\uff56'), subject.toUpperCase()]) {
      const response = await graphql(url(), '{ me { id } }', {}, await graph.as({ customer: lookalike }));
      expect({ status: response.status, errors: response.errors, data: response.data }).toEqual({ status: 200, errors: undefined, data: { me: null } });
    }
  });
});
