import { accessDenied, readsCustomerCart } from '../../../../shared/auth/rules';
import type { CartsContext } from '../context';
import type { CartRow } from './cart.entity';

/**
 * Whether the caller may read this cart: an anonymous one whoever has its id (it is the key), a
 * customer's one herself (under any id merged into hers), store staff, support, admins, services.
 */
export async function requireReadableCart(ctx: CartsContext, cart: CartRow): Promise<void> {
  if (cart.customerId === null) return;
  const owner = await ctx.loaders.customerRoot.load(cart.customerId);
  const { principal } = ctx;
  const self = principal.kind === 'CUSTOMER' && (await ctx.loaders.customerRoot.load(principal.customerId)) === owner;
  if (!self && !readsCustomerCart(principal, owner)) throw accessDenied(principal, "this customer's cart");
}
