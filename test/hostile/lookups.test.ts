import { graphql, query } from '../../shared/testkit';
import type { DemoCustomer } from '../../scripts/seed/demo-data';
import { startTestGraph, type TestGraph } from '../support/graph';

/**
 * Masked stays masked, replayed through the gateway: a clerk who sees `+81******5678` tries candidate
 * numbers with aliased customerByIdentity look-ups until one finds the customer. Look-ups by e-mail
 * address or phone number by roles that see them masked have a small budget per staff member and
 * minute (MASKED_LOOKUPS_PER_MINUTE, 10 by default here), each alias counting, and each is on the
 * contactReads trail. Over it: RATE_LIMITED with retryAfter, and nothing answered.
 */

const BUDGET = 10;
let graph: TestGraph;
let admin: Record<string, string>;
let victim: DemoCustomer;
const url = () => graph.gateway.url;

beforeAll(async () => {
  graph = await startTestGraph({ scale: 0.01 });
  admin = await graph.as({ role: 'ADMIN', staffId: 'admin-l' });
  victim = graph.data.customers.find((c) => c.phone && c.identities.some((i) => i.type === 'PHONE' && i.value === c.phone))!;
}, 180_000);
afterAll(async () => {
  await graph?.teardown();
});

const storeId = () => graph.data.locations.find((l) => l.type === 'STORE')!.id;

/** A document of aliased look-ups, one per candidate (`c0`, `c1`, ...). */
function aliased(type: 'PHONE' | 'EMAIL', candidates: string[]): string {
  return `{ ${candidates.map((value, i) => `c${i}: customerByIdentity(type: ${type}, value: ${JSON.stringify(value)}) { id phone }`).join(' ')} }`;
}

/** Wrong candidates of the victim's masked number: same country code and last four digits. */
function wrongCandidates(count: number): string[] {
  const last4 = victim.phone!.slice(-4);
  return Array.from({ length: count }, (_, i) => `+8190${String(10_000 + i).padStart(4, '0')}${last4}`).filter((c) => c !== victim.phone);
}

async function lookupsOnTrail(staffId: string): Promise<Array<{ customerId: string | null; fields: string[] }>> {
  const { contactReads } = await query(
    url(),
    'query($a: String!) { contactReads(first: 100, filter: { actorId: $a }) { edges { node { customerId fields } } } }',
    { a: staffId },
    admin,
  );
  return contactReads.edges.map((e: { node: { customerId: string | null; fields: string[] } }) => e.node);
}

describe('masked contact details cannot be recovered by trying candidates', () => {
  it.each([
    ['store staff', 'STORE_STAFF' as const],
    ['marketing', 'MARKETING' as const],
  ])('%s: aliased look-ups past the budget are RATE_LIMITED, the true number then finds nothing, and every look-up is audited', async (_who, role) => {
    const staffId = `hostile-${role.toLowerCase()}`;
    const headers = await graph.as(role === 'STORE_STAFF' ? { role, staffId, locationId: storeId() } : { role, staffId });
    // What the clerk sees: the masked number.
    const { customer } = await query(url(), 'query($id: ID!) { customer(id: $id) { phone } }', { id: victim.id }, headers);
    expect(customer.phone).toBe(`${victim.phone!.slice(0, 3)}${'*'.repeat(victim.phone!.length - 7)}${victim.phone!.slice(-4)}`);

    // Twelve aliases in one document: each counts; ten are answered (nobody), two refused with nothing in them.
    const first = await graphql<Record<string, unknown>>(url(), aliased('PHONE', wrongCandidates(12)), {}, headers);
    const refused = (first.errors ?? []).filter((e) => e.extensions?.code === 'RATE_LIMITED');
    expect(refused).toHaveLength(2);
    expect(first.errors).toHaveLength(2);
    for (const error of refused) expect((error.extensions as { retryAfter?: number }).retryAfter).toBeGreaterThanOrEqual(1);
    expect(Object.values(first.data!)).toEqual(Array(12).fill(null));

    // The true number, now: refused like the rest, and the masked value stays masked.
    const hit = await graphql(url(), aliased('PHONE', [victim.phone!, `0${victim.phone!.slice(3)}`]), {}, headers);
    expect(hit.data).toEqual({ c0: null, c1: null });
    expect(hit.errors?.map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    expect(JSON.stringify(hit)).not.toContain(victim.id);
    expect(JSON.stringify(hit)).not.toContain(victim.phone!);
    // The list search by identity is the same oracle, and spends the same budget.
    const listed = await graphql(url(), 'query($v: String!) { customers(first: 1, filter: { identity: { type: PHONE, value: $v } }) { edges { node { id } } } }', { v: victim.phone }, headers);
    expect(listed.errors?.map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED']);
    expect(JSON.stringify(listed)).not.toContain(victim.id);

    // Every look-up made is on the trail, found nobody; the refused ones looked nothing up.
    const trail = await lookupsOnTrail(staffId);
    expect(trail).toHaveLength(BUDGET);
    expect(new Set(trail.map((t) => JSON.stringify(t)))).toEqual(new Set([JSON.stringify({ customerId: null, fields: ['lookup.PHONE'] })]));
  });

  it('leaves look-ups by other keys, and support (who sees contact details in full), outside the budget', async () => {
    const card = victim.identities.find((i) => i.type === 'MEMBER_CARD');
    const clerk = await graph.as({ role: 'STORE_STAFF', staffId: 'hostile-clerk-cards', locationId: storeId() });
    const support = await graph.as({ role: 'SUPPORT', staffId: 'hostile-support' });
    const cards = await graphql(url(), `{ ${Array.from({ length: BUDGET + 2 }, (_, i) => `c${i}: customerByIdentity(type: MEMBER_CARD, value: "${card?.value ?? 'MC0'}${i ? i : ''}") { id }`).join(' ')} }`, {}, clerk);
    expect(cards.errors).toBeUndefined();
    const phones = await graphql(url(), aliased('PHONE', [victim.phone!, ...wrongCandidates(BUDGET + 1)]), {}, support);
    expect(phones.errors).toBeUndefined();
    expect((phones.data as { c0: { id: string; phone: string } }).c0).toEqual({ id: victim.id, phone: victim.phone });
  });
});
