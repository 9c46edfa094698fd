import { Arg, Authorized, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { decodeCursor, pageSize, toConnection } from '../../../../shared/graphql/connection';
import { Money, money } from '../../../../shared/graphql/money';
import { withUserErrors } from '../../../../shared/graphql/user-error';
import type { OrdersContext } from '../context';
import { isGuestGrant, readableOrder } from './order-access';
import { Customer } from '../customer/customer.stub';
import { OrderReturn } from '../return/return.entity';
import { Location, Product, ProductVariant, ref } from '../stubs/stubs';
import { Order, OrderLine } from './order.entity';
import { CancelOrderInput, OrderPayload, PickupInput, PlaceOrderInput } from './order.inputs';
import { Fulfillment, OrderConnection } from './order.types';

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
      'Places an EC or app order: reserves the stock, records the order at catalog prices, commits the reservation (once recorded the order stands: if the commit fails, inventory takes the stock from order.placed, and flags the order stockShortAt if it was gone). The same idempotencyKey with the same request from the same caller returns the same order, whatever became of its hold (otherwise IDEMPOTENCY_KEY_REUSED); a customer who does not exist or was erased is UNKNOWN_CUSTOMER; not enough stock is INSUFFICIENT_STOCK.',
  })
  placeOrder(@Arg('input', () => PlaceOrderInput, { description: 'The order.' }) input: PlaceOrderInput, @Ctx() ctx: OrdersContext) {
    return orderPayload(() => ctx.domain.placement.place(ctx.principal, input));
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
  @FieldResolver(() => Money, { description: 'Amount charged, tax-inclusive.' })
  total(@Root() order: Order): Money {
    return money(order.total, order.currencyCode);
  }

  @Authorized(Rule.ORDER)
  @FieldResolver(() => Money, { description: 'Consumption tax contained in the total.' })
  taxTotal(@Root() order: Order): Money {
    return money(order.taxTotal, order.currencyCode);
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
