import { randomUUID } from 'node:crypto';
import type { PartnerScope } from '../../shared/auth/principal';

/**
 * Who may read what, as one table: the probes of test/access.test.ts check every cell through the
 * gateway, and README.md shows the same table (rendered by `renderAccessTable`, compared by the test).
 */
export const CALLERS = [
  'anonymous',
  'customer (self)',
  'customer (other)',
  'store staff',
  'support',
  'marketing',
  'admin',
  'partner catalog:read',
  'partner inventory:read',
  'partner catalog:read inventory:read',
  'partner inventory:write',
  'partner orders:write',
  'partner orders:import',
  'partner payments:write',
  'partner customers:read',
  'partner customers:read, customer without PARTNER_SHARING',
] as const;
export type Caller = (typeof CALLERS)[number];

/**
 * Not a caller of its own: the partner `customers:read` again, probing a customer who has not granted
 * PARTNER_SHARING (every other caller probes the customer who has, `customer (self)`).
 */
export const UNSHARED = 'partner customers:read, customer without PARTNER_SHARING' satisfies Caller;

/**
 * ALLOW: the value, in full (a mutation: a payload without GraphQL errors, with only the userErrors
 * the harmless probe expects). MASKED: the value with its shape kept (`h***@example.com`). NULL: null
 * without an error (`me` of someone who is not a customer). REJECTED: a mutation that answers, but
 * refuses the caller in its payload (a userError or a rejected item, e.g. FORBIDDEN_SUBJECT) and does
 * nothing. FORBIDDEN / UNAUTHENTICATED: null and that error code for the path, and the guarded value
 * nowhere in the response. GRAPHQL_VALIDATION_FAILED: the gateway refuses the document before anything
 * runs (a field for services only, @inaccessible: not in the gateway's schema). BUDGETED: answered up to
 * a budget per staff member and minute, then RATE_LIMITED for each further one (the probe asks more).
 */
export type Outcome = 'ALLOW' | 'MASKED' | 'NULL' | 'REJECTED' | 'BUDGETED' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'GRAPHQL_VALIDATION_FAILED';

/** What a probe knows about the data: the customer whose data is probed, and things to look up. */
export interface Subjects {
  customerId: string;
  email: string;
  /** The customer's name as it is (updateCustomer sets it again). */
  displayName: string;
  /**
   * An identity the customer has, verified, not a contact detail (linkIdentity links it again: nothing
   * changes, and no look-up budget is spent).
   */
  identity: { type: string; value: string };
  /** Another standing customer (previewCustomerMerge). */
  otherCustomerId: string;
  orderId: string;
  orderNumber: string;
  productId: string;
  locationId: string;
  /** The store of the store staff caller. */
  storeId: string;
  /** Another store. */
  otherStoreId: string;
  /** A completed order (a store sale) at the store staff's store: pick-ups are ILLEGAL_TRANSITION, returns of other goods RETURN_EXCEEDS_PURCHASE. */
  storeOrderId: string;
  /** A completed order at the other store. */
  otherStoreOrderId: string;
  /** Why goods of the customer's order (`orderNumber`) came back: beforeAll records a return of one unit. */
  returnReason: string;
  /** An order of the customer, cancelled by them in beforeAll with `cancelReason`. */
  cancelledOrderNumber: string;
  cancelReason: string;
  /** A reservation at the other store, released in beforeAll (releasing it again changes nothing). */
  releasedReservationId: string;
  /** A guest order (placed anonymously in beforeAll) and the e-mail address it was placed with. */
  guestOrderNumber: string;
  guestEmail: string;
  /** The customer's default address (ADDRESS, added in beforeAll; the update probes set it again). */
  addressId: string;
  /** One more address of the customer per caller (ADDRESS too), for that caller's updateAddress and removeAddress probes. */
  probeAddressIds: Record<Caller, string>;
  /**
   * An order the customer checked out from her cart (`checkoutCartId`) in beforeAll: shipped to her
   * default address on a delivery date and slot, paid by CARD (`paymentReference`, AUTHORIZED).
   */
  checkoutOrderId: string;
  checkoutOrderNumber: string;
  checkoutCartId: string;
  paymentReference: string;
  /** `deliveryDate deliverySlot shippingFee method status reference deadline` of that order, as she reads it. */
  checkoutDetails: string;
  /** The customer's active cart (with a line). */
  cartId: string;
  /** An anonymous cart (with a line), opened by its id. */
  anonymousCartId: string;
  /** An empty anonymous cart per caller, for that caller's claimCart probe. */
  claimableCartIds: Record<Caller, string>;
  /** An anonymous cart with a line in stock at the store staff's store per caller, for that caller's checkout at the till. */
  tillCartIds: Record<Caller, string>;
}

export interface Probe {
  document: string;
  /** The variables; `caller` for probes that must differ per caller to stay independent of order. */
  variables: (s: Subjects, caller: Caller) => Record<string, unknown>;
  /** The probed value in the response data (undefined/null when denied). */
  pick: (data: any) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The value itself, for ALLOW/MASKED checks and to show a denied value leaks nowhere. */
  expected?: (s: Subjects) => string;
  /** The value as MASKED callers see it, when not an e-mail address (`maskEmail(expected)`). */
  masked?: (s: Subjects) => string;
  /** The parts of the value that reach no MASKED or denied caller, when not `expected` whole (e.g. an address's recipient, lines and phone). */
  guarded?: (s: Subjects) => string[];
  /** Where a customer reads it (customers use `me`, not lookups), when that differs. */
  asCustomer?: Omit<Probe, 'asCustomer' | 'expected'>;
  /** A mutation: the codes of its payload's userErrors and rejected items. */
  codes?: (data: any) => string[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The codes an allowed caller gets from this harmless probe (e.g. SAME_CUSTOMER); none when left out. */
  allowedCodes?: string[];
  /** The codes with which the payload refuses a caller (REJECTED), e.g. FORBIDDEN_SUBJECT. */
  refusedCodes?: string[];
}

export interface AccessRow {
  what: string;
  /** One probe per operation or field of the row (all must give the row's outcome). */
  probes: Probe[];
  outcomes: Record<Caller, Outcome>;
}

function row(what: string, probe: Probe | Probe[], outcomes: Record<Caller, Outcome>): AccessRow {
  return { what, probes: Array.isArray(probe) ? probe : [probe], outcomes };
}

const A = 'ALLOW', M = 'MASKED', F = 'FORBIDDEN', U = 'UNAUTHENTICATED', N = 'NULL', R = 'REJECTED', B = 'BUDGETED', V = 'GRAPHQL_VALIDATION_FAILED'; // prettier-ignore

/** Customer data: the customer reads it through `me`, everyone else through `customer(id)`. */
function customerField(selection: string, pick: (customer: any) => unknown, expected?: Probe['expected']): Probe { // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    document: `query($customerId: ID!) { customer(id: $customerId) { ${selection} } }`,
    variables: (s) => ({ customerId: s.customerId }),
    pick: (data) => (data?.customer ? pick(data.customer) : null),
    expected,
    asCustomer: { document: `{ me { ${selection} } }`, variables: () => ({}), pick: (data) => (data?.me ? pick(data.me) : null) },
  };
}

/** Several guarded values read at once: null when every one is null (denied), else all of them. */
function every(...values: unknown[]): unknown[] | null {
  return values.some((v) => v !== null && v !== undefined) ? values : null;
}

/** A mutation probe: the payload of `field`, and the codes of its userErrors (or rejected items). */
function mutation(field: string, document: string, variables: Probe['variables'], codes: Pick<Probe, 'allowedCodes' | 'refusedCodes'> = {}): Probe {
  return {
    document,
    variables,
    pick: (data) => data?.[field],
    codes: (data) => [...(data?.[field]?.userErrors ?? []), ...(data?.[field]?.rejected ?? [])].map((e: { code: string }) => e.code),
    ...codes,
  };
}

const UNKNOWN_ID = '00000000-0000-4000-8000-00000000a11c';
/** One more look-up than the default MASKED_LOOKUPS_PER_MINUTE (10). */
const LOOKUP_PROBE_ALIASES = 11;
const slug = (caller: Caller) => caller.replace(/[^a-z0-9]+/gi, '-');
const isStaff = (caller: Caller) => ['store staff', 'support', 'marketing', 'admin'].includes(caller);

function checkIn(where: (s: Subjects) => string): Probe {
  return mutation(
    'checkIn',
    'mutation($input: CheckInInput!) { checkIn(input: $input) { presence { expiresAt } userErrors { code } } }',
    (s, caller) => ({ input: { customerId: s.customerId, locationId: where(s), method: isStaff(caller) ? 'STAFF' : 'QR' } }),
    { refusedCodes: ['FORBIDDEN_SUBJECT', 'OTHER_LOCATION'] },
  );
}

/** A mutation of one order that answers with an OrderPayload (cancelOrder, markReadyForPickup, completePickup). */
function orderMutation(field: string, inputType: string, input: (s: Subjects) => Record<string, unknown>, allowedCodes: string[]): Probe {
  return mutation(field, `mutation($input: ${inputType}!) { ${field}(input: $input) { orderNumber userErrors { code } } }`, (s) => ({ input: input(s) }), { allowedCodes });
}

/** importStoreTransactions of one sale of a SKU nobody has: the transaction is REJECTED (UNKNOWN_SKU), nothing is imported. */
function importSales(where: (s: Subjects) => string): Probe {
  return {
    ...mutation(
      'importStoreTransactions',
      'mutation($input: ImportStoreTransactionsInput!) { importStoreTransactions(input: $input) { results { transactionId status code } userErrors { code } } }',
      (s, caller) => ({
        input: {
          locationId: where(s),
          // Rung up an hour ago: within the import window.
          transactions: [{ transactionId: `access-probe-${slug(caller)}`, occurredAt: new Date(Date.now() - 3600_000).toISOString(), lines: [{ sku: 'ACCESS-PROBE-NO-SUCH-SKU', quantity: 1, unitPrice: 1000 }] }],
        },
      }),
      { allowedCodes: ['UNKNOWN_SKU'] },
    ),
    codes: (data) => [
      ...(data?.importStoreTransactions?.userErrors ?? []).map((e: { code: string }) => e.code),
      ...(data?.importStoreTransactions?.results ?? []).filter((r: { status: string }) => r.status === 'REJECTED').map((r: { code: string }) => r.code),
    ],
  };
}

/**
 * Who is in a store, the pick-up queue of a store, pick-ups of a completed order (ILLEGAL_TRANSITION:
 * nothing moves), and a return at the store of goods the order never had (RETURN_EXCEEDS_PURCHASE:
 * nothing recorded).
 */
function storeOrders(where: (s: Subjects) => string, orderAt: (s: Subjects) => string): Probe[] {
  return [
    {
      document: 'query($locationId: ID!) { customersInStore(locationId: $locationId) { id } }',
      variables: (s) => ({ locationId: where(s) }),
      pick: (d) => d?.customersInStore,
    },
    {
      document: 'query($locationId: ID!) { pickupQueue(locationId: $locationId, first: 1) { edges { node { id } } } }',
      variables: (s) => ({ locationId: where(s) }),
      pick: (d) => d?.pickupQueue?.edges,
    },
    orderMutation('markReadyForPickup', 'PickupInput', (s) => ({ orderId: orderAt(s) }), ['ILLEGAL_TRANSITION']),
    orderMutation('completePickup', 'PickupInput', (s) => ({ orderId: orderAt(s) }), ['ILLEGAL_TRANSITION']),
    mutation(
      'createReturn',
      'mutation($input: CreateReturnInput!) { createReturn(input: $input) { return { id } userErrors { code } } }',
      (s) => ({ input: { orderId: s.storeOrderId, locationId: where(s), lines: [{ variantId: UNKNOWN_ID, quantity: 1 }], reason: 'access probe' } }),
      { allowedCodes: ['RETURN_EXCEEDS_PURCHASE'] },
    ),
  ];
}

/**
 * Stock changes at a location that change nothing: an adjustment and a reservation of a variant
 * nobody has (UNKNOWN_VARIANT), a transfer to the same location (SAME_LOCATION), and committing and
 * releasing `reservation` (an unknown one, or one released already).
 */
function stockChanges(
  label: string,
  where: (s: Subjects) => string,
  reservation: (s: Subjects) => string,
  codes: { commit: string[]; release: string[] },
): Probe[] {
  const reservationPayload = 'reservation { id status } userErrors { code }';
  return [
    mutation(
      'adjustStock',
      'mutation($input: AdjustStockInput!) { adjustStock(input: $input) { level { available } userErrors { code } } }',
      (s) => ({ input: { locationId: where(s), variantId: UNKNOWN_ID, delta: 1, reason: 'access probe' } }),
      { allowedCodes: ['UNKNOWN_VARIANT'] },
    ),
    mutation(
      'transferStock',
      'mutation($input: TransferStockInput!) { transferStock(input: $input) { transferId userErrors { code } } }',
      (s) => ({ input: { fromLocationId: where(s), toLocationId: where(s), lines: [{ variantId: UNKNOWN_ID, quantity: 1 }] } }),
      { allowedCodes: ['SAME_LOCATION'] },
    ),
    mutation(
      'reserveStock',
      `mutation($input: ReserveStockInput!) { reserveStock(input: $input) { ${reservationPayload} } }`,
      (s, caller) => ({ input: { idempotencyKey: `access-probe-${label}-${slug(caller)}`, locationId: where(s), lines: [{ variantId: UNKNOWN_ID, quantity: 1 }] } }),
      { allowedCodes: ['UNKNOWN_VARIANT'] },
    ),
    mutation(
      'commitReservation',
      `mutation($input: CommitReservationInput!) { commitReservation(input: $input) { ${reservationPayload} } }`,
      (s) => ({ input: { reservationId: reservation(s) } }),
      { allowedCodes: codes.commit },
    ),
    mutation(
      'releaseReservation',
      `mutation($input: ReleaseReservationInput!) { releaseReservation(input: $input) { ${reservationPayload} } }`,
      (s) => ({ input: { reservationId: reservation(s) } }),
      { allowedCodes: codes.release },
    ),
  ];
}

const stockDiscrepancies = (where: (s: Subjects) => string | null): Probe => ({
  document: 'query($locationId: ID) { stockDiscrepancies(locationId: $locationId, first: 1) { edges { node { id kind unitsShort } } } }',
  variables: (s) => ({ locationId: where(s) }),
  pick: (d) => d?.stockDiscrepancies?.edges,
});

/** The address beforeAll gives the customer (as typed: default, and one per caller to update and remove). */
export const ADDRESS = { recipientName: '山田 花子', postalCode: '150-0041', prefecture: '東京', city: '渋谷区', line1: '神南1-2-3', line2: 'ハイツ101', phone: '090-1234-5678' };
const ADDRESS_FIELDS = 'recipientName postalCode prefecture city line1 line2 phone';
/** ADDRESS as the graph keeps it (normalised), as store staff and marketing see it, and the parts they never see. */
const ADDRESS_KEPT = '山田 花子 / 1500041 東京都 渋谷区 / 神南1-2-3 / ハイツ101 / +819012345678';
const ADDRESS_MASKED = '山* ** / 1500041 東京都 渋谷区 / 神**-*-* / ハ***** / +81******5678';
const ADDRESS_GUARDED = ['山田 花子', '神南1-2-3', 'ハイツ101', '+819012345678'];

/** An address (Address or ShippingAddress) as one line, the personal parts and the rest. */
function addressLine(a: { recipientName: string; postalCode: string; prefecture: string; city: string; line1: string; line2: string | null; phone: string } | null | undefined): string | null {
  return a ? `${a.recipientName} / ${a.postalCode} ${a.prefecture} ${a.city} / ${a.line1} / ${a.line2} / ${a.phone}` : null;
}

/** Delivery and payment of a checked-out order as one line (Subjects.checkoutDetails). */
export function checkoutDetailsOf(order: any): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const { deliveryDate, deliverySlot, shippingFee, payment } = order;
  return [deliveryDate, deliverySlot, shippingFee?.amount, payment?.method, payment?.status, payment?.reference, payment?.deadline].map(String).join(' ');
}

/** A field of the order the customer checked out from her cart in beforeAll. */
function checkoutOrder(selection: string, pick: (order: any) => unknown): Pick<Probe, 'document' | 'variables' | 'pick'> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    document: `query($orderNumber: String!) { orderByNumber(number: $orderNumber) { id ${selection} } }`,
    variables: (s) => ({ orderNumber: s.checkoutOrderNumber }),
    pick: (d) => (d?.orderByNumber ? pick(d.orderByNumber) ?? null : null),
  };
}

const cartById = (id: (s: Subjects) => string): Probe => ({
  document: 'query($id: ID!) { cart(id: $id) { id itemCount } }',
  variables: (s) => ({ id: id(s) }),
  pick: (d) => d?.cart?.id,
  expected: id,
});

const CART_PAYLOAD = 'cart { id } userErrors { code }';

export const ACCESS_MATRIX: AccessRow[] = [
  row(
    '`products`, `product`, `productByCode`, `variantBySku`, product and variant fields',
    { document: '{ products(first: 1) { edges { node { id name } } } }', variables: () => ({}), pick: (d) => d?.products?.edges[0]?.node.name },
    { anonymous: A, 'customer (self)': A, 'customer (other)': A, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': A, 'partner inventory:read': F, 'partner catalog:read inventory:read': A, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`variantsBySku`, `commitReservationForOrder` (for services only, `@inaccessible`: not in the gateway\'s schema)',
    [
      { document: '{ variantsBySku(skus: ["ACCESS-PROBE"]) { id } }', variables: () => ({}), pick: (d) => d?.variantsBySku },
      mutation(
        'commitReservationForOrder',
        'mutation($input: CommitReservationForOrderInput!) { commitReservationForOrder(input: $input) { reservation { id status } userErrors { code } } }',
        (s) => ({ input: { reservationId: s.releasedReservationId, orderId: s.orderId } }),
      ),
    ],
    { anonymous: V, 'customer (self)': V, 'customer (other)': V, 'store staff': V, support: V, marketing: V, admin: V, 'partner catalog:read': V, 'partner inventory:read': V, 'partner catalog:read inventory:read': V, 'partner inventory:write': V, 'partner orders:write': V, 'partner orders:import': V, 'partner payments:write': V, 'partner customers:read': V, [UNSHARED]: V },
  ),
  row(
    '`locations`, `location`, `locationByBeacon`, `Location.stock`',
    { document: 'query($locationId: ID!) { location(id: $locationId) { name stock(first: 1) { edges { node { available } } } } }', variables: (s) => ({ locationId: s.locationId }), pick: (d) => d?.location?.name },
    { anonymous: A, 'customer (self)': A, 'customer (other)': A, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': A, 'partner inventory:read': F, 'partner catalog:read inventory:read': A, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`availability`, `totalAvailable`, `StockLevel.available`',
    { document: 'query($productId: ID!) { product(id: $productId) { totalAvailable availability { available } } }', variables: (s) => ({ productId: s.productId }), pick: (d) => d?.product?.totalAvailable },
    { anonymous: A, 'customer (self)': A, 'customer (other)': A, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': A, 'partner inventory:read': F, 'partner catalog:read inventory:read': A, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`onHand`, `reserved` (stock detail)',
    { document: 'query($locationId: ID!) { location(id: $locationId) { stock(first: 1) { edges { node { onHand reserved } } } } }', variables: (s) => ({ locationId: s.locationId }), pick: (d) => d?.location?.stock.edges[0]?.node.onHand },
    // A partner with inventory:read only reaches stock detail through a catalog:read entry point.
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': A, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`stockDiscrepancies` (store sales beyond the count, orders short of stock) at the store staff\'s store',
    stockDiscrepancies((s) => s.storeId),
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': F, 'partner inventory:read': A, 'partner catalog:read inventory:read': A, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`stockDiscrepancies` of another store, or of every location',
    [stockDiscrepancies((s) => s.otherStoreId), stockDiscrepancies(() => null)],
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': F, support: A, marketing: A, admin: A, 'partner catalog:read': F, 'partner inventory:read': A, 'partner catalog:read inventory:read': A, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`Product.boughtTogether`, `Location.bestsellers`, `Location.newArrivals`',
    [
      { document: 'query($productId: ID!) { product(id: $productId) { boughtTogether(first: 1) { id } } }', variables: (s) => ({ productId: s.productId }), pick: (d) => d?.product?.boughtTogether },
      { document: 'query($locationId: ID!) { location(id: $locationId) { bestsellers(first: 1, days: 365) { id } } }', variables: (s) => ({ locationId: s.locationId }), pick: (d) => d?.location?.bestsellers },
      { document: 'query($locationId: ID!) { location(id: $locationId) { newArrivals(first: 1) { id } } }', variables: (s) => ({ locationId: s.locationId }), pick: (d) => d?.location?.newArrivals },
    ],
    { anonymous: A, 'customer (self)': A, 'customer (other)': A, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': A, 'partner inventory:read': F, 'partner catalog:read inventory:read': A, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`me`',
    { document: '{ me { id } }', variables: () => ({}), pick: (d) => d?.me?.id },
    { anonymous: N, 'customer (self)': A, 'customer (other)': A, 'store staff': N, support: N, marketing: N, admin: N, 'partner catalog:read': N, 'partner inventory:read': N, 'partner catalog:read inventory:read': N, 'partner inventory:write': N, 'partner orders:write': N, 'partner orders:import': N, 'partner payments:write': N, 'partner customers:read': N, [UNSHARED]: N },
  ),
  row(
    '`customer`, `customerByIdentity` (look-ups)',
    [
      { document: 'query($customerId: ID!) { customer(id: $customerId) { id } }', variables: (s) => ({ customerId: s.customerId }), pick: (d) => d?.customer?.id, expected: (s) => s.customerId },
      {
        document: 'query($email: String!) { customerByIdentity(type: EMAIL, value: $email) { id } }',
        variables: (s) => ({ email: s.email }),
        pick: (d) => d?.customerByIdentity?.id,
        expected: (s) => s.customerId,
      },
      // Not even whether the id or the e-mail address is a customer's (no field of the customer read).
      {
        document: 'query($customerId: ID!, $email: String!) { customer(id: $customerId) { __typename } customerByIdentity(type: EMAIL, value: $email) { __typename } }',
        variables: (s) => ({ customerId: s.customerId, email: s.email }),
        pick: (d) => every(d?.customer, d?.customerByIdentity),
      },
    ],
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': A, [UNSHARED]: F },
  ),
  row(
    '`customers` (lists and search by name, identity, segment; contact details as below)',
    {
      document: 'query($email: String!) { customers(first: 1, filter: { identity: { type: EMAIL, value: $email } }) { edges { node { id email } } } }',
      variables: (s) => ({ email: s.email }),
      pick: (d) => d?.customers?.edges[0]?.node.email,
      expected: (s) => s.email,
    },
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': M, support: A, marketing: M, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    'Look-ups by `EMAIL` or `PHONE` (`customerByIdentity`, `customers` by identity) past `MASKED_LOOKUPS_PER_MINUTE` a minute, each alias counting (roles that see contact details masked: `RATE_LIMITED`)',
    {
      // More aliases than the budget: a masked role gets the first answered and the rest RATE_LIMITED.
      document: `query($email: String!) { ${Array.from({ length: LOOKUP_PROBE_ALIASES }, (_, i) => `l${i}: customerByIdentity(type: EMAIL, value: $email) { id }`).join(' ')} }`,
      variables: (s) => ({ email: s.email }),
      pick: (d) => every(...Array.from({ length: LOOKUP_PROBE_ALIASES }, (_, i) => d?.[`l${i}`] ?? null)),
    },
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': B, support: A, marketing: B, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': A, [UNSHARED]: F },
  ),
  row(
    'Customer profile: `displayName`, `identities`, `createdAt`, ...',
    customerField('id displayName identities { type }', (c) => c.displayName, (s) => s.displayName),
    { anonymous: U, 'customer (self)': A, 'customer (other)': F, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': A, [UNSHARED]: F },
  ),
  row(
    'Contact details: `email`, `phone`, e-mail and phone `identities.value`',
    customerField('email phone identities { type value }', (c) => c.email, (s) => s.email),
    { anonymous: U, 'customer (self)': A, 'customer (other)': F, 'store staff': M, support: A, marketing: M, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': A, [UNSHARED]: F },
  ),
  row(
    '`Customer.addresses` (recipient, street lines and phone masked as contact details are)',
    {
      ...customerField(`addresses { isDefault ${ADDRESS_FIELDS} }`, (c) => addressLine(c.addresses?.find((a: { isDefault: boolean }) => a.isDefault)), () => ADDRESS_KEPT),
      masked: () => ADDRESS_MASKED,
      guarded: () => ADDRESS_GUARDED,
    },
    { anonymous: U, 'customer (self)': A, 'customer (other)': F, 'store staff': M, support: A, marketing: M, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': A, [UNSHARED]: F },
  ),
  row(
    '`Customer.touchpoints`, `presence`, `consents`, `consentHistory`, `mergedIds`, `erasedAt`',
    customerField(
      'touchpoints(first: 1) { edges { node { id type } } } presence { since } consents { purpose granted } consentHistory { purpose } mergedIds erasedAt',
      (c) => every(c.touchpoints, c.presence, c.consents, c.consentHistory, c.mergedIds, c.erasedAt),
    ),
    { anonymous: U, 'customer (self)': A, 'customer (other)': F, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': A, [UNSHARED]: F },
  ),
  row(
    '`Customer.segments`',
    customerField('segments { code since }', (c) => c.segments),
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`segmentReport`',
    { document: '{ segmentReport { generatedAt segments { code customers } } }', variables: () => ({}), pick: (d) => d?.segmentReport?.generatedAt },
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': F, support: F, marketing: A, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`Customer.orders`, `Customer.purchaseSummary`',
    customerField('purchaseSummary { orderCount } orders(first: 1) { edges { node { id } } }', (c) => c.purchaseSummary?.orderCount),
    // Only the customers service knows PARTNER_SHARING: elsewhere partners see no customer.
    { anonymous: U, 'customer (self)': A, 'customer (other)': F, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`Customer.recommendations` (any context)',
    [
      customerField('recommendations(first: 1) { score reasons { code message basedOn { id } } }', (c) => c.recommendations),
      customerField('recommendations(first: 1, context: { channel: EC, inStockOnly: true }) { product { id } variant { id } }', (c) => c.recommendations),
    ],
    { anonymous: U, 'customer (self)': A, 'customer (other)': F, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`order`, `orderByNumber`, order fields (`stockShortAt` and `lines.quantityShort` too)',
    { document: 'query($orderNumber: String!) { orderByNumber(number: $orderNumber) { id number total { amount } stockShortAt lines { quantity quantityShort } fulfillment { type } customer { id } } }', variables: (s) => ({ orderNumber: s.orderNumber }), pick: (d) => d?.orderByNumber?.id, expected: (s) => s.orderId },
    // Someone else's order answers as an unknown one does: null, without an error (no oracle).
    { anonymous: N, 'customer (self)': A, 'customer (other)': N, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': N, 'partner inventory:read': N, 'partner catalog:read inventory:read': N, 'partner inventory:write': N, 'partner orders:write': N, 'partner orders:import': N, 'partner payments:write': N, 'partner customers:read': N, [UNSHARED]: N },
  ),
  row(
    '`orderByNumber(number, guestEmail)` of a guest order (the number and the guest e-mail together; for anyone who may check out as a guest)',
    {
      document: 'query($number: String!, $guestEmail: String) { orderByNumber(number: $number, guestEmail: $guestEmail) { number total { amount } lines { quantity } } }',
      variables: (s) => ({ number: s.guestOrderNumber, guestEmail: s.guestEmail }),
      pick: (d) => d?.orderByNumber?.number,
      expected: (s) => s.guestOrderNumber,
    },
    { anonymous: A, 'customer (self)': A, 'customer (other)': A, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': N, 'partner inventory:read': N, 'partner catalog:read inventory:read': N, 'partner inventory:write': N, 'partner orders:write': A, 'partner orders:import': N, 'partner payments:write': N, 'partner customers:read': N, [UNSHARED]: N },
  ),
  row(
    '`Order.returns`, `cancelledAt`, `cancelReason`',
    [
      {
        document: 'query($orderNumber: String!) { orderByNumber(number: $orderNumber) { cancelledAt cancelReason } }',
        variables: (s) => ({ orderNumber: s.cancelledOrderNumber }),
        pick: (d) => d?.orderByNumber?.cancelReason,
        expected: (s) => s.cancelReason,
      },
      {
        document: 'query($orderNumber: String!) { orderByNumber(number: $orderNumber) { returns { reason refundTotal { amount } } } }',
        variables: (s) => ({ orderNumber: s.orderNumber }),
        pick: (d) => d?.orderByNumber?.returns?.map((r: { reason: string }) => r.reason).join(' '),
        expected: (s) => s.returnReason,
      },
    ],
    { anonymous: N, 'customer (self)': A, 'customer (other)': N, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': N, 'partner inventory:read': N, 'partner catalog:read inventory:read': N, 'partner inventory:write': N, 'partner orders:write': N, 'partner orders:import': N, 'partner payments:write': N, 'partner customers:read': N, [UNSHARED]: N },
  ),
  row(
    '`Order.shippingAddress` (a snapshot of the address at checkout; masked as the customer\'s addresses are)',
    { ...checkoutOrder(`shippingAddress { ${ADDRESS_FIELDS} }`, (o) => addressLine(o.shippingAddress)), expected: () => ADDRESS_KEPT, masked: () => ADDRESS_MASKED, guarded: () => ADDRESS_GUARDED },
    { anonymous: N, 'customer (self)': A, 'customer (other)': N, 'store staff': M, support: A, marketing: M, admin: A, 'partner catalog:read': N, 'partner inventory:read': N, 'partner catalog:read inventory:read': N, 'partner inventory:write': N, 'partner orders:write': N, 'partner orders:import': N, 'partner payments:write': N, 'partner customers:read': N, [UNSHARED]: N },
  ),
  row(
    '`Order.deliveryDate`, `deliverySlot`, `shippingFee`, `payment`',
    { ...checkoutOrder('deliveryDate deliverySlot shippingFee { amount } payment { method status reference deadline }', checkoutDetailsOf), expected: (s) => s.checkoutDetails },
    { anonymous: N, 'customer (self)': A, 'customer (other)': N, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': N, 'partner inventory:read': N, 'partner catalog:read inventory:read': N, 'partner inventory:write': N, 'partner orders:write': N, 'partner orders:import': N, 'partner payments:write': N, 'partner customers:read': N, [UNSHARED]: N },
  ),
  row(
    '`Order.cart` (resolved by carts: readable as `Customer.cart` is)',
    { ...checkoutOrder('cart { id }', (o) => o.cart?.id), expected: (s) => s.checkoutCartId },
    { anonymous: N, 'customer (self)': A, 'customer (other)': N, 'store staff': A, support: A, marketing: F, admin: A, 'partner catalog:read': N, 'partner inventory:read': N, 'partner catalog:read inventory:read': N, 'partner inventory:write': N, 'partner orders:write': N, 'partner orders:import': N, 'partner payments:write': N, 'partner customers:read': N, [UNSHARED]: N },
  ),
  row(
    '`registerCustomer`',
    mutation(
      'registerCustomer',
      'mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { customerId userErrors { code } } }',
      (_s, caller) => ({ input: { displayName: `Access probe ${slug(caller)} ${randomUUID().slice(0, 8)}` } }),
    ),
    { anonymous: A, 'customer (self)': F, 'customer (other)': F, 'store staff': A, support: A, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`registerCustomer` with an `EC_ACCOUNT` in the input (a signed-in registrant\'s own comes from their token; others: `EC_ACCOUNT_NOT_ALLOWED`)',
    mutation(
      'registerCustomer',
      'mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { customerId userErrors { code } } }',
      (_s, caller) => ({
        input: { displayName: `Access probe ${slug(caller)}`, identities: [{ type: 'EC_ACCOUNT', value: `access-probe-${slug(caller)}-${randomUUID().slice(0, 8)}` }] },
      }),
      { refusedCodes: ['EC_ACCOUNT_NOT_ALLOWED'] },
    ),
    { anonymous: R, 'customer (self)': F, 'customer (other)': F, 'store staff': R, support: A, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`updateCustomer`, `linkIdentity`, `unlinkIdentity`',
    [
      // The name it has already; an identity the customer has already (a no-op); one nobody has.
      mutation(
        'updateCustomer',
        'mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { customerId userErrors { code } } }',
        (s) => ({ input: { customerId: s.customerId, displayName: s.displayName } }),
      ),
      mutation(
        'linkIdentity',
        'mutation($input: LinkIdentityInput!) { linkIdentity(input: $input) { customerId userErrors { code } } }',
        (s) => ({ input: { customerId: s.customerId, identity: s.identity } }),
      ),
      mutation(
        'unlinkIdentity',
        'mutation($input: UnlinkIdentityInput!) { unlinkIdentity(input: $input) { customerId userErrors { code } } }',
        (s) => ({ input: { customerId: s.customerId, identity: { type: 'DEVICE', value: 'access-probe-nobody' } } }),
        { allowedCodes: ['IDENTITY_NOT_LINKED'] },
      ),
    ],
    { anonymous: U, 'customer (self)': A, 'customer (other)': F, 'store staff': A, support: A, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`linkIdentity` of an `EC_ACCOUNT`, which signs its owner in (support after checking; others: `EC_ACCOUNT_NOT_ALLOWED`)',
    mutation(
      'linkIdentity',
      'mutation($input: LinkIdentityInput!) { linkIdentity(input: $input) { customerId userErrors { code } } }',
      (s, caller) => ({ input: { customerId: s.customerId, identity: { type: 'EC_ACCOUNT', value: `access-probe-${slug(caller)}` } } }),
      { refusedCodes: ['EC_ACCOUNT_NOT_ALLOWED'] },
    ),
    { anonymous: U, 'customer (self)': R, 'customer (other)': F, 'store staff': R, support: A, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`addAddress`',
    mutation(
      'addAddress',
      'mutation($input: AddAddressInput!) { addAddress(input: $input) { address { id } userErrors { code } } }',
      // A postal code of five digits: INVALID_POSTAL_CODE once the caller may add to this customer's addresses, nothing added.
      (s) => ({ input: { customerId: s.customerId, address: { ...ADDRESS, postalCode: '150-41' } } }),
      { allowedCodes: ['INVALID_POSTAL_CODE'] },
    ),
    { anonymous: U, 'customer (self)': A, 'customer (other)': F, 'store staff': A, support: A, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`updateAddress`, `removeAddress` (a customer her own: anyone else\'s is `UNKNOWN_ADDRESS`, as an unknown id is)',
    [
      // The caller's own address of the customer (beforeAll): set to what it is, then removed.
      mutation(
        'updateAddress',
        'mutation($input: UpdateAddressInput!) { updateAddress(input: $input) { address { id } userErrors { code } } }',
        (s, caller) => ({ input: { addressId: s.probeAddressIds[caller], address: ADDRESS } }),
        { refusedCodes: ['UNKNOWN_ADDRESS'] },
      ),
      mutation(
        'removeAddress',
        'mutation($input: RemoveAddressInput!) { removeAddress(input: $input) { removedAddressId userErrors { code } } }',
        (s, caller) => ({ input: { addressId: s.probeAddressIds[caller] } }),
        { refusedCodes: ['UNKNOWN_ADDRESS'] },
      ),
    ],
    { anonymous: U, 'customer (self)': A, 'customer (other)': R, 'store staff': A, support: A, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`checkIn` at the store staff\'s store (another customer: `FORBIDDEN_SUBJECT`)',
    checkIn((s) => s.storeId),
    { anonymous: U, 'customer (self)': A, 'customer (other)': R, 'store staff': A, support: A, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`checkIn` at another store (store staff: `OTHER_LOCATION`)',
    checkIn((s) => s.otherStoreId),
    { anonymous: U, 'customer (self)': A, 'customer (other)': R, 'store staff': R, support: A, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`checkIn` by an `EMAIL` or `PHONE` identity (roles that see contact details masked: `CONTACT_IDENTITY_NOT_ALLOWED`, they name the customer by id; a customer: their own)',
    mutation(
      'checkIn',
      'mutation($input: CheckInInput!) { checkIn(input: $input) { presence { expiresAt } userErrors { code } } }',
      (s, caller) => ({ input: { identity: { type: 'EMAIL', value: s.email }, locationId: s.storeId, method: isStaff(caller) ? 'STAFF' : 'QR' } }),
      { refusedCodes: ['FORBIDDEN_SUBJECT', 'CONTACT_IDENTITY_NOT_ALLOWED'] },
    ),
    { anonymous: U, 'customer (self)': A, 'customer (other)': R, 'store staff': R, support: A, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`updateConsents`',
    mutation(
      'updateConsents',
      'mutation($input: UpdateConsentsInput!) { updateConsents(input: $input) { userErrors { code } } }',
      // What beforeAll granted already: nothing changes.
      (s) => ({ input: { customerId: s.customerId, consents: [{ purpose: 'PARTNER_SHARING', granted: true }] } }),
    ),
    { anonymous: U, 'customer (self)': A, 'customer (other)': F, 'store staff': F, support: A, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`trackEvents` of a device nobody has claimed',
    mutation(
      'trackEvents',
      'mutation($input: TrackEventsInput!) { trackEvents(input: $input) { accepted duplicates rejected { index code } } }',
      // One event id for every caller: kept once, a duplicate afterwards.
      () => ({ input: { events: [{ eventId: 'access-probe-device', type: 'PAGE_VIEW', channel: 'EC', occurredAt: '2025-01-01T00:00:00.000Z', identity: { type: 'DEVICE', value: 'access-probe-device' } }] } }),
      { refusedCodes: ['FORBIDDEN_SUBJECT'] },
    ),
    { anonymous: A, 'customer (self)': A, 'customer (other)': A, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`trackEvents` of a customer (someone else\'s: `FORBIDDEN_SUBJECT`, per event)',
    mutation(
      'trackEvents',
      'mutation($input: TrackEventsInput!) { trackEvents(input: $input) { accepted duplicates rejected { index code } } }',
      // An event id per caller: a refused caller never meets an id another caller's event was kept under.
      (s, caller) => ({
        input: { events: [{ eventId: `access-probe-${slug(caller)}`, type: 'PAGE_VIEW', channel: 'EC', occurredAt: '2025-01-01T00:00:00.000Z', customerId: s.customerId }] },
      }),
      { refusedCodes: ['FORBIDDEN_SUBJECT'] },
    ),
    { anonymous: R, 'customer (self)': A, 'customer (other)': R, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`trackEvents` under an `EMAIL` or `PHONE` identity (roles that see contact details masked: `CONTACT_IDENTITY_NOT_ALLOWED`, per event; a customer: their own)',
    mutation(
      'trackEvents',
      'mutation($input: TrackEventsInput!) { trackEvents(input: $input) { accepted duplicates rejected { index code } } }',
      (s, caller) => ({
        input: { events: [{ eventId: `access-probe-email-${slug(caller)}`, type: 'PAGE_VIEW', channel: 'EC', occurredAt: '2025-01-01T00:00:00.000Z', identity: { type: 'EMAIL', value: s.email } }] },
      }),
      { refusedCodes: ['FORBIDDEN_SUBJECT', 'CONTACT_IDENTITY_NOT_ALLOWED'] },
    ),
    { anonymous: R, 'customer (self)': A, 'customer (other)': R, 'store staff': R, support: A, marketing: R, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`Customer.merges`, `previewCustomerMerge`, `exportCustomerData`, `mergeCustomers`, `unmergeCustomers`',
    [
      {
        document:
          'query($customerId: ID!, $otherId: ID!) { customer(id: $customerId) { merges { id } } previewCustomerMerge(survivorId: $customerId, mergedId: $otherId) { touchpointsMoving } exportCustomerData(id: $customerId) { customerId customers orders } }',
        variables: (s) => ({ customerId: s.customerId, otherId: s.otherCustomerId }),
        pick: (d) => every(d?.customer?.merges, d?.previewCustomerMerge, d?.exportCustomerData),
        asCustomer: {
          document:
            'query($customerId: ID!, $otherId: ID!) { me { merges { id } } previewCustomerMerge(survivorId: $customerId, mergedId: $otherId) { touchpointsMoving } exportCustomerData(id: $customerId) { customerId customers orders } }',
          variables: (s) => ({ customerId: s.customerId, otherId: s.otherCustomerId }),
          pick: (d) => every(d?.me?.merges, d?.previewCustomerMerge, d?.exportCustomerData),
        },
      },
      // A customer with themselves (SAME_CUSTOMER), a merge that does not exist (NOT_FOUND): nothing changes.
      mutation(
        'mergeCustomers',
        'mutation($input: MergeCustomersInput!) { mergeCustomers(input: $input) { userErrors { code } } }',
        (s) => ({ input: { survivorId: s.customerId, mergedId: s.customerId } }),
        { allowedCodes: ['SAME_CUSTOMER'] },
      ),
      mutation(
        'unmergeCustomers',
        'mutation($input: UnmergeCustomersInput!) { unmergeCustomers(input: $input) { userErrors { code } } }',
        () => ({ input: { mergeId: UNKNOWN_ID } }),
        { allowedCodes: ['NOT_FOUND'] },
      ),
    ],
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': F, support: A, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`eraseCustomer`',
    mutation(
      'eraseCustomer',
      'mutation($input: EraseCustomerInput!) { eraseCustomer(input: $input) { userErrors { code } } }',
      // Nobody's: NOT_FOUND.
      () => ({ input: { customerId: UNKNOWN_ID } }),
      { allowedCodes: ['NOT_FOUND'] },
    ),
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': F, support: F, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`contactReads` (audit of unmasked contact reads)',
    { document: '{ contactReads(first: 1) { edges { node { id } } } }', variables: () => ({}), pick: (d) => d?.contactReads },
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': F, support: F, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`placeOrder` (a customer for themselves; staff and partners for a customer they name; guests with `guestEmail`)',
    mutation(
      'placeOrder',
      'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { orderNumber userErrors { code } } }',
      // A variant nobody has (UNKNOWN_VARIANT): nothing is reserved or recorded.
      (s, caller) => ({
        input: {
          idempotencyKey: `access-probe-${slug(caller)}`,
          channel: 'EC',
          ...(caller === 'anonymous' ? { guestEmail: 'access-probe@example.com' } : { customerId: s.customerId }),
          lines: [{ variantId: UNKNOWN_ID, quantity: 1 }],
          fulfillment: { type: 'SHIP' },
        },
      }),
      { allowedCodes: ['UNKNOWN_VARIANT'] },
    ),
    { anonymous: A, 'customer (self)': A, 'customer (other)': F, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': A, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`cancelOrder`',
    // The customer's completed order: ILLEGAL_TRANSITION, nothing changes.
    orderMutation('cancelOrder', 'CancelOrderInput', (s) => ({ orderId: s.orderId, reason: 'access probe' }), ['ILLEGAL_TRANSITION']),
    { anonymous: U, 'customer (self)': A, 'customer (other)': F, 'store staff': F, support: A, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`recordPayment` (a payment provider\'s report)',
    mutation(
      'recordPayment',
      'mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { orderNumber payment { status } userErrors { code } } }',
      // The status the payment has, under its reference: the same report again changes nothing.
      (s) => ({ input: { orderId: s.checkoutOrderId, status: 'AUTHORIZED', reference: s.paymentReference } }),
    ),
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': F, support: F, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': A, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`importStoreTransactions` at the store staff\'s store',
    importSales((s) => s.storeId),
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': A, support: F, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': A, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`importStoreTransactions` at another store',
    importSales((s) => s.otherStoreId),
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': F, support: F, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': A, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`customersInStore`, `pickupQueue`, `markReadyForPickup`, `completePickup`, `createReturn` at the store staff\'s store',
    storeOrders((s) => s.storeId, (s) => s.storeOrderId),
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': A, support: A, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`customersInStore`, `pickupQueue`, `markReadyForPickup`, `completePickup`, `createReturn` at another store',
    storeOrders((s) => s.otherStoreId, (s) => s.otherStoreOrderId),
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': F, support: A, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`adjustStock`, `transferStock`, `reserveStock`, `commitReservation`, `releaseReservation` at the store staff\'s store',
    stockChanges('store', (s) => s.storeId, () => UNKNOWN_ID, { commit: ['UNKNOWN_RESERVATION'], release: ['UNKNOWN_RESERVATION'] }),
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': A, support: F, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': A, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`adjustStock`, `transferStock`, `reserveStock`, `commitReservation`, `releaseReservation` at another store',
    stockChanges('other-store', (s) => s.otherStoreId, (s) => s.releasedReservationId, { commit: ['RESERVATION_RELEASED'], release: [] }),
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': F, support: F, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': A, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`Customer.cart`, `cart(id)` of a customer\'s cart',
    [customerField('cart { id itemCount }', (c) => c.cart?.id, (s) => s.cartId), cartById((s) => s.cartId)],
    { anonymous: U, 'customer (self)': A, 'customer (other)': F, 'store staff': A, support: A, marketing: F, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`cart(id)` of an anonymous cart (its id is its key)',
    cartById((s) => s.anonymousCartId),
    { anonymous: A, 'customer (self)': A, 'customer (other)': A, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`cartCreate` (a new anonymous cart, or a customer\'s one active cart; staff: `NOT_YOUR_CART`)',
    mutation('cartCreate', `mutation($input: CartCreateInput!) { cartCreate(input: $input) { ${CART_PAYLOAD} } }`, () => ({ input: { channel: 'EC' } }), { refusedCodes: ['NOT_YOUR_CART'] }),
    { anonymous: A, 'customer (self)': A, 'customer (other)': A, 'store staff': R, support: R, marketing: R, admin: R, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`cartLinesAdd`, `cartLinesUpdate`, `cartLinesRemove` of a customer\'s cart (anyone else: `NOT_YOUR_CART`)',
    [
      // A variant nobody has (UNKNOWN_VARIANT), a line the cart does not have (UNKNOWN_LINE): nothing changes.
      mutation(
        'cartLinesAdd',
        `mutation($input: CartLinesAddInput!) { cartLinesAdd(input: $input) { ${CART_PAYLOAD} } }`,
        (s) => ({ input: { cartId: s.cartId, lines: [{ variantId: UNKNOWN_ID, quantity: 1 }] } }),
        { allowedCodes: ['UNKNOWN_VARIANT'], refusedCodes: ['NOT_YOUR_CART'] },
      ),
      mutation(
        'cartLinesUpdate',
        `mutation($input: CartLinesUpdateInput!) { cartLinesUpdate(input: $input) { ${CART_PAYLOAD} } }`,
        (s) => ({ input: { cartId: s.cartId, lines: [{ lineId: UNKNOWN_ID, quantity: 1 }] } }),
        { allowedCodes: ['UNKNOWN_LINE'], refusedCodes: ['NOT_YOUR_CART'] },
      ),
      mutation(
        'cartLinesRemove',
        `mutation($input: CartLinesRemoveInput!) { cartLinesRemove(input: $input) { ${CART_PAYLOAD} } }`,
        (s) => ({ input: { cartId: s.cartId, lineIds: [UNKNOWN_ID] } }),
        { allowedCodes: ['UNKNOWN_LINE'], refusedCodes: ['NOT_YOUR_CART'] },
      ),
    ],
    { anonymous: R, 'customer (self)': A, 'customer (other)': R, 'store staff': R, support: R, marketing: R, admin: R, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`claimCart` of an anonymous cart (not a signed-in customer: `NOT_CLAIMABLE`)',
    // The caller's own empty anonymous cart (beforeAll): a customer's cart gains nothing.
    mutation('claimCart', `mutation($input: ClaimCartInput!) { claimCart(input: $input) { ${CART_PAYLOAD} } }`, (s, caller) => ({ input: { cartId: s.claimableCartIds[caller] } }), {
      refusedCodes: ['NOT_CLAIMABLE'],
    }),
    { anonymous: R, 'customer (self)': A, 'customer (other)': A, 'store staff': R, support: R, marketing: R, admin: R, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
  row(
    '`checkoutCart` at the till (`CARRY_OUT` at the store staff\'s store; anyone else: `NOT_AT_THE_TILL`)',
    // The caller's own anonymous cart (beforeAll), paid at the till: store staff sell it, nobody else gets as far.
    mutation(
      'checkoutCart',
      'mutation($input: CheckoutCartInput!) { checkoutCart(input: $input) { cart { id } order { id } orderNumber userErrors { code } } }',
      (s, caller) => ({
        input: { cartId: s.tillCartIds[caller], idempotencyKey: `access-probe-till-${slug(caller)}`, fulfillment: { type: 'CARRY_OUT', locationId: s.storeId }, payment: { method: 'PAY_AT_STORE' } },
      }),
      { refusedCodes: ['NOT_AT_THE_TILL'] },
    ),
    { anonymous: R, 'customer (self)': R, 'customer (other)': R, 'store staff': A, support: R, marketing: R, admin: R, 'partner catalog:read': F, 'partner inventory:read': F, 'partner catalog:read inventory:read': F, 'partner inventory:write': F, 'partner orders:write': F, 'partner orders:import': F, 'partner payments:write': F, 'partner customers:read': F, [UNSHARED]: F },
  ),
];

const COLUMNS = ['Anonymous', 'Customer', 'Store staff', 'Support', 'Marketing', 'Admin', 'Partner'] as const;

function cell(outcome: Outcome): string {
  return { ALLOW: '✓', MASKED: 'masked', NULL: 'null', REJECTED: '— (in payload)', BUDGETED: '✓ within budget', FORBIDDEN: '—', UNAUTHENTICATED: '—', GRAPHQL_VALIDATION_FAILED: '—' }[outcome];
}

function customerCell(self: Outcome, other: Outcome): string {
  if (self === other) return cell(self);
  return self === 'ALLOW' ? 'own' : `${cell(self)} (own)`;
}

/**
 * The scopes a partner needs, from the partner callers of the matrix (fewest scopes first); and the
 * customer's PARTNER_SHARING consent when the same partner is refused a customer without it.
 */
function partnerCell(outcomes: Record<Caller, Outcome>): string {
  const partners = CALLERS.filter((c) => c.startsWith('partner ') && c !== UNSHARED);
  const allowed = partners.find((p) => outcomes[p] === 'ALLOW');
  if (!allowed) return cell(outcomes[partners[0]]);
  const scopes = scopesOf(allowed).map((s) => `\`${s}\``);
  const consent = allowed === 'partner customers:read' && outcomes[UNSHARED] !== 'ALLOW' ? ['consent `PARTNER_SHARING`'] : [];
  return [...scopes, ...consent].join(' + ');
}

/** The scopes of a partner caller. */
export function scopesOf(caller: Caller): PartnerScope[] {
  if (caller === UNSHARED) return ['customers:read'];
  return caller.slice('partner '.length).split(' ') as PartnerScope[];
}

/** The access table of README.md. */
export function renderAccessTable(): string {
  const lines = [`| Field or operation | ${COLUMNS.join(' | ')} |`, `|---|${COLUMNS.map(() => '---').join('|')}|`];
  for (const { what, outcomes: o } of ACCESS_MATRIX) {
    const cells = [
      cell(o.anonymous),
      customerCell(o['customer (self)'], o['customer (other)']),
      cell(o['store staff']),
      cell(o.support),
      cell(o.marketing),
      cell(o.admin),
      partnerCell(o),
    ];
    lines.push(`| ${what} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
