import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError, ErrorCode } from '../errors';

/** Roles of the retailer's own people, carried in their JWT. */
export const STAFF_ROLES = ['STORE_STAFF', 'SUPPORT', 'MARKETING', 'ADMIN'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** What a partner's API key may be granted; README.md says what each opens. */
export const PARTNER_SCOPES = [
  'catalog:read',
  'inventory:read',
  'inventory:write',
  'orders:write',
  'orders:import',
  'customers:read',
  'payments:write',
] as const;
export type PartnerScope = (typeof PARTNER_SCOPES)[number];

/** Who a request acts for, as the gateway verified it. */
export type Principal =
  /**
   * `subject`: a caller signed in with the identity provider whose subject names no customer yet. It
   * has an anonymous caller's rights, and registering links the subject as its verified EC_ACCOUNT.
   */
  | { kind: 'ANONYMOUS'; subject?: string }
  | { kind: 'CUSTOMER'; customerId: string }
  /** `locationId`: the store a STORE_STAFF member works at. */
  | { kind: 'STAFF'; staffId: string; role: StaffRole; locationId?: string }
  | { kind: 'PARTNER'; partnerId: string; scopes: PartnerScope[] }
  | { kind: 'SERVICE'; service: string };

/** Who a client request can be: everyone but a service, which calls subgraphs directly. */
export type ClientPrincipal = Exclude<Principal, { kind: 'SERVICE' }>;

export const ANONYMOUS: ClientPrincipal = { kind: 'ANONYMOUS' };

/** Who did something, as recorded in audit trails: e.g. `STAFF:SUPPORT:s-17`, `PARTNER:pk_3f9a…`. */
export function actorOf(principal: Principal): { kind: Principal['kind']; id: string; role: string | null } {
  switch (principal.kind) {
    case 'ANONYMOUS':
      return { kind: 'ANONYMOUS', id: '', role: null };
    case 'CUSTOMER':
      return { kind: 'CUSTOMER', id: principal.customerId, role: null };
    case 'STAFF':
      return { kind: 'STAFF', id: principal.staffId, role: principal.role };
    case 'PARTNER':
      return { kind: 'PARTNER', id: principal.partnerId, role: null };
    case 'SERVICE':
      return { kind: 'SERVICE', id: principal.service, role: null };
  }
}

/** Header that carries the signed principal from the gateway (or a calling service) to a subgraph. */
export const PRINCIPAL_HEADER = 'x-principal';

/** A signed principal is accepted for this long: long enough for one request, short for a replay. */
const MAX_AGE_MS = 60_000;

function sign(payload: string, key: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}

/** `<payload>.<HMAC-SHA256>`, the payload holding the principal and when it was issued. */
export function signPrincipal(principal: Principal, key: string, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ principal, issuedAt: now })).toString('base64url');
  return `${payload}.${sign(payload, key)}`;
}

/** The principal of a signed header; a missing, forged or stale one is UNAUTHENTICATED. */
export function verifyPrincipal(header: string | undefined, key: string, now = Date.now()): Principal {
  const refuse = (why: string) => new AppError(ErrorCode.UNAUTHENTICATED, `request refused: ${why}`, { http: { status: 401 } });
  if (!header) throw refuse('no signed principal (call the graph through the gateway)');
  const [payload, signature = ''] = header.split('.');
  const expected = Buffer.from(sign(payload, key));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw refuse('the principal is not signed');
  const { principal, issuedAt } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    principal: Principal;
    issuedAt: number;
  };
  if (!(Math.abs(now - issuedAt) <= MAX_AGE_MS)) throw refuse('the signed principal has expired');
  return principal;
}
