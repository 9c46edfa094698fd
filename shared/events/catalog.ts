/**
 * Every event of the graph and its payload (version 1). This is the one place payloads are
 * documented; producers and consumers import these types. Money is in minor units, times are ISO 8601.
 * `schemas.ts` holds the same contract as runtime schemas, which consumers check every entry against
 * (the compiler fails when the two differ): change a payload in both.
 */

export type ChannelCode = 'EC' | 'APP' | 'STORE' | 'PARTNER';
export type ConsentPurposeCode = 'EMAIL_MARKETING' | 'PUSH' | 'PERSONALIZATION' | 'PARTNER_SHARING';
export type TouchpointTypeCode = 'PAGE_VIEW' | 'PRODUCT_VIEW' | 'SEARCH' | 'ADD_TO_CART' | 'STORE_CHECK_IN' | 'APP_OPEN';

/** A key by which a channel knows a customer: an identity type (MEMBER_CARD, EMAIL, ...) and its value. */
export interface IdentityFact {
  type: string;
  value: string;
}

export interface OrderLineFact {
  variantId: string;
  productId: string;
  quantity: number;
  /** Tax-inclusive unit price, minor units. */
  unitPrice: number;
}

export interface EventPayloads {
  /** customers → everyone: a customer record was created. */
  'customer.registered': { customerId: string; channel: ChannelCode | null };
  /**
   * customers → orders, recommendations: an identity (normalised value) now belongs to a customer, on a
   * link someone vouched for (staff, a service, a verification, or the key of the customer's own
   * device): orders and behaviour recorded under that identity alone join the customer's history. An
   * unverified link a customer made themselves is announced only once it is verified.
   */
  'customer.identity_linked': { customerId: string; identityType: string; identityValue: string };
  /** customers → everyone: an identity no longer belongs to the customer (what it brought stays). */
  'customer.identity_unlinked': { customerId: string; identityType: string; identityValue: string };
  /**
   * customers → every service that adds fields to Customer: `mergedId` is now `survivorId`. Keep the
   * merge map (merged id → survivor, followed transitively) and attribute the merged id's records to
   * the survivor. Merges may chain: B may itself be merged into C later, or already have been.
   */
  'customer.merged': { mergeId: string; survivorId: string; mergedId: string; mergedAt: string };
  /**
   * customers → every service that adds fields to Customer: the merge `mergeId` was undone. Drop the
   * map entry of `mergedId`, and give back to `mergedId` the records first attributed to any of
   * `restoredIds` (the merged id and the ids merged into it before, which stay merged into it).
   * `holderId`: the customer that held them until now (the survivor, or the customer the survivor was
   * merged into since); absent in events from before this field (then: `survivorId`). The gateway
   * forgets the sign-in subjects it resolved to `holderId`: some of them name `mergedId` again.
   */
  'customer.unmerged': { mergeId: string; survivorId: string; mergedId: string; restoredIds: string[]; holderId?: string };
  /**
   * customers → everyone: remove this person's personal data wherever a copy is kept (`erasedIds`:
   * the customer and every id merged into it). Keep what accounting needs, anonymised.
   */
  'customer.erased': { customerId: string; erasedIds: string[]; erasedAt: string };
  /** customers → recommendations (PERSONALIZATION), everyone: a consent was given or withdrawn. */
  'customer.consent_changed': { customerId: string; purpose: ConsentPurposeCode; granted: boolean; changedAt: string };
  /**
   * customers → recommendations: a behaviour event (view, search, cart add, check-in) was kept. Either
   * `customerId` or the identity it came with is set; `customer.identity_linked` later joins the two.
   */
  'customer.event_tracked': {
    eventId: string;
    type: TouchpointTypeCode;
    channel: ChannelCode;
    occurredAt: string;
    customerId: string | null;
    identityType: string | null;
    identityValue: string | null;
    productId: string | null;
    variantId: string | null;
    locationId: string | null;
  };
  /** orders → customers, recommendations: an order was placed (EC, APP) or a store sale was recorded. */
  'order.placed': {
    orderId: string;
    number: string;
    channel: ChannelCode;
    /** The customer the order was attributed to when placed (it may have been merged away since). */
    customerId: string | null;
    /**
     * The identity the sale was made with (e.g. a MEMBER_CARD at the till; value normalised as the
     * customers service stores it), or null. A sale may carry only this: consumers attribute it to the
     * identity's owner once `customer.identity_linked` names one.
     */
    customerIdentity: IdentityFact | null;
    /** Store of purchase or pickup, if any. */
    locationId: string | null;
    placedAt: string;
    total: number;
    currencyCode: string;
    lines: OrderLineFact[];
    /**
     * What inventory must do: SOLD_AT_LOCATION for an imported store sale (take the lines out of
     * `locationId`'s stock); COMMIT_RESERVATION for a placed order (take out what `reservationId`
     * holds, idempotently: nothing if it was committed already; if the hold lapsed or was released,
     * take the units again where they are still available and report the rest as `stock.shortage`);
     * NONE for history, and for orders placed before COMMIT_RESERVATION (their reservation was
     * committed by the orders service). Absent in events from before this field: NONE.
     */
    stockEffect?: 'NONE' | 'SOLD_AT_LOCATION' | 'COMMIT_RESERVATION';
    /** The inventory reservation the order's stock is held by (placeOrder); absent for store sales and history. */
    reservationId?: string;
  };
  /**
   * orders → inventory, customers, recommendations: an order was cancelled before fulfilment.
   * `restock`: what inventory puts back, and where (null when no stock had been taken), as the
   * orders service knows it. With `reservationId`, inventory puts back what it took for the order
   * through that reservation by its own record instead (nothing when the stock was never taken, the
   * units taken when the order was short) and lets a hold still open go; `restock` is then informational.
   */
  'order.cancelled': {
    orderId: string;
    channel: ChannelCode;
    customerId: string | null;
    cancelledAt: string;
    reason: string | null;
    restock: { locationId: string; lines: Array<{ variantId: string; productId: string; quantity: number }> } | null;
    /** The reservation the order's stock was held by (placeOrder); absent for store sales, history and older events. */
    reservationId?: string;
  };
  /**
   * orders → inventory (restock at `locationId`, where the return was received), customers (revenue
   * net of returns), recommendations (leave returned items out): goods came back and were refunded.
   */
  'order.returned': {
    orderId: string;
    returnId: string;
    channel: ChannelCode;
    customerId: string | null;
    locationId: string;
    returnedAt: string;
    /** Refunded, tax-inclusive, minor units. */
    refundTotal: number;
    lines: Array<{ variantId: string; productId: string; quantity: number; refund: number }>;
  };
  /** inventory → recommendations: a style was created or changed. */
  'product.changed': {
    productId: string;
    code: string;
    brand: string;
    category: string;
    price: number;
    releasedAt: string;
    soldOnline: boolean;
    variantIds: string[];
    /** Size and colour of each variant (absent in events from before this field). */
    variants?: Array<{ variantId: string; size: string; color: string }>;
  };
  /**
   * inventory → orders: an order's stock was partly or wholly gone when inventory took it out (its
   * hold had lapsed or been released and the units were sold meanwhile). Listed for staff as a stock
   * discrepancy of kind ORDER_SHORTAGE; the orders service flags the order. `short`: units of the line
   * not taken (0 < short <= quantity).
   */
  'stock.shortage': {
    orderId: string;
    reservationId: string;
    locationId: string;
    recordedAt: string;
    lines: Array<{ variantId: string; productId: string; quantity: number; short: number }>;
  };
  /** inventory → recommendations: stock levels at one location changed (at most a few hundred per event). */
  'stock.changed': {
    locationId: string;
    /** STORE or WAREHOUSE, when inventory knew the location at the time (absent in older events). */
    locationType?: 'STORE' | 'WAREHOUSE';
    /**
     * When the levels were read, in the transaction that changed them (holding their rows): a later
     * `asOf` has every earlier change of the level in it. `occurredAt` is the business event's time (a
     * till's), which can be older. Absent in older events.
     */
    asOf?: string;
    levels: Array<{ variantId: string; productId: string; onHand: number; reserved: number; available: number }>;
  };
  /**
   * carts → customers: a cart changed. `added`: lines added by the shopper in this change (each one an
   * ADD_TO_CART touchpoint of the customer, the only source of those: trackEvents refuses them);
   * not lines moved in by a claim or a merge. `itemCount`: units in the cart now (0 once checked out
   * or emptied); with `changedAt` and the customer's orders since, customers decides CART_ABANDONED.
   * `customerId` is null for an anonymous cart (customers ignores those).
   */
  'cart.changed': {
    cartId: string;
    customerId: string | null;
    channel: ChannelCode;
    itemCount: number;
    changedAt: string;
    added: Array<{ variantId: string; productId: string; quantity: number }>;
    /** Set when the change was a checkout into this order. */
    orderId: string | null;
  };
}

export type EventType = keyof EventPayloads;
