import type { IncomingHttpHeaders } from 'node:http';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { ANONYMOUS, PRINCIPAL_HEADER, signPrincipal, STAFF_ROLES, type ClientPrincipal, type StaffRole } from '../../../shared/auth/principal';
import { requireJwtVerification, type Config } from '../../../shared/config';
import { AppError, ErrorCode } from '../../../shared/errors';
import { isTurnedAway, TurnedAway, withRetries } from '../../../shared/http/call-policy';
import type { PartnerKeys } from '../partners/partner-keys';
import type { SubjectCache } from './subject-cache';

/** Header partners send their API key in. */
export const API_KEY_HEADER = 'x-api-key';

const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

function refuse(why: string): AppError {
  return new AppError(ErrorCode.UNAUTHENTICATED, why, { http: { status: 401 } });
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const SUBJECT_LOOKUP_TIMEOUT_MS = 5_000;

/** Asks the customers service which customer a subject names (a customer id, or an EC_ACCOUNT identity). */
export type SubjectResolver = (subject: string) => Promise<string | null>;

/** `retries`: look-ups sent again when they did not reach the customers service or its connection failed (a query). */
export function customersSubjectResolver(customersUrl: string, signingKey: string, retries = 0): SubjectResolver {
  return async (subject) => {
    let body: { data?: { customerIdOfSubject: string | null }; errors?: unknown[] } = {};
    try {
      const response = await withRetries(
        async () => {
          const answer = await fetch(customersUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: signPrincipal({ kind: 'SERVICE', service: 'gateway' }, signingKey) },
            body: JSON.stringify({ query: 'query ($s: String!) { customerIdOfSubject(subject: $s) }', variables: { s: subject } }),
            // A sign-in waits for the customers service no longer than a client would wait for an answer.
            signal: AbortSignal.timeout(SUBJECT_LOOKUP_TIMEOUT_MS),
          });
          if (isTurnedAway(answer.status)) throw new TurnedAway(answer.status);
          return answer;
        },
        { retries, idempotent: true },
      );
      body = (await response.json()) as typeof body;
    } catch {
      // Unreachable, too slow, or not JSON: answered below like an error of the service.
    }
    if (!body.data || body.errors?.length) {
      throw new AppError(ErrorCode.UNAVAILABLE, 'could not resolve the signed-in customer; try again', { http: { status: 503 }, service: 'customers' });
    }
    return body.data.customerIdOfSubject;
  };
}

/**
 * Turns a request's credentials into a principal: a JWT (`Authorization: Bearer`) of a customer or a
 * staff member, a partner API key (`X-Api-Key`), or nothing (anonymous). Bad credentials are refused
 * rather than downgraded to anonymous, so that a client learns its token has expired.
 */
export class Authenticator {
  private readonly verifyJwt: (token: string) => Promise<{ payload: JWTPayload }>;

  constructor(
    config: Config['jwt'],
    private readonly partnerKeys: PartnerKeys,
    private readonly customerOfSubject: SubjectResolver,
    private readonly subjects: SubjectCache,
  ) {
    const { keys, issuer, audience } = requireJwtVerification(config);
    const checks = { issuer, audience, requiredClaims: ['sub', 'exp'] };
    if ('jwksUrl' in keys) {
      // jose fetches the key set on first use and again when a token names a key it has not seen.
      const keySet = createRemoteJWKSet(new URL(keys.jwksUrl));
      this.verifyJwt = (token) => jwtVerify(token, keySet, { ...checks, algorithms: ASYMMETRIC_ALGORITHMS });
    } else {
      const key = new TextEncoder().encode(keys.developmentKey);
      this.verifyJwt = (token) => jwtVerify(token, key, { ...checks, algorithms: ['HS256'] });
    }
  }

  async authenticate(headers: IncomingHttpHeaders): Promise<ClientPrincipal> {
    const authorization = single(headers.authorization);
    const apiKey = single(headers[API_KEY_HEADER]);
    if (authorization && apiKey) throw refuse('send either a bearer token or an API key, not both');
    if (apiKey) {
      const partner = await this.partnerKeys.authenticate(apiKey);
      if (!partner) throw refuse('unknown or revoked API key');
      return partner;
    }
    if (!authorization) return ANONYMOUS;
    const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (!token) throw refuse('the Authorization header must be "Bearer <token>"');
    return this.principalOfToken(token);
  }

  private async principalOfToken(token: string): Promise<ClientPrincipal> {
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await this.verifyJwt(token));
    } catch (err) {
      throw refuse(err instanceof joseErrors.JWTExpired ? 'the token has expired' : 'the token is not valid');
    }
    const subject = claims.sub!;
    // jose checks that `sub` is present; a blank one names nobody and must not be looked up as someone.
    if (typeof subject !== 'string' || !subject.trim()) throw refuse('the token has an empty subject');
    if (claims.role !== undefined) return staffPrincipal(subject, claims);
    const cached = await this.subjects.get(subject);
    if (cached) return { kind: 'CUSTOMER', customerId: cached };
    const customerId = await this.customerOfSubject(subject);
    // Signed in, but nobody yet: anonymous rights, and registering links the subject as its EC_ACCOUNT.
    // Not cached, so that the request after the registration acts as the new customer.
    if (!customerId) return { kind: 'ANONYMOUS', subject };
    await this.subjects.set(subject, customerId);
    return { kind: 'CUSTOMER', customerId };
  }
}

function staffPrincipal(staffId: string, claims: JWTPayload): ClientPrincipal {
  const role = claims.role as StaffRole;
  if (!STAFF_ROLES.includes(role)) throw refuse(`unknown staff role ${JSON.stringify(claims.role)}`);
  const locationId = typeof claims.location_id === 'string' ? claims.location_id : undefined;
  if (role === 'STORE_STAFF' && !locationId) throw refuse('a STORE_STAFF token must name the location_id the person works at');
  return { kind: 'STAFF', staffId, role, ...(locationId ? { locationId } : {}) };
}
