import { createHash } from 'node:crypto';
import { requireAtLocation, requireSelf } from '../../../../shared/auth/auth-checker';
import { actorOf, type Principal } from '../../../../shared/auth/principal';
import { accessDenied, checksOutAtTill, seesOrder } from '../../../../shared/auth/rules';
import { MAX_ORDER_TOTAL } from '../../../../shared/bounds';
import type { Database } from '../../../../shared/db/database';
import { AppError, ErrorCode } from '../../../../shared/errors';
import type { IdentityFact } from '../../../../shared/events/catalog';
import { Channel } from '../../../../shared/graphql/channel';
import type { DeliverySlot, PaymentMethod } from '../../../../shared/graphql/checkout';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import { normalizeEmail } from '../../../../shared/identity/normalize';
import type { Logger } from '../../../../shared/logger';
import type { CustomersClient } from '../customers-client/customers.client';
import type { InventoryClient, LocationFacts, Reservation, VariantFacts } from '../inventory-client/inventory.client';
import {
  checkCheckout,
  checkDeliveryDate,
  checkoutFees,
  initialPayment,
  type AddressFields,
  type CheckoutSettings,
  type Delivery,
  type PaymentChoice,
} from './checkout-rules';
import { FulfillmentStatus, FulfillmentType, OrderStatus, type Order } from './order.entity';
import { OrderErrorCode } from './order.errors';
import { mergeLines, type RequestedLine } from './order-lines';
import { GUEST_EMAIL, withGuestGrant } from './order-access';
import { newOrderNumber, type OrderService } from './order.service';

export interface PlaceOrderRequest {
  idempotencyKey: string;
  channel: Channel;
  customerId?: string | null;
  guestEmail?: string | null;
  lines: RequestedLine[];
  fulfillment: {
    type: FulfillmentType;
    locationId?: string | null;
    address?: AddressFields | null;
    /** YYYY-MM-DD, business calendar. */
    deliveryDate?: string | null;
    deliverySlot?: DeliverySlot | null;
  };
  /** A checkout: how it is paid (checkout-rules.ts); without it the order is placed as before checkout existed. */
  payment?: { method: PaymentMethod; reference?: string | null } | null;
  /** The cart checked out: from the carts service (a SERVICE principal) only. */
  cartId?: string | null;
}

/** What placeOrder needs of the checkout settings: the fees and windows, and the business calendar's zone. */
export interface CheckoutPolicy {
  settings: CheckoutSettings;
  timeZone: string;
}

/** What a request's checkout comes to, checked. */
interface Checkout {
  delivery: Delivery;
  payment: PaymentChoice | null;
  cartId: string | null;
}

/** SHIP tries at most this many locations before reporting INSUFFICIENT_STOCK (each try is a round trip). */
const MAX_SHIP_ATTEMPTS = 3;

/**
 * placeOrder: reserve the stock in inventory, record the order (with `order.placed`, naming the
 * reservation, in its outbox), commit the reservation; a failure before the order exists releases it.
 * Once the order exists nothing fails the request: the commit is a fast path, and `order.placed` makes
 * inventory take the stock whatever happens to this process or that call (ARCHITECTURE.md, "Orders
 * and stock across a failure"). The idempotency key is unique on the order, so retries (even
 * concurrent ones) end with one order and at most one committed reservation; it answers only the
 * caller who sent the same request with it (the request's fingerprint).
 */
export class OrderPlacement {
  constructor(
    private readonly db: Database,
    private readonly orders: OrderService,
    private readonly inventory: InventoryClient,
    private readonly customers: CustomersClient,
    private readonly logger: Logger,
    /**
     * Long enough for the order to be written and the reservation committed; inventory's sweeper frees
     * what a crash before the order leaves (after it, `order.placed` takes the stock, lapsed or not).
     */
    private readonly holdSeconds: number,
    private readonly policy: CheckoutPolicy,
  ) {}

  async place(principal: Principal, request: PlaceOrderRequest): Promise<Order> {
    // Only the carts service says which cart an order came from (it checks the cart is the buyer's).
    if (request.cartId && principal.kind !== 'SERVICE') throw new AppError(ErrorCode.FORBIDDEN, 'only the carts service checks a cart out (cartId)');
    const buyer = buyerOf(principal, request);
    checkChannel(request);
    if (request.fulfillment.type === FulfillmentType.CARRY_OUT) checkTill(principal, request.fulfillment.locationId ?? null);
    const checkout: Checkout = { ...checkCheckout(request), cartId: request.cartId ?? null };
    const lines = mergeLines(request.lines);
    const fingerprint = fingerprintOf(principal, request, buyer, lines, checkout);
    // A retry gets its order first, whatever became of the customers service or the customer since.
    const existing = await this.orders.byIdempotencyKey(request.idempotencyKey);
    if (existing) return this.forBuyer(principal, buyer, await this.replay(buyer, existing, fingerprint));
    // After the retry's answer: a date open yesterday may have closed since, and the order stands.
    checkDeliveryDate(checkout.delivery.date, new Date(), this.policy.timeZone, this.policy.settings);
    // One call, at the moment of the order: a customer registered a moment ago can order, an erased one cannot.
    if (buyer.customerId !== null && !(await this.customers.stands(buyer.customerId))) {
      throw new UserErrorException(OrderErrorCode.UNKNOWN_CUSTOMER, 'no such customer', ['input', 'customerId']);
    }
    const catalog = await this.inventory.catalogFor(lines.map((l) => l.variantId));
    // A till sells what the store has, online or not.
    const variants = checkVariants(request.lines, lines, catalog.variants, request.channel !== Channel.STORE);
    // At today's catalog prices before anything is held; the reservation's prices are checked again.
    this.checkTotal(request.fulfillment.type, checkout.payment, lines.map((line, i) => ({ quantity: line.quantity, unitPrice: variants[i].unitPrice })));
    const candidates = candidateLocations(request.fulfillment, lines, variants, catalog.locations);
    const reservation = await this.reserve(`${request.idempotencyKey}\n${fingerprint}`, candidates, lines);
    let order: Order;
    try {
      order = await this.record(request, buyer, reservation, fingerprint, checkout);
    } catch (err) {
      await this.releaseUnlessOrdered(request.idempotencyKey, reservation.id);
      throw err;
    }
    // A concurrent retry may have recorded the order with its own reservation: commit that one, free ours.
    if (order.reservationId !== reservation.id) await this.quietly(() => this.inventory.release(reservation.id), 'release a spare reservation', reservation.id);
    await this.commitFastPath(order);
    return this.forBuyer(principal, buyer, order);
  }

  /**
   * Takes the order's stock out now, so that it leaves sale at once. A failure (inventory down, a
   * timeout) is logged, not the caller's: `order.placed` makes inventory do the same when it can.
   */
  private async commitFastPath(order: Order): Promise<void> {
    if (!order.reservationId || order.status === OrderStatus.CANCELLED) return;
    const { reservationId } = order;
    await this.quietly(() => this.inventory.commitForOrder(reservationId, order.id), 'commit the reservation of a placed order (order.placed will)', reservationId);
  }

  private async quietly(work: () => Promise<void>, what: string, reservationId: string): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.logger.warn({ err, reservationId }, `could not ${what}`);
    }
  }

  /** The order as its payload shows it: a guest (who sent the e-mail address) may read their own. */
  private forBuyer(principal: Principal, buyer: Buyer, order: Order): Order {
    return buyer.identity !== null && !seesOrder(principal, order) ? withGuestGrant(order) : order;
  }

  /**
   * A retried request: the same order, for the same caller and the same request only, whatever became
   * of its hold (the order exists: its stock is inventory's to take, and a lapse is no reason to fail);
   * the fast path is tried again. Anything else is IDEMPOTENCY_KEY_REUSED, which tells nothing of the order.
   */
  private async replay(buyer: Buyer, order: Order, fingerprint: string): Promise<Order> {
    const same =
      order.requestFingerprint !== null
        ? order.requestFingerprint === fingerprint
        : // Placed before fingerprints were kept: at least the same buyer (customer, or guest e-mail).
          buyer.customerId !== null
          ? order.customerId === buyer.customerId || order.attributedCustomerId === buyer.customerId
          : buyer.identity !== null && order.identityValue === buyer.identity.value;
    if (!same) throw keyReused();
    await this.commitFastPath(order);
    return order;
  }

  /** The first candidate location that reserves every line; INSUFFICIENT_STOCK when none does. */
  private async reserve(requestKey: string, locationIds: string[], lines: RequestedLine[]): Promise<Reservation> {
    for (const locationId of locationIds) {
      const result = await this.inventory.reserve({
        // Per request and location: a retry that lands on the same location gets the same reservation back.
        idempotencyKey: `orders:${createHash('sha256').update(`${requestKey}\n${locationId}`).digest('base64url')}`,
        locationId,
        lines,
        ttlSeconds: this.holdSeconds,
      });
      if ('id' in result) return result;
      if (result.code !== OrderErrorCode.INSUFFICIENT_STOCK) {
        const field = result.code === OrderErrorCode.UNKNOWN_LOCATION ? ['input', 'fulfillment', 'locationId'] : ['input', 'lines'];
        throw new UserErrorException(result.code, result.message, field);
      }
    }
    throw new UserErrorException(OrderErrorCode.INSUFFICIENT_STOCK, 'not enough stock to fulfil the order', ['input', 'lines']);
  }

  /** The goods at the prices given and the checkout's fees on them; ORDER_TOTAL_TOO_LARGE beyond MAX_ORDER_TOTAL. */
  private checkTotal(type: FulfillmentType, payment: PaymentChoice | null, lines: Array<{ quantity: number; unitPrice: number }>) {
    const goods = lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);
    const fees = checkoutFees(type, payment?.method ?? null, goods, this.policy.settings);
    checkTotal(goods + (fees.shippingFee ?? 0) + (fees.paymentFee ?? 0));
    return fees;
  }

  private record(request: PlaceOrderRequest, buyer: Buyer, reservation: Reservation, fingerprint: string, checkout: Checkout): Promise<Order> {
    const placedAt = new Date();
    const { type } = request.fulfillment;
    // A pickup's store, and a till sale's: the store of the order.
    const atStore = type === FulfillmentType.PICKUP_IN_STORE || type === FulfillmentType.CARRY_OUT;
    // A till sale is handed over and paid as it is recorded.
    const carriedOut = type === FulfillmentType.CARRY_OUT;
    const fees = this.checkTotal(type, checkout.payment, reservation.lines);
    return this.db.transactionRetryingConflicts(async (manager) => {
      // A concurrent retry that committed first wins: its order is this request's order too (if it is the same request).
      const existing = await this.orders.byIdempotencyKey(request.idempotencyKey, manager);
      if (existing) {
        if (existing.requestFingerprint !== fingerprint) throw keyReused();
        return existing;
      }
      const [order] = await this.orders.insert(
        manager,
        [
          {
            number: newOrderNumber(request.channel, placedAt),
            channel: request.channel,
            status: carriedOut ? OrderStatus.COMPLETED : OrderStatus.PLACED,
            customerId: buyer.customerId,
            customerIdentity: buyer.identity,
            locationId: atStore ? reservation.locationId : null,
            placedAt,
            externalId: null,
            fulfillmentType: type,
            fulfillmentLocationId: reservation.locationId,
            fulfillmentStatus: carriedOut ? FulfillmentStatus.PICKED_UP : FulfillmentStatus.PENDING,
            // Prices and tax as the catalog had them when the stock was reserved, never the client's.
            lines: reservation.lines.map((l) => ({
              variantId: l.variantId,
              productId: l.productId,
              quantity: l.quantity,
              unitPrice: l.unitPrice,
              taxRateBp: Math.round(l.taxRate * 10_000),
            })),
            idempotencyKey: request.idempotencyKey,
            requestFingerprint: fingerprint,
            reservationId: reservation.id,
            cartId: checkout.cartId,
            shippingAddress: checkout.delivery.address,
            deliveryDate: checkout.delivery.date,
            deliverySlot: checkout.delivery.slot,
            shippingFee: fees.shippingFee,
            paymentFee: fees.paymentFee,
            payment: checkout.payment ? initialPayment(checkout.payment, type, placedAt, this.policy.settings) : null,
          },
        ],
        'COMMIT_RESERVATION',
      );
      return order;
    });
  }

  private async releaseUnlessOrdered(idempotencyKey: string, reservationId: string): Promise<void> {
    try {
      const order = await this.orders.byIdempotencyKey(idempotencyKey);
      if (order?.reservationId !== reservationId) await this.inventory.release(reservationId);
    } catch (err) {
      // The reservation expires on its own; the request's own error is what the caller needs.
      this.logger.warn({ err, reservationId }, 'could not release a reservation');
    }
  }
}

interface Buyer {
  customerId: string | null;
  identity: IdentityFact | null;
}

/**
 * Whose order it is: a signed-in customer's own (another id is FORBIDDEN), the customer staff, a
 * service or a partner names, else a guest known by their e-mail address (GUEST_EMAIL: it opens the
 * order to the guest and joins nobody), or nobody for a sale at the till (guestEmail ignored).
 */
function buyerOf(principal: Principal, request: PlaceOrderRequest): Buyer {
  if (principal.kind === 'CUSTOMER') {
    const customerId = request.customerId ?? principal.customerId;
    requireSelf(principal, customerId);
    return { customerId, identity: null };
  }
  if (request.customerId) {
    if (principal.kind === 'ANONYMOUS') throw accessDenied(principal, 'ordering for a customer');
    return { customerId: request.customerId, identity: null };
  }
  // A sale at the till may be anonymous, as store sales are.
  if (request.fulfillment.type === FulfillmentType.CARRY_OUT) return { customerId: null, identity: null };
  if (!request.guestEmail) {
    throw new UserErrorException(OrderErrorCode.GUEST_EMAIL_REQUIRED, 'a guest order needs an e-mail address', ['input', 'guestEmail']);
  }
  try {
    return { customerId: null, identity: { type: GUEST_EMAIL, value: normalizeEmail(request.guestEmail) } };
  } catch {
    throw new UserErrorException(OrderErrorCode.INVALID_EMAIL, 'not an e-mail address', ['input', 'guestEmail']);
  }
}

/** IDEMPOTENCY_KEY_REUSED: the same answer whoever used the key first, and for whatever request. */
function keyReused(): UserErrorException {
  return new UserErrorException(OrderErrorCode.IDEMPOTENCY_KEY_REUSED, 'this idempotency key was used for another request', ['input', 'idempotencyKey']);
}

/**
 * Who asks, and what (SHA-256, hex): the caller, the channel, the buyer (customer or guest e-mail),
 * the variants and units (merged, in id order), the fulfilment, and the checkout (cart, payment,
 * normalised address, date and slot) when there is one. A retry with the same key must match it; SHIP
 * ignores the location, as placeOrder does. A request without checkout options digests as it did
 * before they existed, so retries of those still match.
 */
function fingerprintOf(principal: Principal, request: PlaceOrderRequest, buyer: Buyer, lines: RequestedLine[], checkout: Checkout): string {
  const { kind, role, id } = actorOf(principal);
  const { type, locationId } = request.fulfillment;
  const { delivery, payment, cartId } = checkout;
  const options = [cartId, payment && [payment.method, payment.reference], delivery.address, delivery.date, delivery.slot];
  const canonical = JSON.stringify([
    kind,
    role,
    id,
    request.channel,
    buyer.customerId,
    buyer.identity?.value ?? null,
    [...lines].sort((a, b) => a.variantId.localeCompare(b.variantId)).map((l) => [l.variantId, l.quantity]),
    type,
    type === FulfillmentType.SHIP ? null : (locationId ?? null),
    ...(options.some((o) => o !== null) ? [options] : []),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * EC and APP orders are shipped or picked up; STORE orders are sales at the till (CARRY_OUT), and a
 * till sale is a STORE order.
 */
function checkChannel(request: PlaceOrderRequest): void {
  const carryOut = request.fulfillment.type === FulfillmentType.CARRY_OUT;
  if (request.channel === Channel.STORE) {
    if (!carryOut) throw new UserErrorException(OrderErrorCode.UNSUPPORTED_CHANNEL, 'a STORE order is a sale at the till (CARRY_OUT)', ['input', 'channel']);
    return;
  }
  if (request.channel !== Channel.EC && request.channel !== Channel.APP) {
    throw new UserErrorException(OrderErrorCode.UNSUPPORTED_CHANNEL, 'placeOrder takes EC and APP orders, and STORE sales at the till', ['input', 'channel']);
  }
  if (carryOut) throw new UserErrorException(OrderErrorCode.UNSUPPORTED_FULFILLMENT, 'CARRY_OUT is a sale at the till (channel STORE)', ['input', 'fulfillment', 'type']);
}

/**
 * A sale at the till is rung up by store staff at their own store, or by the carts service (which
 * checks the clerk's store itself); anyone else is refused.
 */
function checkTill(principal: Principal, locationId: string | null): void {
  if (principal.kind !== 'SERVICE' && !checksOutAtTill(principal)) throw accessDenied(principal, 'sales at the till (store staff at their store)');
  if (!locationId) throw new UserErrorException(OrderErrorCode.LOCATION_REQUIRED, 'a sale at the till needs its store', ['input', 'fulfillment', 'locationId']);
  requireAtLocation(principal, locationId);
}

/** ORDER_TOTAL_TOO_LARGE when an order (goods and fees) comes to more than MAX_ORDER_TOTAL. */
function checkTotal(total: number): void {
  if (total > MAX_ORDER_TOTAL) {
    throw new UserErrorException(OrderErrorCode.ORDER_TOTAL_TOO_LARGE, `an order comes to at most ${MAX_ORDER_TOTAL} (minor units)`, ['input', 'lines']);
  }
}

/** The catalog facts of the merged lines; unknown variants, and store-only styles ordered online, are userErrors. */
function checkVariants(requested: RequestedLine[], lines: RequestedLine[], facts: Array<VariantFacts | null>, online: boolean): VariantFacts[] {
  return lines.map((line, i) => {
    const field = ['input', 'lines', String(requested.findIndex((r) => r.variantId === line.variantId)), 'variantId'];
    const variant = facts[i];
    if (!variant) throw new UserErrorException(OrderErrorCode.UNKNOWN_VARIANT, 'no such variant', field);
    if (online && !variant.soldOnline) throw new UserErrorException(OrderErrorCode.NOT_SOLD_ONLINE, 'this style is sold in stores only', field);
    return variant;
  });
}

/** Where to try reserving, in order, for the fulfilment asked for. */
function candidateLocations(
  fulfillment: PlaceOrderRequest['fulfillment'],
  lines: RequestedLine[],
  variants: VariantFacts[],
  locations: LocationFacts[],
): string[] {
  const field = ['input', 'fulfillment', 'locationId'];
  if (fulfillment.type === FulfillmentType.SHIP) {
    // The warehouse first, then stores; only where the last known stock covers every line (the reservation decides).
    const covers = (l: LocationFacts) => lines.every((line, i) => (variants[i].available.get(l.id) ?? 0) >= line.quantity);
    const stock = (l: LocationFacts) => variants.reduce((sum, v) => sum + (v.available.get(l.id) ?? 0), 0);
    const warehouses = locations.filter((l) => l.type === 'WAREHOUSE' && covers(l));
    const stores = locations.filter((l) => l.type === 'STORE' && covers(l)).sort((a, b) => stock(b) - stock(a));
    return [...warehouses, ...stores].slice(0, MAX_SHIP_ATTEMPTS).map((l) => l.id);
  }
  // PICKUP_IN_STORE, SHIP_FROM_STORE and CARRY_OUT: the store named, and only it.
  if (!fulfillment.locationId) throw new UserErrorException(OrderErrorCode.LOCATION_REQUIRED, 'this fulfilment needs a store', field);
  const location = locations.find((l) => l.id === fulfillment.locationId);
  if (!location) throw new UserErrorException(OrderErrorCode.UNKNOWN_LOCATION, 'no such location', field);
  if (location.type !== 'STORE') throw new UserErrorException(OrderErrorCode.NOT_A_STORE, 'this fulfilment needs a store', field);
  if (fulfillment.type === FulfillmentType.PICKUP_IN_STORE && !location.pickupEnabled) {
    throw new UserErrorException(OrderErrorCode.PICKUP_NOT_AVAILABLE, 'this store does not hand over online orders', field);
  }
  return [location.id];
}
