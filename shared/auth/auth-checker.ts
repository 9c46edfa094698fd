import type { AuthChecker } from 'type-graphql';
import type { RequestContext } from '../http/service';
import type { Principal } from './principal';
import { accessDenied, administers, looksUpCustomers, readsCatalog, readsStockDetail, seesCustomer, seesOrder } from './rules';

/** The rules a field or operation names in `@Authorized(Rule.X)`; see rules.ts. */
export enum Rule {
  /** Catalog, locations, availability. */
  CATALOG = 'CATALOG',
  /** On-hand and reserved stock. */
  STOCK_DETAIL = 'STOCK_DETAIL',
  /** Looking customers up by id, identity or name. */
  CUSTOMER_LOOKUP = 'CUSTOMER_LOOKUP',
  /** A field of a Customer (the root is the customer, `{ id }`). */
  CUSTOMER = 'CUSTOMER',
  /** A field of an Order (the root is the order, `{ customerId }`). */
  ORDER = 'ORDER',
  ADMIN = 'ADMIN',
  /** Calls between services only (e.g. the gateway resolving who signed in). */
  SERVICE = 'SERVICE',
}

const CHECKS: Record<Rule, { allows: (principal: Principal, root: any) => boolean; what: string }> = { // eslint-disable-line @typescript-eslint/no-explicit-any
  [Rule.CATALOG]: { allows: readsCatalog, what: 'the catalog (partners need the scope catalog:read)' },
  [Rule.STOCK_DETAIL]: { allows: readsStockDetail, what: 'stock detail (partners need the scope inventory:read)' },
  [Rule.CUSTOMER_LOOKUP]: { allows: looksUpCustomers, what: 'other customers (staff only; a customer reads `me`)' },
  [Rule.CUSTOMER]: { allows: (p, customer: { id: string }) => seesCustomer(p, customer.id), what: "this customer's data" },
  [Rule.ORDER]: { allows: (p, order: { customerId: string | null }) => seesOrder(p, order.customerId), what: 'this order' },
  [Rule.ADMIN]: { allows: administers, what: 'administration data (admins only)' },
  [Rule.SERVICE]: { allows: (p) => p.kind === 'SERVICE', what: 'internal operations' },
};

/**
 * type-graphql's auth checker for every subgraph: a denied field is null with an UNAUTHENTICATED or
 * FORBIDDEN error for its path, and the rest of the answer stands.
 */
export const authChecker: AuthChecker<RequestContext, Rule> = ({ root, context }, rules) => {
  for (const rule of rules) {
    const check = CHECKS[rule];
    if (!check.allows(context.principal, root)) throw accessDenied(context.principal, check.what);
  }
  return true;
};
