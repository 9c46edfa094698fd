import { Directive, Field, ID, ObjectType } from 'type-graphql';

// Entities of other services to which this service adds fields or which it returns; it knows only their ids.

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

@ObjectType({ description: 'A SKU: a style in one size and colour (owned by the inventory service).' })
@Directive('@key(fields: "id", resolvable: false)')
export class ProductVariant {
  @Field(() => ID, { description: 'Variant id.' })
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

export function variantRef(id: string): ProductVariant {
  return Object.assign(new ProductVariant(), { id });
}
