import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../../../../shared/db/columns';

export enum ConsentPurpose {
  EMAIL_MARKETING = 'EMAIL_MARKETING',
  PUSH = 'PUSH',
  PERSONALIZATION = 'PERSONALIZATION',
  PARTNER_SHARING = 'PARTNER_SHARING',
}
registerEnumType(ConsentPurpose, {
  name: 'ConsentPurpose',
  description: 'What a customer may agree to, each on its own.',
  valuesConfig: {
    EMAIL_MARKETING: { description: 'Marketing e-mail.' },
    PUSH: { description: 'Push notifications of the app.' },
    PERSONALIZATION: { description: 'Recommendations and content made from their behaviour and purchases.' },
    PARTNER_SHARING: { description: 'Personal data shown to partners whose keys have the scope customers:read.' },
  },
});

/** A customer's current choice for one purpose; a purpose never chosen counts as refused. */
@Entity('consent')
@ObjectType({ description: "The customer's current choice for one purpose (never asked counts as not granted)." })
export class Consent {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'customer_id' })
  customerId!: string;

  @PrimaryColumn({ type: 'varchar', length: 24 })
  @Field(() => ConsentPurpose, { description: 'The purpose.' })
  purpose!: ConsentPurpose;

  @Column({ type: 'boolean' })
  @Field({ description: 'True when the customer agreed.' })
  granted!: boolean;

  @DateTimeColumn({ name: 'updated_at', nullable: true })
  @Field(() => Date, { nullable: true, description: 'When the choice was made; null when never asked.' })
  updatedAt!: Date | null;
}

/** One change of a consent: who changed it, when (APPI: consent must be provable). */
@Entity('consent_change')
@Index('idx_consent_change_customer', ['customerId', 'changedAt'])
@ObjectType({ description: 'One change of a consent, for the record.' })
export class ConsentChange {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @IdColumn({ name: 'customer_id' })
  customerId!: string;

  @Column({ type: 'varchar', length: 24 })
  @Field(() => ConsentPurpose, { description: 'The purpose.' })
  purpose!: ConsentPurpose;

  @Column({ type: 'boolean' })
  @Field({ description: 'The new choice.' })
  granted!: boolean;

  @DateTimeColumn({ name: 'changed_at' })
  @Field({ description: 'When.' })
  changedAt!: Date;

  @Column({ type: 'varchar', length: 16, name: 'actor_kind' })
  @Field({ description: 'Who made the change: CUSTOMER, STAFF, SERVICE (merges), ...' })
  actorKind!: string;

  @Column({ type: 'varchar', length: 64, name: 'actor_id' })
  @Field({ description: 'Id of who made the change.' })
  actorId!: string;
}
