import { Authorized, Ctx, Directive, Field, FieldResolver, ID, ObjectType, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { JSONObjectScalar } from '../../../../shared/graphql/scalars';
import type { OrdersContext } from '../context';

/** The customers service's disclosure export, to which this service adds the person's orders. */
@ObjectType({ description: 'Everything held about a person (owned by the customers service).' })
@Directive('@key(fields: "customerId")')
export class CustomerDataExport {
  @Field(() => ID, { description: 'The customer.' })
  customerId!: string;
}

@Resolver(() => CustomerDataExport)
export class CustomerDataExportResolver {
  @Authorized(Rule.CUSTOMER_CASES)
  @FieldResolver(() => JSONObjectScalar, {
    nullable: true,
    description:
      "What the orders service holds: the person's orders in every channel, with their lines, oldest first (null, with an UNAVAILABLE error, while the orders service cannot answer: the export is then incomplete).",
  })
  async orders(@Root() exported: CustomerDataExport, @Ctx() ctx: OrdersContext) {
    return { orders: await ctx.domain.orders.disclosureOf(exported.customerId) };
  }
}
