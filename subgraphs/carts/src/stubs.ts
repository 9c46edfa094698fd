import { Directive, Field, ID, ObjectType } from 'type-graphql';

// Entities of other services that carts return or add fields to: this service knows only their ids.

@ObjectType({ description: 'A customer (owned by the customers service).' })
@Directive('@key(fields: "id")')
export class Customer {
  @Field(() => ID, { description: 'Customer id.' })
  id!: string;
}

@ObjectType({ description: 'Everything held about a person (owned by the customers service).' })
@Directive('@key(fields: "customerId")')
export class CustomerDataExport {
  @Field(() => ID, { description: 'The customer.' })
  customerId!: string;
}

@ObjectType({ description: 'A style (resolved by the inventory service).' })
@Directive('@key(fields: "id", resolvable: false)')
export class Product {
  @Field(() => ID, { description: 'Product id.' })
  id!: string;
}

@ObjectType({ description: 'A SKU (resolved by the inventory service).' })
@Directive('@key(fields: "id", resolvable: false)')
export class ProductVariant {
  @Field(() => ID, { description: 'Variant id.' })
  id!: string;
}

@ObjectType({ description: 'An order (resolved by the orders service).' })
@Directive('@key(fields: "id", resolvable: false)')
export class Order {
  @Field(() => ID, { description: 'Order id.' })
  id!: string;
}

/** A reference to an entity of another service: just its id. */
export function ref<T extends { id: string }>(type: new () => T, id: string | null): T | null {
  return id === null ? null : Object.assign(new type(), { id });
}
