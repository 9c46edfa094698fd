import { Authorized, Directive, Field, Float, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../../../../shared/db/columns';

export enum LocationType {
  STORE = 'STORE',
  WAREHOUSE = 'WAREHOUSE',
}
registerEnumType(LocationType, {
  name: 'LocationType',
  description: 'What a location is.',
  valuesConfig: {
    STORE: { description: 'A shop customers visit.' },
    WAREHOUSE: { description: 'A fulfilment centre that ships EC orders.' },
  },
});

@ObjectType({ description: 'A point on the globe (WGS 84).' })
export class GeoPoint {
  @Field(() => Float, { description: 'Latitude in degrees.' })
  lat!: number;

  @Field(() => Float, { description: 'Longitude in degrees.' })
  lng!: number;
}

@InputType({ description: 'A circle on the globe: locations within `radiusKm` of the point.' })
export class GeoInput {
  @Field(() => Float, { description: 'Latitude in degrees.' })
  lat!: number;

  @Field(() => Float, { description: 'Longitude in degrees.' })
  lng!: number;

  @Field(() => Float, { description: 'Radius in kilometres (default 10).', nullable: true })
  radiusKm?: number;
}

/** A store or warehouse. */
@Entity('location')
@ObjectType({ description: 'A store or warehouse that holds stock.' })
@Authorized(Rule.CATALOG)
@Directive('@key(fields: "id")')
export class Location {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  @Field(() => ID, { description: 'Location id.' })
  id!: string;

  @Column({ type: 'varchar', length: 32, unique: true })
  @Field({ description: 'Short business code, e.g. TKY-SHIBUYA.' })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  @Field({ description: 'Display name.' })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  @Field(() => LocationType, { description: 'Store or warehouse.' })
  type!: LocationType;

  @Column({ type: 'varchar', length: 400 })
  @Field({ description: 'Postal address as one line.' })
  address!: string;

  @Column({ type: 'double' })
  lat!: number;

  @Column({ type: 'double' })
  lng!: number;

  @Column({ type: 'boolean', name: 'pickup_enabled' })
  @Field({ description: 'True when EC orders can be picked up here.' })
  pickupEnabled!: boolean;

  @Column({ type: 'simple-json', name: 'beacon_ids' })
  @Field(() => [String], { description: 'Ids of the in-store beacons the app detects.' })
  beaconIds!: string[];

  @DateTimeColumn({ name: 'created_at' })
  createdAt!: Date;
}
