import type { InventoryContext } from '../context';

/** How the gateway fetches a Location other services refer to: through the request's loader. */
export const locationReference = {
  Location: {
    __resolveReference: (ref: { id: string }, ctx: InventoryContext) => ctx.loaders.locationById.load(ref.id),
  },
};
