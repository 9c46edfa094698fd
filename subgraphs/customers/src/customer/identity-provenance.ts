import { actorOf, type Principal } from '../../../../shared/auth/principal';
import { IdentityType } from '../../../../shared/graphql/identity';

/** The first part of `linkedBy` when a customer linked a key to themselves. */
const CUSTOMER_ACTOR = 'CUSTOMER';

/** `verifiedBy` of an EC_ACCOUNT taken from the subject of the customer's own verified sign-in token. */
export const SIGNED_IN_SUBJECT = 'SIGN_IN';

/**
 * Who did something, as identities record who linked and who vouched for them: `ANONYMOUS`,
 * `CUSTOMER:<id>`, `STAFF:<role>:<staff id>`, `PARTNER:<key id>`, `SERVICE:<name>`.
 */
export function actorLabel(principal: Principal): string {
  const actor = actorOf(principal);
  return [actor.kind, actor.role, actor.id].filter(Boolean).join(':').slice(0, 128);
}

/**
 * Whether the holder of a key gives it up to someone else's claim of it. A verified link never does,
 * nor a DEVICE (linked from its browser). An unverified one is a claim, not proof: it gives way to a
 * verified link (staff who checked, a service that sent a code, the subject of a sign-in token); and an
 * e-mail address or phone number a customer typed in for themselves (linkIdentity, updateCustomer) also
 * gives way to a registration with it, so that typing in someone's address first keeps nobody out. The
 * contact details a registration gave hold against another registration (IDENTITY_TAKEN).
 */
export function yieldsTo(
  holder: { type: IdentityType; verified: boolean; linkedBy: string | null },
  claim: { verified: boolean; registration: boolean },
): boolean {
  if (holder.verified || holder.type === IdentityType.DEVICE) return false;
  if (claim.verified) return true;
  const contact = holder.type === IdentityType.EMAIL || holder.type === IdentityType.PHONE;
  return claim.registration && contact && (holder.linkedBy?.startsWith(`${CUSTOMER_ACTOR}:`) ?? false);
}
