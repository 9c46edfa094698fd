import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { Money, money } from '../../../../shared/graphql/money';
import { withUserErrors } from '../../../../shared/graphql/user-error';
import type { CartsContext } from '../context';
import { Customer, Order, ref } from '../stubs';
import { requireReadableCart } from './cart-access';
import { totalsOf } from './cart-pricing';
import { CartLineRow, CartRow } from './cart.entity';
import {
  CartCreateInput,
  CartLinesAddInput,
  CartLinesRemoveInput,
  CartLinesUpdateInput,
  CartPayload,
  CheckoutCartInput,
  CheckoutCartPayload,
  ClaimCartInput,
} from './cart.inputs';

@Resolver(() => CartRow)
export class CartResolver {
  @Authorized(Rule.CART)
  @Query(() => CartRow, {
    nullable: true,
    description: "A cart by id: an anonymous one for whoever has its id; a customer's for herself, store staff, support and admins (FORBIDDEN otherwise). Null for an unknown id.",
  })
  async cart(@Arg('id', () => ID, { description: 'Cart id.' }) id: string, @Ctx() ctx: CartsContext) {
    const cart = await ctx.loaders.cartById.load(id);
    if (!cart) return null;
    await requireReadableCart(ctx, cart);
    return cart;
  }

  @Authorized(Rule.CART)
  @Mutation(() => CartPayload, {
    description: 'A cart: a new anonymous one (keep its id: it opens the cart), or, signed in, your one active cart, with the lines added.',
  })
  cartCreate(@Arg('input', () => CartCreateInput, { description: 'Channel and first lines.' }) input: CartCreateInput, @Ctx() ctx: CartsContext) {
    return withUserErrors(async () => ({ cart: await ctx.domain.carts.create(ctx.principal, input.channel, input.lines ?? []) }));
  }

  @Authorized(Rule.CART)
  @Mutation(() => CartPayload, { description: 'Adds variants to a cart (units of one already there add up).' })
  cartLinesAdd(@Arg('input', () => CartLinesAddInput, { description: 'The cart and the lines.' }) input: CartLinesAddInput, @Ctx() ctx: CartsContext) {
    return withUserErrors(async () => ({ cart: await ctx.domain.carts.addLines(ctx.principal, input.cartId, input.lines, input.channel ?? null) }));
  }

  @Authorized(Rule.CART)
  @Mutation(() => CartPayload, { description: 'Sets quantities of lines of a cart (0 removes a line).' })
  cartLinesUpdate(@Arg('input', () => CartLinesUpdateInput, { description: 'The cart and the new quantities.' }) input: CartLinesUpdateInput, @Ctx() ctx: CartsContext) {
    return withUserErrors(async () => ({ cart: await ctx.domain.carts.updateLines(ctx.principal, input.cartId, input.lines) }));
  }

  @Authorized(Rule.CART)
  @Mutation(() => CartPayload, { description: 'Takes lines out of a cart.' })
  cartLinesRemove(@Arg('input', () => CartLinesRemoveInput, { description: 'The cart and the lines.' }) input: CartLinesRemoveInput, @Ctx() ctx: CartsContext) {
    return withUserErrors(async () => ({ cart: await ctx.domain.carts.removeLines(ctx.principal, input.cartId, input.lineIds) }));
  }

  @Authorized(Rule.CART)
  @Mutation(() => CartPayload, {
    description:
      "Signed in, takes over an anonymous cart (e.g. the one built before signing in): its lines merge into your cart, each up to the per-line limit and what is in stock; the anonymous cart closes. Returns your cart; a retry returns it again.",
  })
  claimCart(@Arg('input', () => ClaimCartInput, { description: 'The anonymous cart.' }) input: ClaimCartInput, @Ctx() ctx: CartsContext) {
    return withUserErrors(async () => ({ cart: await ctx.domain.carts.claim(ctx.principal, input.cartId) }));
  }

  @Authorized(Rule.CART)
  @Mutation(() => CheckoutCartPayload, {
    description:
      "Turns a cart into an order through placeOrder (stock reserved and taken, never oversold): SHIP to a saved or given address with a delivery date and band, PICKUP_IN_STORE at a store that has every line, or CARRY_OUT at the till (store staff at their store; channel STORE). The same idempotencyKey returns the same order; a cart checked out with another key is CART_CHECKED_OUT.",
  })
  checkoutCart(@Arg('input', () => CheckoutCartInput, { description: 'The cart, fulfilment and payment.' }) input: CheckoutCartInput, @Ctx() ctx: CartsContext) {
    return withUserErrors(async () => {
      const { cart, order } = await ctx.domain.checkout.checkout(ctx.principal, input);
      return { cart, order: ref(Order, order.id), orderNumber: order.number };
    });
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'Whose cart it is (null while anonymous).' })
  async customer(@Root() cart: CartRow, @Ctx() ctx: CartsContext) {
    return ref(Customer, cart.customerId === null ? null : await ctx.loaders.customerRoot.load(cart.customerId));
  }

  @FieldResolver(() => [CartLineRow], { description: 'The lines, oldest first.' })
  lines(@Root() cart: CartRow, @Ctx() ctx: CartsContext) {
    return ctx.loaders.linesByCartId.load(cart.id);
  }

  @FieldResolver(() => Int, { description: 'Units in the cart.' })
  async itemCount(@Root() cart: CartRow, @Ctx() ctx: CartsContext) {
    return (await ctx.loaders.linesByCartId.load(cart.id)).reduce((sum, l) => sum + l.quantity, 0);
  }

  @FieldResolver(() => Money, { nullable: true, description: "The lines at the catalog's prices now, tax-inclusive (null, with an UNAVAILABLE error, while inventory cannot answer)." })
  async subtotal(@Root() cart: CartRow, @Ctx() ctx: CartsContext) {
    const { subtotal, currencyCode } = await this.totals(cart, ctx);
    return money(subtotal, currencyCode);
  }

  @FieldResolver(() => Money, { nullable: true, description: 'The consumption tax contained in the subtotal (null while inventory cannot answer).' })
  async taxTotal(@Root() cart: CartRow, @Ctx() ctx: CartsContext) {
    const { taxTotal, currencyCode } = await this.totals(cart, ctx);
    return money(taxTotal, currencyCode);
  }

  @FieldResolver(() => Order, { nullable: true, description: 'The order it became, once checked out.' })
  checkedOutOrder(@Root() cart: CartRow) {
    return ref(Order, cart.checkedOutOrderId);
  }

  private async totals(cart: CartRow, ctx: CartsContext) {
    const lines = await ctx.loaders.linesByCartId.load(cart.id);
    const facts = await ctx.loaders.variantFacts.loadMany(lines.map((l) => l.variantId));
    const failed = facts.find((f) => f instanceof Error);
    if (failed) throw failed;
    return totalsOf(lines, new Map(lines.map((l, i) => [l.variantId, facts[i] as Exclude<(typeof facts)[number], Error>])));
  }
}
