import { actorOf, type Principal } from '../../../../shared/auth/principal';

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
