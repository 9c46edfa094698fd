import { SignJWT } from 'jose';
import type { StaffRole } from '../../../shared/auth/principal';
import type { Config } from '../../../shared/config';

export type TokenFor = { customer: string } | { role: StaffRole; staffId: string; locationId?: string };

/**
 * A token signed with the development key, as the identity provider would issue it: a customer's
 * (subject: customer id or EC_ACCOUNT) or a staff member's (role claim, and location_id for store staff).
 */
export async function mintDevelopmentToken(jwt: Config['jwt'], holder: TokenFor, ttlSeconds = 12 * 3600): Promise<string> {
  if (!jwt.developmentKey) {
    throw new Error('JWT_JWKS_URL is set: tokens come from the identity provider, not from the development key');
  }
  const claims = 'role' in holder ? { role: holder.role, ...(holder.locationId ? { location_id: holder.locationId } : {}) } : {};
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('role' in holder ? holder.staffId : holder.customer)
    .setIssuer(jwt.issuer!)
    .setAudience(jwt.audience)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(jwt.developmentKey));
}
