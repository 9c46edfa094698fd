import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../../../../shared/db/columns';

/** One read of a customer's unmasked contact details by staff or a partner (APPI accountability). */
@Entity('contact_read')
@Index('idx_contact_read_customer', ['customerId', 'readAt'])
@Index('idx_contact_read_actor', ['actorId', 'readAt'])
@ObjectType({ description: "A read of a customer's unmasked contact details by staff or a partner." })
export class ContactRead {
  @PrimaryGeneratedColumn({ type: 'integer' })
  @Field(() => ID, { description: 'Record id.' })
  id!: number;

  @Column({ type: 'varchar', length: 16, name: 'actor_kind' })
  @Field({ description: 'Who read: STAFF or PARTNER.' })
  actorKind!: string;

  @Column({ type: 'varchar', length: 64, name: 'actor_id' })
  @Field({ description: "The staff member's id (JWT subject) or the partner key's id." })
  actorId!: string;

  @Column({ type: 'varchar', length: 16, name: 'actor_role', nullable: true })
  @Field(() => String, { nullable: true, description: 'Staff role at the time of the read.' })
  actorRole!: string | null;

  @IdColumn({ name: 'customer_id' })
  @Field(() => ID, { description: 'Whose details were read.' })
  customerId!: string;

  @Column({ type: 'simple-array' })
  @Field(() => [String], { description: 'Which details, e.g. ["email", "phone", "identities.EMAIL"].' })
  fields!: string[];

  @DateTimeColumn({ name: 'read_at' })
  @Field({ description: 'When.' })
  readAt!: Date;

  @Column({ type: 'varchar', length: 128, name: 'request_id' })
  @Field({ description: 'Request id, to find the request in the access logs.' })
  requestId!: string;
}
