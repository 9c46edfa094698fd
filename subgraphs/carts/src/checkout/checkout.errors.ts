import { AddressErrorCode } from '../../../../shared/address';
import { CartErrorCode } from '../cart/cart.errors';

/**
 * The orders service's refusals of a checkout that checkoutCart passes on under the same code (the
 * orders service documents them): stock, variants, the store, the buyer, the address, the delivery
 * date, the payment. Any other code is CHECKOUT_REFUSED, with the orders service's message.
 */
const PASSED_ON: ReadonlySet<string> = new Set([
  CartErrorCode.INSUFFICIENT_STOCK,
  CartErrorCode.UNKNOWN_VARIANT,
  CartErrorCode.INVALID_QUANTITY,
  CartErrorCode.ADDRESS_REQUIRED,
  CartErrorCode.LOCATION_REQUIRED,
  CartErrorCode.GUEST_EMAIL_REQUIRED,
  ...Object.values(AddressErrorCode),
  'UNKNOWN_LOCATION',
  'NOT_A_STORE',
  'PICKUP_NOT_AVAILABLE',
  'NOT_SOLD_ONLINE',
  'UNKNOWN_CUSTOMER',
  'INVALID_EMAIL',
  'ORDER_TOTAL_TOO_LARGE',
  'UNSUPPORTED_FULFILLMENT',
  'DELIVERY_DATE_OUT_OF_RANGE',
  'PAYMENT_METHOD_NOT_ALLOWED',
  'PAYMENT_REFERENCE_REQUIRED',
  'PAYMENT_REQUIRED',
]);

export function checkoutErrorCode(ordersCode: string | undefined): string {
  return ordersCode !== undefined && PASSED_ON.has(ordersCode) ? ordersCode : CartErrorCode.CHECKOUT_REFUSED;
}
