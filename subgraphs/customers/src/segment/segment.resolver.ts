import { Arg, Authorized, Ctx, Field, FieldResolver, Float, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { money, Money } from '../../../../shared/graphql/money';
import type { CustomersContext } from '../context';
import { Customer } from '../customer/customer.entity';
import { SegmentCode, SegmentMembership } from './segment.entity';

@ObjectType({ description: "One segment's figures." })
export class SegmentFigures {
  @Field(() => SegmentCode, { description: 'The segment.' })
  code!: SegmentCode;

  @Field(() => Int, { description: 'Customers in it now.' })
  customers!: number;

  @Field(() => Money, { description: 'What its customers have spent (tax-inclusive, net of returns): in all, or since `since`.' })
  revenue!: Money;

  @Field(() => Float, { description: "Its revenue's share of all customers' revenue, 0 to 1 (segments overlap, so shares do not add up to 1)." })
  revenueShare!: number;

  @Field(() => Money, { description: 'Average lifetime value of its customers (with `since`: what each spent on average in the period).' })
  averageLifetimeValue!: Money;
}

@ObjectType({ description: 'Every segment with its figures, as marketing reads them.' })
export class SegmentReport {
  @Field(() => [SegmentFigures], { description: 'One entry per segment code.' })
  segments!: SegmentFigures[];

  @Field({ description: 'When the report was computed.' })
  generatedAt!: Date;
}

@Resolver(() => Customer)
export class CustomerSegmentsResolver {
  @Authorized(Rule.SEGMENTS)
  @FieldResolver(() => [SegmentMembership], { description: 'The segments the customer is in (staff only).' })
  segments(@Root() customer: Customer, @Ctx() ctx: CustomersContext) {
    return ctx.loaders.segmentsByCustomerId.load(customer.id);
  }

  @Authorized(Rule.SEGMENT_REPORT)
  @Query(() => SegmentReport, {
    description: "Per segment: customers (its members now), revenue, share of revenue, average lifetime value (marketing, admins); with `since`, the money is the period's.",
  })
  async segmentReport(
    @Ctx() ctx: CustomersContext,
    @Arg('since', () => Date, { nullable: true, description: 'Count only orders placed from then on (default: every order).' }) since?: Date | null,
  ): Promise<SegmentReport> {
    const figures = await ctx.domain.segments.report(since ?? null);
    return {
      generatedAt: new Date(),
      segments: figures.map((f) => ({ ...f, revenue: money(f.revenue), averageLifetimeValue: money(f.averageLifetimeValue) })),
    };
  }
}
