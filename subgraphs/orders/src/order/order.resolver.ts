import { Arg, Authorized, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { accessDenied, readsCustomerCart } from '../../../../shared/auth/rules';
import { decodeCursor, pageSize, toConnection } from '../../../../shared/graphql/connection';
import { DeliverySlot } from '../../../../shared/graphql/checkout';
import { Money, money } from '../../../../shared/graphql/money';
import { DateScalar } from '../../../../shared/graphql/scalars';
import { withUserErrors } from '../../../../shared/graphql/user-error';
import type { OrdersContext } from '../context';
import { isGuestGrant, paymentOf, readableOrder, shippingAddressFor } from './order-access';
import { Customer } from '../customer/customer.stub';
import { OrderReturn } from '../return/return.entity';
import { Cart, Location, Product, ProductVariant, ref } from '../stubs/stubs';
import { Order, OrderLine } from './order.entity';
import { CancelOrderInput, OrderPayload, PickupInput, PlaceOrderInput, RecordPaymentInput, RecordPaymentPayload } from './order.inputs';
import { Fulfillment, OrderConnection, Payment, ShippingAddress } from './order.types';

/** A mutation's order as its payload: the order, and its number for callers who may not read the order. */
async function orderPayload(work: () => Promise<Order>) {
  return withUserErrors(async () => {
    const order = await work();
    return { order, orderNumber: order.number };
  });
}

@Resolver(() => Order)
export class OrderResolver {
  @Query(() => Order, {
    nullable: true,
    description: 'An order by id: its customer, staff. Null, without an error, both for an unknown id and for an order the caller may not read.',
  })
  async order(@Arg('id', () => ID, { description: 'Order id.' }) id: string, @Ctx() ctx: OrdersContext) {
    return readableOrder(ctx.principal, await ctx.loaders.orderById.load(id));
  }

  @Query(() => Order, {
    nullable: true,
    description:
      'An order by the number shown to customers: its customer, staff; a guest with the e-mail address the order was placed with. Null, without an error, both for an unknown number and for an order the caller may not read.',
  })
  async orderByNumber(
    @Arg('number', { description: 'Order number.' }) number: string,
    @Ctx() ctx: OrdersContext,
    @Arg('guestEmail', () => String, {
      nullable: true,
      description: "A guest's way in: the e-mail address given to placeOrder as guestEmail. With the order's number it opens that guest order; alone it opens nothing.",
    })
    guestEmail?: string | null,
  ) {
    return readableOrder(ctx.principal, await ctx.loaders.orderByNumber.load(number), guestEmail);
  }

  @Authorized(Rule.STORE_ORDERS)
  @Query(() => OrderConnection, { description: 'Pickup orders waiting at a store (placed or ready), oldest first (store staff: their store).' })
  async pickupQueue(
    @Arg('locationId', () => ID, { description: 'The pickup store.' }) locationId: string,
    @Ctx() ctx: OrdersContext,
    @Arg('first', () => Int, { nullable: true, description: 'Page size (1-100, default 20).' }) first?: number,
    @Arg('after', { nullable: true, description: 'Cursor of the item before this page.' }) after?: string,
  ) {
    const size = pageSize(first);
    const cursor = decodeCursor(after, ['datetime', 'string']);
    const from = cursor ? { placedAt: String(cursor[0]), id: String(cursor[1]) } : null;
    const rows = await ctx.domain.orders.pickupQueue(ctx.principal, locationId, size + 1, from);
    return toConnection(rows, size, (o) => [o.placedAt.toISOString(), o.id], cursor !== null);
  }

  @Authorized(Rule.PLACE_ORDER)
  @Mutation(() => OrderPayload, {
    description:
      'Places an EC or app order, or a sale at the till (channel STORE, fulfilment CARRY_OUT: store staff at their store, or the carts service; completed, handed over and paid at once): reserves the stock, records the order at catalog prices, commits the reservation (once recorded the order stands: if the commit fails, inventory takes the stock from order.placed, and flags the order stockShortAt if it was gone). With a payment it is a checkout: address, delivery date and slot, shipping and cash-on-delivery fees in the total, and the payment recorded (see PlaceOrderInput.payment). The same idempotencyKey with the same request from the same caller returns the same order, whatever became of its hold (otherwise IDEMPOTENCY_KEY_REUSED); a customer who does not exist or was erased is UNKNOWN_CUSTOMER; not enough stock is INSUFFICIENT_STOCK.',
  })
  placeOrder(@Arg('input', () => PlaceOrderInput, { description: 'The order.' }) input: PlaceOrderInput, @Ctx() ctx: OrdersContext) {
    return orderPayload(() => ctx.domain.placement.place(ctx.principal, input));
  }

  @Authorized(Rule.PAYMENTS)
  @Mutation(() => RecordPaymentPayload, {
    description:
      "A payment provider's report (payments:write; admins): the order's payment becomes PAID, FAILED or REFUNDED, under the order's payment reference. The same report again changes nothing. NO_PAYMENT, PAYMENT_REFERENCE_MISMATCH, ILLEGAL_PAYMENT_TRANSITION, ORDER_CANCELLED.",
  })
  recordPayment(@Arg('input', () => RecordPaymentInput, { description: 'The order, the new status and the reference.' }) input: RecordPaymentInput, @Ctx() ctx: OrdersContext) {
    return withUserErrors(async () => {
      const order = await ctx.domain.payments.record(input);
      return { order, orderNumber: order.number, payment: paymentOf(order) };
    });
  }

  @Authorized(Rule.ORDER_CANCEL)
  @Mutation(() => OrderPayload, {
    description: 'Cancels an order before fulfilment (a customer their own; support, admins) and puts back the stock taken for it; otherwise ILLEGAL_TRANSITION.',
  })
  cancelOrder(@Arg('input', () => CancelOrderInput, { description: 'The order and why.' }) input: CancelOrderInput, @Ctx() ctx: OrdersContext) {
    return orderPayload(() => ctx.domain.statusChanges.cancel(ctx.principal, input.orderId, input.reason ?? null));
  }

  @Authorized(Rule.STORE_ORDERS)
  @Mutation(() => OrderPayload, { description: 'The pickup store has the goods ready for the customer (store staff: their store); otherwise ILLEGAL_TRANSITION.' })
  markReadyForPickup(@Arg('input', () => PickupInput, { description: 'The order.' }) input: PickupInput, @Ctx() ctx: OrdersContext) {
    return orderPayload(() => ctx.domain.statusChanges.markReadyForPickup(ctx.principal, input.orderId));
  }

  @Authorized(Rule.STORE_ORDERS)
  @Mutation(() => OrderPayload, { description: 'The customer collected a ready pickup order (store staff: their store); otherwise ILLEGAL_TRANSITION.' })
  completePickup(@Arg('input', () => PickupInput, { description: 'The order.' }) input: PickupInput, @Ctx() ctx: OrdersContext) {
    return orderPayload(() => ctx.domain.statusChanges.completePickup(ctx.principal, input.orderId));
  }

  @Authorized(Rule.ORDER) // an entity's @Authorized covers its @Field properties, not field resolvers
  @FieldResolver(() => [OrderReturn], { description: 'Goods brought back and refunded, oldest first.' })
  returns(@Root() order: Order, @Ctx() ctx: OrdersContext) {
    return ctx.loaders.returnsByOrderId.load(order.id);
  }

  @Authorized(Rule.ORDER)
  @FieldResolver(() => Customer, {
    nullable: true,
    description: 'Who placed it; null for an anonymous store sale, and for a guest reading their order (whom their address belongs to is not theirs to learn).',
  })
  customer(@Root() order: Order): Customer | null {
    return isGuestGrant(order) ? null : ref(Customer, order.customerId);
  }

  @Authorized(Rule.ORDER)
  @FieldResolver(() => Location, { nullable: true, description: 'Store of purchase or pickup.' })
  location(@Root() order: Order): Location | null {
    return ref(Location, order.locationId);
  }

  @Authorized(Rule.ORDER)
  @FieldResolver(() => [OrderLine], { description: 'What was bought.' })
  lines(@Root() order: Order, @Ctx() ctx: OrdersContext) {
    return ctx.loaders.linesByOrderId.load(order.id);
  }

  @Authorized(Rule.ORDER)
  @FieldResolver(() => Money, { description: "Amount charged, tax-inclusive: the lines, and the checkout's shipping and payment fees." })
  total(@Root() order: Order): Money {
    return money(order.total, order.currencyCode);
  }

  @Authorized(Rule.ORDER)
  @FieldResolver(() => Money, { description: "Consumption tax contained in the total (the fees' at the standard rate)." })
  taxTotal(@Root() order: Order): Money {
    return money(order.taxTotal, order.currencyCode);
  }

  @Authorized(Rule.ORDER)
  @FieldResolver(() => ShippingAddress, {
    nullable: true,
    description:
      'Where a shipped order goes: the address as it was at checkout (a snapshot). Recipient, street lines and phone masked for staff who see contact details masked. Null when the order ships to no address, and once its customer was erased.',
  })
  shippingAddress(@Root() order: Order, @Ctx() ctx: OrdersContext): ShippingAddress | null {
    return shippingAddressFor(ctx.principal, order);
  }

  @Authorized(Rule.ORDER)
  @FieldResolver(() => DateScalar, { nullable: true, description: 'The delivery date asked for (business calendar); null for as soon as possible, and for orders not shipped.' })
  deliveryDate(@Root() order: Order): string | null {
    return order.deliveryDate;
  }

  @Authorized(Rule.ORDER)
  @FieldResolver(() => DeliverySlot, { nullable: true, description: 'The time of day asked for on the delivery date; null for orders not shipped to an address.' })
  deliverySlot(@Root() order: Order): DeliverySlot | null {
    return order.deliverySlot;
  }

  @Authorized(Rule.ORDER)
  @FieldResolver(() => Money, {
    nullable: true,
    description: 'Shipping charged, tax-inclusive, part of the total: 0 when free (goods from FREE_SHIPPING_FROM); null for orders not shipped, and for orders placed without a payment.',
  })
  shippingFee(@Root() order: Order): Money | null {
    return order.shippingFee === null ? null : money(order.shippingFee, order.currencyCode);
  }

  @Authorized(Rule.ORDER)
  @FieldResolver(() => Money, { nullable: true, description: "The payment method's fee (cash on delivery), tax-inclusive, part of the total; null when there is none." })
  paymentFee(@Root() order: Order): Money | null {
    return order.paymentFee === null ? null : money(order.paymentFee, order.currencyCode);
  }

  @Authorized(Rule.ORDER)
  @FieldResolver(() => Payment, { nullable: true, description: 'How the order is paid and where the payment stands; null for orders placed without a payment (before checkout, store imports).' })
  payment(@Root() order: Order): Payment | null {
    return paymentOf(order);
  }

  @Authorized(Rule.ORDER)
  @FieldResolver(() => Cart, {
    nullable: true,
    description:
      "The cart it was checked out from (resolved by the carts service); null for orders placed otherwise. As the cart itself: the order's customer, her guest, store staff, support, admins (FORBIDDEN otherwise: an anonymous cart's id is its key).",
  })
  cart(@Root() order: Order, @Ctx() ctx: OrdersContext): Cart | null {
    if (order.cartId === null) return null;
    // The id opens an anonymous cart: hand it only to whom the carts service would show the cart.
    if (!isGuestGrant(order) && !readsCustomerCart(ctx.principal, order.customerId)) throw accessDenied(ctx.principal, "this order's cart");
    return ref(Cart, order.cartId);
  }

  @Authorized(Rule.ORDER)
  @FieldResolver(() => Fulfillment, { description: 'How and where the order is fulfilled.' })
  fulfillment(@Root() order: Order): Fulfillment {
    return {
      type: order.fulfillmentType,
      location: ref(Location, order.fulfillmentLocationId),
      status: order.fulfillmentStatus,
    };
  }
}

@Resolver(() => OrderLine)
export class OrderLineResolver {
  @FieldResolver(() => ProductVariant, { nullable: true, description: 'The SKU bought (from inventory: null, with an UNAVAILABLE error, while it cannot answer).' })
  variant(@Root() line: OrderLine): ProductVariant {
    return ref(ProductVariant, line.variantId);
  }

  @FieldResolver(() => Product, { nullable: true, description: 'The style of the SKU (from inventory: null, with an UNAVAILABLE error, while it cannot answer).' })
  product(@Root() line: OrderLine): Product {
    return ref(Product, line.productId);
  }

  @FieldResolver(() => Money, { description: 'Price per unit charged, tax-inclusive.' })
  unitPrice(@Root() line: OrderLine): Money {
    return money(line.unitPrice);
  }

  @FieldResolver(() => Money, { description: 'Unit price times quantity, tax-inclusive.' })
  total(@Root() line: OrderLine): Money {
    return money(line.unitPrice * line.quantity);
  }

  @FieldResolver(() => Float, { description: 'Consumption tax rate applied, as a fraction (0.1 = 10 %, 0.08 reduced).' })
  taxRate(@Root() line: OrderLine): number {
    return line.taxRateBp / 10_000;
  }
}
