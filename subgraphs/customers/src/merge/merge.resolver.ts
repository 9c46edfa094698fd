import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { refusalsAsInputErrors, UserError, withUserErrors } from '../../../../shared/graphql/user-error';
import type { CustomersContext } from '../context';
import { Customer, CustomerIdentity } from '../customer/customer.entity';
import { MergeRecord } from './merge-record.entity';

@InputType({ description: 'Two records of one person: the merged one joins the survivor.' })
export class MergeCustomersInput {
  @Field(() => ID, { description: 'The customer that stays.' })
  survivorId!: string;

  @Field(() => ID, { description: 'The customer merged away; its id resolves to the survivor from now on.' })
  mergedId!: string;
}

@InputType({ description: 'A merge to undo.' })
export class UnmergeCustomersInput {
  @Field(() => ID, { description: 'The merge id (MergeRecord.id).' })
  mergeId!: string;
}

@ObjectType({ description: 'A difference between the two records, and how the merge settles it.' })
export class MergeConflict {
  @Field({ description: 'The field, e.g. email or consents.PERSONALIZATION.' })
  field!: string;

  @Field(() => String, { nullable: true, description: "The survivor's value." })
  survivorValue!: string | null;

  @Field(() => String, { nullable: true, description: "The merged customer's value." })
  mergedValue!: string | null;

  @Field({ description: "SURVIVOR_KEPT (profile fields) or NOT_GRANTED (consents: the more restrictive choice wins)." })
  resolution!: string;
}

@ObjectType({ description: 'What a merge would do.' })
export class MergePreview {
  @Field(() => Customer, { description: 'The customer that would stay.' })
  survivor!: Customer;

  @Field(() => Customer, { description: 'The customer that would be merged away.' })
  merged!: Customer;

  @Field(() => [CustomerIdentity], { description: 'Identities that would move to the survivor.' })
  identitiesMoving!: CustomerIdentity[];

  @Field(() => Int, { description: 'Touchpoints that would move.' })
  touchpointsMoving!: number;

  @Field(() => Int, { description: 'Orders that would count for the survivor.' })
  ordersMoving!: number;

  @Field(() => Int, { description: "Delivery addresses that would move to the survivor (hers keeps being the default; without one, the merged customer's becomes it)." })
  addressesMoving!: number;

  @Field(() => [MergeConflict], { description: 'Where the two records differ.' })
  conflicts!: MergeConflict[];
}

@ObjectType({ description: 'The result of mergeCustomers or unmergeCustomers.' })
export class MergePayload {
  @Field(() => MergeRecord, { nullable: true, description: 'The merge record.' })
  merge?: MergeRecord | null;

  @Field(() => Customer, { nullable: true, description: 'The survivor, as it is now.' })
  survivor?: Customer | null;

  @Field(() => Customer, { nullable: true, description: 'The merged customer (after an unmerge: standing again).' })
  merged?: Customer | null;

  @Field(() => [UserError], {
    description:
      'Why nothing happened: NOT_FOUND, SAME_CUSTOMER, ALREADY_MERGED, ALREADY_UNMERGED, CUSTOMER_ERASED, IDENTITY_LIMIT_REACHED (together they would hold more identities than a customer may), TOO_MANY_ADDRESSES (together they would keep more than 20 addresses).',
  })
  userErrors!: UserError[];
}

@Resolver(() => MergeRecord)
export class MergeResolver {
  @Authorized(Rule.CUSTOMER_CASES)
  @Query(() => MergePreview, { nullable: true, description: 'What merging two customers would move, and where they conflict (support, admins).' })
  async previewCustomerMerge(
    @Arg('survivorId', () => ID, { description: 'The customer that would stay.' }) survivorId: string,
    @Arg('mergedId', () => ID, { description: 'The customer that would be merged away.' }) mergedId: string,
    @Ctx() ctx: CustomersContext,
  ) {
    const preview = await refusalsAsInputErrors(() => ctx.domain.merges.preview(survivorId, mergedId));
    const [survivor, merged] = await Promise.all([ctx.loaders.customerById.load(preview.survivorId), ctx.loaders.customerById.load(preview.mergedId)]);
    // Contact details in conflicts are shown as the caller may see them, and their reads audited.
    const conflicts = await Promise.all(
      preview.conflicts.map(async (c) =>
        c.field === 'email' || c.field === 'phone'
          ? { ...c, survivorValue: await ctx.contacts.show(preview.survivorId, c.field, c.survivorValue), mergedValue: await ctx.contacts.show(preview.mergedId, c.field, c.mergedValue) }
          : c,
      ),
    );
    return { ...preview, conflicts, survivor, merged };
  }

  @Authorized(Rule.CUSTOMER_CASES)
  @Mutation(() => MergePayload, {
    description: 'Merges two records of one person (support, admins). Identities, consents (the more restrictive wins), touchpoints and orders follow the survivor.',
  })
  mergeCustomers(@Arg('input', () => MergeCustomersInput, { description: 'Survivor and merged.' }) input: MergeCustomersInput, @Ctx() ctx: CustomersContext) {
    return withUserErrors(async () => this.payload(ctx, await ctx.domain.merges.merge(ctx.principal, input.survivorId, input.mergedId)));
  }

  @Authorized(Rule.CUSTOMER_CASES)
  @Mutation(() => MergePayload, { description: 'Undoes a merge: both customers as they were before it (support, admins).' })
  unmergeCustomers(@Arg('input', () => UnmergeCustomersInput, { description: 'The merge.' }) input: UnmergeCustomersInput, @Ctx() ctx: CustomersContext) {
    return withUserErrors(async () => this.payload(ctx, await ctx.domain.merges.unmerge(ctx.principal, input.mergeId)));
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'The customer that stands for both now.' })
  survivor(@Root() record: MergeRecord, @Ctx() ctx: CustomersContext) {
    return ctx.loaders.customerById.load(record.survivorId);
  }

  private async payload(ctx: CustomersContext, merge: MergeRecord) {
    // Fresh reads: the request's loaders may hold the records as they were before the change.
    const [survivor, merged] = await ctx.domain.customers.byIds([merge.survivorId, merge.mergedId]);
    return { merge, survivor, merged };
  }
}

@Resolver(() => Customer)
export class CustomerMergesResolver {
  @Authorized(Rule.CUSTOMER_CASES)
  @FieldResolver(() => [MergeRecord], { description: 'Merges this customer took part in, oldest first (support, admins).' })
  merges(@Root() customer: Customer, @Ctx() ctx: CustomersContext) {
    return ctx.loaders.mergesByCustomerId.load(customer.id);
  }
}
