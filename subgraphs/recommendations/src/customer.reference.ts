import type { RecommendationsContext } from './context';
import { Customer } from './stubs';

/** A reference to a merged-away customer resolves to the survivor, whom the recommendations are for. */
export const customerReference = {
  Customer: {
    __resolveReference: async (ref: { id: string }, ctx: RecommendationsContext): Promise<Customer> =>
      Object.assign(new Customer(), { id: await ctx.loaders.customerRoot.load(ref.id) }),
  },
};
