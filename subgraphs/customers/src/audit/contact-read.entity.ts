import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../../../../shared/db/columns';

/** One read of a customer's unmasked contact details by staff or a partner (APPI accountability). */
@Entity('contact_read')
@Index('idx_contact_read_customer', ['customerId', 'readAt'])
@Index('idx_contact_read_actor', ['actorId', 'readAt'])
@ObjectType({
  description:
    "A read of a customer's unmasked contact details (e-mail, phone, the personal parts of their addresses) by staff or a partner, or a look-up by e-mail address or phone number by staff who see them masked.",
})
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

  /** Null for a look-up that found nobody: the attempt is on the trail all the same. */
  @IdColumn({ name: 'customer_id', nullable: true })
  @Field(() => ID, { nullable: true, description: 'Whose details were read, or who a look-up found; null for a look-up that found nobody.' })
  customerId!: string | null;

  @Column({ type: 'simple-array' })
  @Field(() => [String], {
    description:
      'Which details, e.g. ["email", "phone", "identities.EMAIL", "addresses.line1"]; a look-up by a contact detail by staff who see it masked: ["lookup.EMAIL"] or ["lookup.PHONE"].',
  })
  fields!: string[];

  @DateTimeColumn({ name: 'read_at' })
  @Field({ description: 'When.' })
  readAt!: Date;

  @Column({ type: 'varchar', length: 128, name: 'request_id' })
  @Field({ description: 'Request id, to find the request in the access logs.' })
  requestId!: string;
}
