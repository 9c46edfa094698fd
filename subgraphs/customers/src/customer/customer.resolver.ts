import { Arg, Authorized, Ctx, Directive, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { connectionTypes, pageSize } from '../../../../shared/graphql/connection';
import type { CustomersContext } from '../context';
import { Customer, CustomerIdentity, IdentityType } from './customer.entity';
import { CustomerFilter } from './customer.inputs';

export const { ConnectionType: CustomerConnection } = connectionTypes('Customer', Customer, 'customer');

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, { nullable: true, description: 'The signed-in customer; null for anyone else.' })
  me(@Ctx() ctx: CustomersContext) {
    return ctx.principal.kind === 'CUSTOMER' ? ctx.loaders.customerById.load(ctx.principal.customerId) : null;
  }

  @Authorized(Rule.CUSTOMER_LOOKUP)
  @Query(() => Customer, { nullable: true, description: 'A customer by id (staff).' })
  customer(@Arg('id', () => ID, { description: 'Customer id.' }) id: string, @Ctx() ctx: CustomersContext) {
    return ctx.loaders.customerById.load(id);
  }

  @Authorized(Rule.CUSTOMER_LOOKUP)
  @Query(() => Customer, {
    nullable: true,
    description: 'The customer an identity belongs to, the value normalised first (staff).',
  })
  customerByIdentity(
    @Arg('type', () => IdentityType, { description: 'Kind of key.' }) type: IdentityType,
    @Arg('value', { description: 'The key as a channel knows it, e.g. 090-1234-5678.' }) value: string,
    @Ctx() ctx: CustomersContext,
  ) {
    return ctx.domain.customers.byIdentity(type, value);
  }

  @Authorized(Rule.CUSTOMER_LOOKUP)
  @Query(() => CustomerConnection, { description: 'Customers, optionally filtered (staff).' })
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
