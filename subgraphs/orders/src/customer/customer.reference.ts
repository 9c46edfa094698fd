import type { OrdersContext } from '../context';
import { Customer } from './customer.stub';

/** A reference to a merged-away customer resolves to the survivor, whose orders it then answers. */
export const customerReference = {
  Customer: {
    __resolveReference: async (ref: { id: string }, ctx: OrdersContext): Promise<Customer> =>
      Object.assign(new Customer(), { id: await ctx.loaders.customerRoot.load(ref.id) }),
  },
};
