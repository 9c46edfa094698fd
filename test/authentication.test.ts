import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { mintDevelopmentToken } from '../gateway/src/auth/development-tokens';
import { PartnerKey } from '../gateway/src/partners/partner-key.entity';
import { PartnerKeys } from '../gateway/src/partners/partner-keys';
import { openGatewayDatabase } from '../gateway/src/storage';
import { PRINCIPAL_HEADER, signPrincipal, type Principal } from '../shared/auth/principal';
import type { Database } from '../shared/db/database';
import type { RunningService } from '../shared/http/service';
import { createLogger } from '../shared/logger';
import { graphql } from '../shared/testkit';
import type { DemoCustomer } from '../scripts/seed/demo-data';
import { startExtraGateway, startTestGraph, type TestGraph } from './support/graph';

let graph: TestGraph;
let gatewayDb: Database;
let partnerKeys: PartnerKeys;
let customer: DemoCustomer;
let url: string;

beforeAll(async () => {
  graph = await startTestGraph({ scale: 0.01 });
  url = graph.gateway.url;
  customer = graph.data.customers.find((c) => c.email && c.phone && c.identities.some((i) => i.type === 'EC_ACCOUNT'))!;
  gatewayDb = await openGatewayDatabase(graph.config, createLogger({ logLevel: 'warn' }, 'test'));
  partnerKeys = new PartnerKeys(gatewayDb);
});
afterAll(async () => {
  await gatewayDb?.close();
  await graph?.teardown();
});

const ME = '{ me { id } }';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function refusal(headers: Record<string, string>, document = ME) {
  const response = await graphql(url, document, {}, headers);
  return { status: response.status, code: response.errors?.[0].extensions?.code, message: response.errors?.[0].message, data: response.data };
}

describe('customer and staff tokens', () => {
  it('signs a customer in by customer id or by the identity provider account (EC_ACCOUNT)', async () => {
    const byId = await graphql<{ me: { id: string } }>(url, ME, {}, await graph.as({ customer: customer.id }));
    expect(byId.data?.me.id).toBe(customer.id);
    const account = customer.identities.find((i) => i.type === 'EC_ACCOUNT')!.value;
    const byAccount = await graphql<{ me: { id: string } }>(url, ME, {}, await graph.as({ customer: account }));
    expect(byAccount.data?.me.id).toBe(customer.id);
  });

  it('lets a valid token whose subject names nobody yet in with anonymous rights, so that it may register (test/hostile/identities.test.ts)', async () => {
    const response = await graphql<{ me: unknown }>(url, ME, {}, await graph.as({ customer: 'no-such-customer' }));
    expect({ status: response.status, errors: response.errors, me: response.data?.me }).toEqual({ status: 200, errors: undefined, me: null });
  });

  it('refuses bad credentials with 401 UNAUTHENTICATED instead of treating the caller as anonymous', async () => {
    const jwt = graph.config.jwt;
    const expired = await mintDevelopmentToken(jwt, { customer: customer.id }, -60);
    const otherKey = await mintDevelopmentToken({ ...jwt, developmentKey: 'another-key-that-the-gateway-does-not-know' }, { customer: customer.id });
    const otherAudience = await mintDevelopmentToken({ ...jwt, audience: 'another-api' }, { customer: customer.id });
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      ['expired', bearer(expired), /expired/],
      ['signed with another key', bearer(otherKey), /not valid/],
      ['for another audience', bearer(otherAudience), /not valid/],
      ['not a bearer token', { authorization: 'Basic dXNlcjpwYXNz' }, /Bearer/],
      ['store staff without a location', await graph.as({ role: 'STORE_STAFF', staffId: 'clerk' }), /location_id/],
      ['an unknown role', bearer(await new SignJWT({ role: 'OWNER' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer(jwt.issuer!).setAudience(jwt.audience).setExpirationTime('1h').sign(new TextEncoder().encode(jwt.developmentKey))), /unknown staff role/],
      ['a token and an API key', { ...(await graph.as({ customer: customer.id })), 'x-api-key': 'pk_x' }, /either/],
      ['an unknown API key', { 'x-api-key': `pk_${'0'.repeat(12)}_${'a'.repeat(43)}` }, /unknown or revoked/],
    ];
    for (const [why, headers, message] of cases) {
      const result = await refusal(headers);
      expect({ why, status: result.status, code: result.code, data: result.data }).toEqual({ why, status: 401, code: 'UNAUTHENTICATED', data: undefined });
      expect(result.message).toMatch(message);
    }
  });

  it("verifies tokens against the identity provider's JWKS when one is configured, and then refuses development tokens", async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'idp-key-1', alg: 'ES256', use: 'sig' }] };
    const idp = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)));
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    let gateway: RunningService | undefined;
    try {
      const issuer = 'https://id.example.test/';
      gateway = await startExtraGateway(graph, {
        JWT_JWKS_URL: `http://127.0.0.1:${(idp.address() as AddressInfo).port}/jwks.json`,
        JWT_ISSUER: issuer,
      });
      const idpToken = await new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: 'idp-key-1' })
        .setSubject(customer.id)
        .setIssuer(issuer)
        .setAudience(graph.config.jwt.audience)
        .setExpirationTime('5m')
        .sign(privateKey);
      const signedIn = await graphql<{ me: { id: string } }>(gateway.url, ME, {}, bearer(idpToken));
      expect(signedIn.data?.me.id).toBe(customer.id);
      const development = await graphql(gateway.url, ME, {}, await graph.as({ customer: customer.id }));
      expect(development.status).toBe(401);
      expect(development.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await gateway?.stop();
      idp.close();
    }
  });
});

describe('partner keys', () => {
  it('are shown once, stored hashed, listed without secrets, and refused from the request after revocation', async () => {
    const { id, key } = await partnerKeys.create('Acme POS', ['catalog:read']);
    const secret = key.slice(`pk_${id}_`.length); // base64url: the secret itself may hold an underscore
    expect(secret).toHaveLength(43);
    const stored = await gatewayDb.manager.getRepository(PartnerKey).findOneByOrFail({ id });
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(JSON.stringify(await partnerKeys.list())).not.toContain(secret);

    const catalog = '{ products(first: 1) { edges { node { id } } } }';
    expect((await graphql(url, catalog, {}, { 'x-api-key': key })).errors).toBeUndefined();
    const wrongSecret = await refusal({ 'x-api-key': `pk_${id}_${'b'.repeat(43)}` }, catalog);
    expect([wrongSecret.status, wrongSecret.code]).toEqual([401, 'UNAUTHENTICATED']);

    await partnerKeys.revoke(id);
    const revoked = await refusal({ 'x-api-key': key }, catalog);
    expect([revoked.status, revoked.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await partnerKeys.list()).find((k) => k.id === id)?.revokedAt).toBeInstanceOf(Date);
    await expect(partnerKeys.revoke(id)).rejects.toThrow(/no active partner key/);
  });

  it('refuse unknown scopes and empty names', async () => {
    await expect(partnerKeys.create('x', ['orders:delete'])).rejects.toThrow(/unknown scopes: orders:delete/);
    await expect(partnerKeys.create(' ', ['catalog:read'])).rejects.toThrow(/name/);
    await expect(partnerKeys.create('x', [])).rejects.toThrow(/at least one scope/);
  });
});

describe('subgraphs called directly', () => {
  const signedAs = (principal: Principal) => ({ [PRINCIPAL_HEADER]: signPrincipal(principal, graph.config.internalSigningKey) });
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id orders(first: 1) { edges { node { id } } } } } }`;

  it("enforce the same rules on federation references: a customer cannot fetch another customer's orders through _entities", async () => {
    const other = graph.data.orders.find((o) => o.customerId && o.customerId !== customer.id)!.customerId!;
    const orders = graph.subgraphs.orders.url!;
    const theirs = await graphql(orders, ENTITIES, { r: [{ __typename: 'Customer', id: other }] }, signedAs({ kind: 'CUSTOMER', customerId: customer.id }));
    expect(theirs.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
    expect(JSON.stringify(theirs.data)).not.toMatch(/"node"/);
    const own = await graphql<{ _entities: Array<{ orders: { edges: unknown[] } }> }>(
      orders,
      ENTITIES,
      { r: [{ __typename: 'Customer', id: customer.id }] },
      signedAs({ kind: 'CUSTOMER', customerId: customer.id }),
    );
    expect(own.errors).toBeUndefined();
    expect(own.data?._entities[0].orders.edges.length).toBeGreaterThan(0);
  });

  it('keep the internal subject lookup for services: it is not in the public graph, and a signed client principal is refused', async () => {
    const document = '{ customerIdOfSubject(subject: "x") }';
    expect((await graphql(url, document, {}, await graph.as({ role: 'ADMIN', staffId: 'a' }))).errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const direct = await graphql(graph.subgraphs.customers.url!, document, {}, signedAs({ kind: 'STAFF', staffId: 'a', role: 'ADMIN' }));
    expect(direct.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('audit of contact reads', () => {
  const CONTACT = 'query($id: ID!) { customer(id: $id) { email phone identities { type value } } }';
  const READS = `query($id: ID!) { contactReads(filter: { customerId: $id }, first: 100) {
    edges { node { actorKind actorId actorRole customerId fields readAt requestId } } } }`;
  type Read = { actorKind: string; actorId: string; actorRole: string | null; customerId: string; fields: string[]; readAt: string; requestId: string };

  async function readsOf(customerId: string): Promise<Read[]> {
    const response = await graphql<{ contactReads: { edges: Array<{ node: Read }> } }>(url, READS, { id: customerId }, await graph.as({ role: 'ADMIN', staffId: 'auditor' }));
    expect(response.errors).toBeUndefined();
    return response.data!.contactReads.edges.map((e) => e.node);
  }

  it('records who read whose unmasked details, which, and when; masked and own reads leave no record', async () => {
    const subject = graph.data.customers.find((c) => c.email && c.phone && c.id !== customer.id)!;
    const before = Date.now();
    await graphql(url, CONTACT, { id: subject.id }, await graph.as({ role: 'STORE_STAFF', staffId: 'clerk-9', locationId: graph.data.locations[0].id }));
    await graphql(url, '{ me { email phone } }', {}, await graph.as({ customer: subject.id }));
    expect(await readsOf(subject.id)).toEqual([]);

    const read = await graphql(url, CONTACT, { id: subject.id }, await graph.as({ role: 'SUPPORT', staffId: 'agent-7' }));
    expect(read.errors).toBeUndefined();
    const reads = await readsOf(subject.id);
    expect(reads.length).toBeGreaterThan(0);
    for (const r of reads) {
      expect(r).toMatchObject({ actorKind: 'STAFF', actorId: 'agent-7', actorRole: 'SUPPORT', customerId: subject.id, requestId: read.requestId });
      expect(Date.parse(r.readAt)).toBeGreaterThanOrEqual(before - 1000);
    }
    expect(new Set(reads.flatMap((r) => r.fields))).toEqual(new Set(['email', 'phone', 'identities.EMAIL', ...(subject.identities.some((i) => i.type === 'PHONE') ? ['identities.PHONE'] : [])]));
  });
});
