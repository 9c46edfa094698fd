import { AppError, ErrorCode } from '../errors';
import type { PartnerScope, Principal } from './principal';

/**
 * The access rules of the graph, one function per rule. README.md's access table is the same rules
 * written out per principal, and test/access.test.ts checks every cell of it through the gateway.
 *
 * Partners see personal data only with `customers:read` AND the customer's PARTNER_SHARING consent.
 * Consents are not recorded yet (they come with the customers' consent management), so no customer
 * has given it and partners see no customer.
 */

function hasScope(principal: Principal, scope: PartnerScope): boolean {
  return principal.kind === 'PARTNER' && principal.scopes.includes(scope);
}

/** The catalog, locations, store lists and availability: public, and for partners `catalog:read`. */
export function readsCatalog(principal: Principal): boolean {
  return principal.kind !== 'PARTNER' || hasScope(principal, 'catalog:read');
}

/** Stock detail beyond availability (on hand, reserved): staff, services, partners with `inventory:read`. */
export function readsStockDetail(principal: Principal): boolean {
  return principal.kind === 'STAFF' || principal.kind === 'SERVICE' || hasScope(principal, 'inventory:read');
}

/** Looking customers up (by id, identity or name): staff and services. Customers use `me`. */
export function looksUpCustomers(principal: Principal): boolean {
  return principal.kind === 'STAFF' || principal.kind === 'SERVICE';
}

/** Everything about one customer (profile, identities, orders, summary, recommendations). */
export function seesCustomer(principal: Principal, customerId: string | null): boolean {
  switch (principal.kind) {
    case 'CUSTOMER':
      return customerId !== null && customerId === principal.customerId;
    case 'STAFF':
    case 'SERVICE':
      return true;
    default:
      return false;
  }
}

/** An order: its customer, and staff; an anonymous store sale only staff. */
export const seesOrder = seesCustomer;

/** How contact details (e-mail, phone) of a customer the principal sees are shown to them. */
export type ContactView = 'FULL' | 'MASKED';

export function contactView(principal: Principal): ContactView {
  if (principal.kind === 'STAFF' && (principal.role === 'STORE_STAFF' || principal.role === 'MARKETING')) return 'MASKED';
  return 'FULL';
}

/** Whether reading contact details unmasked must leave an audit record: staff and partners. */
export function auditsContactReads(principal: Principal): boolean {
  return principal.kind === 'STAFF' || principal.kind === 'PARTNER';
}

/** Audit trails and other administration. */
export function administers(principal: Principal): boolean {
  return principal.kind === 'SERVICE' || (principal.kind === 'STAFF' && principal.role === 'ADMIN');
}

/** The error for a denied read: UNAUTHENTICATED for anonymous callers (signing in may help), else FORBIDDEN. */
export function accessDenied(principal: Principal, what: string): AppError {
  return principal.kind === 'ANONYMOUS'
    ? new AppError(ErrorCode.UNAUTHENTICATED, `sign in to read ${what}`)
    : new AppError(ErrorCode.FORBIDDEN, `not allowed to read ${what}`);
}
