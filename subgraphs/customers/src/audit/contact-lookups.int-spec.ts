import type { Principal } from '../../../../shared/auth/principal';
import { IdentityType } from '../../../../shared/graphql/identity';
import { openSubgraph } from '../../../../shared/subgraph';
import { Platform } from '../../../../shared/platform';
import { configuredServers } from '../../../../shared/testkit';
import { customersSubgraph } from '../definition';
import { ANONYMOUS, openTestCustomers, outcomeOf, SUPPORT } from '../customers.testkit';
import type { CustomersDomain } from '../domain';
import { ContactRead } from './contact-read.entity';

const BUDGET = 3;
let test: Awaited<ReturnType<typeof openTestCustomers>>;

beforeAll(async () => {
  test = await openTestCustomers({ MASKED_LOOKUPS_PER_MINUTE: String(BUDGET) });
});
afterAll(() => test.close());

const clerk = (staffId: string): Principal => ({ kind: 'STAFF', staffId, role: 'STORE_STAFF', locationId: 'store-1' });

/** A look-up as the resolver makes it: through the budget, then the directory. */
function lookUp(principal: Principal, type: IdentityType, value: string, domain: CustomersDomain = test.domain) {
  return domain.contactLookups.guard(principal, `req-${value}`, type, () => domain.customers.byIdentity(type, value), (c) => (c ? [c.id] : []));
}

async function trailOf(actorId: string) {
  const rows = await test.db.manager.getRepository(ContactRead).find({ where: { actorId }, order: { id: 'ASC' } });
  return rows.map((r) => ({ customerId: r.customerId, fields: r.fields, actorRole: r.actorRole }));
}

describe('look-ups by e-mail address or phone number by staff who see them masked', () => {
  it('are counted per staff member, found or not, and over the budget are RATE_LIMITED with nothing looked up; each is on the trail', async () => {
    const email = `${test.unique('masked')}@example.jp`;
    const customerId = await test.register(ANONYMOUS, { email });
    const staffId = test.unique('clerk');
    const me = clerk(staffId);
    expect((await lookUp(me, IdentityType.EMAIL, email))?.id).toBe(customerId);
    expect(await lookUp(me, IdentityType.PHONE, '090-0000-0001')).toBeNull();
    expect(await lookUp(me, IdentityType.EMAIL, `nobody-${email}`)).toBeNull();
    const refused = lookUp(me, IdentityType.EMAIL, email);
    await expect(refused).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } });
    const { retryAfter } = ((await refused.catch((e) => e)) as { extensions: { retryAfter: number } }).extensions;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // Recorded before the answer, misses too; the refused one looked nothing up and is not.
    expect(await trailOf(staffId)).toEqual([
      { customerId, fields: ['lookup.EMAIL'], actorRole: 'STORE_STAFF' },
      { customerId: null, fields: ['lookup.PHONE'], actorRole: 'STORE_STAFF' },
      { customerId: null, fields: ['lookup.EMAIL'], actorRole: 'STORE_STAFF' },
    ]);
    // Other keys are no oracle for a masked detail; another clerk has a budget of their own; support sees contacts in full.
    expect(await outcomeOf(lookUp(me, IdentityType.MEMBER_CARD, 'MC-NOBODY'))).toBe('OK');
    expect((await lookUp(clerk(test.unique('clerk')), IdentityType.EMAIL, email))?.id).toBe(customerId);
    const marketer: Principal = { kind: 'STAFF', staffId: test.unique('marketer'), role: 'MARKETING' };
    for (let i = 0; i < BUDGET; i++) await lookUp(marketer, IdentityType.PHONE, `090-0000-000${i}`);
    expect(await outcomeOf(lookUp(marketer, IdentityType.PHONE, '090-0000-0009'))).toBe('RATE_LIMITED');
    for (let i = 0; i < BUDGET + 2; i++) expect((await lookUp(SUPPORT, IdentityType.EMAIL, email))?.id).toBe(customerId);
    expect(await trailOf('agent-1')).toEqual([]);
  });

  (configuredServers().redis ? it : it.skip)('share one budget across processes (Redis)', async () => {
    // A second process of the customers service: its own platform (Redis connection) and domain, the same Redis.
    const platform = Platform.create(test.config);
    const replica = await openSubgraph(customersSubgraph, platform);
    try {
      const me = clerk(test.unique('clerk'));
      const results = [];
      for (let i = 0; i <= BUDGET; i++) results.push(await outcomeOf(lookUp(me, IdentityType.PHONE, `090-1111-000${i}`, i % 2 ? replica.domain : test.domain)));
      expect(results).toEqual([...Array(BUDGET).fill('OK'), 'RATE_LIMITED']);
    } finally {
      await replica.release();
      await platform.close();
    }
  });
});
