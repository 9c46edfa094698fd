import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../../../../shared/db/columns';

export enum CheckInMethod {
  BEACON = 'BEACON',
  QR = 'QR',
  GEOFENCE = 'GEOFENCE',
  STAFF = 'STAFF',
}
registerEnumType(CheckInMethod, {
  name: 'CheckInMethod',
  description: 'How a check-in was detected.',
  valuesConfig: {
    BEACON: { description: "The app heard one of the store's beacons." },
    QR: { description: "The customer scanned the store's QR code." },
    GEOFENCE: { description: "The app's location entered the store's geofence." },
    STAFF: { description: 'A member of staff checked the customer in.' },
  },
});

/** Where a customer is now: one row per customer, replaced by the next check-in. */
@Entity('presence')
@Index('idx_presence_location_expires', ['locationId', 'expiresAt'])
@ObjectType({ description: 'The store the customer is in, until the presence expires or they check in elsewhere.' })
export class Presence {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'customer_id' })
  customerId!: string;

  @Column({ type: 'varchar', length: 36, name: 'location_id' })
  locationId!: string;

  @Column({ type: 'varchar', length: 16 })
  @Field(() => CheckInMethod, { description: 'How the check-in was detected.' })
  method!: CheckInMethod;

  @Column({ type: 'varchar', length: 100, name: 'beacon_id', nullable: true })
  beaconId!: string | null;

  @DateTimeColumn()
  @Field({ description: 'When the customer checked in.' })
  since!: Date;

  @DateTimeColumn({ name: 'expires_at' })
  @Field({ description: 'When the presence lapses without a new check-in.' })
  expiresAt!: Date;
}
