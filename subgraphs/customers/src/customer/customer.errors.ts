/** userError codes of customers, their identities and check-ins: stable, for clients to branch on. */
export const CustomerErrorCode = {
  NOT_FOUND: 'NOT_FOUND',
  CUSTOMER_ERASED: 'CUSTOMER_ERASED',
  INVALID_NAME: 'INVALID_NAME',
  /**
   * The identity (or the e-mail address or phone number given) belongs to another customer, who keeps
   * it: a verified link, a registration's own contact details, or any link this claim does not outrank
   * (an unverified key gives way only to a verified link, and an address a customer typed in for
   * themselves also to a registration with it).
   */
  IDENTITY_TAKEN: 'IDENTITY_TAKEN',
  IDENTITY_NOT_LINKED: 'IDENTITY_NOT_LINKED',
  /** The customer holds MAX_IDENTITIES_PER_CUSTOMER (20) identities already (a merge: both together would). */
  IDENTITY_LIMIT_REACHED: 'IDENTITY_LIMIT_REACHED',
  /**
   * Check-ins (and, per event, trackEvents): staff who see contact details masked name a customer by id
   * or by a key that is not a contact detail, never by an e-mail address or phone number, which would
   * tell them whose it is without their look-up budget.
   */
  CONTACT_IDENTITY_NOT_ALLOWED: 'CONTACT_IDENTITY_NOT_ALLOWED',
  /**
   * An EC_ACCOUNT given in the input by someone who may not vouch for one: it signs its owner in, so it
   * comes only from the customer's own verified token (registering signed in) or from support or a
   * service after checking.
   */
  EC_ACCOUNT_NOT_ALLOWED: 'EC_ACCOUNT_NOT_ALLOWED',
  /** Check-ins: give at most one of customerId and identity (a signed-in customer may give neither). */
  INVALID_SUBJECT: 'INVALID_SUBJECT',
  /** Check-ins: no standing customer has this id or verified identity (customers: FORBIDDEN_SUBJECT instead). */
  UNKNOWN_CUSTOMER: 'UNKNOWN_CUSTOMER',
  /** Check-ins: a customer checks in only themselves; store staff only customers, at their store. */
  FORBIDDEN_SUBJECT: 'FORBIDDEN_SUBJECT',
  /** Check-ins: store staff check customers in at their own store only. */
  OTHER_LOCATION: 'OTHER_LOCATION',
  /** Check-ins: not a location id (too long). */
  INVALID_REFERENCE: 'INVALID_REFERENCE',
  /** Check-ins: no location has this id. */
  UNKNOWN_LOCATION: 'UNKNOWN_LOCATION',
  /** Check-ins: a warehouse, where no customer walks in. */
  NOT_A_STORE: 'NOT_A_STORE',
  /** Check-ins: a BEACON check-in without the beacon heard. */
  MISSING_BEACON: 'MISSING_BEACON',
  /** Check-ins: the beacon heard is not one of the location's. */
  BEACON_NOT_AT_LOCATION: 'BEACON_NOT_AT_LOCATION',
} as const;

export type CustomerErrorCode = (typeof CustomerErrorCode)[keyof typeof CustomerErrorCode];
