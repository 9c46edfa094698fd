import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../../../../shared/db/columns';

/** What a merge changed beyond moving rows, so that an unmerge can put it back. */
export interface MergeSnapshot {
  /** Consents of both customers before the merge. */
  consents: { survivor: ConsentState[]; merged: ConsentState[] };
  /** Contact fields of the survivor that the merge filled from the merged customer. */
  filledContacts: { email?: null; phone?: null };
  /** The merged customer's presence, if it had one. */
  presenceMoved: boolean;
  /** The merged customer's default address, given back as her default by an unmerge (absent in merges before addresses). */
  mergedDefaultAddressId?: string | null;
}

export interface ConsentState {
  purpose: string;
  granted: boolean;
  updatedAt: string | null;
}

/** One merge: who merged what into whom, when; and, once undone, by whom. */
@Entity('merge_record')
@Index('idx_merge_survivor', ['survivorId'])
@Index('idx_merge_merged', ['mergedId'])
@ObjectType({ description: 'One merge of two customer records into one, for the record.' })
export class MergeRecord {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  @Field(() => ID, { description: 'Merge id (pass it to unmergeCustomers).' })
  id!: string;

  @IdColumn({ name: 'survivor_id' })
  @Field(() => ID, { description: 'The customer that stands for both.' })
  survivorId!: string;

  @IdColumn({ name: 'merged_id' })
  @Field(() => ID, { description: 'The customer merged away; its id now resolves to the survivor.' })
  mergedId!: string;

  @Column({ type: 'varchar', length: 16, name: 'merged_by_kind' })
  @Field({ description: 'Who merged: STAFF or SERVICE.' })
  mergedByKind!: string;

  @Column({ type: 'varchar', length: 64, name: 'merged_by_id' })
  @Field({ description: 'Id of who merged.' })
  mergedById!: string;

  @DateTimeColumn({ name: 'merged_at' })
  @Field({ description: 'When.' })
  mergedAt!: Date;

  @DateTimeColumn({ name: 'unmerged_at', nullable: true })
  @Field(() => Date, { nullable: true, description: 'When the merge was undone, if it was.' })
  unmergedAt!: Date | null;

  @Column({ type: 'varchar', length: 64, name: 'unmerged_by_id', nullable: true })
  @Field(() => String, { nullable: true, description: 'Id of who undid it.' })
  unmergedById!: string | null;

  @Column({ type: 'text' })
  snapshot!: string;
}
