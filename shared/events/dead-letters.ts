import { randomUUID } from 'node:crypto';
import { In, IsNull, Not } from 'typeorm';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import { ConsumerPaused, errorText, type DeadLetter, type DeadLetterSink, type EventBatchHandler } from './bus';
import { DeadLetterEventRow, ProcessedEventRow } from './outbox.entity';
import { decodeEvent } from './schemas';

/**
 * A consuming service's dead letters, in its own database in both modes: they outlive the process
 * (the embedded bus lives in `npm start`'s memory) and Redis (which may come back empty), and
 * `npm run events:dead-letters` reaches them with nothing but the database.
 */
export class DeadLetterStore implements DeadLetterSink {
  constructor(private readonly db: Database) {}

  async add(letter: DeadLetter): Promise<void> {
    const row = Object.assign(new DeadLetterEventRow(), {
      id: randomUUID(),
      consumerGroup: letter.group,
      producer: letter.producer,
      entryId: letter.entryId.slice(0, 64),
      eventId: letter.eventId,
      eventType: letter.type,
      reason: letter.reason,
      error: letter.error,
      raw: letter.raw,
      deliveries: letter.deliveries,
      deadAt: new Date(),
      retryRequestedAt: null,
    });
    await this.db.transaction((manager) => manager.getRepository(DeadLetterEventRow).insert(row));
  }

  /** Oldest first. */
  list(): Promise<DeadLetterEventRow[]> {
    return this.db.manager.getRepository(DeadLetterEventRow).find({ order: { deadAt: 'ASC', id: 'ASC' } });
  }

  count(): Promise<number> {
    return this.db.manager.getRepository(DeadLetterEventRow).count();
  }

  /** Asks the running consumer to deliver these dead letters (all when no id is given) again. */
  async requestRetry(ids?: string[]): Promise<number> {
    const result = await this.db.transaction((manager) =>
      manager.getRepository(DeadLetterEventRow).update(ids ? { id: In(ids) } : { id: Not(IsNull()) }, { retryRequestedAt: new Date() }),
    );
    return result.affected ?? 0;
  }

  /**
   * Gives up on dead letters: deletes them, and records their events as handled, so that a replay
   * does not bring them back.
   */
  async drop(ids: string[]): Promise<number> {
    return this.db.transaction(async (manager) => {
      const rows = await manager.getRepository(DeadLetterEventRow).findBy({ id: In(ids) });
      const events = [...new Map(rows.filter((r) => r.eventId && r.eventId.length <= 36).map((r) => [r.eventId!, r])).values()];
      const known = new Set(
        (await manager.getRepository(ProcessedEventRow).findBy({ eventId: In(events.map((r) => r.eventId!)) })).map((p) => p.eventId),
      );
      const now = new Date();
      const fresh = events.filter((r) => !known.has(r.eventId!));
      if (fresh.length) {
        await manager.getRepository(ProcessedEventRow).insert(fresh.map((r) => ({ eventId: r.eventId!, type: (r.eventType ?? 'unknown').slice(0, 64), processedAt: now })));
      }
      if (rows.length) await manager.getRepository(DeadLetterEventRow).delete({ id: In(rows.map((r) => r.id)) });
      return rows.length;
    });
  }

  /** Dead letters of a group whose retry was asked for, each taken by one consumer (replicas share a group). */
  async takeRetries(group: string, limit = 100): Promise<DeadLetterEventRow[]> {
    const asked = await this.db.manager
      .getRepository(DeadLetterEventRow)
      .find({ where: { consumerGroup: group, retryRequestedAt: Not(IsNull()) }, order: { deadAt: 'ASC' }, take: limit });
    const taken: DeadLetterEventRow[] = [];
    for (const row of asked) {
      const result = await this.db.transaction((manager) =>
        manager.getRepository(DeadLetterEventRow).update({ id: row.id, retryRequestedAt: Not(IsNull()) }, { retryRequestedAt: null }),
      );
      if (result.affected) taken.push(row);
    }
    return taken;
  }

  /** A retried dead letter was handled. */
  async resolve(id: string): Promise<void> {
    await this.db.transaction((manager) => manager.getRepository(DeadLetterEventRow).delete({ id }));
  }

  /** A retried dead letter failed again (or the consumer paused: `again` asks for another retry). */
  async failed(row: DeadLetterEventRow, reason: string, error: string, again = false): Promise<void> {
    await this.db.transaction((manager) =>
      manager.getRepository(DeadLetterEventRow).update(
        { id: row.id },
        { reason, error, deliveries: row.deliveries + (again ? 0 : 1), deadAt: new Date(), retryRequestedAt: again ? new Date() : null },
      ),
    );
  }
}

/**
 * Delivers again, through the consumer's own handler, the dead letters an operator asked to retry
 * (`npm run events:dead-letters -- retry`): checked against the catalog again, handled once (a
 * letter whose event was handled meanwhile is skipped), and kept with the new error when it fails.
 */
export class DeadLetterRedelivery {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly store: DeadLetterStore,
    private readonly group: string,
    private readonly handler: EventBatchHandler,
    private readonly logger: Logger,
    private readonly everyMs = 5000,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((err) => this.logger.debug({ err }, 'looking for dead letters to retry failed; will retry'))
        .finally(() => (this.running = undefined));
    }, this.everyMs);
    this.timer.unref();
  }

  /** Delivers every dead letter whose retry was asked for; returns how many were handled. */
  async runOnce(): Promise<number> {
    let handled = 0;
    for (const row of await this.store.takeRetries(this.group)) {
      if (this.stopped) break;
      const decoded = decodeEvent(row.producer, row.raw);
      if (!decoded.ok) {
        await this.store.failed(row, decoded.reason, decoded.error);
        continue;
      }
      try {
        await this.handler([decoded.event]);
      } catch (err) {
        await this.store.failed(row, 'HANDLER_FAILED', errorText(err), err instanceof ConsumerPaused);
        this.logger.warn({ err, group: this.group, eventId: row.eventId }, 'a retried dead letter failed again');
        continue;
      }
      await this.store.resolve(row.id);
      handled++;
      this.logger.info({ group: this.group, eventId: row.eventId, type: row.eventType }, 'dead letter handled on retry');
    }
    return handled;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
