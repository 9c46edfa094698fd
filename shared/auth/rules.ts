import { AppError, ErrorCode } from '../errors';
import type { PartnerScope, Principal, StaffRole } from './principal';

/**
 * The access rules of the graph, one function per rule. README.md's access table is the same rules
 * written out per principal, and test/access.test.ts checks every cell of it through the gateway.
 *
 * Partners see personal data only with `customers:read` AND the customer's PARTNER_SHARING consent,
 * which only the customers service knows: elsewhere (orders, recommendations) partners see no customer.
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

const isStaff = (principal: Principal, ...roles: StaffRole[]) =>
  principal.kind === 'STAFF' && (roles.length === 0 || roles.includes(principal.role));

/** Looking a customer up by id or identity: staff, services, and partners with `customers:read`. */
export function looksUpCustomers(principal: Principal): boolean {
  return principal.kind === 'STAFF' || principal.kind === 'SERVICE' || hasScope(principal, 'customers:read');
}

/** Listing and searching customers (by name, identity, segment): staff and services. */
export function searchesCustomers(principal: Principal): boolean {
  return principal.kind === 'STAFF' || principal.kind === 'SERVICE';
}

/**
 * Everything about one customer (profile, identities, orders, summary, recommendations):
 * themselves, staff, services; a partner with `customers:read` only when `sharesWithPartners`.
 */
export function seesCustomer(principal: Principal, customerId: string | null, sharesWithPartners = false): boolean {
  switch (principal.kind) {
    case 'CUSTOMER':
      return customerId !== null && customerId === principal.customerId;
    case 'STAFF':
    case 'SERVICE':
      return true;
    case 'PARTNER':
      return customerId !== null && sharesWithPartners && hasScope(principal, 'customers:read');
    default:
      return false;
  }
}

/** Registering a new customer: anonymous shoppers (sign-up), staff who serve customers, services. */
export function registersCustomers(principal: Principal): boolean {
  return principal.kind === 'ANONYMOUS' || principal.kind === 'SERVICE' || isStaff(principal, 'STORE_STAFF', 'SUPPORT', 'ADMIN');
}

/**
 * Changing a customer's profile and identities, checking them in: the customer (themselves; the
 * resolver checks whose), staff who serve customers, services.
 */
export function changesCustomers(principal: Principal): boolean {
  return principal.kind === 'CUSTOMER' || principal.kind === 'SERVICE' || isStaff(principal, 'STORE_STAFF', 'SUPPORT', 'ADMIN');
}

/**
 * Linking an EC_ACCOUNT (the identity provider's subject, which signs its owner in) given in the input:
 * support and admins after checking, services. Everyone else gets one only from their own verified
 * token, when they register signed in with a subject that names nobody yet.
 */
export function linksSignInIdentities(principal: Principal): boolean {
  return principal.kind === 'SERVICE' || isStaff(principal, 'SUPPORT', 'ADMIN');
}

/**
 * Look-ups of customers by e-mail address or phone number that are audited and counted against a
 * per-minute budget: by staff who see contact details masked, who could otherwise recover a masked
 * value by trying candidates.
 */
export function budgetsContactLookups(principal: Principal): boolean {
  return contactView(principal) === 'MASKED';
}

/** Consents: the customer (themselves), support and admins on their behalf, services. */
export function changesConsents(principal: Principal): boolean {
  return principal.kind === 'CUSTOMER' || principal.kind === 'SERVICE' || isStaff(principal, 'SUPPORT', 'ADMIN');
}

/** Behaviour events: anyone but partners (whose events the services do not take); whose, per event. */
export function tracksEvents(principal: Principal): boolean {
  return principal.kind !== 'PARTNER';
}

/** Segments of a customer: staff and services; not shown to the customer. */
export function seesSegments(principal: Principal): boolean {
  return principal.kind === 'STAFF' || principal.kind === 'SERVICE';
}

/** The segment report: marketing, admins, services. */
export function readsSegmentReport(principal: Principal): boolean {
  return principal.kind === 'SERVICE' || isStaff(principal, 'MARKETING', 'ADMIN');
}

/** Merges, unmerges and disclosure exports: support, admins, services. */
export function handlesCustomerCases(principal: Principal): boolean {
  return principal.kind === 'SERVICE' || isStaff(principal, 'SUPPORT', 'ADMIN');
}

/** Placing an order: shoppers (signed in, or guests), staff, services, partners with `orders:write`. */
export function placesOrders(principal: Principal): boolean {
  return principal.kind !== 'PARTNER' || hasScope(principal, 'orders:write');
}

/** Importing a store's POS transactions: store staff (their store), admins, services, partners with `orders:import`. */
export function importsStoreSales(principal: Principal): boolean {
  return principal.kind === 'SERVICE' || isStaff(principal, 'STORE_STAFF', 'ADMIN') || hasScope(principal, 'orders:import');
}

/** Cancelling an order: its customer (theirs, checked where the order is known), support, admins, services. */
export function cancelsOrders(principal: Principal): boolean {
  return principal.kind === 'CUSTOMER' || principal.kind === 'SERVICE' || isStaff(principal, 'SUPPORT', 'ADMIN');
}

/** Returns, pick-ups and the pick-up queue: store staff (their store), support (returns), admins, services. */
export function handlesStoreOrders(principal: Principal): boolean {
  return principal.kind === 'SERVICE' || isStaff(principal, 'STORE_STAFF', 'SUPPORT', 'ADMIN');
}

/**
 * Changing stock (adjustments, transfers, reservations): store staff (their store), admins, services,
 * partners with `inventory:write`.
 */
export function changesStock(principal: Principal): boolean {
  return principal.kind === 'SERVICE' || isStaff(principal, 'STORE_STAFF', 'ADMIN') || hasScope(principal, 'inventory:write');
}

/**
 * A customer's cart (`Customer.cart`, `me { cart }`): the customer, store staff at the till and
 * support who serve her, admins, services; never marketing or partners. An anonymous cart is opened
 * by its id alone (the id is the key): where one is named without being asked for by its id (an
 * order's cart), `customerId` null, only these staff and services may have it.
 */
export function readsCustomerCart(principal: Principal, customerId: string | null): boolean {
  return (principal.kind === 'CUSTOMER' && customerId !== null && principal.customerId === customerId) || principal.kind === 'SERVICE' || isStaff(principal, 'STORE_STAFF', 'SUPPORT', 'ADMIN');
}

/**
 * Carts and their changes: shoppers (anonymous, by a cart's id; customers, their own), staff (a
 * clerk checks a cart out at the till), services; not partners. Whose cart, checked where it is known.
 */
export function usesCarts(principal: Principal): boolean {
  return principal.kind !== 'PARTNER';
}

/** Checking a cart out at a store's till (CARRY_OUT): store staff, at their store (actsAtLocation). */
export function checksOutAtTill(principal: Principal): boolean {
  return isStaff(principal, 'STORE_STAFF');
}

/** Marking an order paid or failed (recordPayment): the payment provider's integration (`payments:write`), admins, services. */
export function recordsPayments(principal: Principal): boolean {
  return principal.kind === 'SERVICE' || isStaff(principal, 'ADMIN') || hasScope(principal, 'payments:write');
}

/**
 * Store staff act at the location they work at; everyone else a rule lets through acts anywhere.
 * Checked where the location is known (an argument, an order's store).
 */
export function actsAtLocation(principal: Principal, locationId: string | null): boolean {
  return !(principal.kind === 'STAFF' && principal.role === 'STORE_STAFF') || (locationId !== null && principal.locationId === locationId);
}

/**
 * Set (per response, never stored) on an order its guest buyer proved theirs with the order number and
 * the guest e-mail address together: readable by that caller, in that response only.
 */
export const GUEST_ORDER_GRANT = Symbol('guestOrderGrant');

/** An order: its customer, and staff; an anonymous store sale only staff; a guest order its guest (GUEST_ORDER_GRANT). */
export function seesOrder(principal: Principal, order: { customerId: string | null; [GUEST_ORDER_GRANT]?: boolean }): boolean {
  return order[GUEST_ORDER_GRANT] === true || seesCustomer(principal, order.customerId);
}

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
