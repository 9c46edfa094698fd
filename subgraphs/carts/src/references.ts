import { requireReadableCart } from './cart/cart-access';
import type { CartRow } from './cart/cart.entity';
import type { CartsContext } from './context';
import { Customer } from './stubs';

export const cartsReferences = {
  /** A reference to a merged-away customer resolves to the survivor, whose cart it then answers. */
  Customer: {
    __resolveReference: async (ref: { id: string }, ctx: CartsContext): Promise<Customer> =>
      Object.assign(new Customer(), { id: await ctx.loaders.customerRoot.load(ref.id) }),
  },
  /** An order's cart (Order.cart), for whoever may read that cart. */
  Cart: {
    __resolveReference: async (ref: { id: string }, ctx: CartsContext): Promise<CartRow | null> => {
      const cart = await ctx.loaders.cartById.load(ref.id);
      if (cart) await requireReadableCart(ctx, cart);
      return cart;
    },
  },
};
