import type { InventoryContext } from '../context';

/** How the gateway fetches the styles and SKUs other services refer to: through the request's loaders. */
export const productReferences = {
  Product: {
    __resolveReference: (ref: { id: string }, ctx: InventoryContext) => ctx.loaders.productById.load(ref.id),
  },
  ProductVariant: {
    __resolveReference: (ref: { id: string }, ctx: InventoryContext) => ctx.loaders.variantById.load(ref.id),
  },
};
