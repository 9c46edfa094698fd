import { Directive, Field, ID, ObjectType } from 'type-graphql';

// Entities of other services to which this service adds fields; it knows only their ids.

@ObjectType({ description: 'A customer (owned by the customers service).' })
@Directive('@key(fields: "id")')
export class Customer {
  @Field(() => ID, { description: 'Customer id.' })
  id!: string;
}

@ObjectType({ description: 'A style (owned by the inventory service).' })
@Directive('@key(fields: "id")')
export class Product {
  @Field(() => ID, { description: 'Product id.' })
  id!: string;
}

@ObjectType({ description: 'A store or warehouse (owned by the inventory service).' })
@Directive('@key(fields: "id")')
export class Location {
  @Field(() => ID, { description: 'Location id.' })
  id!: string;
}

export function productRef(id: string): Product {
  return Object.assign(new Product(), { id });
}
