import { In, IsNull, LessThan, type EntityManager } from 'typeorm';
import { insertMany } from '../db/batch';
import type { Database } from '../db/database';
import { SerialQueue } from '../db/serial-queue';
import type { Logger } from '../logger';
import type { EventBus } from './bus';
import type { EventType } from './catalog';
import { envelope, type EventEnvelope, type NewEvent } from './envelope';
import { OutboxEventRow } from './outbox.entity';

/** Writes a service's events into its outbox, inside the caller's transaction. */
export class Outbox {
  constructor(readonly producer: string) {}

  async add(manager: EntityManager, events: NewEvent[]): Promise<void> {
    const rows = events.map((event) => {
      const e = envelope(this.producer, event as NewEvent<EventType>);
      const row = new OutboxEventRow();
      Object.assign(row, {
        id: e.id,
        type: e.type,
        version: e.version,
        occurredAt: new Date(e.occurredAt),
        key: e.key,
        payload: JSON.stringify(e.payload),
        publishedAt: null,
      });
      return row;
    });
    await insertMany(manager, OutboxEventRow, rows);
  }
}

export interface OutboxRelayOptions {
  /** Fallback polling interval: events are also published right after each commit. */
  pollMs?: number;
  batchSize?: number;
  /** Published rows older than this are deleted. */
  retentionMs?: number;
}

/**
 * Publishes committed outbox rows to the bus, oldest first, and marks them published. At least once:
 * a crash after publishing and before marking republishes, and consumers skip what they handled.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  /** Runs never overlap: two at once would publish the same rows twice. */
  private readonly runs = new SerialQueue();
  private kickQueued = false;
  private stopped = true;
  private unsubscribe: (() => void) | undefined;
  private lastPrune = 0;

  constructor(
    private readonly db: Database,
    private readonly bus: EventBus,
    private readonly producer: string,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions = {},
  ) {}

  start(): void {
    this.stopped = false;
    this.unsubscribe = this.db.onCommit(() => this.kick());
    this.timer = setInterval(() => this.kick(), this.options.pollMs ?? 1000);
    this.timer.unref();
    this.kick();
  }

  /** Publishes what is pending soon; kicks that arrive while one is queued add nothing. */
  kick(): void {
    if (this.stopped || this.kickQueued) return;
    this.kickQueued = true;
    this.runs
      .run(() => {
        this.kickQueued = false;
        return this.publishPending();
      })
      .catch((err) => this.logger.error({ err }, 'outbox relay failed; will retry'));
  }

  /** Publishes every row committed so far; resolves when none is left. */
  drain(): Promise<void> {
    return this.runs.run(() => this.publishPending());
  }

  private async publishPending(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    const repo = this.db.manager.getRepository(OutboxEventRow);
    for (;;) {
      const rows = await repo.find({ where: { publishedAt: IsNull() }, order: { seq: 'ASC' }, take: batchSize });
      if (!rows.length) break;
      await this.bus.publish(rows.map((row) => this.toEnvelope(row)));
      await this.db.transaction((manager) =>
        manager.getRepository(OutboxEventRow).update({ seq: In(rows.map((r) => r.seq)) }, { publishedAt: new Date() }),
      );
      if (rows.length < batchSize) break;
    }
    await this.prune();
  }

  private async prune(): Promise<void> {
    const retentionMs = this.options.retentionMs ?? 24 * 3600 * 1000;
    if (Date.now() - this.lastPrune < 60_000) return;
    this.lastPrune = Date.now();
    await this.db.transaction((manager) =>
      manager.getRepository(OutboxEventRow).delete({ publishedAt: LessThan(new Date(Date.now() - retentionMs)) }),
    );
  }

  private toEnvelope(row: OutboxEventRow): EventEnvelope {
    return {
      id: row.id,
      type: row.type as EventType,
      version: row.version,
      occurredAt: row.occurredAt.toISOString(),
      producer: this.producer,
      key: row.key,
      payload: JSON.parse(row.payload),
    };
  }

  /** Stops polling and waits for a publish under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await this.runs.idle();
  }
}
