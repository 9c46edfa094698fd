import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError, ErrorCode } from '../errors';

/**
 * Who a request acts for, as the gateway verified it. Until authentication lands (JWTs, partner
 * keys), the gateway passes every client request on as ANONYMOUS.
 */
export type Principal = { kind: 'ANONYMOUS' } | { kind: 'SERVICE'; service: string };

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
