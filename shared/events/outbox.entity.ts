import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../db/columns';

/** An event committed with the change it describes, waiting for the relay to publish it. */
@Entity('outbox_event')
@Index('idx_outbox_unpublished', ['publishedAt', 'seq'])
export class OutboxEventRow {
  @PrimaryGeneratedColumn({ type: 'integer' })
  seq!: number;

  @IdColumn({ unique: true })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @Column({ type: 'integer' })
  version!: number;

  @DateTimeColumn({ name: 'occurred_at' })
  occurredAt!: Date;

  @Column({ type: 'varchar', length: 64, name: 'aggregate_key' })
  key!: string;

  @Column({ type: 'text' })
  payload!: string;

  @DateTimeColumn({ name: 'published_at', nullable: true })
  publishedAt!: Date | null;
}

/** An event a consumer has handled, so that a redelivery is recognised and skipped. */
@Entity('processed_event')
export class ProcessedEventRow {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'event_id' })
  eventId!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @DateTimeColumn({ name: 'processed_at' })
  processedAt!: Date;
}

/** The entities every service that produces or consumes events includes in its database. */
export const EVENT_ENTITIES = [OutboxEventRow, ProcessedEventRow];
