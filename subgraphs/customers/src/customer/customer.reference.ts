import type { CustomersContext } from '../context';

/** How the gateway fetches a Customer another service refers to: through the request's loader. */
export const customerReference = {
  Customer: {
    __resolveReference: (ref: { id: string }, ctx: CustomersContext) => ctx.loaders.customerById.load(ref.id),
  },
};
