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
  'partner catalog:read inventory:read',
  'partner customers:read',
] as const;
export type Caller = (typeof CALLERS)[number];

/**
 * ALLOW: the value, in full. MASKED: the value with its shape kept (`h***@example.com`). NULL: null
 * without an error (`me` of someone who is not a customer). FORBIDDEN / UNAUTHENTICATED: null and
 * that error code for the path, and the guarded value nowhere in the response.
 */
export type Outcome = 'ALLOW' | 'MASKED' | 'NULL' | 'FORBIDDEN' | 'UNAUTHENTICATED';

/** What a probe knows about the data: the customer whose data is probed, and things to look up. */
export interface Subjects {
  customerId: string;
  email: string;
  orderId: string;
  orderNumber: string;
  productId: string;
  locationId: string;
}

export interface Probe {
  document: string;
  variables: (s: Subjects) => Record<string, unknown>;
  /** The probed value in the response data (undefined/null when denied). */
  pick: (data: any) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The value itself, for ALLOW/MASKED checks and to show a denied value leaks nowhere. */
  expected?: (s: Subjects) => string;
  /** Where a customer reads it (customers use `me`, not lookups), when that differs. */
  asCustomer?: Omit<Probe, 'asCustomer' | 'expected'>;
}

export interface AccessRow {
  what: string;
  probe: Probe;
  outcomes: Record<Caller, Outcome>;
}

function row(what: string, probe: Probe, outcomes: Record<Caller, Outcome>): AccessRow {
  return { what, probe, outcomes };
}

const A = 'ALLOW', M = 'MASKED', F = 'FORBIDDEN', U = 'UNAUTHENTICATED', N = 'NULL'; // prettier-ignore

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

export const ACCESS_MATRIX: AccessRow[] = [
  row(
    '`products`, `product`, `productByCode`, `variantBySku`, product and variant fields',
    { document: '{ products(first: 1) { edges { node { id name } } } }', variables: () => ({}), pick: (d) => d?.products?.edges[0]?.node.name },
    { anonymous: A, 'customer (self)': A, 'customer (other)': A, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': A, 'partner catalog:read inventory:read': A, 'partner customers:read': F },
  ),
  row(
    '`locations`, `location`, `locationByBeacon`, `Location.stock`',
    { document: 'query($locationId: ID!) { location(id: $locationId) { name stock(first: 1) { edges { node { available } } } } }', variables: (s) => ({ locationId: s.locationId }), pick: (d) => d?.location?.name },
    { anonymous: A, 'customer (self)': A, 'customer (other)': A, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': A, 'partner catalog:read inventory:read': A, 'partner customers:read': F },
  ),
  row(
    '`availability`, `totalAvailable`, `StockLevel.available`',
    { document: 'query($productId: ID!) { product(id: $productId) { totalAvailable availability { available } } }', variables: (s) => ({ productId: s.productId }), pick: (d) => d?.product?.totalAvailable },
    { anonymous: A, 'customer (self)': A, 'customer (other)': A, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': A, 'partner catalog:read inventory:read': A, 'partner customers:read': F },
  ),
  row(
    '`onHand`, `reserved` (stock detail)',
    { document: 'query($locationId: ID!) { location(id: $locationId) { stock(first: 1) { edges { node { onHand reserved } } } } }', variables: (s) => ({ locationId: s.locationId }), pick: (d) => d?.location?.stock.edges[0]?.node.onHand },
    // A partner with inventory:read only reaches stock detail through a catalog:read entry point.
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': F, 'partner catalog:read inventory:read': A, 'partner customers:read': F },
  ),
  row(
    '`Product.boughtTogether`, `Location.bestsellers`',
    { document: 'query($locationId: ID!) { location(id: $locationId) { bestsellers(first: 1, days: 365) { id } } }', variables: (s) => ({ locationId: s.locationId }), pick: (d) => d?.location?.bestsellers },
    { anonymous: A, 'customer (self)': A, 'customer (other)': A, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': A, 'partner catalog:read inventory:read': A, 'partner customers:read': F },
  ),
  row(
    '`me`',
    { document: '{ me { id } }', variables: () => ({}), pick: (d) => d?.me?.id },
    { anonymous: N, 'customer (self)': A, 'customer (other)': A, 'store staff': N, support: N, marketing: N, admin: N, 'partner catalog:read': N, 'partner catalog:read inventory:read': N, 'partner customers:read': N },
  ),
  row(
    '`customer`, `customerByIdentity`, `customers` (look-ups)',
    { document: 'query($customerId: ID!) { customer(id: $customerId) { id } }', variables: (s) => ({ customerId: s.customerId }), pick: (d) => d?.customer?.id, expected: (s) => s.customerId },
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': F, 'partner catalog:read inventory:read': F, 'partner customers:read': F },
  ),
  row(
    'Customer profile: `displayName`, `identities`, `createdAt`, ...',
    customerField('id displayName identities { type }', (c) => c.displayName),
    { anonymous: U, 'customer (self)': A, 'customer (other)': F, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': F, 'partner catalog:read inventory:read': F, 'partner customers:read': F },
  ),
  row(
    'Contact details: `email`, `phone`, e-mail and phone `identities.value`',
    customerField('email', (c) => c.email, (s) => s.email),
    { anonymous: U, 'customer (self)': A, 'customer (other)': F, 'store staff': M, support: A, marketing: M, admin: A, 'partner catalog:read': F, 'partner catalog:read inventory:read': F, 'partner customers:read': F },
  ),
  row(
    '`Customer.orders`, `Customer.purchaseSummary`',
    customerField('purchaseSummary { orderCount } orders(first: 1) { edges { node { id } } }', (c) => c.purchaseSummary?.orderCount),
    { anonymous: U, 'customer (self)': A, 'customer (other)': F, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': F, 'partner catalog:read inventory:read': F, 'partner customers:read': F },
  ),
  row(
    '`Customer.recommendations`',
    customerField('recommendations(first: 1) { score }', (c) => c.recommendations),
    { anonymous: U, 'customer (self)': A, 'customer (other)': F, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': F, 'partner catalog:read inventory:read': F, 'partner customers:read': F },
  ),
  row(
    '`order`, `orderByNumber`, order fields',
    { document: 'query($orderNumber: String!) { orderByNumber(number: $orderNumber) { id number } }', variables: (s) => ({ orderNumber: s.orderNumber }), pick: (d) => d?.orderByNumber?.id, expected: (s) => s.orderId },
    { anonymous: U, 'customer (self)': A, 'customer (other)': F, 'store staff': A, support: A, marketing: A, admin: A, 'partner catalog:read': F, 'partner catalog:read inventory:read': F, 'partner customers:read': F },
  ),
  row(
    '`contactReads` (audit of unmasked contact reads)',
    { document: '{ contactReads(first: 1) { edges { node { id } } } }', variables: () => ({}), pick: (d) => d?.contactReads },
    { anonymous: U, 'customer (self)': F, 'customer (other)': F, 'store staff': F, support: F, marketing: F, admin: A, 'partner catalog:read': F, 'partner catalog:read inventory:read': F, 'partner customers:read': F },
  ),
];

const COLUMNS = ['Anonymous', 'Customer', 'Store staff', 'Support', 'Marketing', 'Admin', 'Partner'] as const;

function cell(outcome: Outcome): string {
  return { ALLOW: '✓', MASKED: 'masked', NULL: 'null', FORBIDDEN: '—', UNAUTHENTICATED: '—' }[outcome];
}

function customerCell(self: Outcome, other: Outcome): string {
  if (self === other) return cell(self);
  return self === 'ALLOW' ? 'own' : `${cell(self)} (own)`;
}

/** The scopes a partner needs, from the partner callers of the matrix (fewest scopes first). */
function partnerCell(outcomes: Record<Caller, Outcome>): string {
  const partners = CALLERS.filter((c) => c.startsWith('partner '));
  const allowed = partners.find((p) => outcomes[p] === 'ALLOW');
  if (allowed) return allowed.slice('partner '.length).split(' ').map((s) => `\`${s}\``).join(' + ');
  return cell(outcomes[partners[0]]);
}

/** The scopes of a partner caller. */
export function scopesOf(caller: Caller): PartnerScope[] {
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
