import { Authorized, Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Rule } from '../../../../shared/auth/auth-checker';
import { DateTimeColumn, IdColumn } from '../../../../shared/db/columns';
import { Channel } from '../../../../shared/graphql/channel';
import { IdentityType } from '../../../../shared/graphql/identity';

/** A person, as one record across every channel. */
@Entity('customer')
@ObjectType({ description: 'A person, as one record across every channel.' })
@Directive('@key(fields: "id")')
@Authorized(Rule.CUSTOMER)
export class Customer {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  @Field(() => ID, { description: 'Customer id.' })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 200, name: 'display_name' })
  @Field({ description: 'Name as the customer gave it, e.g. 山田 花子 (empty once erased).' })
  displayName!: string;

  @Column({ type: 'varchar', length: 200, name: 'display_name_kana', nullable: true })
  @Field(() => String, { nullable: true, description: 'Reading of the name in katakana, e.g. ヤマダ ハナコ.' })
  displayNameKana!: string | null;

  /** Exposed through CustomerResolver.email, which masks and audits. */
  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  /** Exposed through CustomerResolver.phone, which masks and audits. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  phone!: string | null;

  /** Name and reading folded for search (name-fold.ts): ﾔﾏﾀﾞ, ヤマダ and やまだ find the same person. */
  @Index()
  @Column({ type: 'varchar', length: 401, name: 'name_search' })
  nameSearch!: string;

  /** The customer this one was merged into (which may itself have been merged later); null while it stands. */
  @Index()
  @Column({ type: 'varchar', length: 36, name: 'merged_into_id', nullable: true })
  mergedIntoId!: string | null;

  @DateTimeColumn({ name: 'erased_at', nullable: true })
  @Field(() => Date, {
    nullable: true,
    description: 'When personal data was erased (APPI); the id stays as a tombstone, every personal field empty.',
  })
  erasedAt!: Date | null;

  @DateTimeColumn({ name: 'created_at' })
  @Field({ description: 'When the customer record was created.' })
  createdAt!: Date;

  @DateTimeColumn({ name: 'updated_at' })
  updatedAt!: Date;
}

/** One key by which a channel knows a customer; a key belongs to at most one customer. */
@Entity('customer_identity')
@Unique('uq_identity', ['type', 'value'])
@ObjectType({ description: 'One key by which a channel knows the customer.' })
export class CustomerIdentity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Index()
  @IdColumn({ name: 'customer_id' })
  customerId!: string;

  /** The customer the key was first linked to: an unmerge gives it back to them. */
  @Index()
  @IdColumn({ name: 'origin_customer_id' })
  originCustomerId!: string;

  @Column({ type: 'varchar', length: 16 })
  @Field(() => IdentityType, { description: 'Kind of key.' })
  type!: IdentityType;

  /**
   * Exposed through CustomerIdentityResolver.value, which masks and audits contact details. Compared
   * exactly (a binary no-pad collation on MySQL: migration IdentityValuesExact), as SQLite does: the code normalises.
   */
  @Column({ type: 'varchar', length: 320 })
  value!: string;

  @Column({ type: 'boolean' })
  @Field({
    description:
      'True when someone vouched that the customer owns it (see verifiedBy). Only verified keys sign anyone in (EC_ACCOUNT) or bring the history kept under them (DEVICE keys: always).',
  })
  verified!: boolean;

  /** Who linked the key, as audit trails name actors (identity-provenance.ts); null before this was recorded. */
  @Column({ type: 'varchar', length: 128, name: 'linked_by', nullable: true })
  @Field(() => String, {
    nullable: true,
    description: 'Who linked the key: ANONYMOUS (a sign-up), CUSTOMER:<id>, STAFF:<role>:<staff id> or SERVICE:<name>; null for keys linked before this was recorded.',
  })
  linkedBy!: string | null;

  /** Who vouched for the key; null while it is unverified. */
  @Column({ type: 'varchar', length: 128, name: 'verified_by', nullable: true })
  @Field(() => String, {
    nullable: true,
    description:
      "Who vouched for the key: SIGN_IN (the subject of the customer's own verified sign-in token), or the staff member or service that checked it (STAFF:<role>:<staff id>, SERVICE:<name>); null while unverified, or when verified before this was recorded.",
  })
  verifiedBy!: string | null;

  @Column({ type: 'varchar', length: 16 })
  @Field(() => Channel, { description: 'Channel the key came from.' })
  channel!: Channel;

  @DateTimeColumn({ name: 'linked_at' })
  @Field({ description: 'When the key was linked to the customer.' })
  linkedAt!: Date;
}
