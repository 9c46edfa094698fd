import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { connectionTypes, pageSize } from '../../../../shared/graphql/connection';
import type { CustomersContext } from '../context';
import { Customer, CustomerIdentity, IdentityType } from './customer.entity';
import { CustomerFilter } from './customer.inputs';

export const { ConnectionType: CustomerConnection } = connectionTypes('Customer', Customer, 'customer');

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, { nullable: true, description: 'A customer by id.' })
  customer(@Arg('id', () => ID, { description: 'Customer id.' }) id: string, @Ctx() ctx: CustomersContext) {
    return ctx.loaders.customerById.load(id);
  }

  @Query(() => Customer, { nullable: true, description: 'The customer an identity belongs to (the value is normalised first).' })
  customerByIdentity(
    @Arg('type', () => IdentityType, { description: 'Kind of key.' }) type: IdentityType,
    @Arg('value', { description: 'The key as a channel knows it, e.g. 090-1234-5678.' }) value: string,
    @Ctx() ctx: CustomersContext,
  ) {
    return ctx.domain.customers.byIdentity(type, value);
  }

  @Query(() => CustomerConnection, { description: 'Customers, optionally filtered.' })
  customers(
    @Ctx() ctx: CustomersContext,
    @Arg('filter', () => CustomerFilter, { nullable: true, description: 'Which customers.' }) filter?: CustomerFilter,
    @Arg('first', () => Int, { nullable: true, description: 'Page size (1-100, default 20).' }) first?: number,
    @Arg('after', { nullable: true, description: 'Cursor of the item before this page.' }) after?: string,
  ) {
    return ctx.domain.customers.list(filter, pageSize(first), after);
  }

  @FieldResolver(() => [CustomerIdentity], { description: 'Every key by which a channel knows this customer.' })
  identities(@Root() customer: Customer, @Ctx() ctx: CustomersContext) {
    return ctx.loaders.identitiesByCustomerId.load(customer.id);
  }
}
