import type { Principal } from '../../../../shared/auth/principal';
import { contactView, GUEST_ORDER_GRANT, placesOrders, seesOrder } from '../../../../shared/auth/rules';
import { Channel } from '../../../../shared/graphql/channel';
import { normalizeEmail } from '../../../../shared/identity/normalize';
import { maskPhone, maskText } from '../../../../shared/masking';
import type { Order } from './order.entity';
import { Payment, ShippingAddress } from './order.types';

/**
 * A copy of the order that its guest buyer may read in this response (GUEST_ORDER_GRANT); the copy a
 * loader holds stays as it is, so nothing else in the request gains from it.
 */
export function withGuestGrant(order: Order): Order {
  return Object.assign(Object.create(Object.getPrototypeOf(order) as object) as Order, order, { [GUEST_ORDER_GRANT]: true });
}

/**
 * The key of a guest order: the e-mail address the guest gave, as placeOrder normalised it. Not an
 * identity of the customers service: a guest proves nothing by typing an address, so the order never
 * joins whoever holds it (anonymous writes stay anonymous), and the address stays in this service
 * (order.placed carries no identity for it). It opens the order to its guest (orderByNumber).
 */
export const GUEST_EMAIL = 'GUEST_EMAIL';

/** True for the copy a guest reads (withGuestGrant). */
export function isGuestGrant(order: Order): boolean {
  return (order as { [GUEST_ORDER_GRANT]?: boolean })[GUEST_ORDER_GRANT] === true;
}

/**
 * The order as `order` and `orderByNumber` answer it: null both when there is none and when the caller
 * may not read it, so the answer tells nothing about orders of others. A guest (anyone who may check
 * out as one) reads an online guest order with its number and the e-mail address it was placed with,
 * together; nothing less gives anything.
 */
export function readableOrder(principal: Principal, order: Order | null, guestEmail?: string | null): Order | null {
  if (!order) return null;
  if (seesOrder(principal, order)) return order;
  if (guestEmail && placesOrders(principal) && placedByGuest(order, guestEmail)) return withGuestGrant(order);
  return null;
}

/** An EC or app order placed with this e-mail address (normalised as placeOrder stored it). */
function placedByGuest(order: Order, email: string): boolean {
  let normalized: string;
  try {
    normalized = normalizeEmail(email);
  } catch {
    return false;
  }
  return order.channel !== Channel.STORE && order.identityType === GUEST_EMAIL && order.identityValue === normalized;
}

/**
 * The order's shipping address as the principal may see it: recipient, street lines and phone masked
 * for those who see contact details masked (store staff, marketing), as the customers service masks
 * a customer's addresses. Null when the order ships to no address (or its customer was erased).
 */
export function shippingAddressFor(principal: Principal, order: Order): ShippingAddress | null {
  if (order.shipRecipientName === null || order.shipPostalCode === null || order.shipPrefecture === null || order.shipCity === null || order.shipLine1 === null || order.shipPhone === null) {
    return null;
  }
  const masked = contactView(principal) === 'MASKED';
  return Object.assign(new ShippingAddress(), {
    recipientName: masked ? maskText(order.shipRecipientName) : order.shipRecipientName,
    postalCode: order.shipPostalCode,
    prefecture: order.shipPrefecture,
    city: order.shipCity,
    line1: masked ? maskText(order.shipLine1) : order.shipLine1,
    line2: order.shipLine2 !== null && masked ? maskText(order.shipLine2) : order.shipLine2,
    phone: masked ? maskPhone(order.shipPhone) : order.shipPhone,
  });
}

/** The order's payment; null for an order placed without one. */
export function paymentOf(order: Order): Payment | null {
  if (order.paymentMethod === null || order.paymentStatus === null) return null;
  return Object.assign(new Payment(), {
    method: order.paymentMethod,
    status: order.paymentStatus,
    reference: order.paymentReference,
    deadline: order.paymentDeadline,
    paidAt: order.paidAt,
  });
}
