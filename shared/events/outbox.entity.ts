import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../db/columns';

/**
 * An event committed with the change it describes. The relay publishes it; it is kept for the outbox
 * retention after that, so that a replay can publish it again.
 */
@Entity('outbox_event')
@Index('idx_outbox_pending', ['publishedAt', 'dispatchedAt', 'seq'])
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

  /** When it was published for good: written to Redis, or handled by every consumer of the in-process bus. */
  @DateTimeColumn({ name: 'published_at', nullable: true })
  publishedAt!: Date | null;

  /**
   * In-process bus only: when it was handed to the consumers in memory, who have not all handled it
   * yet. A process that dies meanwhile loses that memory; the next one hands the row over again.
   */
  @DateTimeColumn({ name: 'dispatched_at', nullable: true })
  dispatchedAt!: Date | null;
}

/** An event a consumer has handled, so that a redelivery is recognised and skipped. */
@Entity('processed_event')
@Index('idx_processed_event_at', ['processedAt'])
export class ProcessedEventRow {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'event_id' })
  eventId!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  /** When it was handled, or last delivered again and skipped (records are pruned by this time). */
  @DateTimeColumn({ name: 'processed_at' })
  processedAt!: Date;
}

/**
 * A stream entry the consumer group could not handle: unparseable, failing the catalog's schema, or
 * failing its handler on every one of EVENT_MAX_DELIVERIES deliveries. Kept until an operator retries or
 * drops it (`npm run events:dead-letters`); the events behind it flowed on.
 */
@Entity('dead_letter_event')
@Index('idx_dead_letter_retry', ['consumerGroup', 'retryRequestedAt'])
export class DeadLetterEventRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64, name: 'consumer_group' })
  consumerGroup!: string;

  /** The producing service, whose stream the entry was read from. */
  @Column({ type: 'varchar', length: 64 })
  producer!: string;

  /** The entry's id in the stream (Redis), or its offset in the in-process stream. */
  @Column({ type: 'varchar', length: 64, name: 'entry_id' })
  entryId!: string;

  /** The envelope's id and type, when the entry had them. */
  @Column({ type: 'varchar', length: 64, name: 'event_id', nullable: true })
  eventId!: string | null;

  @Column({ type: 'varchar', length: 64, name: 'event_type', nullable: true })
  eventType!: string | null;

  /** UNPARSEABLE, INVALID (envelope or payload against the catalog), HANDLER_FAILED. */
  @Column({ type: 'varchar', length: 16 })
  reason!: string;

  @Column({ type: 'text' })
  error!: string;

  /** The entry as it travelled (the envelope's JSON), for a retry and for the operator to read. */
  @Column({ type: 'text' })
  raw!: string;

  @Column({ type: 'integer' })
  deliveries!: number;

  @DateTimeColumn({ name: 'dead_at' })
  deadAt!: Date;

  /** Set by `npm run events:dead-letters -- retry`: the running consumer delivers it again. */
  @DateTimeColumn({ name: 'retry_requested_at', nullable: true })
  retryRequestedAt!: Date | null;
}

/** The entities every service that produces or consumes events includes in its database. */
export const EVENT_ENTITIES = [OutboxEventRow, ProcessedEventRow, DeadLetterEventRow];
