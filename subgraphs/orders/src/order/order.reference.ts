import type { OrdersContext } from '../context';

/** How the gateway fetches an Order another service refers to: through the request's loader. */
export const orderReference = {
  Order: {
    __resolveReference: (ref: { id: string }, ctx: OrdersContext) => ctx.loaders.orderById.load(ref.id),
  },
};
