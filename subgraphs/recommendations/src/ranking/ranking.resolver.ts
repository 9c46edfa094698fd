import { Arg, Authorized, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { AppError, ErrorCode } from '../../../../shared/errors';
import type { RecommendationsContext } from '../context';
import { Customer, Location, Product, productRef } from '../stubs';
import { Recommendation, RecommendationReasonCode } from './recommendation.types';
import type { Scored } from './scoring';

const MAX_LIST = 50;

function listSize(first: number | undefined, fallback: number): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIST) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, `first must be between 1 and ${MAX_LIST}`, { argument: 'first' });
  }
  return n;
}

const REASON_MESSAGES: Record<Scored['reason'], string> = {
  BOUGHT_TOGETHER: 'Often bought by customers who bought what you bought',
  POPULAR: 'Popular with our customers',
};

@Resolver(() => Customer)
@Authorized(Rule.CUSTOMER)
export class CustomerRecommendationsResolver {
  @FieldResolver(() => [Recommendation], {
    description:
      'Styles for this customer: bought-together neighbours of what they bought, filled with popular styles; never what they already bought.',
  })
  async recommendations(
    @Root() customer: Customer,
    @Ctx() ctx: RecommendationsContext,
    @Arg('first', () => Int, { nullable: true, description: 'How many (1-50, default 10).' }) first?: number,
  ): Promise<Recommendation[]> {
    const scored = await ctx.loaders.recommendationsOfCustomer.load(listSize(first, 10), customer.id);
    return scored.map((s) => ({
      product: productRef(s.productId),
      score: s.score,
      reasons: [{ code: RecommendationReasonCode[s.reason], message: REASON_MESSAGES[s.reason] }],
    }));
  }
}

@Resolver(() => Product)
@Authorized(Rule.CATALOG)
export class ProductRecommendationsResolver {
  @FieldResolver(() => [Product], { description: 'Styles most often bought by the customers who bought this one.' })
  async boughtTogether(
    @Root() product: Product,
    @Ctx() ctx: RecommendationsContext,
    @Arg('first', () => Int, { nullable: true, description: 'How many (1-50, default 10).' }) first?: number,
  ): Promise<Product[]> {
    return (await ctx.loaders.boughtTogether.load(listSize(first, 10), product.id)).map(productRef);
  }
}

@Resolver(() => Location)
@Authorized(Rule.CATALOG)
export class LocationRecommendationsResolver {
  @FieldResolver(() => [Product], {
    description:
      "The store's best-selling styles by units sold there over the last `days` days (Japan's calendar, today included).",
  })
  async bestsellers(
    @Root() location: Location,
    @Ctx() ctx: RecommendationsContext,
    @Arg('first', () => Int, { nullable: true, description: 'How many (1-50, default 10).' }) first?: number,
    @Arg('days', () => Int, { nullable: true, description: 'Window in days, 1-365 (default 30).' }) days?: number,
  ): Promise<Product[]> {
    const window = days ?? 30;
    if (!Number.isInteger(window) || window < 1 || window > 365) {
      throw new AppError(ErrorCode.BAD_USER_INPUT, 'days must be between 1 and 365', { argument: 'days' });
    }
    return (await ctx.loaders.bestsellers.load({ first: listSize(first, 10), days: window }, location.id)).map(productRef);
  }
}
