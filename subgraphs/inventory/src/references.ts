import type { InventoryContext } from './context';

/** `__resolveReference` of the entities this service owns: always through the request's loaders. */
export const inventoryReferences = {
  Product: {
    __resolveReference: (ref: { id: string }, ctx: InventoryContext) => ctx.loaders.productById.load(ref.id),
  },
  ProductVariant: {
    __resolveReference: (ref: { id: string }, ctx: InventoryContext) => ctx.loaders.variantById.load(ref.id),
  },
  Location: {
    __resolveReference: (ref: { id: string }, ctx: InventoryContext) => ctx.loaders.locationById.load(ref.id),
  },
};
