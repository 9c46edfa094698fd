import { registerEnumType } from 'type-graphql';

/** Why a cart mutation did not do what was asked (`userErrors[].code`). */
export enum CartErrorCode {
  /** No open cart by this id (never was, expired, claimed, or erased). */
  UNKNOWN_CART = 'UNKNOWN_CART',
  /** The cart belongs to another customer. */
  NOT_YOUR_CART = 'NOT_YOUR_CART',
  /** The cart was checked out (with another idempotency key: the same key returns its order). */
  CART_CHECKED_OUT = 'CART_CHECKED_OUT',
  /** Another checkout of the cart is under way: retry with its idempotency key. */
  CHECKOUT_IN_PROGRESS = 'CHECKOUT_IN_PROGRESS',
  UNKNOWN_VARIANT = 'UNKNOWN_VARIANT',
  /** The variant is no longer sold (online, for the EC site and the app). */
  DISCONTINUED = 'DISCONTINUED',
  UNKNOWN_LINE = 'UNKNOWN_LINE',
  /** A quantity below 1 (0 in cartLinesUpdate removes the line) or above CART_LINE_MAX_QUANTITY. */
  INVALID_QUANTITY = 'INVALID_QUANTITY',
  /** Fewer units available than the line would hold. */
  INSUFFICIENT_STOCK = 'INSUFFICIENT_STOCK',
  TOO_MANY_LINES = 'TOO_MANY_LINES',
  EMPTY_CART = 'EMPTY_CART',
  /** claimCart of a cart that is not anonymous, or by someone who is not a signed-in customer. */
  NOT_CLAIMABLE = 'NOT_CLAIMABLE',
  /** A guest checkout needs guestEmail; a customer's saved address needs the cart to be hers. */
  GUEST_EMAIL_REQUIRED = 'GUEST_EMAIL_REQUIRED',
  UNKNOWN_ADDRESS = 'UNKNOWN_ADDRESS',
  /** SHIP needs an address: addressId or address. */
  ADDRESS_REQUIRED = 'ADDRESS_REQUIRED',
  /** CARRY_OUT is rung up by store staff at their own store; PICKUP_IN_STORE and CARRY_OUT need locationId. */
  LOCATION_REQUIRED = 'LOCATION_REQUIRED',
  NOT_AT_THE_TILL = 'NOT_AT_THE_TILL',
  /** The orders service refused the order with a code this service does not know: see the message. */
  CHECKOUT_REFUSED = 'CHECKOUT_REFUSED',
}

registerEnumType(CartErrorCode, {
  name: 'CartErrorCode',
  description: "Codes of the carts service's userErrors. checkoutCart also passes on the orders service's codes (OrderErrorCode, address codes).",
});
