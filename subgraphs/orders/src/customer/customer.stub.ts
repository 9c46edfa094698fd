import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The customers service's entity, to which this service adds orders and the purchase summary. */
@ObjectType({ description: 'A customer (owned by the customers service).' })
@Directive('@key(fields: "id")')
export class Customer {
  @Field(() => ID, { description: 'Customer id.' })
  id!: string;
}
