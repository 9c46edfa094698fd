import { validateAddress, type PostalAddress } from '../../../../shared/address';
import { utcOffsetMinutes } from '../../../../shared/business-time';
import type { Config } from '../../../../shared/config';
import { DeliverySlot, FulfillmentType, PaymentMethod, PaymentStatus } from '../../../../shared/graphql/checkout';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import { OrderErrorCode } from './order.errors';

/**
 * The rules of a checkout (placeOrder with a payment): where it ships and when, how it is paid, what
 * that costs. Pure: no clock, no database; the caller passes "now" and the settings (config.checkout).
 */

export type CheckoutSettings = Config['checkout'];

const DAY_MS = 24 * 3600 * 1000;

/** Consumption tax rate of shipping and payment fees (a service: the standard rate), basis points. */
export const FEE_TAX_RATE_BP = 1000;

/** The address as a client typed it (AddressInput). */
export interface AddressFields {
  recipientName: string;
  postalCode: string;
  prefecture: string;
  city: string;
  line1: string;
  line2?: string | null;
  phone: string;
}

export interface CheckoutRequest {
  fulfillment: {
    type: FulfillmentType;
    address?: AddressFields | null;
    /** YYYY-MM-DD, in the business calendar. */
    deliveryDate?: string | null;
    deliverySlot?: DeliverySlot | null;
  };
  payment?: { method: PaymentMethod; reference?: string | null } | null;
}

/** Where and when the goods are delivered; all null unless the order is shipped and says so. */
export interface Delivery {
  address: PostalAddress | null;
  date: string | null;
  slot: DeliverySlot | null;
}

/** How the order is paid, as chosen (the state comes with the order: initialPayment). */
export interface PaymentChoice {
  method: PaymentMethod;
  reference: string | null;
}

export interface PaymentState extends PaymentChoice {
  status: PaymentStatus;
  /** KONBINI: unpaid by then, the order is cancelled. */
  deadline: Date | null;
  paidAt: Date | null;
}

/** Fulfilments that carry parcels to an address. */
export function isShipped(type: FulfillmentType): boolean {
  return type === FulfillmentType.SHIP || type === FulfillmentType.SHIP_FROM_STORE;
}

/** Which fulfilments each payment method fits: the method of paying must be possible where the goods change hands. */
const FITS: Record<PaymentMethod, (type: FulfillmentType) => boolean> = {
  [PaymentMethod.PAY_AT_STORE]: (type) => type === FulfillmentType.PICKUP_IN_STORE || type === FulfillmentType.CARRY_OUT,
  [PaymentMethod.CASH_ON_DELIVERY]: isShipped,
  [PaymentMethod.KONBINI]: (type) => type !== FulfillmentType.CARRY_OUT,
  [PaymentMethod.CARD]: () => true,
};

export function paymentFits(method: PaymentMethod, type: FulfillmentType): boolean {
  return FITS[method](type);
}

/** Methods whose provider gives the storefront a reference to pass on. */
const NEEDS_REFERENCE: ReadonlySet<PaymentMethod> = new Set([PaymentMethod.CARD, PaymentMethod.KONBINI]);

/** Today in the business calendar (TZ_BUSINESS), YYYY-MM-DD. */
export function businessDate(at: Date, timeZone: string): string {
  return new Date(at.getTime() + utcOffsetMinutes(timeZone, at) * 60_000).toISOString().slice(0, 10);
}

/** A calendar day `days` after `date` (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** The delivery dates open today: from today + deliveryLeadDays to today + deliveryHorizonDays, both included. */
export function deliveryWindow(now: Date, timeZone: string, settings: CheckoutSettings): { earliest: string; latest: string } {
  const today = businessDate(now, timeZone);
  return { earliest: addDays(today, settings.deliveryLeadDays), latest: addDays(today, settings.deliveryHorizonDays) };
}

/**
 * Checks what does not depend on the day: the payment fits the fulfilment and carries its reference,
 * a till sale says how it was paid, a shipped checkout has a valid address. Returns the delivery
 * (address normalised; slot ANY when a date or an address is given without one) and the payment.
 * Delivery fields of a fulfilment that ships nothing are ignored. Refusals are userErrors.
 */
export function checkCheckout(request: CheckoutRequest): { delivery: Delivery; payment: PaymentChoice | null } {
  const { fulfillment } = request;
  const payment = request.payment ? checkPayment(request.payment, fulfillment.type) : null;
  if (!payment && fulfillment.type === FulfillmentType.CARRY_OUT) {
    throw new UserErrorException(OrderErrorCode.PAYMENT_REQUIRED, 'a sale at the till says how it was paid', ['input', 'payment']);
  }
  if (!isShipped(fulfillment.type)) return { delivery: { address: null, date: null, slot: null }, payment };
  if (!fulfillment.address && payment) {
    throw new UserErrorException(OrderErrorCode.ADDRESS_REQUIRED, 'a shipped checkout needs an address', ['input', 'fulfillment', 'address']);
  }
  const address = fulfillment.address ? checkAddress(fulfillment.address) : null;
  const date = fulfillment.deliveryDate ?? null;
  const slot = fulfillment.deliverySlot ?? (date || address ? DeliverySlot.ANY : null);
  return { delivery: { address, date, slot }, payment };
}

/** DELIVERY_DATE_OUT_OF_RANGE unless the date is within the window open at `now` (or none was asked for). */
export function checkDeliveryDate(date: string | null, now: Date, timeZone: string, settings: CheckoutSettings): void {
  if (date === null) return;
  const { earliest, latest } = deliveryWindow(now, timeZone, settings);
  if (date < earliest || date > latest) {
    throw new UserErrorException(OrderErrorCode.DELIVERY_DATE_OUT_OF_RANGE, `a delivery date is from ${earliest} to ${latest}`, ['input', 'fulfillment', 'deliveryDate']);
  }
}

function checkPayment(payment: { method: PaymentMethod; reference?: string | null }, type: FulfillmentType): PaymentChoice {
  if (!paymentFits(payment.method, type)) {
    throw new UserErrorException(OrderErrorCode.PAYMENT_METHOD_NOT_ALLOWED, `${payment.method} does not fit ${type}`, ['input', 'payment', 'method']);
  }
  const reference = payment.reference?.trim() || null;
  if (!reference && NEEDS_REFERENCE.has(payment.method)) {
    throw new UserErrorException(OrderErrorCode.PAYMENT_REFERENCE_REQUIRED, `${payment.method} needs the provider's reference`, ['input', 'payment', 'reference']);
  }
  return { method: payment.method, reference };
}

/** The normalised address, or the first problem as a userError under the shared address code. */
function checkAddress(fields: AddressFields): PostalAddress {
  const result = validateAddress(fields);
  if ('address' in result) return result.address;
  const [problem] = result.problems;
  throw new UserErrorException(OrderErrorCode[problem.code], problem.message, ['input', 'fulfillment', 'address', problem.field]);
}

/**
 * The payment of an order placed at `placedAt`: a till sale (CARRY_OUT) is paid there and then; a card
 * payment the provider authorised; anything else waits (konbini until its deadline).
 */
export function initialPayment(choice: PaymentChoice, type: FulfillmentType, placedAt: Date, settings: CheckoutSettings): PaymentState {
  const paid = type === FulfillmentType.CARRY_OUT;
  const status = paid ? PaymentStatus.PAID : choice.method === PaymentMethod.CARD ? PaymentStatus.AUTHORIZED : PaymentStatus.PENDING;
  return {
    ...choice,
    status,
    deadline: choice.method === PaymentMethod.KONBINI ? new Date(placedAt.getTime() + settings.konbiniPaymentDays * DAY_MS) : null,
    paidAt: paid ? placedAt : null,
  };
}

/**
 * What a checkout charges on top of the goods (tax-inclusive, minor units): shipping below the free
 * threshold for shipped orders, and the cash-on-delivery fee. Null where the fee does not apply; both
 * null without a payment (orders placed before checkout, and clients that send none).
 */
export function checkoutFees(
  type: FulfillmentType,
  method: PaymentMethod | null,
  goodsTotal: number,
  settings: CheckoutSettings,
): { shippingFee: number | null; paymentFee: number | null } {
  if (method === null) return { shippingFee: null, paymentFee: null };
  return {
    shippingFee: isShipped(type) ? (goodsTotal < settings.freeShippingFrom ? settings.shippingFee : 0) : null,
    paymentFee: method === PaymentMethod.CASH_ON_DELIVERY ? settings.cashOnDeliveryFee : null,
  };
}

/** What recordPayment may do to a payment: nothing (the same status again), move it, or refuse. */
export type PaymentTransition = 'SAME' | 'ALLOWED' | 'ILLEGAL';

const PAYMENT_MOVES: Record<PaymentStatus, readonly PaymentStatus[]> = {
  [PaymentStatus.PENDING]: [PaymentStatus.PAID, PaymentStatus.FAILED],
  [PaymentStatus.AUTHORIZED]: [PaymentStatus.PAID, PaymentStatus.FAILED],
  [PaymentStatus.PAID]: [PaymentStatus.REFUNDED],
  [PaymentStatus.FAILED]: [],
  [PaymentStatus.REFUNDED]: [],
};

export function paymentTransition(from: PaymentStatus, to: PaymentStatus): PaymentTransition {
  if (from === to) return 'SAME';
  return PAYMENT_MOVES[from].includes(to) ? 'ALLOWED' : 'ILLEGAL';
}
