import type { Principal } from '../../../../shared/auth/principal';
import { Channel } from '../../../../shared/graphql/channel';
import { IdentityType } from '../../../../shared/graphql/identity';
import { ContactRead } from '../audit/contact-read.entity';
import { ConsentPurpose } from '../consent/consent.entity';
import { ANONYMOUS, CLERK, openTestCustomers, outcomeOf, SUPPORT } from '../customers.testkit';
import { CheckInMethod } from '../presence/presence.entity';
import { TouchpointRow, TouchpointType } from '../touchpoint/touchpoint.entity';
import { Customer, CustomerIdentity } from './customer.entity';
import { MAX_IDENTITIES_PER_CUSTOMER } from './customer.service';

/**
 * Who holds an identity when someone else claims it, and what a claim costs: an unverified key a
 * customer typed in does not keep its owner out; trying e-mail addresses and phone numbers is budgeted
 * for customers and, with an audit, for staff who see them masked; a record holds a bounded number of
 * identities; identity values and sign-in subjects compare exactly.
 */

const LINKS_PER_HOUR = 3;
const MASKED_BUDGET = 4;
let test: Awaited<ReturnType<typeof openTestCustomers>>;

beforeAll(async () => {
  test = await openTestCustomers({ CONTACT_LINKS_PER_HOUR: String(LINKS_PER_HOUR), MASKED_LOOKUPS_PER_MINUTE: String(MASKED_BUDGET) });
});
afterAll(() => test.close());

const { EC_ACCOUNT, EMAIL, PHONE, MEMBER_CARD, DEVICE } = IdentityType;
const customerOf = (id: string): Principal => ({ kind: 'CUSTOMER', customerId: id });
const clerk = (staffId: string): Principal => ({ kind: 'STAFF', staffId, role: 'STORE_STAFF', locationId: 'store-1' });
const email = () => `${test.unique('addr')}@example.jp`;
const phone = () => `090${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const e164 = (national: string) => `+81${national.slice(1)}`;

async function holderOf(type: IdentityType, value: string): Promise<{ customerId: string; verified: boolean } | null> {
  const row = await test.db.manager.getRepository(CustomerIdentity).findOneBy({ type, value });
  return row ? { customerId: row.customerId, verified: row.verified } : null;
}

async function trailOf(actorId: string) {
  const rows = await test.db.manager.getRepository(ContactRead).find({ where: { actorId }, order: { id: 'ASC' } });
  return rows.map((r) => ({ customerId: r.customerId, fields: r.fields }));
}

/** A customer with `n` DEVICE identities, linked by support. */
async function customerWith(n: number): Promise<string> {
  const id = await test.register(SUPPORT);
  for (let i = 0; i < n; i++) await test.domain.customers.link(SUPPORT, id, { type: DEVICE, value: test.unique(`dev${i}`) }, true, Channel.EC);
  return id;
}

describe('an unverified e-mail address or phone number a customer typed in keeps nobody out', () => {
  it('gives way to a registration with it: the registrant holds it, the squatter loses it (and the contact field), and services hear of it', async () => {
    const squatter = await test.register(SUPPORT);
    const [address, number] = [email(), phone()];
    await test.domain.customers.link(customerOf(squatter), squatter, { type: EMAIL, value: address }, true, Channel.EC);
    await test.domain.customers.update(customerOf(squatter), squatter, { phone: number });
    expect(await holderOf(EMAIL, address)).toEqual({ customerId: squatter, verified: false });
    expect(await holderOf(PHONE, e164(number))).toEqual({ customerId: squatter, verified: false });

    const owner = await test.register(ANONYMOUS, { email: address, phone: number });
    expect(await holderOf(EMAIL, address)).toEqual({ customerId: owner, verified: false });
    expect(await holderOf(PHONE, e164(number))).toEqual({ customerId: owner, verified: false });
    expect((await test.domain.customers.byIdentity(EMAIL, address))?.id).toBe(owner);
    const squatterRow = await test.db.manager.getRepository(Customer).findOneByOrFail({ id: squatter });
    expect({ email: squatterRow.email, phone: squatterRow.phone }).toEqual({ email: null, phone: null });
    expect((await test.events('customer.identity_unlinked')).filter((e) => e.customerId === squatter)).toEqual([
      { customerId: squatter, identityType: EMAIL, identityValue: address },
      { customerId: squatter, identityType: PHONE, identityValue: e164(number) },
    ]);
  });

  it("keeps a registration's own address against a second registration (IDENTITY_TAKEN), and any holder against an unverified link", async () => {
    const address = email();
    const first = await test.register(ANONYMOUS, { email: address });
    expect(await outcomeOf(test.domain.customers.register(ANONYMOUS, { displayName: 'Second', email: address, channel: Channel.EC, identities: [] }))).toBe('IDENTITY_TAKEN');
    // A customer typing it in, or staff linking it unverified, take nothing from its holder.
    const other = await test.register(SUPPORT);
    expect(await outcomeOf(test.domain.customers.link(customerOf(other), other, { type: EMAIL, value: address }, true, Channel.EC))).toBe('IDENTITY_TAKEN');
    expect(await outcomeOf(test.domain.customers.link(SUPPORT, other, { type: EMAIL, value: address }, false, Channel.EC))).toBe('IDENTITY_TAKEN');
    // An address a customer typed in holds against another customer's typing too.
    const typed = email();
    await test.domain.customers.link(customerOf(first), first, { type: EMAIL, value: typed }, undefined, Channel.EC);
    expect(await outcomeOf(test.domain.customers.update(customerOf(other), other, { email: typed }))).toBe('IDENTITY_TAKEN');
    expect(await holderOf(EMAIL, address)).toEqual({ customerId: first, verified: false });
    expect(await holderOf(EMAIL, typed)).toEqual({ customerId: first, verified: false });
  });

  it('gives way to a verified link (proof beats a claim); a verified key, and a DEVICE, never move', async () => {
    const address = email();
    const claimant = await test.register(ANONYMOUS, { email: address });
    const owner = await test.register(SUPPORT);
    await test.domain.customers.link(SUPPORT, owner, { type: EMAIL, value: address }, true, Channel.EC);
    expect(await holderOf(EMAIL, address)).toEqual({ customerId: owner, verified: true });
    expect((await test.db.manager.getRepository(Customer).findOneByOrFail({ id: claimant })).email).toBeNull();
    // Verified now: nobody takes it, not even with another verified link.
    expect(await outcomeOf(test.domain.customers.link(SUPPORT, claimant, { type: EMAIL, value: address }, true, Channel.EC))).toBe('IDENTITY_TAKEN');

    // A card a customer typed in, then shown at the till by its real holder.
    const card = test.unique('MC').toUpperCase().replace('-', '');
    const typist = await test.register(SUPPORT);
    await test.domain.customers.link(customerOf(typist), typist, { type: MEMBER_CARD, value: card }, undefined, Channel.EC);
    const cardholder = await test.register(SUPPORT);
    await test.domain.customers.link(CLERK, cardholder, { type: MEMBER_CARD, value: card }, undefined, Channel.STORE);
    expect(await holderOf(MEMBER_CARD, card)).toEqual({ customerId: cardholder, verified: true });

    const device = test.unique('dev');
    await test.domain.customers.link(customerOf(typist), typist, { type: DEVICE, value: device }, undefined, Channel.EC);
    expect(await outcomeOf(test.domain.customers.link(SUPPORT, cardholder, { type: DEVICE, value: device }, true, Channel.EC))).toBe('IDENTITY_TAKEN');
  });
});

describe("a customer's attempts to link e-mail addresses and phone numbers", () => {
  it(`are budgeted (CONTACT_LINKS_PER_HOUR, ${LINKS_PER_HOUR} here), found or not; over it RATE_LIMITED and nothing written; their own values, other keys and staff aside`, async () => {
    const taken = email();
    await test.register(ANONYMOUS, { email: taken });
    const me = await test.register(SUPPORT, { email: email() });
    const own = (await test.db.manager.getRepository(Customer).findOneByOrFail({ id: me })).email!;
    const attempt = (value: string) => test.domain.customers.link(customerOf(me), me, { type: EMAIL, value }, undefined, Channel.EC);
    expect(await outcomeOf(attempt(taken))).toBe('IDENTITY_TAKEN');
    expect(await outcomeOf(attempt(email()))).toBe('OK');
    // Saving the profile with the address it has already costs nothing; other keys cost nothing.
    for (let i = 0; i < LINKS_PER_HOUR + 1; i++) expect(await outcomeOf(test.domain.customers.update(customerOf(me), me, { email: own }))).toBe('OK');
    expect(await outcomeOf(test.domain.customers.link(customerOf(me), me, { type: MEMBER_CARD, value: test.unique('MC') }, undefined, Channel.EC))).toBe('OK');
    expect(await outcomeOf(test.domain.customers.update(customerOf(me), me, { phone: phone() }))).toBe('OK');

    const before = await test.db.manager.getRepository(CustomerIdentity).countBy({ customerId: me });
    const unknown = email();
    await expect(attempt(unknown)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } });
    await expect(attempt(taken)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    await expect(test.domain.customers.update(customerOf(me), me, { phone: phone() })).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    expect(await test.db.manager.getRepository(CustomerIdentity).countBy({ customerId: me })).toBe(before);
    expect(await holderOf(EMAIL, unknown)).toBeNull();
    // Another customer has a budget of their own; support links for them without one.
    const other = await test.register(SUPPORT);
    expect(await outcomeOf(test.domain.customers.link(customerOf(other), other, { type: EMAIL, value: email() }, undefined, Channel.EC))).toBe('OK');
    for (let i = 0; i < LINKS_PER_HOUR + 1; i++) expect(await outcomeOf(test.domain.customers.link(SUPPORT, me, { type: PHONE, value: phone() }, false, Channel.EC))).toBe('OK');
  });
});

describe('staff who see contact details masked', () => {
  it('spend their look-up budget on every write that resolves an e-mail address or phone number, found or not, audited; past it RATE_LIMITED and nothing written', async () => {
    const victimPhone = phone();
    const victim = await test.register(ANONYMOUS, { phone: victimPhone });
    const staffId = test.unique('clerk');
    const me = clerk(staffId);
    const throwaway = await test.register(SUPPORT);
    // The oracle of the attack: linking a candidate to a throwaway customer answers IDENTITY_TAKEN only for the owner's.
    expect(await outcomeOf(test.domain.customers.link(me, throwaway, { type: PHONE, value: phone() }, false, Channel.STORE))).toBe('OK');
    expect(await outcomeOf(test.domain.customers.link(me, throwaway, { type: PHONE, value: victimPhone }, false, Channel.STORE))).toBe('IDENTITY_TAKEN');
    expect(await outcomeOf(test.domain.customers.update(me, throwaway, { email: email() }))).toBe('OK');
    expect(await outcomeOf(test.domain.customers.unlink(me, victim, { type: PHONE, value: phone() }))).toBe('IDENTITY_NOT_LINKED');
    expect(await trailOf(staffId)).toEqual([
      { customerId: null, fields: ['lookup.PHONE'] },
      { customerId: victim, fields: ['lookup.PHONE'] },
      { customerId: null, fields: ['lookup.EMAIL'] },
      { customerId: null, fields: ['lookup.PHONE'] },
    ]);

    // The budget is spent: every such write is refused before it resolves anything.
    const name = test.unique('Refused');
    const attempts = [
      () => test.domain.customers.register(me, { displayName: name, phone: victimPhone, channel: Channel.STORE, identities: [] }),
      () => test.domain.customers.register(me, { displayName: name, channel: Channel.STORE, identities: [{ type: EMAIL, value: email() }] }),
      () => test.domain.customers.link(me, throwaway, { type: PHONE, value: victimPhone }, false, Channel.STORE),
      () => test.domain.customers.update(me, throwaway, { phone: victimPhone }),
      () => test.domain.customers.unlink(me, victim, { type: PHONE, value: victimPhone }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } });
    expect(await test.db.manager.getRepository(Customer).countBy({ displayName: name })).toBe(0);
    expect(await holderOf(PHONE, e164(victimPhone))).toEqual({ customerId: victim, verified: false });
    expect(await trailOf(staffId)).toHaveLength(MASKED_BUDGET);
    // Keys that are not contact details, and support, spend nothing.
    expect(await outcomeOf(test.domain.customers.link(me, throwaway, { type: MEMBER_CARD, value: test.unique('MC') }, undefined, Channel.STORE))).toBe('OK');
    expect(await outcomeOf(test.domain.customers.link(SUPPORT, throwaway, { type: PHONE, value: victimPhone }, false, Channel.STORE))).toBe('IDENTITY_TAKEN');
  });

  it('may not check a customer in, or send events, under an e-mail address or phone number (CONTACT_IDENTITY_NOT_ALLOWED), whoever holds it', async () => {
    const address = email();
    const victim = await test.register(SUPPORT);
    await test.domain.customers.link(SUPPORT, victim, { type: EMAIL, value: address }, true, Channel.EC);
    const me = clerk(test.unique('clerk'));
    for (const value of [address, email()]) {
      const checkIn = { identity: { type: EMAIL, value }, locationId: 'store-1', method: CheckInMethod.STAFF };
      expect(await outcomeOf(test.domain.presence.checkIn(me, checkIn))).toBe('CONTACT_IDENTITY_NOT_ALLOWED');
      for (const sender of [me, { kind: 'STAFF', staffId: test.unique('marketer'), role: 'MARKETING' } as Principal]) {
        const tracked = await test.domain.touchpoints.track(sender, [
          { eventId: test.unique('ev'), type: TouchpointType.PAGE_VIEW, occurredAt: new Date(), channel: Channel.EC, identity: { type: EMAIL, value } },
        ]);
        expect(tracked).toMatchObject({ accepted: 0, rejected: [{ index: 0, code: 'CONTACT_IDENTITY_NOT_ALLOWED' }] });
      }
    }
    expect(await test.db.manager.getRepository(TouchpointRow).countBy({ customerId: victim })).toBe(0);
    // Support (who sees the address anyway) still attributes under it.
    const tracked = await test.domain.touchpoints.track(SUPPORT, [
      { eventId: test.unique('ev'), type: TouchpointType.PAGE_VIEW, occurredAt: new Date(), channel: Channel.EC, identity: { type: EMAIL, value: address } },
    ]);
    expect(tracked.accepted).toBe(1);
    expect(await test.db.manager.getRepository(TouchpointRow).countBy({ customerId: victim })).toBe(1);
  });
});

describe('a customer record holds a bounded number of identities', () => {
  it(`refuses the ${MAX_IDENTITIES_PER_CUSTOMER + 1}th (IDENTITY_LIMIT_REACHED) by link, profile change, registration and merge, writing nothing`, async () => {
    const full = await customerWith(MAX_IDENTITIES_PER_CUSTOMER);
    const value = test.unique('dev');
    expect(await outcomeOf(test.domain.customers.link(SUPPORT, full, { type: DEVICE, value }, true, Channel.EC))).toBe('IDENTITY_LIMIT_REACHED');
    expect(await outcomeOf(test.domain.customers.link(customerOf(full), full, { type: MEMBER_CARD, value: test.unique('MC') }, undefined, Channel.EC))).toBe('IDENTITY_LIMIT_REACHED');
    expect(await outcomeOf(test.domain.customers.update(SUPPORT, full, { email: email() }))).toBe('IDENTITY_LIMIT_REACHED');
    expect(await holderOf(DEVICE, value)).toBeNull();
    expect(await test.db.manager.getRepository(CustomerIdentity).countBy({ customerId: full })).toBe(MAX_IDENTITIES_PER_CUSTOMER);
    // Linking one it has again changes nothing, and costs nothing.
    const [first] = await test.domain.customers.identitiesOf([full]);
    expect(await outcomeOf(test.domain.customers.link(SUPPORT, full, { type: first.type, value: first.value }, true, Channel.EC))).toBe('OK');

    const many = Array.from({ length: MAX_IDENTITIES_PER_CUSTOMER }, () => ({ type: DEVICE, value: test.unique('dev') }));
    const name = test.unique('Many');
    expect(await outcomeOf(test.domain.customers.register(SUPPORT, { displayName: name, email: email(), channel: Channel.STORE, identities: many }))).toBe('IDENTITY_LIMIT_REACHED');
    expect(await test.db.manager.getRepository(Customer).countBy({ displayName: name })).toBe(0);

    const half = await customerWith(MAX_IDENTITIES_PER_CUSTOMER / 2);
    const otherHalf = await customerWith(MAX_IDENTITIES_PER_CUSTOMER / 2 + 1);
    expect(await outcomeOf(test.domain.merges.merge(SUPPORT, half, otherHalf))).toBe('IDENTITY_LIMIT_REACHED');
    expect((await test.db.manager.getRepository(Customer).findOneByOrFail({ id: otherHalf })).mergedIntoId).toBeNull();
  });
});

describe('consent history', () => {
  it('lists the 100 most recent changes, oldest of them first', async () => {
    const customerId = await test.register(SUPPORT);
    for (let i = 0; i < 105; i++) {
      await test.domain.consents.update(customerOf(customerId), customerId, [{ purpose: ConsentPurpose.EMAIL_MARKETING, granted: i % 2 === 0 }]);
    }
    const [history] = await test.domain.consents.recentHistoryOf([customerId]);
    expect(history).toHaveLength(100);
    // The first five (granted, refused, ...) are left out: the list starts at the sixth change.
    expect(history.map((c) => c.granted)).toEqual(Array.from({ length: 100 }, (_, i) => (i + 5) % 2 === 0));
    expect(history.every((c, i) => i === 0 || c.changedAt >= history[i - 1].changedAt)).toBe(true);
  });
});

describe('identity values and sign-in subjects compare exactly', () => {
  it('keeps DEVICE keys that differ only in case apart, on every database', async () => {
    const base = test.unique('dev-x');
    const upper = await test.register(SUPPORT);
    const lower = await test.register(SUPPORT);
    await test.domain.customers.link(SUPPORT, upper, { type: DEVICE, value: base.toUpperCase() }, true, Channel.EC);
    expect(await outcomeOf(test.domain.customers.link(SUPPORT, lower, { type: DEVICE, value: base }, true, Channel.EC))).toBe('OK');
    expect(await outcomeOf(test.domain.customers.register(SUPPORT, { displayName: 'x', channel: Channel.EC, identities: [{ type: DEVICE, value: `${base}-2` }] }))).toBe('OK');
    expect(await outcomeOf(test.domain.customers.register(SUPPORT, { displayName: 'x', channel: Channel.EC, identities: [{ type: DEVICE, value: `${base}-2`.toUpperCase() }] }))).toBe('OK');
    expect(await holderOf(DEVICE, base.toUpperCase())).toEqual({ customerId: upper, verified: true });
    expect(await holderOf(DEVICE, base)).toEqual({ customerId: lower, verified: true });
  });

  it('answers a duplicate key on identities that outlasts the retries as IDENTITY_TAKEN, not as a failure', async () => {
    const address = email();
    await test.register(ANONYMOUS, { email: address });
    // As if every attempt raced a concurrent link of the same address: the holder is never seen before the insert.
    const holders = jest.spyOn(test.domain.directory, 'holdersOf').mockResolvedValue(new Map());
    try {
      const second = test.domain.customers.register(SUPPORT, { displayName: 'Racer', email: address, channel: Channel.STORE, identities: [] });
      await expect(second).rejects.toMatchObject({ code: 'IDENTITY_TAKEN' });
    } finally {
      holders.mockRestore();
    }
  });

  it('signs in only the exact subject of a verified EC_ACCOUNT: no trimming, no width or case folding', async () => {
    const subject = test.unique('idp-victim');
    const customer = await test.domain.customers.register({ kind: 'ANONYMOUS', subject }, { displayName: 'Victim', channel: Channel.EC, identities: [] });
    expect(await test.domain.customers.customerIdOfSubject(subject)).toBe(customer.id);
    const fullWidthV = subject.replace('v', '\uff56');
    for (const lookalike of [` ${subject}`, `${subject} `, `${subject}\u00a0`, fullWidthV, subject.toUpperCase(), customer.id.toUpperCase()]) {
      expect(await test.domain.customers.customerIdOfSubject(lookalike)).toBeNull();
    }
    // Each look-alike is a subject of its own: signed in with it, one registers as someone else.
    const other = await test.domain.customers.register({ kind: 'ANONYMOUS', subject: `${subject} ` }, { displayName: 'Other', channel: Channel.EC, identities: [] });
    expect(other.id).not.toBe(customer.id);
    expect(await test.domain.customers.customerIdOfSubject(`${subject} `)).toBe(other.id);
    expect(await test.domain.customers.customerIdOfSubject(subject)).toBe(customer.id);
    expect(await holderOf(EC_ACCOUNT, `${subject} `)).toEqual({ customerId: other.id, verified: true });
  });
});
