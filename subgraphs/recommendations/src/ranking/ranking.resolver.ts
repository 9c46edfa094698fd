import { Arg, Authorized, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { AppError, ErrorCode } from '../../../../shared/errors';
import type { RecommendationsContext } from '../context';
import { Customer, Location, Product, productRef, variantRef } from '../stubs';
import { MAX_LIST } from './recommendation.service';
import { REASON_MESSAGES, Recommendation, RecommendationContext, RecommendationReasonCode } from './recommendation.types';

function listSize(first: number | undefined, fallback: number): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIST) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, `first must be between 1 and ${MAX_LIST}`, { argument: 'first' });
  }
  return n;
}

@Resolver(() => Customer)
@Authorized(Rule.CUSTOMER)
export class CustomerRecommendationsResolver {
  @FieldResolver(() => [Recommendation], {
    nullable: true,
    description:
      'Styles for this customer in a context: what they buy again, styles bought or viewed with theirs, popular styles of the store or channel and new arrivals; never what they own unless bought again, nothing cancelled or returned; not personal when PERSONALIZATION is refused. Null, with an UNAVAILABLE error, while the recommendations service cannot answer.',
  })
  async recommendations(
    @Root() customer: Customer,
    @Ctx() ctx: RecommendationsContext,
    @Arg('first', () => Int, { nullable: true, description: `How many (1-${MAX_LIST}, default 10).` }) first?: number,
    @Arg('context', () => RecommendationContext, {
      nullable: true,
      description: 'Store, channel and stock filter; without it, the store the customer is in, if any.',
    })
    context?: RecommendationContext | null,
  ): Promise<Recommendation[]> {
    const { locationId = null, channel = null, inStockOnly = null } = context ?? {};
    const ranked = await ctx.loaders.recommendationsOfCustomer.load(
      { first: listSize(first, 10), context: { locationId, channel, inStockOnly } },
      customer.id,
    );
    return ranked.map((r) => ({
      product: productRef(r.productId),
      variant: r.variantId ? variantRef(r.variantId) : null,
      score: r.score,
      reasons: r.reasons.map(({ code, becauseOf }) => ({
        code: RecommendationReasonCode[code],
        message: REASON_MESSAGES[code],
        basedOn: becauseOf ? productRef(becauseOf) : null,
      })),
    }));
  }
}

@Resolver(() => Product)
@Authorized(Rule.CATALOG)
export class ProductRecommendationsResolver {
  @FieldResolver(() => [Product], {
    nullable: true,
    description:
      'Styles bought by the customers who bought this one, the most strongly associated first (customers who bought both, relative to how many bought each); returns and cancellations left out. Null, with an UNAVAILABLE error, while the recommendations service (or inventory, for the styles) cannot answer.',
  })
  async boughtTogether(
    @Root() product: Product,
    @Ctx() ctx: RecommendationsContext,
    @Arg('first', () => Int, { nullable: true, description: `How many (1-${MAX_LIST}, default 10).` }) first?: number,
  ): Promise<Product[]> {
    return (await ctx.loaders.boughtTogether.load(listSize(first, 10), product.id)).map(productRef);
  }
}

@Resolver(() => Location)
@Authorized(Rule.CATALOG)
export class LocationRecommendationsResolver {
  @FieldResolver(() => [Product], {
    nullable: true,
    description:
      "The store's best-selling styles by units sold there, net of returns, over the last `days` days (Japan's calendar, today included). Null, with an UNAVAILABLE error, while the recommendations service (or inventory, for the styles) cannot answer.",
  })
  async bestsellers(
    @Root() location: Location,
    @Ctx() ctx: RecommendationsContext,
    @Arg('first', () => Int, { nullable: true, description: `How many (1-${MAX_LIST}, default 10).` }) first?: number,
    @Arg('days', () => Int, { nullable: true, description: 'Window in days, 1-365 (default 30).' }) days?: number,
  ): Promise<Product[]> {
    const window = days ?? 30;
    if (!Number.isInteger(window) || window < 1 || window > 365) {
      throw new AppError(ErrorCode.BAD_USER_INPUT, 'days must be between 1 and 365', { argument: 'days' });
    }
    return (await ctx.loaders.bestsellers.load({ first: listSize(first, 10), days: window }, location.id)).map(productRef);
  }

  @FieldResolver(() => [Product], {
    nullable: true,
    description:
      'Styles released in the last 60 days with units available at this location, newest first. Null, with an UNAVAILABLE error, while the recommendations service (or inventory, for the styles) cannot answer.',
  })
  async newArrivals(
    @Root() location: Location,
    @Ctx() ctx: RecommendationsContext,
    @Arg('first', () => Int, { nullable: true, description: `How many (1-${MAX_LIST}, default 10).` }) first?: number,
  ): Promise<Product[]> {
    return (await ctx.loaders.newArrivals.load(listSize(first, 10), location.id)).map(productRef);
  }
}
