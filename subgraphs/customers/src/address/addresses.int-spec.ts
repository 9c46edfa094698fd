import { randomUUID } from 'node:crypto';
import { PRINCIPAL_HEADER, signPrincipal, type Principal } from '../../../../shared/auth/principal';
import { graphql } from '../../../../shared/testkit';
import { ContactRead } from '../audit/contact-read.entity';
import { ConsentPurpose } from '../consent/consent.entity';
import { CLERK, openTestCustomers, outcomeOf, SUPPORT } from '../customers.testkit';
import { CustomerAddress } from './address.entity';
import { MAX_ADDRESSES_PER_CUSTOMER } from './address.service';

/**
 * Delivery addresses on the customers subgraph alone, through its GraphQL endpoint with signed
 * principals (as the gateway sends them): validation and codes, one default, who reads them how
 * (masked, audited), and what disclosure, erasure and merges do with them.
 */
let test: Awaited<ReturnType<typeof openTestCustomers>>;
let url: string;

beforeAll(async () => {
  test = await openTestCustomers();
  url = (await test.customers.listen(0)).url;
});
afterAll(() => test.close());

const MARKETING: Principal = { kind: 'STAFF', staffId: 'marketer-1', role: 'MARKETING' };
const ADMIN: Principal = { kind: 'STAFF', staffId: 'admin-1', role: 'ADMIN' };
const PARTNER: Principal = { kind: 'PARTNER', partnerId: 'pk-1', scopes: ['customers:read'] };
const customerOf = (customerId: string): Principal => ({ kind: 'CUSTOMER', customerId });

const HOME = { recipientName: '山田 花子', postalCode: '150-0041', prefecture: 'Tokyo', city: '渋谷区', line1: '神宮前1-2-3', line2: 'ラフォーレ 501', phone: '090-1234-5678' };
const OFFICE = { recipientName: 'Hanako Yamada', postalCode: '５３０－０００１', prefecture: '大阪', city: '大阪市北区', line1: '梅田2-4-9', line2: null, phone: '+81 6 1234 5678' };

const ADDRESS = 'id recipientName postalCode prefecture city line1 line2 phone isDefault';
const ADD = `mutation($input: AddAddressInput!) { addAddress(input: $input) { address { ${ADDRESS} } customer { id addresses { id isDefault } } userErrors { field code } } }`;
const UPDATE = `mutation($input: UpdateAddressInput!) { updateAddress(input: $input) { address { ${ADDRESS} } customer { addresses { id isDefault } } userErrors { field code } } }`;
const REMOVE = `mutation($input: RemoveAddressInput!) { removeAddress(input: $input) { removedAddressId customer { addresses { id isDefault } } userErrors { field code } } }`;
const ADDRESSES = `query($id: ID!) { customer(id: $id) { addresses { ${ADDRESS} } } }`;

async function call(document: string, variables: Record<string, unknown>, principal: Principal = SUPPORT) {
  return graphql<Record<string, any>>(url, document, variables, { [PRINCIPAL_HEADER]: signPrincipal(principal, test.config.internalSigningKey) }); // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The data of an operation that must not fail. */
async function data(document: string, variables: Record<string, unknown>, principal: Principal = SUPPORT) {
  const response = await call(document, variables, principal);
  expect(response.errors).toBeUndefined();
  return response.data!;
}

async function add(customerId: string, address: Record<string, unknown> = HOME, isDefault?: boolean, principal: Principal = SUPPORT) {
  const { addAddress } = await data(ADD, { input: { customerId, address, isDefault } }, principal);
  expect(addAddress.userErrors).toEqual([]);
  return addAddress.address as { id: string; isDefault: boolean };
}

/** Each address of the customer as [id, isDefault], default first. */
async function defaults(customerId: string): Promise<Array<[string, boolean]>> {
  const { customer } = await data(ADDRESSES, { id: customerId });
  return customer.addresses.map((a: { id: string; isDefault: boolean }) => [a.id, a.isDefault]);
}

const codes = (payload: { userErrors: Array<{ code: string }> }) => payload.userErrors.map((e) => e.code);

describe('adding, changing and removing addresses', () => {
  it('normalises what was typed: a 7-digit postal code, the prefecture as written in Japanese, the phone in E.164', async () => {
    const customerId = await test.register(SUPPORT);
    const home = await add(customerId, HOME);
    expect(home).toEqual({
      id: expect.any(String),
      recipientName: '山田 花子',
      postalCode: '1500041',
      prefecture: '東京都',
      city: '渋谷区',
      line1: '神宮前1-2-3',
      line2: 'ラフォーレ 501',
      phone: '+819012345678',
      isDefault: true,
    });
    // Full-width digits, a prefecture without 府, no second line.
    const office = await test.domain.addresses.add(customerId, { ...OFFICE, line2: undefined });
    expect(office).toMatchObject({ postalCode: '5300001', prefecture: '大阪府', line2: null, phone: '+81612345678', isDefault: false });
  });

  it('answers every problem of an address with its own code and field, and keeps nothing', async () => {
    const customerId = await test.register(SUPPORT);
    const bad = { recipientName: ' ', postalCode: '150-00411', prefecture: 'Gotham', city: '渋谷区', line1: 'x'.repeat(201), phone: '12345' };
    const { addAddress } = await data(ADD, { input: { customerId, address: { ...bad, line1: 'ok' } } });
    expect(addAddress.userErrors).toEqual([
      { field: ['input', 'address', 'postalCode'], code: 'INVALID_POSTAL_CODE' },
      { field: ['input', 'address', 'prefecture'], code: 'INVALID_PREFECTURE' },
      { field: ['input', 'address', 'phone'], code: 'INVALID_PHONE' },
      { field: ['input', 'address', 'recipientName'], code: 'INVALID_ADDRESS_FIELD' },
    ]);
    expect(addAddress.address).toBeNull();
    // Too long for the input's own bounds: refused before the service sees it.
    expect((await call(ADD, { input: { customerId, address: { ...HOME, line1: 'x'.repeat(201) } } })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const home = await add(customerId);
    const { updateAddress } = await data(UPDATE, { input: { addressId: home.id, address: { ...HOME, city: '' } } });
    expect(updateAddress.userErrors).toEqual([{ field: ['input', 'address', 'city'], code: 'INVALID_ADDRESS_FIELD' }]);
    expect((await data(ADDRESSES, { id: customerId })).customer.addresses).toEqual([{ ...home, city: '渋谷区' }]);
  });

  it('replaces an address in place; an unknown address is UNKNOWN_ADDRESS, an unknown or erased customer NOT_FOUND or CUSTOMER_ERASED', async () => {
    const customerId = await test.register(SUPPORT);
    const home = await add(customerId);
    const { updateAddress } = await data(UPDATE, { input: { addressId: home.id, address: OFFICE } });
    expect(updateAddress.address).toMatchObject({ id: home.id, recipientName: 'Hanako Yamada', prefecture: '大阪府', line2: null, isDefault: true });
    const unknown = randomUUID();
    expect(codes((await data(UPDATE, { input: { addressId: unknown, isDefault: true } })).updateAddress)).toEqual(['UNKNOWN_ADDRESS']);
    expect(codes((await data(REMOVE, { input: { addressId: unknown } })).removeAddress)).toEqual(['UNKNOWN_ADDRESS']);
    expect(codes((await data(ADD, { input: { customerId: randomUUID(), address: HOME } })).addAddress)).toEqual(['NOT_FOUND']);
    await test.domain.privacy.erase(customerId);
    expect(codes((await data(ADD, { input: { customerId, address: HOME } })).addAddress)).toEqual(['CUSTOMER_ERASED']);
  });

  it(`keeps at most ${MAX_ADDRESSES_PER_CUSTOMER} addresses a customer: one more, added or merged in, is TOO_MANY_ADDRESSES until one is removed`, async () => {
    const customerId = await test.register(SUPPORT);
    const added = [];
    for (let i = 0; i < MAX_ADDRESSES_PER_CUSTOMER; i++) added.push(await test.domain.addresses.add(customerId, { ...HOME, line1: `神宮前1-2-${i}` }));
    const { addAddress } = await data(ADD, { input: { customerId, address: OFFICE } });
    expect(addAddress.userErrors).toEqual([{ field: ['input', 'customerId'], code: 'TOO_MANY_ADDRESSES' }]);
    // Nor does a merge make more: both together over the bound is refused, until one is removed.
    const other = await test.register(SUPPORT);
    await add(other, OFFICE);
    expect(await outcomeOf(test.domain.merges.merge(SUPPORT, customerId, other))).toBe('TOO_MANY_ADDRESSES');
    expect(codes((await data(REMOVE, { input: { addressId: added[5].id } })).removeAddress)).toEqual([]);
    expect(await outcomeOf(test.domain.merges.merge(SUPPORT, customerId, other))).toBe('OK');
    expect(codes((await data(ADD, { input: { customerId, address: OFFICE } })).addAddress)).toEqual(['TOO_MANY_ADDRESSES']);
    await data(REMOVE, { input: { addressId: added[6].id } });
    await add(customerId, OFFICE);
  });

  it('lets the customer change her own addresses only: another customer is refused, her address is unknown to others', async () => {
    const ann = await test.register(SUPPORT);
    const bob = await test.register(SUPPORT);
    const mine = await add(ann, HOME, undefined, customerOf(ann));
    expect((await call(ADD, { input: { customerId: ann, address: OFFICE } }, customerOf(bob))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(codes((await data(UPDATE, { input: { addressId: mine.id, address: OFFICE } }, customerOf(bob))).updateAddress)).toEqual(['UNKNOWN_ADDRESS']);
    expect(codes((await data(REMOVE, { input: { addressId: mine.id } }, customerOf(bob))).removeAddress)).toEqual(['UNKNOWN_ADDRESS']);
    // Marketing reads customers but changes none.
    expect((await call(ADD, { input: { customerId: ann, address: OFFICE } }, MARKETING)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await defaults(ann)).toEqual([[mine.id, true]]);
    // Store staff, support, admins change them.
    for (const staff of [CLERK, SUPPORT, ADMIN]) expect(codes((await data(UPDATE, { input: { addressId: mine.id, isDefault: true } }, staff)).updateAddress)).toEqual([]);
  });
});

describe('the default address', () => {
  it('is the first one; another made the default un-defaults it; removing or un-defaulting the default promotes the oldest other', async () => {
    const customerId = await test.register(SUPPORT);
    const first = await add(customerId, HOME, false);
    expect(first.isDefault).toBe(true);
    const second = await add(customerId, OFFICE);
    const third = await add(customerId, { ...OFFICE, line1: '梅田3-1-1' }, true);
    expect(await defaults(customerId)).toEqual([[third.id, true], [first.id, false], [second.id, false]]);

    const { updateAddress } = await data(UPDATE, { input: { addressId: second.id, isDefault: true } });
    expect(updateAddress.customer.addresses).toEqual([{ id: second.id, isDefault: true }, { id: first.id, isDefault: false }, { id: third.id, isDefault: false }]);
    // Un-defaulting hands it to the oldest other address.
    await data(UPDATE, { input: { addressId: second.id, isDefault: false } });
    expect(await defaults(customerId)).toEqual([[first.id, true], [second.id, false], [third.id, false]]);
    // Removing the default promotes the oldest other.
    const { removeAddress } = await data(REMOVE, { input: { addressId: first.id } });
    expect(removeAddress).toEqual({ removedAddressId: first.id, customer: { addresses: [{ id: second.id, isDefault: true }, { id: third.id, isDefault: false }] }, userErrors: [] });
    await data(REMOVE, { input: { addressId: third.id } });
    // Her only address stays the default.
    await data(UPDATE, { input: { addressId: second.id, isDefault: false } });
    expect(await defaults(customerId)).toEqual([[second.id, true]]);
    await data(REMOVE, { input: { addressId: second.id } });
    expect(await defaults(customerId)).toEqual([]);
  });
});

describe('who reads addresses, and how', () => {
  const masked = { recipientName: '山* **', postalCode: '1500041', prefecture: '東京都', city: '渋谷区', line1: '神***-*-*', line2: 'ラ**** ***', phone: '+81******5678', isDefault: true };
  const full = { recipientName: '山田 花子', postalCode: '1500041', prefecture: '東京都', city: '渋谷区', line1: '神宮前1-2-3', line2: 'ラフォーレ 501', phone: '+819012345678', isDefault: true };

  async function trailOf(requestId: string) {
    const rows = await test.db.manager.getRepository(ContactRead).find({ where: { requestId }, order: { id: 'ASC' } });
    return rows.map((r) => ({ customerId: r.customerId, actorKind: r.actorKind, fields: [...r.fields].sort() }));
  }

  it('masks recipient, street lines and phone for store staff and marketing, and keeps their shape', async () => {
    const customerId = await test.register(SUPPORT);
    const { id } = await add(customerId);
    for (const role of [CLERK, MARKETING]) {
      const response = await call(ADDRESSES, { id: customerId }, role);
      expect(response.data?.customer.addresses).toEqual([{ id, ...masked }]);
      expect(await trailOf(response.requestId)).toEqual([]);
    }
    // What a masked role changes comes back masked too.
    const { updateAddress } = await data(UPDATE, { input: { addressId: id, isDefault: true } }, CLERK);
    expect(updateAddress.address).toEqual({ id, ...masked });
    // A leading digit (a room number) is masked too.
    const room = await test.domain.addresses.add(customerId, { ...HOME, line2: '501号室' });
    const { customer } = await data(ADDRESSES, { id: customerId }, CLERK);
    expect(customer.addresses.find((a: { id: string }) => a.id === room.id).line2).toBe('*****');
  });

  it('shows them in full to the customer herself, support, admins and partners she shares with; staff and partner reads go on the trail', async () => {
    const customerId = await test.register(SUPPORT);
    const { id } = await add(customerId);
    const own = await call('{ me { addresses { id recipientName line1 line2 phone } } }', {}, customerOf(customerId));
    expect(own.data?.me.addresses).toEqual([{ id, recipientName: full.recipientName, line1: full.line1, line2: full.line2, phone: full.phone }]);
    expect(await trailOf(own.requestId)).toEqual([]);

    const fields = ['addresses.line1', 'addresses.line2', 'addresses.phone', 'addresses.recipientName'];
    for (const staff of [SUPPORT, ADMIN]) {
      const response = await call(ADDRESSES, { id: customerId }, staff);
      expect(response.data?.customer.addresses).toEqual([{ id, ...full }]);
      expect(await trailOf(response.requestId)).toEqual([{ customerId, actorKind: 'STAFF', fields }]);
    }

    // A partner with customers:read sees them only once she shares her data with partners.
    const refused = await call(ADDRESSES, { id: customerId }, PARTNER);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await test.domain.consents.update(SUPPORT, customerId, [{ purpose: ConsentPurpose.PARTNER_SHARING, granted: true }]);
    const shared = await call(ADDRESSES, { id: customerId }, PARTNER);
    expect(shared.data?.customer.addresses).toEqual([{ id, ...full }]);
    expect(await trailOf(shared.requestId)).toEqual([{ customerId, actorKind: 'PARTNER', fields }]);

    // Another customer reads nothing of them.
    const other = await call(ADDRESSES, { id: customerId }, customerOf(await test.register(SUPPORT)));
    expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('sends as many SQL statements for the addresses of 20 customers as of 2, and none for a list that does not ask for them', async () => {
    const ids = [];
    for (let i = 0; i < 20; i++) {
      const customerId = await test.register(SUPPORT, { displayName: `Addressee ${i}` });
      await test.domain.addresses.add(customerId, HOME);
      await test.domain.addresses.add(customerId, OFFICE);
      ids.push(customerId);
    }
    const statements = async (document: string, n: number) => {
      const response = await call(document, { n }, CLERK);
      expect(response.errors).toBeUndefined();
      expect(response.data?.customers.edges).toHaveLength(n);
      return test.db.statements.forRequest(response.requestId);
    };
    const LIST = 'query($n: Int!) { customers(first: $n, filter: { name: "Addressee" }) { edges { node { id displayName } } } }';
    const WITH_ADDRESSES = `query($n: Int!) { customers(first: $n, filter: { name: "Addressee" }) { edges { node { id displayName addresses { ${ADDRESS} } } } } }`;
    expect(await statements(WITH_ADDRESSES, 20)).toBe(await statements(WITH_ADDRESSES, 2));
    expect(await statements(WITH_ADDRESSES, 2)).toBe((await statements(LIST, 2)) + 1);
  });
});

describe('disclosure, erasure and merges', () => {
  it('discloses addresses (read in full, on the trail) and erases them with the person', async () => {
    const customerId = await test.register(SUPPORT);
    const home = await add(customerId);
    const EXPORT = 'query($id: ID!) { exportCustomerData(id: $id) { customers } }';
    const response = await call(EXPORT, { id: customerId });
    expect(response.data?.exportCustomerData.customers.addresses).toEqual([
      expect.objectContaining({ id: home.id, recipientName: '山田 花子', postalCode: '1500041', prefecture: '東京都', line1: '神宮前1-2-3', phone: '+819012345678', isDefault: true }),
    ]);
    const rows = await test.db.manager.getRepository(ContactRead).find({ where: { requestId: response.requestId } });
    expect(rows.flatMap((r) => r.fields)).toEqual(expect.arrayContaining(['addresses.recipientName', 'addresses.line1', 'addresses.line2', 'addresses.phone']));

    await test.domain.privacy.erase(customerId);
    expect(await test.db.manager.getRepository(CustomerAddress).countBy({ customerId })).toBe(0);
    expect(await test.db.manager.getRepository(CustomerAddress).countBy({ originCustomerId: customerId })).toBe(0);
    expect((await data(ADDRESSES, { id: customerId })).customer.addresses).toEqual([]);
  });

  it("shows the merged customer's addresses on the survivor (hers stays the default), and an unmerge gives them back with her default", async () => {
    const survivor = await test.register(SUPPORT);
    const merged = await test.register(SUPPORT);
    const mine = await add(survivor, HOME);
    const theirs = await add(merged, OFFICE);
    const theirOther = await add(merged, { ...OFFICE, line1: '梅田3-1-1' }, true);
    const PREVIEW = 'query($s: ID!, $m: ID!) { previewCustomerMerge(survivorId: $s, mergedId: $m) { addressesMoving } }';
    expect((await data(PREVIEW, { s: survivor, m: merged })).previewCustomerMerge.addressesMoving).toBe(2);

    const record = await test.domain.merges.merge(SUPPORT, survivor, merged);
    expect(await defaults(survivor)).toEqual([[mine.id, true], [theirs.id, false], [theirOther.id, false]]);
    // The merged-away id answers the survivor, addresses and all; a new one is the survivor's.
    expect(await defaults(merged)).toEqual(await defaults(survivor));
    const later = await add(merged, { ...HOME, line1: '神宮前4-5-6' });
    expect(later.isDefault).toBe(false);

    await test.domain.merges.unmerge(SUPPORT, record.id);
    expect(await defaults(survivor)).toEqual([[mine.id, true], [later.id, false]]);
    expect(await defaults(merged)).toEqual([[theirOther.id, true], [theirs.id, false]]);
  });

  it("makes the merged customer's default the survivor's when she had none, and gives the survivor none back after the unmerge", async () => {
    const survivor = await test.register(SUPPORT);
    const merged = await test.register(SUPPORT);
    const theirs = await add(merged, OFFICE);
    const record = await test.domain.merges.merge(SUPPORT, survivor, merged);
    expect(await defaults(survivor)).toEqual([[theirs.id, true]]);
    const mine = await add(survivor, HOME);
    await test.domain.merges.unmerge(SUPPORT, record.id);
    expect(await defaults(survivor)).toEqual([[mine.id, true]]);
    expect(await defaults(merged)).toEqual([[theirs.id, true]]);
  });
});
