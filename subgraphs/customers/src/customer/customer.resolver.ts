import { Arg, Authorized, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { accessDenied } from '../../../../shared/auth/rules';
import { connectionTypes, pageSize } from '../../../../shared/graphql/connection';
import { Channel } from '../../../../shared/graphql/channel';
import { withUserErrors } from '../../../../shared/graphql/user-error';
import type { CustomersContext } from '../context';
import { IdentityType } from '../../../../shared/graphql/identity';
import { Customer, CustomerIdentity } from './customer.entity';
import { CustomerFilter, CustomerPayload, LinkIdentityInput, RegisterCustomerInput, UnlinkIdentityInput, UpdateCustomerInput } from './customer.inputs';

export const { ConnectionType: CustomerConnection } = connectionTypes('Customer', Customer, 'customer');

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, { nullable: true, description: 'The signed-in customer; null for anyone else.' })
  me(@Ctx() ctx: CustomersContext) {
    return ctx.principal.kind === 'CUSTOMER' ? ctx.loaders.customerById.load(ctx.principal.customerId) : null;
  }

  @Authorized(Rule.CUSTOMER_LOOKUP)
  @Query(() => Customer, { nullable: true, description: 'A customer by id; a merged-away id answers the survivor (staff; partners with customers:read).' })
  async customer(@Arg('id', () => ID, { description: 'Customer id.' }) id: string, @Ctx() ctx: CustomersContext) {
    return visibleTo(ctx, await ctx.loaders.customerById.load(id));
  }

  @Authorized(Rule.CUSTOMER_LOOKUP)
  @Query(() => Customer, {
    nullable: true,
    description: 'The customer an identity belongs to, the value normalised first (staff; partners with customers:read).',
  })
  async customerByIdentity(
    @Arg('type', () => IdentityType, { description: 'Kind of key.' }) type: IdentityType,
    @Arg('value', { description: 'The key as a channel knows it, e.g. 090-1234-5678.' }) value: string,
    @Ctx() ctx: CustomersContext,
  ) {
    return visibleTo(ctx, await ctx.domain.customers.byIdentity(type, value));
  }

  @Authorized(Rule.CUSTOMER_SEARCH)
  @Query(() => CustomerConnection, { description: 'Standing customers (not merged away or erased) in id order, optionally filtered (staff).' })
  customers(
    @Ctx() ctx: CustomersContext,
    @Arg('filter', () => CustomerFilter, { nullable: true, description: 'Which customers.' }) filter?: CustomerFilter,
    @Arg('first', () => Int, { nullable: true, description: 'Page size (1-100, default 20).' }) first?: number,
    @Arg('after', { nullable: true, description: 'Cursor of the item before this page.' }) after?: string,
  ) {
    return ctx.domain.customers.list(filter, pageSize(first), after);
  }

  @Authorized(Rule.SERVICE)
  @Directive('@inaccessible')
  @Query(() => ID, {
    nullable: true,
    description: 'The customer a sign-in subject names (a customer id or an EC_ACCOUNT); for the gateway only.',
  })
  customerIdOfSubject(@Arg('subject', { description: 'The JWT subject.' }) subject: string, @Ctx() ctx: CustomersContext) {
    return ctx.domain.customers.customerIdOfSubject(subject);
  }

  @Authorized(Rule.REGISTER)
  @Mutation(() => CustomerPayload, {
    description: 'Registers a customer (sign-up, or staff at a till). An identity of someone else is the userError IDENTITY_TAKEN.',
  })
  registerCustomer(@Arg('input', () => RegisterCustomerInput, { description: 'The new customer.' }) input: RegisterCustomerInput, @Ctx() ctx: CustomersContext) {
    const channel = input.channel ?? Channel.EC;
    // Nobody vouches for an anonymous sign-up's keys: they start unverified.
    const verified = ctx.principal.kind !== 'ANONYMOUS';
    return withUserErrors(async () => {
      const customer = await ctx.domain.customers.register({
        displayName: input.displayName,
        displayNameKana: input.displayNameKana,
        email: input.email,
        phone: input.phone,
        channel,
        identities: (input.identities ?? []).map((i) => ({ ...i, channel, verified })),
      });
      return { customer, customerId: customer.id };
    });
  }

  @Authorized(Rule.CUSTOMER_CHANGE)
  @Mutation(() => CustomerPayload, { description: "Changes a customer's profile (the customer themselves, or staff)." })
  updateCustomer(@Arg('input', () => UpdateCustomerInput, { description: 'The changes.' }) input: UpdateCustomerInput, @Ctx() ctx: CustomersContext) {
    return withUserErrors(async () => {
      const { customerId, ...changes } = input;
      await ctx.checkSelf(customerId);
      const customer = await ctx.domain.customers.update(customerId, changes);
      return { customer, customerId: customer.id };
    });
  }

  @Authorized(Rule.CUSTOMER_CHANGE)
  @Mutation(() => CustomerPayload, {
    description:
      'Links an identity to a customer. What was recorded under it alone (behaviour, card-only store sales) joins their history when the link is vouched for: by staff or a service, or for the DEVICE and APP_INSTALL keys of their own device; a card or address a customer links themselves stays unverified until staff verify it. Linking it again does nothing; an identity of someone else is IDENTITY_TAKEN.',
  })
  linkIdentity(@Arg('input', () => LinkIdentityInput, { description: 'Customer and identity.' }) input: LinkIdentityInput, @Ctx() ctx: CustomersContext) {
    return withUserErrors(async () => {
      await ctx.checkSelf(input.customerId);
      // A customer's own word does not verify a key; staff who saw the card (and services) do, unless they say otherwise.
      const verified = ctx.principal.kind === 'CUSTOMER' ? false : (input.verified ?? true);
      const channel = ctx.principal.kind === 'STAFF' ? Channel.STORE : Channel.EC;
      const customer = await ctx.domain.customers.link(input.customerId, input.identity, verified, channel);
      return { customer, customerId: customer.id };
    });
  }

  @Authorized(Rule.CUSTOMER_CHANGE)
  @Mutation(() => CustomerPayload, { description: 'Unlinks an identity from a customer; what it brought stays (IDENTITY_NOT_LINKED if it was not theirs).' })
  unlinkIdentity(@Arg('input', () => UnlinkIdentityInput, { description: 'Customer and identity.' }) input: UnlinkIdentityInput, @Ctx() ctx: CustomersContext) {
    return withUserErrors(async () => {
      await ctx.checkSelf(input.customerId);
      const customer = await ctx.domain.customers.unlink(input.customerId, input.identity);
      return { customer, customerId: customer.id };
    });
  }

  @Authorized(Rule.CUSTOMER)
  @FieldResolver(() => String, { nullable: true, description: 'Contact e-mail address (masked for store staff and marketing).' })
  email(@Root() customer: Customer, @Ctx() ctx: CustomersContext) {
    return ctx.contacts.show(customer.id, 'email', customer.email);
  }

  @Authorized(Rule.CUSTOMER)
  @FieldResolver(() => String, { nullable: true, description: 'Contact phone number, E.164 (masked for store staff and marketing).' })
  phone(@Root() customer: Customer, @Ctx() ctx: CustomersContext) {
    return ctx.contacts.show(customer.id, 'phone', customer.phone);
  }

  @Authorized(Rule.CUSTOMER)
  @FieldResolver(() => [CustomerIdentity], { description: 'Every key by which a channel knows this customer.' })
  identities(@Root() customer: Customer, @Ctx() ctx: CustomersContext) {
    return ctx.loaders.identitiesByCustomerId.load(customer.id);
  }

  @Authorized(Rule.CUSTOMER)
  @FieldResolver(() => [ID], { description: 'Ids merged into this customer (directly or through chains); each resolves to this customer.' })
  mergedIds(@Root() customer: Customer, @Ctx() ctx: CustomersContext) {
    return ctx.loaders.mergedIdsByCustomerId.load(customer.id);
  }
}

@Resolver(() => CustomerIdentity)
export class CustomerIdentityResolver {
  @FieldResolver(() => String, {
    description: 'The key, normalised (lower-case e-mail, E.164 phone, ...); e-mail and phone masked for store staff and marketing.',
  })
  value(@Root() identity: CustomerIdentity, @Ctx() ctx: CustomersContext) {
    if (identity.type === IdentityType.EMAIL) return ctx.contacts.show(identity.customerId, 'identities.EMAIL', identity.value);
    if (identity.type === IdentityType.PHONE) return ctx.contacts.show(identity.customerId, 'identities.PHONE', identity.value);
    return identity.value;
  }
}

/**
 * A partner learns nothing of a customer who has not let partners see their data, not even that they
 * exist: such a customer and an unknown id are refused alike.
 */
async function visibleTo(ctx: CustomersContext, customer: Customer | null): Promise<Customer | null> {
  if (ctx.principal.kind === 'PARTNER' && !(customer && (await ctx.loaders.sharesWithPartners.load(customer.id)))) {
    throw accessDenied(ctx.principal, 'this customer');
  }
  return customer;
}
