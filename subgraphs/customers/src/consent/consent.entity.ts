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
    PERSONALIZATION: { description: 'Recommendations and content made from their behaviour and purchases (on until refused: the privacy policy covers it).' },
    PARTNER_SHARING: { description: 'Personal data shown to partners whose keys have the scope customers:read.' },
  },
});

/** A customer's current choice for one purpose; a purpose never chosen has its default (CONSENT_DEFAULTS). */
@Entity('consent')
@ObjectType({ description: "The customer's current choice for one purpose (never asked: PERSONALIZATION granted, every other purpose not)." })
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

/** What a purpose never chosen counts as: personalisation is opt-out, everything else opt-in. */
export const CONSENT_DEFAULTS: Record<ConsentPurpose, boolean> = {
  [ConsentPurpose.EMAIL_MARKETING]: false,
  [ConsentPurpose.PUSH]: false,
  [ConsentPurpose.PERSONALIZATION]: true,
  [ConsentPurpose.PARTNER_SHARING]: false,
};

/** A customer's choice for a purpose among stored ones, or its default. */
export function grantedIn(consents: Array<{ customerId: string; purpose: string; granted: boolean }>, customerId: string, purpose: ConsentPurpose): boolean {
  return consents.find((c) => c.customerId === customerId && c.purpose === purpose)?.granted ?? CONSENT_DEFAULTS[purpose];
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
