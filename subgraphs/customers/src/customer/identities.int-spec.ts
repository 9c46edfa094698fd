import type { Principal } from '../../../../shared/auth/principal';
import { Channel } from '../../../../shared/graphql/channel';
import { IdentityType } from '../../../../shared/graphql/identity';
import { ANONYMOUS, CLERK, openTestCustomers, outcomeOf, SUPPORT } from '../customers.testkit';
import { CheckInMethod } from '../presence/presence.entity';
import { TouchpointRow, TouchpointType } from '../touchpoint/touchpoint.entity';
import { Customer, CustomerIdentity } from './customer.entity';

let test: Awaited<ReturnType<typeof openTestCustomers>>;

beforeAll(async () => {
  test = await openTestCustomers();
});
afterAll(() => test.close());

const { EC_ACCOUNT, EMAIL, PHONE, APP_INSTALL, LINE_USER, MEMBER_CARD, DEVICE } = IdentityType;
const customerOf = (id: string): Principal => ({ kind: 'CUSTOMER', customerId: id });
const registrant = (subject: string): Principal => ({ kind: 'ANONYMOUS', subject });

async function identitiesOf(customerId: string) {
  const rows = await test.domain.customers.identitiesOf([customerId]);
  return rows.map(({ type, value, verified, linkedBy, verifiedBy }) => ({ type, value, verified, linkedBy, verifiedBy }));
}

async function customersNamed(displayName: string): Promise<number> {
  return test.db.manager.getRepository(Customer).countBy({ displayName });
}

describe('sign-in identities (EC_ACCOUNT)', () => {
  it('come from nobody but a verified token or support: an anonymous sign-up, a clerk or a customer is refused, and nothing is written', async () => {
    const account = test.unique('ec');
    const name = test.unique('Squatter');
    const attempt = (principal: Principal) =>
      test.domain.customers.register(principal, { displayName: name, channel: Channel.EC, identities: [{ type: EC_ACCOUNT, value: account }] });
    expect(await outcomeOf(attempt(ANONYMOUS))).toBe('EC_ACCOUNT_NOT_ALLOWED');
    expect(await outcomeOf(attempt(CLERK))).toBe('EC_ACCOUNT_NOT_ALLOWED');
    // A registrant signed in as another subject cannot add a second one either.
    expect(await outcomeOf(attempt(registrant(test.unique('ec'))))).toBe('EC_ACCOUNT_NOT_ALLOWED');
    expect(await customersNamed(name)).toBe(0);

    const victim = await test.register(SUPPORT);
    const link = (principal: Principal) => test.domain.customers.link(principal, victim, { type: EC_ACCOUNT, value: account }, true, Channel.STORE);
    expect(await outcomeOf(link(CLERK))).toBe('EC_ACCOUNT_NOT_ALLOWED');
    expect(await outcomeOf(link(customerOf(victim)))).toBe('EC_ACCOUNT_NOT_ALLOWED');
    expect(await identitiesOf(victim)).toEqual([]);
    expect(await test.domain.customers.customerIdOfSubject(account)).toBeNull();
  });

  it("link the subject of a signed-in registrant's own token, verified, and from then on it signs them in", async () => {
    const account = test.unique('ec');
    expect(await test.domain.customers.customerIdOfSubject(account)).toBeNull();
    const customer = await test.domain.customers.register(registrant(account), {
      displayName: 'Signed Up',
      channel: Channel.EC,
      // Naming the subject again (as a storefront may) is the same key.
      identities: [{ type: EC_ACCOUNT, value: account }, { type: DEVICE, value: `dev-${account}` }],
    });
    expect(await identitiesOf(customer.id)).toEqual([
      { type: EC_ACCOUNT, value: account, verified: true, linkedBy: 'ANONYMOUS', verifiedBy: 'SIGN_IN' },
      { type: DEVICE, value: `dev-${account}`, verified: false, linkedBy: 'ANONYMOUS', verifiedBy: null },
    ]);
    expect(await test.domain.customers.customerIdOfSubject(account)).toBe(customer.id);
    // The subject is theirs now: registering with it again is IDENTITY_TAKEN.
    expect(await outcomeOf(test.domain.customers.register(registrant(account), { displayName: 'Again', channel: Channel.EC, identities: [] }))).toBe('IDENTITY_TAKEN');
  });

  it('are linked by support after checking; an unverified one (or one from before this rule) signs nobody in', async () => {
    const account = test.unique('ec');
    const customerId = await test.register(SUPPORT);
    await test.domain.customers.link(SUPPORT, customerId, { type: EC_ACCOUNT, value: account }, false, Channel.EC);
    expect(await test.domain.customers.customerIdOfSubject(account)).toBeNull();
    await test.domain.customers.link(SUPPORT, customerId, { type: EC_ACCOUNT, value: account }, undefined, Channel.EC);
    expect(await identitiesOf(customerId)).toEqual([{ type: EC_ACCOUNT, value: account, verified: true, linkedBy: 'STAFF:SUPPORT:agent-1', verifiedBy: 'STAFF:SUPPORT:agent-1' }]);
    expect(await test.domain.customers.customerIdOfSubject(account)).toBe(customerId);

    // An EC_ACCOUNT an anonymous sign-up set before this rule is still there, unverified: it signs nobody in.
    const legacy = test.unique('ec');
    await test.domain.customers.registerMany([
      { displayName: 'Legacy', channel: Channel.EC, identities: [{ type: EC_ACCOUNT, value: legacy, verified: false, channel: Channel.EC }] },
    ]);
    expect(await test.domain.customers.customerIdOfSubject(legacy)).toBeNull();
  });
});

describe('identities that prove possession (APP_INSTALL, LINE_USER, MEMBER_CARD)', () => {
  it.each([APP_INSTALL, LINE_USER, MEMBER_CARD])(
    '%s: linked by the customer themselves, it says so and brings no history or check-in until staff verify it',
    async (type) => {
      const value = test.unique('key').toUpperCase().replace('-', '');
      // Behaviour staff recorded under the key before anyone claimed it.
      const tracked = await test.domain.touchpoints.track(CLERK, [
        { eventId: test.unique('ev'), type: TouchpointType.APP_OPEN, occurredAt: new Date(), channel: Channel.APP, identity: { type, value } },
      ]);
      expect(tracked.accepted).toBe(1);
      const customerId = await test.register(SUPPORT);
      const me = customerOf(customerId);
      await test.domain.customers.link(me, customerId, { type, value }, true, Channel.EC);
      expect(await identitiesOf(customerId)).toEqual([{ type, value, verified: false, linkedBy: `CUSTOMER:${customerId}`, verifiedBy: null }]);
      const historyOf = () => test.db.manager.getRepository(TouchpointRow).countBy({ customerId });
      expect(await historyOf()).toBe(0);
      expect((await test.events('customer.identity_linked')).filter((e) => e.identityValue === value)).toEqual([]);
      // Staff cannot check her in by the key either: it names nobody yet.
      const checkIn = { identity: { type, value }, locationId: 'store-1', method: CheckInMethod.STAFF };
      expect(await outcomeOf(test.domain.presence.checkIn(CLERK, checkIn))).toBe('UNKNOWN_CUSTOMER');
      // Sent by a stranger under her unverified key, behaviour stays nobody's.
      await test.domain.touchpoints.track(CLERK, [
        { eventId: test.unique('ev'), type: TouchpointType.APP_OPEN, occurredAt: new Date(), channel: Channel.APP, identity: { type, value } },
      ]);
      expect(await historyOf()).toBe(0);

      // A clerk sees the card (the app, the LINE account) and verifies it: the history joins her, and other services hear of it.
      await test.domain.customers.link(CLERK, customerId, { type, value }, undefined, Channel.STORE);
      expect(await identitiesOf(customerId)).toEqual([{ type, value, verified: true, linkedBy: `CUSTOMER:${customerId}`, verifiedBy: 'STAFF:STORE_STAFF:clerk-1' }]);
      expect(await historyOf()).toBe(2);
      expect((await test.events('customer.identity_linked')).filter((e) => e.identityValue === value)).toEqual([
        { customerId, identityType: type, identityValue: value },
      ]);
    },
  );
});

describe('registration and profile changes', () => {
  it('make the e-mail address and phone number normalised identities: the same address again is IDENTITY_TAKEN, not a second customer', async () => {
    const tag = test.unique('hanako');
    const phone = `090${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const first = await test.register(ANONYMOUS, { displayName: tag, email: ` ${tag}@Example.JP `, phone: `${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}` });
    const e164 = `+81${phone.slice(1)}`;
    expect(await identitiesOf(first)).toEqual([
      { type: EMAIL, value: `${tag}@example.jp`, verified: false, linkedBy: 'ANONYMOUS', verifiedBy: null },
      { type: PHONE, value: e164, verified: false, linkedBy: 'ANONYMOUS', verifiedBy: null },
    ]);
    expect((await test.domain.customers.byIdentity(EMAIL, `${tag.toUpperCase()}@example.jp`))?.id).toBe(first);
    expect((await test.domain.customers.byIdentity(PHONE, phone))?.id).toBe(first);

    const again = test.domain.customers.register(ANONYMOUS, { displayName: tag, email: `${tag.toUpperCase()}@EXAMPLE.jp`, channel: Channel.EC, identities: [] });
    await expect(again).rejects.toMatchObject({ code: 'IDENTITY_TAKEN', field: ['input', 'email'] });
    const byPhone = test.domain.customers.register(CLERK, { displayName: tag, phone: e164, channel: Channel.STORE, identities: [] });
    await expect(byPhone).rejects.toMatchObject({ code: 'IDENTITY_TAKEN', field: ['input', 'phone'] });
    expect(await customersNamed(tag)).toBe(1);

    // A profile change to someone else's address is refused alike; a new one becomes an identity too.
    const other = await test.register(SUPPORT);
    await expect(test.domain.customers.update(customerOf(other), other, { email: `${tag}@example.jp` })).rejects.toMatchObject({ code: 'IDENTITY_TAKEN', field: ['input', 'email'] });
    const updated = await test.domain.customers.update(customerOf(other), other, { email: `new-${tag}@example.jp` });
    expect(updated.email).toBe(`new-${tag}@example.jp`);
    expect(await identitiesOf(other)).toEqual([{ type: EMAIL, value: `new-${tag}@example.jp`, verified: false, linkedBy: `CUSTOMER:${other}`, verifiedBy: null }]);
    // Unverified, the address brings nothing (guest orders under it stay the guest's): no identity_linked.
    expect((await test.events('customer.identity_linked')).filter((e) => e.identityValue.includes(tag))).toEqual([]);
  });

  it('refuse identity values with control, zero-width, bidirectional or NUL characters wherever they enter', async () => {
    const hidden = ['ec\u0000x', 'ec\u200bx', 'ec\u202ex', 'ec\u2066x', '\ufeffecx'];
    const customerId = await test.register(SUPPORT);
    for (const value of hidden) {
      expect(await outcomeOf(test.domain.customers.register(SUPPORT, { displayName: 'x', channel: Channel.EC, identities: [{ type: MEMBER_CARD, value }] }))).toBe('BAD_USER_INPUT:FORBIDDEN_CHARACTER');
      expect(await outcomeOf(test.domain.customers.register(ANONYMOUS, { displayName: 'x', email: `${value}@example.jp`, channel: Channel.EC, identities: [] }))).toBe('BAD_USER_INPUT:FORBIDDEN_CHARACTER');
      expect(await outcomeOf(test.domain.customers.link(SUPPORT, customerId, { type: DEVICE, value }, true, Channel.EC))).toBe('BAD_USER_INPUT:FORBIDDEN_CHARACTER');
      expect(await outcomeOf(test.domain.customers.update(SUPPORT, customerId, { phone: `090-1234-${value}` }))).toBe('BAD_USER_INPUT:FORBIDDEN_CHARACTER');
      expect(await outcomeOf(test.domain.customers.byIdentity(EMAIL, `a${value}@example.jp`))).toBe('BAD_USER_INPUT:FORBIDDEN_CHARACTER');
      const tracked = await test.domain.touchpoints.track(ANONYMOUS, [
        { eventId: test.unique('ev'), type: TouchpointType.PAGE_VIEW, occurredAt: new Date(), channel: Channel.EC, identity: { type: DEVICE, value } },
      ]);
      expect(tracked.rejected.map((r) => r.code)).toEqual(['INVALID_IDENTITY']);
      // A token whose subject has them names nobody (and cannot register: no account can have it).
      expect(await test.domain.customers.customerIdOfSubject(value)).toBeNull();
    }
    expect(await test.db.manager.getRepository(CustomerIdentity).countBy({ customerId })).toBe(0);
  });
});

describe('the owners of identities', () => {
  it('are looked up for more identities than one SQLite condition takes (a large batch of store sales), a statement per 500', async () => {
    const card = test.unique('card');
    const customer = await test.domain.customers.register(SUPPORT, { displayName: test.unique('Holder'), channel: Channel.STORE, identities: [{ type: MEMBER_CARD, value: card }] });
    const [{ value }] = await identitiesOf(customer.id);
    const cards = [...Array.from({ length: 1199 }, (_, i) => ({ type: MEMBER_CARD, value: `${value}-${i}` })), { type: MEMBER_CARD, value }];
    const before = test.db.statements.count;
    const owners = await test.domain.directory.ownersOf(test.db.manager, cards);
    expect(test.db.statements.count - before).toBe(3);
    expect([...owners]).toEqual([[`MEMBER_CARD\t${value}`, customer.id]]);
  });
});
