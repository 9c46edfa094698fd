/** Codes of a behaviour event trackEvents rejects (`rejected { code }`): stable, for clients to branch on. */
export const TrackRejectionCode = {
  /** eventId missing, too long, or not printable ASCII. */
  INVALID_EVENT_ID: 'INVALID_EVENT_ID',
  /** Not exactly one of customerId and identity. */
  INVALID_SUBJECT: 'INVALID_SUBJECT',
  /** The identity value does not normalise (also: control, invisible, combining, bidirectional or NUL characters). */
  INVALID_IDENTITY: 'INVALID_IDENTITY',
  UNKNOWN_CUSTOMER: 'UNKNOWN_CUSTOMER',
  /** The caller may not send events for this customer or identity. */
  FORBIDDEN_SUBJECT: 'FORBIDDEN_SUBJECT',
  /**
   * Staff who see contact details masked (store staff, marketing) send events with a customerId (from a
   * budgeted look-up), not under an EMAIL or PHONE: whether it joined someone's history would say whose it is.
   */
  CONTACT_IDENTITY_NOT_ALLOWED: 'CONTACT_IDENTITY_NOT_ALLOWED',
  OCCURRED_IN_FUTURE: 'OCCURRED_IN_FUTURE',
  /** A field the event's type needs (e.g. productId of a PRODUCT_VIEW). */
  MISSING_FIELD: 'MISSING_FIELD',
  INVALID_QUERY: 'INVALID_QUERY',
  /** An id too long, or a variant of another product than the one given. */
  INVALID_REFERENCE: 'INVALID_REFERENCE',
  /** Ids the catalog (inventory) does not have. */
  UNKNOWN_PRODUCT: 'UNKNOWN_PRODUCT',
  UNKNOWN_VARIANT: 'UNKNOWN_VARIANT',
  UNKNOWN_LOCATION: 'UNKNOWN_LOCATION',
  /** A STORE_CHECK_IN at a warehouse. */
  NOT_A_STORE: 'NOT_A_STORE',
  /** An ADD_TO_CART: the cart records what is added to it (cartLinesAdd), so one add is never counted twice. */
  RECORDED_BY_CART: 'RECORDED_BY_CART',
} as const;

export type TrackRejectionCode = (typeof TrackRejectionCode)[keyof typeof TrackRejectionCode];
