import { Arg, Ctx, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import { FulfillmentType } from '../../../../shared/graphql/checkout';
import { Money, money } from '../../../../shared/graphql/money';
import type { CartsContext } from '../context';
import { Product, ProductVariant, ref } from '../stubs';
import { availableFor, CartLineProblem, problemOf, type Fulfilment } from './cart-pricing';
import { CartLineRow } from './cart.entity';

const FULFILLMENT_ARG = { nullable: true, description: 'The fulfilment to judge by (default SHIP).' } as const;
const LOCATION_ARG = { nullable: true, description: 'The store of a PICKUP_IN_STORE or CARRY_OUT.' } as const;

function fulfilment(type: FulfillmentType | null | undefined, locationId: string | null | undefined): Fulfilment {
  const atStore = type === FulfillmentType.PICKUP_IN_STORE || type === FulfillmentType.CARRY_OUT;
  return { locationId: atStore ? (locationId ?? null) : null, atTill: type === FulfillmentType.CARRY_OUT };
}

@Resolver(() => CartLineRow)
export class CartLineResolver {
  @FieldResolver(() => ProductVariant, { nullable: true, description: 'The variant (resolved by inventory).' })
  variant(@Root() line: CartLineRow) {
    return ref(ProductVariant, line.variantId);
  }

  @FieldResolver(() => Product, { nullable: true, description: 'The style (resolved by inventory).' })
  product(@Root() line: CartLineRow) {
    return ref(Product, line.productId);
  }

  @FieldResolver(() => Money, { nullable: true, description: "The catalog's tax-inclusive unit price now (null when the catalog lost the variant, or inventory cannot answer)." })
  async unitPrice(@Root() line: CartLineRow, @Ctx() ctx: CartsContext) {
    const fact = await ctx.loaders.variantFacts.load(line.variantId);
    return fact ? money(fact.unitPrice, fact.currencyCode) : null;
  }

  @FieldResolver(() => Money, { nullable: true, description: 'Unit price times quantity.' })
  async total(@Root() line: CartLineRow, @Ctx() ctx: CartsContext) {
    const fact = await ctx.loaders.variantFacts.load(line.variantId);
    return fact ? money(fact.unitPrice * line.quantity, fact.currencyCode) : null;
  }

  @FieldResolver(() => CartLineProblem, {
    nullable: true,
    description: 'Null when the line can be checked out as it is in that fulfilment; else why not (DISCONTINUED, NOT_AVAILABLE, QUANTITY_REDUCED).',
  })
  async problem(
    @Root() line: CartLineRow,
    @Ctx() ctx: CartsContext,
    @Arg('fulfillment', () => FulfillmentType, FULFILLMENT_ARG) type?: FulfillmentType | null,
    @Arg('locationId', () => ID, LOCATION_ARG) locationId?: string | null,
  ) {
    return problemOf(await ctx.loaders.variantFacts.load(line.variantId), line.quantity, fulfilment(type, locationId));
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Units one order could take in that fulfilment now (at the store, or at the best-stocked location when shipped).' })
  async availableQuantity(
    @Root() line: CartLineRow,
    @Ctx() ctx: CartsContext,
    @Arg('fulfillment', () => FulfillmentType, FULFILLMENT_ARG) type?: FulfillmentType | null,
    @Arg('locationId', () => ID, LOCATION_ARG) locationId?: string | null,
  ) {
    const fact = await ctx.loaders.variantFacts.load(line.variantId);
    return fact ? availableFor(fact, fulfilment(type, locationId)) : 0;
  }
}
