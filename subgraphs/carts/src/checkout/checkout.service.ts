import { createHash } from 'node:crypto';
import { validateAddress, type PostalAddress } from '../../../../shared/address';
import { requireAtLocation } from '../../../../shared/auth/auth-checker';
import type { Principal } from '../../../../shared/auth/principal';
import { checksOutAtTill } from '../../../../shared/auth/rules';
import type { Database } from '../../../../shared/db/database';
import type { ChannelCode } from '../../../../shared/events/catalog';
import type { CustomerLinks } from '../../../../shared/events/customer-links';
import { FulfillmentType, type DeliverySlot, type PaymentMethod } from '../../../../shared/graphql/checkout';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import type { CustomersClient } from '../clients/customers.client';
import type { OrdersClient } from '../clients/orders.client';
import { CartRow, CartStatus } from '../cart/cart.entity';
import { CartErrorCode } from '../cart/cart.errors';
import { unknownCart, type CartService } from '../cart/cart.service';
import { checkoutErrorCode } from './checkout.errors';

export interface CheckoutRequest {
  cartId: string;
  idempotencyKey: string;
  guestEmail?: string | null;
  fulfillment: {
    type: FulfillmentType;
    locationId?: string | null;
    addressId?: string | null;
    address?: Parameters<typeof validateAddress>[0] | null;
    deliveryDate?: string | null;
    deliverySlot?: DeliverySlot | null;
  };
  payment: { method: PaymentMethod; reference?: string | null };
}

export interface CheckedOut {
  cart: CartRow;
  order: { id: string; number: string };
}

/**
 * checkoutCart: turns a cart into an order through the orders service's placeOrder (stock reserved,
 * committed, never oversold), which also applies the rules of fulfilment, delivery and payment. The
 * cart holds the checkout's idempotency key while the order is placed: a retry with that key carries
 * on (placeOrder answers it with the same order), another key is refused until it ends; a refusal
 * frees the cart for another try.
 */
export class CheckoutService {
  constructor(
    private readonly db: Database,
    private readonly carts: CartService,
    private readonly orders: OrdersClient,
    private readonly customers: CustomersClient,
    private readonly customerLinks: CustomerLinks,
  ) {}

  async checkout(principal: Principal, request: CheckoutRequest): Promise<CheckedOut> {
    const [cart] = await this.carts.byIds([request.cartId]);
    if (!cart || (cart.status !== CartStatus.ACTIVE && cart.status !== CartStatus.CHECKED_OUT)) throw unknownCart();
    const { type } = request.fulfillment;
    const atTill = type === FulfillmentType.CARRY_OUT;
    if (atTill) {
      if (!checksOutAtTill(principal) && principal.kind !== 'SERVICE') {
        throw new UserErrorException(CartErrorCode.NOT_AT_THE_TILL, 'CARRY_OUT is rung up by store staff at their store', ['input', 'fulfillment', 'type']);
      }
      requireAtLocation(principal, request.fulfillment.locationId ?? null);
    } else {
      if (principal.kind === 'STAFF') throw new UserErrorException(CartErrorCode.NOT_YOUR_CART, 'staff check a cart out only at the till (CARRY_OUT)', ['input', 'fulfillment', 'type']);
      await this.carts.requireOwner(principal, cart);
    }
    if (cart.status === CartStatus.CHECKED_OUT) return this.earlier(cart, request.idempotencyKey);

    const lines = await this.carts.linesOf([cart.id]);
    if (!lines.length) throw new UserErrorException(CartErrorCode.EMPTY_CART, 'the cart is empty', ['input', 'cartId']);
    const customerId = cart.customerId === null ? null : (await this.customerLinks.rootsOf([cart.customerId])).get(cart.customerId)!;
    const guestEmail = request.guestEmail ?? null;
    if (customerId === null && guestEmail === null && !atTill) {
      throw new UserErrorException(CartErrorCode.GUEST_EMAIL_REQUIRED, 'a guest checkout needs guestEmail', ['input', 'guestEmail']);
    }
    if ((type === FulfillmentType.PICKUP_IN_STORE || atTill) && !request.fulfillment.locationId) {
      throw new UserErrorException(CartErrorCode.LOCATION_REQUIRED, 'which store: fulfillment.locationId', ['input', 'fulfillment', 'locationId']);
    }
    const address = await this.addressFor(customerId, request);

    await this.holdKey(cart, request.idempotencyKey);
    const channel: ChannelCode = atTill ? 'STORE' : cart.lastChannel === 'APP' ? 'APP' : 'EC';
    const outcome = await this.orders.place({
      // Per cart and key: the same checkout is the same order, whoever retries it.
      idempotencyKey: `cart:${createHash('sha256').update(`${cart.id}\n${request.idempotencyKey}`).digest('base64url')}`,
      channel,
      customerId,
      guestEmail: customerId === null ? guestEmail : null,
      lines: lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })),
      fulfillment: {
        type,
        locationId: request.fulfillment.locationId ?? null,
        address,
        deliveryDate: request.fulfillment.deliveryDate ?? null,
        deliverySlot: request.fulfillment.deliverySlot ?? null,
      },
      payment: { method: request.payment.method, reference: request.payment.reference ?? null },
      cartId: cart.id,
    });
    if ('refusals' in outcome) {
      await this.releaseKey(cart.id, request.idempotencyKey);
      const [first] = outcome.refusals;
      throw new UserErrorException(checkoutErrorCode(first?.code), first?.message ?? 'the order was refused', first?.field ?? null);
    }
    const done = await this.db.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(CartRow)
        .set({ status: CartStatus.CHECKED_OUT, activeCustomerId: null, checkedOutOrderId: outcome.order.id, checkedOutOrderNumber: outcome.order.number })
        .where('id = :id AND checkout_key = :key AND status = :active', { id: cart.id, key: request.idempotencyKey, active: CartStatus.ACTIVE })
        .execute();
      // A concurrent retry with the same key finished first: it announced the checkout.
      if (!result.affected) return null;
      Object.assign(cart, { status: CartStatus.CHECKED_OUT, activeCustomerId: null, checkedOutOrderId: outcome.order.id, checkedOutOrderNumber: outcome.order.number });
      return this.carts.touched(manager, cart, channel, [], outcome.order.id);
    });
    return { cart: done ?? (await this.carts.byIds([cart.id]))[0], order: outcome.order };
  }

  /** A cart checked out already: its order for a retry with the same key, CART_CHECKED_OUT for any other. */
  private earlier(cart: CartRow, key: string): CheckedOut {
    if (cart.checkoutKey !== key || cart.checkedOutOrderId === null || cart.checkedOutOrderNumber === null) {
      throw new UserErrorException(CartErrorCode.CART_CHECKED_OUT, 'this cart was checked out', ['input', 'cartId']);
    }
    return { cart, order: { id: cart.checkedOutOrderId, number: cart.checkedOutOrderNumber } };
  }

  /** The shipping address: a saved one of the customer's by id, or one given inline (validated); null unless shipped. */
  private async addressFor(customerId: string | null, request: CheckoutRequest): Promise<PostalAddress | null> {
    const { type, addressId, address } = request.fulfillment;
    if (type !== FulfillmentType.SHIP && type !== FulfillmentType.SHIP_FROM_STORE) return null;
    if (addressId) {
      const saved = customerId === null ? null : await this.customers.addressOf(customerId, addressId);
      if (!saved) throw new UserErrorException(CartErrorCode.UNKNOWN_ADDRESS, 'no saved address of this customer by that id', ['input', 'fulfillment', 'addressId']);
      return saved;
    }
    if (!address) throw new UserErrorException(CartErrorCode.ADDRESS_REQUIRED, 'shipping needs fulfillment.addressId or fulfillment.address', ['input', 'fulfillment', 'address']);
    const checked = validateAddress(address);
    if ('problems' in checked) {
      const [problem] = checked.problems;
      throw new UserErrorException(problem.code, problem.message, ['input', 'fulfillment', 'address', problem.field]);
    }
    return checked.address;
  }

  /** Takes the cart for this checkout's key; a cart held by another key is CHECKOUT_IN_PROGRESS. */
  private async holdKey(cart: CartRow, key: string): Promise<void> {
    const held = await this.db.transaction((manager) =>
      manager
        .createQueryBuilder()
        .update(CartRow)
        .set({ checkoutKey: key })
        .where('id = :id AND status = :active AND (checkout_key IS NULL OR checkout_key = :key)', { id: cart.id, active: CartStatus.ACTIVE, key })
        .execute(),
    );
    if (held.affected) return;
    const [now] = await this.carts.byIds([cart.id]);
    if (now?.status === CartStatus.CHECKED_OUT) {
      this.earlier(now, key);
      return;
    }
    throw new UserErrorException(CartErrorCode.CHECKOUT_IN_PROGRESS, 'another checkout of this cart is under way: retry with its idempotencyKey', ['input', 'idempotencyKey']);
  }

  private async releaseKey(cartId: string, key: string): Promise<void> {
    await this.db.transaction((manager) =>
      manager
        .createQueryBuilder()
        .update(CartRow)
        .set({ checkoutKey: null })
        .where('id = :id AND checkout_key = :key AND status = :active', { id: cartId, key, active: CartStatus.ACTIVE })
        .execute(),
    );
  }
}
