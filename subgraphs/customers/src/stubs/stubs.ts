import { Directive, Field, ID, ObjectType } from 'type-graphql';

// Entities of the inventory service that customers' records point at; the gateway fetches the rest.

@ObjectType({ description: 'A style (owned by the inventory service).' })
@Directive('@key(fields: "id", resolvable: false)')
export class Product {
  @Field(() => ID, { description: 'Product id.' })
  id!: string;
}

@ObjectType({ description: 'A store or warehouse (owned by the inventory service).' })
@Directive('@key(fields: "id", resolvable: false)')
export class Location {
  @Field(() => ID, { description: 'Location id.' })
  id!: string;
}

export function productRef(id: string | null): Product | null {
  return id === null ? null : Object.assign(new Product(), { id });
}

export function locationRef(id: string): Location;
export function locationRef(id: string | null): Location | null;
export function locationRef(id: string | null): Location | null {
  return id === null ? null : Object.assign(new Location(), { id });
}
