import { AddressErrorCode } from '../../../../shared/address';

/** userError codes of the orders service: stable, for clients to branch on. */
export const OrderErrorCode = {
  /** Not enough stock where the order would be fulfilled (passed on from inventory). */
  INSUFFICIENT_STOCK: 'INSUFFICIENT_STOCK',
  UNKNOWN_VARIANT: 'UNKNOWN_VARIANT',
  UNKNOWN_LOCATION: 'UNKNOWN_LOCATION',
  /** A quantity outside its bounds (shared/bounds.ts): placeOrder 1-99 per variant, store sales and returns 1-999 per line. */
  INVALID_QUANTITY: 'INVALID_QUANTITY',
  /** The order's total would pass ¥999,999,999 (MAX_ORDER_TOTAL). */
  ORDER_TOTAL_TOO_LARGE: 'ORDER_TOTAL_TOO_LARGE',
  /** The customer named (or signed in) does not exist or was erased: both answer alike. */
  UNKNOWN_CUSTOMER: 'UNKNOWN_CUSTOMER',
  /** No lines, or more than an order may have. */
  INVALID_LINES: 'INVALID_LINES',
  /** A style sold in stores only, ordered online. */
  NOT_SOLD_ONLINE: 'NOT_SOLD_ONLINE',
  /** placeOrder takes EC and APP orders, and STORE orders only as sales at the till (CARRY_OUT); other store sales come through importStoreTransactions. */
  UNSUPPORTED_CHANNEL: 'UNSUPPORTED_CHANNEL',
  /** CARRY_OUT in an EC or APP order (a sale at the till is a STORE order). */
  UNSUPPORTED_FULFILLMENT: 'UNSUPPORTED_FULFILLMENT',
  /** PICKUP_IN_STORE, SHIP_FROM_STORE and CARRY_OUT need a store. */
  LOCATION_REQUIRED: 'LOCATION_REQUIRED',
  NOT_A_STORE: 'NOT_A_STORE',
  PICKUP_NOT_AVAILABLE: 'PICKUP_NOT_AVAILABLE',
  /** A guest order needs an e-mail address to reach the buyer. */
  GUEST_EMAIL_REQUIRED: 'GUEST_EMAIL_REQUIRED',
  INVALID_EMAIL: 'INVALID_EMAIL',
  /**
   * The idempotency key was used before by another caller, or for a different request (other lines,
   * fulfilment, channel or buyer): nothing of that order is told.
   */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** A status change the order's state does not allow (e.g. cancelling a completed order). */
  ILLEGAL_TRANSITION: 'ILLEGAL_TRANSITION',
  /** Returns: the goods have not reached the customer yet (cancel instead), or the order was cancelled. */
  NOT_RETURNABLE: 'NOT_RETURNABLE',
  /** Returns: more units than were bought and not yet returned. */
  RETURN_EXCEEDS_PURCHASE: 'RETURN_EXCEEDS_PURCHASE',
  /** Store sales. */
  UNKNOWN_SKU: 'UNKNOWN_SKU',
  /**
   * A store sale under an e-mail address or phone number, imported by staff who see those masked:
   * whose sale it became would tell them whose the value is.
   */
  CONTACT_IDENTITY_NOT_ALLOWED: 'CONTACT_IDENTITY_NOT_ALLOWED',
  /** A unit price outside 0..¥99,999,999 (MAX_UNIT_PRICE). */
  INVALID_PRICE: 'INVALID_PRICE',
  INVALID_IDENTITY: 'INVALID_IDENTITY',
  INVALID_TRANSACTION: 'INVALID_TRANSACTION',
  /** A store sale dated before the import window (STORE_SALE_WINDOW_DAYS). */
  SALE_TOO_OLD: 'SALE_TOO_OLD',
  /** A store sale dated in the future, beyond five minutes of clock skew. */
  SALE_IN_FUTURE: 'SALE_IN_FUTURE',
  /** Checkout: a shipped order with a payment needs fulfillment.address. */
  ADDRESS_REQUIRED: 'ADDRESS_REQUIRED',
  /** Checkout: the shipping address, field by field (shared/address.ts's codes, passed on as they are). */
  INVALID_POSTAL_CODE: AddressErrorCode.INVALID_POSTAL_CODE,
  INVALID_PREFECTURE: AddressErrorCode.INVALID_PREFECTURE,
  INVALID_PHONE: AddressErrorCode.INVALID_PHONE,
  INVALID_ADDRESS_FIELD: AddressErrorCode.INVALID_ADDRESS_FIELD,
  /** Checkout: a delivery date before today + DELIVERY_LEAD_DAYS or after today + DELIVERY_HORIZON_DAYS (business calendar). */
  DELIVERY_DATE_OUT_OF_RANGE: 'DELIVERY_DATE_OUT_OF_RANGE',
  /** Checkout: the payment method does not fit the fulfilment (e.g. cash on delivery for a pickup). */
  PAYMENT_METHOD_NOT_ALLOWED: 'PAYMENT_METHOD_NOT_ALLOWED',
  /** Checkout: CARD and KONBINI need the payment provider's reference. */
  PAYMENT_REFERENCE_REQUIRED: 'PAYMENT_REFERENCE_REQUIRED',
  /** A sale at the till (CARRY_OUT) says how it was paid. */
  PAYMENT_REQUIRED: 'PAYMENT_REQUIRED',
  /** recordPayment: the order was placed without a payment. */
  NO_PAYMENT: 'NO_PAYMENT',
  /** recordPayment: the reference is not the order's payment reference. */
  PAYMENT_REFERENCE_MISMATCH: 'PAYMENT_REFERENCE_MISMATCH',
  /** recordPayment: a change the payment's status does not allow (e.g. FAILED to PAID). */
  ILLEGAL_PAYMENT_TRANSITION: 'ILLEGAL_PAYMENT_TRANSITION',
  /** recordPayment: a cancelled order cannot be paid. */
  ORDER_CANCELLED: 'ORDER_CANCELLED',
} as const;
