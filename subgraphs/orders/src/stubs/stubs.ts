import { Directive, Field, ID, ObjectType } from 'type-graphql';

// References to entities the inventory service owns: this service only knows their ids.

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

@ObjectType({ description: 'A store or warehouse (resolved by the inventory service).' })
@Directive('@key(fields: "id", resolvable: false)')
export class Location {
  @Field(() => ID, { description: 'Location id.' })
  id!: string;
}

// A reference to an entity the carts service owns.

@ObjectType({ description: 'A cart (resolved by the carts service).' })
@Directive('@key(fields: "id", resolvable: false)')
export class Cart {
  @Field(() => ID, { description: 'Cart id.' })
  id!: string;
}

/** A reference to an entity of another service: just its id. */
export function ref<T extends { id: string }>(type: new () => T, id: string): T;
export function ref<T extends { id: string }>(type: new () => T, id: string | null): T | null;
export function ref<T extends { id: string }>(type: new () => T, id: string | null): T | null {
  return id === null ? null : Object.assign(new type(), { id });
}
