import { ArrayMaxSize, ValidateNested } from 'class-validator';
import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { UserError, withUserErrors } from '../../../../shared/graphql/user-error';
import type { CustomersContext } from '../context';
import { Customer } from '../customer/customer.entity';
import { Consent, ConsentChange, ConsentPurpose } from './consent.entity';
import { CONSENT_HISTORY_LISTED } from './consent.service';

@InputType({ description: 'A choice for one purpose.' })
export class ConsentInput {
  @Field(() => ConsentPurpose, { description: 'The purpose.' })
  purpose!: ConsentPurpose;

  @Field({ description: 'True to agree, false to refuse or withdraw.' })
  granted!: boolean;
}

@InputType({ description: "Changes to a customer's consents; purposes left out stay as they are." })
export class UpdateConsentsInput {
  @Field(() => ID, { description: 'Whose consents.' })
  customerId!: string;

  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Field(() => [ConsentInput], { description: 'The choices.' })
  consents!: ConsentInput[];
}

@ObjectType({ description: 'The result of updateConsents.' })
export class UpdateConsentsPayload {
  @Field(() => Customer, { nullable: true, description: 'The customer, with the consents as they are now.' })
  customer?: Customer | null;

  @Field(() => [UserError], { description: 'Why nothing changed (NOT_FOUND, CUSTOMER_ERASED).' })
  userErrors!: UserError[];
}

@Resolver(() => Customer)
export class CustomerConsentsResolver {
  @Authorized(Rule.CONSENT_CHANGE)
  @Mutation(() => UpdateConsentsPayload, {
    description: 'Gives or withdraws consents (the customer, or support on their behalf); each change is recorded and published.',
  })
  updateConsents(@Arg('input', () => UpdateConsentsInput, { description: 'Whose, and the choices.' }) input: UpdateConsentsInput, @Ctx() ctx: CustomersContext) {
    return withUserErrors(async () => {
      await ctx.checkSelf(input.customerId);
      const customer = await ctx.domain.consents.update(ctx.principal, input.customerId, input.consents);
      return { customer };
    });
  }

  @Authorized(Rule.CUSTOMER)
  @FieldResolver(() => [Consent], { description: 'The choice for every purpose (never asked: its default, see Consent).' })
  consents(@Root() customer: Customer, @Ctx() ctx: CustomersContext) {
    // An erased person has agreed to nothing any more, whatever the defaults.
    if (customer.erasedAt) return Object.values(ConsentPurpose).map((purpose) => Object.assign(new Consent(), { customerId: customer.id, purpose, granted: false, updatedAt: null }));
    return ctx.loaders.consentsByCustomerId.load(customer.id);
  }

  @Authorized(Rule.CUSTOMER)
  @FieldResolver(() => [ConsentChange], {
    description: `The ${CONSENT_HISTORY_LISTED} most recent changes of the customer's consents, oldest of them first (exportCustomerData has every one).`,
  })
  consentHistory(@Root() customer: Customer, @Ctx() ctx: CustomersContext) {
    return ctx.loaders.consentHistoryByCustomerId.load(customer.id);
  }
}
