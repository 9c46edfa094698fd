import type { AuthChecker } from 'type-graphql';
import type { RequestContext } from '../http/service';
import type { Principal } from './principal';
import {
  accessDenied,
  actsAtLocation,
  administers,
  cancelsOrders,
  changesStock,
  handlesStoreOrders,
  importsStoreSales,
  placesOrders,
  changesConsents,
  changesCustomers,
  handlesCustomerCases,
  looksUpCustomers,
  readsCatalog,
  readsCustomerCart,
  recordsPayments,
  readsSegmentReport,
  readsStockDetail,
  registersCustomers,
  searchesCustomers,
  seesCustomer,
  seesOrder,
  seesSegments,
  tracksEvents,
  usesCarts,
} from './rules';

/** The rules a field or operation names in `@Authorized(Rule.X)`; see rules.ts. */
export enum Rule {
  /** Catalog, locations, availability. */
  CATALOG = 'CATALOG',
  /** On-hand and reserved stock. */
  STOCK_DETAIL = 'STOCK_DETAIL',
  /** Looking a customer up by id or identity. */
  CUSTOMER_LOOKUP = 'CUSTOMER_LOOKUP',
  /** Listing and searching customers. */
  CUSTOMER_SEARCH = 'CUSTOMER_SEARCH',
  /** A field of a Customer (the root is the customer, `{ id }`). */
  CUSTOMER = 'CUSTOMER',
  /** A customer's segments. */
  SEGMENTS = 'SEGMENTS',
  /** The segment report. */
  SEGMENT_REPORT = 'SEGMENT_REPORT',
  /** A field of an Order (the root is the order, `{ customerId }`). */
  ORDER = 'ORDER',
  /** registerCustomer. */
  REGISTER = 'REGISTER',
  /** Profile, identities, check-ins (a customer only their own: checked where the customer is known). */
  CUSTOMER_CHANGE = 'CUSTOMER_CHANGE',
  /** Consents (a customer only their own). */
  CONSENT_CHANGE = 'CONSENT_CHANGE',
  /** trackEvents (whose events, per event). */
  TRACK = 'TRACK',
  /** Merges, unmerges, disclosure exports. */
  CUSTOMER_CASES = 'CUSTOMER_CASES',
  /** placeOrder. */
  PLACE_ORDER = 'PLACE_ORDER',
  /** importStoreTransactions (store staff: their store, checked where the location is known). */
  STORE_IMPORT = 'STORE_IMPORT',
  /** cancelOrder (a customer: their own order, checked where the order is known). */
  ORDER_CANCEL = 'ORDER_CANCEL',
  /** Returns, pick-ups, the pick-up queue (store staff: their store). */
  STORE_ORDERS = 'STORE_ORDERS',
  /** adjustStock, transferStock, reservations (store staff: their store). */
  STOCK_CHANGE = 'STOCK_CHANGE',
  /** Carts (whose cart: checked where the cart is known). */
  CART = 'CART',
  /** A customer's cart (the root is the customer, `{ id }`): herself, store staff, support, admins. */
  CUSTOMER_CART = 'CUSTOMER_CART',
  /** recordPayment: the payment provider's integration (payments:write), admins. */
  PAYMENTS = 'PAYMENTS',
  ADMIN = 'ADMIN',
  /** Calls between services only (e.g. the gateway resolving who signed in). */
  SERVICE = 'SERVICE',
}

type Check = { allows: (principal: Principal, root: any, context: RequestContext) => boolean | Promise<boolean>; what: string }; // eslint-disable-line @typescript-eslint/no-explicit-any

const CHECKS: Record<Rule, Check> = {
  [Rule.CATALOG]: { allows: readsCatalog, what: 'the catalog (partners need the scope catalog:read)' },
  [Rule.STOCK_DETAIL]: { allows: readsStockDetail, what: 'stock detail (partners need the scope inventory:read)' },
  [Rule.CUSTOMER_LOOKUP]: { allows: looksUpCustomers, what: 'other customers (staff, or partners with customers:read; a customer reads `me`)' },
  [Rule.CUSTOMER_SEARCH]: { allows: searchesCustomers, what: 'customer lists (staff only)' },
  [Rule.CUSTOMER]: {
    allows: async (p, customer: { id: string }, context) => {
      // A reference may name a customer merged away since: a customer signed in sees it when it is now her.
      const id = p.kind === 'CUSTOMER' && context.customerRoot ? await context.customerRoot(customer.id) : customer.id;
      return seesCustomer(p, id, p.kind === 'PARTNER' && ((await context.sharesWithPartners?.(id)) ?? false));
    },
    what: "this customer's data",
  },
  [Rule.SEGMENTS]: { allows: seesSegments, what: 'segments (staff only)' },
  [Rule.SEGMENT_REPORT]: { allows: readsSegmentReport, what: 'the segment report (marketing and admins)' },
  [Rule.ORDER]: { allows: (p, order: { customerId: string | null }) => seesOrder(p, order), what: 'this order' },
  [Rule.REGISTER]: { allows: registersCustomers, what: 'registration (a signed-in customer is registered already)' },
  [Rule.CUSTOMER_CHANGE]: { allows: changesCustomers, what: 'changes to customers' },
  [Rule.CONSENT_CHANGE]: { allows: changesConsents, what: 'consents (the customer, support, admins)' },
  [Rule.TRACK]: { allows: tracksEvents, what: 'behaviour events' },
  [Rule.CUSTOMER_CASES]: { allows: handlesCustomerCases, what: 'merges and disclosure (support and admins)' },
  [Rule.PLACE_ORDER]: { allows: placesOrders, what: 'placing orders (partners need the scope orders:write)' },
  [Rule.STORE_IMPORT]: { allows: importsStoreSales, what: 'store sales imports (partners need the scope orders:import)' },
  [Rule.ORDER_CANCEL]: { allows: cancelsOrders, what: 'cancelling orders' },
  [Rule.STORE_ORDERS]: { allows: handlesStoreOrders, what: 'returns and pick-ups (staff)' },
  [Rule.STOCK_CHANGE]: { allows: changesStock, what: 'stock changes (partners need the scope inventory:write)' },
  [Rule.CART]: { allows: usesCarts, what: 'carts (shoppers, staff at the till)' },
  [Rule.CUSTOMER_CART]: { allows: (p, customer: { id: string }) => readsCustomerCart(p, customer.id), what: "this customer's cart (herself, store staff, support)" },
  [Rule.PAYMENTS]: { allows: recordsPayments, what: 'payments (partners need the scope payments:write)' },
  [Rule.ADMIN]: { allows: administers, what: 'administration (admins only)' },
  [Rule.SERVICE]: { allows: (p) => p.kind === 'SERVICE', what: 'internal operations' },
};

/**
 * type-graphql's auth checker for every subgraph: a denied field is null with an UNAUTHENTICATED or
 * FORBIDDEN error for its path, and the rest of the answer stands.
 */
export const authChecker: AuthChecker<RequestContext, Rule> = async ({ root, context }, rules) => {
  for (const rule of rules) {
    const check = CHECKS[rule];
    if (!(await check.allows(context.principal, root, context))) throw accessDenied(context.principal, check.what);
  }
  return true;
};

/** For a rule about one customer, checked where the customer is known: a customer acts only for themselves. */
export function requireSelf(principal: Principal, customerId: string): void {
  if (principal.kind === 'CUSTOMER' && principal.customerId !== customerId) throw accessDenied(principal, "another customer's data");
}

/** For a location-bound rule, checked where the location is known: store staff act only at their own store. */
export function requireAtLocation(principal: Principal, locationId: string | null): void {
  if (!actsAtLocation(principal, locationId)) throw accessDenied(principal, 'another location (store staff act at their own store)');
}
