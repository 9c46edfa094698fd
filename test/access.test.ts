import fs from 'node:fs';
import path from 'node:path';
import { PartnerKeys } from '../gateway/src/partners/partner-keys';
import { openGatewayDatabase } from '../gateway/src/storage';
import type { Database } from '../shared/db/database';
import { createLogger } from '../shared/logger';
import { graphql } from '../shared/testkit';
import { maskEmail } from '../subgraphs/customers/src/audit/contact-disclosure';
import { ACCESS_MATRIX, CALLERS, renderAccessTable, scopesOf, type Caller, type Subjects } from './support/access-matrix';
import { startTestGraph, type TestGraph } from './support/graph';

let graph: TestGraph;
let gatewayDb: Database;
let subjects: Subjects;
const headers = {} as Record<Caller, Record<string, string>>;

beforeAll(async () => {
  graph = await startTestGraph({ scale: 0.01 });
  const { customers, orders, locations, products } = graph.data;
  // Whose data is probed: a customer with an e-mail address and orders.
  const self = customers.find((c) => c.email && orders.some((o) => o.customerId === c.id))!;
  const other = customers.find((c) => c.id !== self.id)!;
  const order = orders.find((o) => o.customerId === self.id)!;
  subjects = {
    customerId: self.id,
    email: self.email!,
    orderId: order.id,
    orderNumber: order.number,
    productId: products[0].id,
    locationId: locations[0].id,
  };
  gatewayDb = await openGatewayDatabase(graph.config, createLogger({ logLevel: 'warn' }, 'test'));
  const partnerKeys = new PartnerKeys(gatewayDb);
  for (const caller of CALLERS) {
    if (caller === 'anonymous') headers[caller] = {};
    else if (caller === 'customer (self)') headers[caller] = await graph.as({ customer: self.id });
    else if (caller === 'customer (other)') headers[caller] = await graph.as({ customer: other.id });
    else if (caller === 'store staff') headers[caller] = await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-1', locationId: locations[0].id });
    else if (caller === 'support') headers[caller] = await graph.as({ role: 'SUPPORT', staffId: 'agent-1' });
    else if (caller === 'marketing') headers[caller] = await graph.as({ role: 'MARKETING', staffId: 'marketer-1' });
    else if (caller === 'admin') headers[caller] = await graph.as({ role: 'ADMIN', staffId: 'admin-1' });
    else headers[caller] = { 'x-api-key': (await partnerKeys.create(caller, scopesOf(caller))).key };
  }
});
afterAll(async () => {
  await gatewayDb?.close();
  await graph?.teardown();
});

const cases = ACCESS_MATRIX.flatMap((row) => CALLERS.map((caller) => [row.what, caller, row.outcomes[caller], row] as const));

describe('access matrix through the gateway', () => {
  it.each(cases)('%s — %s: %s', async (_what, caller, outcome, row) => {
    const probe = caller === 'customer (self)' && row.probe.asCustomer ? row.probe.asCustomer : row.probe;
    const response = await graphql(graph.gateway.url, probe.document, probe.variables(subjects), headers[caller]);
    const value = probe.pick(response.data);
    const codes = (response.errors ?? []).map((e) => e.extensions?.code);
    const expected = row.probe.expected?.(subjects);
    switch (outcome) {
      case 'ALLOW':
        expect(response.errors).toBeUndefined();
        expect(value ?? null).not.toBeNull();
        if (expected) expect(value).toBe(expected);
        break;
      case 'MASKED':
        expect(response.errors).toBeUndefined();
        expect(value).toBe(maskEmail(expected!));
        expect(JSON.stringify(response)).not.toContain(expected!);
        break;
      case 'NULL':
        expect(response.errors).toBeUndefined();
        expect(value ?? null).toBeNull();
        break;
      default:
        expect(value ?? null).toBeNull();
        expect(codes.length).toBeGreaterThan(0);
        expect(new Set(codes)).toEqual(new Set([outcome]));
        // Nothing guarded reaches the caller: not in partial data, not in an error message.
        if (expected) expect(JSON.stringify(response)).not.toContain(expected);
    }
  });

  it('is the table README.md shows', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain(renderAccessTable());
  });
});
