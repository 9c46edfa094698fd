import { AsyncResource } from 'node:async_hooks';
import { In, IsNull, LessThan, Not, type EntityManager } from 'typeorm';
import { insertMany } from '../db/batch';
import { toDate, toInt } from '../db/columns';
import { markOutboxWrite, type Commit, type Database } from '../db/database';
import { SerialQueue } from '../db/serial-queue';
import type { Logger } from '../logger';
import { StoppedError, unlessAborted } from '../redis';
import { FailureLog, type EventBus } from './bus';
import type { EventType } from './catalog';
import { envelope, type EventEnvelope, type NewEvent } from './envelope';
import type { EventMetrics } from './metrics';
import { OutboxEventRow, ProcessedEventRow } from './outbox.entity';

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
        dispatchedAt: null,
      });
      return row;
    });
    await insertMany(manager, OutboxEventRow, rows);
    markOutboxWrite(manager);
  }
}

export const DAY_MS = 24 * 3600 * 1000;

export interface OutboxRelayOptions {
  /** Fallback polling interval: events are also published right after each commit. */
  pollMs?: number;
  batchSize?: number;
  /**
   * Published rows older than this are deleted (OUTBOX_RETENTION_DAYS); records of handled events
   * twice as old, since a replayed event may reach a consumer up to a retention after it handled it.
   */
  retentionMs?: number;
  /** How often old rows are pruned and the stream trimmed. */
  maintenanceEveryMs?: number;
  metrics?: EventMetrics;
}

/** How long stop() lets a publish under way finish before giving up on the bus. */
const STOP_GRACE_MS = 2000;

/** Rows deleted per statement when pruning. */
const PRUNE_CHUNK = 5000;

interface RawOutboxRow {
  seq: number | string;
  id: string;
  type: string;
  version: number | string;
  occurred_at: Date | string;
  aggregate_key: string;
  payload: string;
}

/**
 * Publishes committed outbox rows to the bus, oldest first, and marks them published. At least once:
 * a crash after publishing and before marking republishes, and consumers skip what they handled.
 *
 * - Replicas on one MySQL database take turns: a batch is read `FOR UPDATE SKIP LOCKED`, and a relay
 *   that finds older rows locked by another leaves them to it, so each row is published once and in order.
 * - On the in-process bus a row is marked published only once every consumer has handled its event;
 *   until then it is `dispatched`, and a process that dies meanwhile hands it over again at start.
 * - While the bus is unreachable (Redis down) rows wait, the relay keeps trying and logs it once.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  /** Runs never overlap: two at once would publish the same rows twice. */
  private readonly runs = new SerialQueue();
  private kickQueued = false;
  private stopped = true;
  /** hold(): commits and the poll publish nothing; drain() still does. */
  private held = false;
  /** Aborted by stop(): a publish or trim waiting for the bus (Redis down) is given up on. */
  private stopping = new AbortController();
  private unsubscribe: (() => void) | undefined;
  private lastMaintenance = 0;
  /** Rows handed to an in-process bus by an earlier process are handed over again, once per relay. */
  private takenOver = false;
  private readonly failures: FailureLog;

  constructor(
    private readonly db: Database,
    private readonly bus: EventBus,
    private readonly producer: string,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.failures = new FailureLog(
      logger,
      'OUTBOX_RELAY_FAILING',
      'outbox relay cannot publish: events wait in the outbox, and it keeps trying',
      'outbox relay publishes again',
    );
  }

  start(): void {
    this.stopped = false;
    this.stopping = new AbortController();
    // Only commits that wrote events wake the relay, and its work runs in its own async context: it
    // is no part of the request whose commit woke it (nor counted in its statements).
    this.unsubscribe = this.db.onCommit(AsyncResource.bind(({ wroteOutbox }: Commit) => wroteOutbox && this.kick()));
    this.timer = setInterval(() => this.kick(), this.options.pollMs ?? 1000);
    this.timer.unref();
    this.kick();
  }

  /**
   * Holds back publishing until release(), except what drain() publishes: a bulk load (the seed) hands
   * its events over at once, so that consumers take them in large batches rather than one per commit.
   */
  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    this.kick();
  }

  /** Publishes what is pending soon; kicks that arrive while one is queued add nothing. */
  kick(): void {
    if (this.stopped || this.held || this.kickQueued) return;
    this.kickQueued = true;
    this.runs
      .run(async () => {
        this.kickQueued = false;
        // Queued behind a run that stop() waited for: nothing more to do.
        if (this.stopped) return false;
        await this.publishPending();
        return true;
      })
      .then(
        (ran) => ran && this.failures.succeeded(),
        (err) => {
          if (!(err instanceof StoppedError)) this.failures.failed(err);
        },
      );
  }

  /**
   * Publishes every row committed so far; resolves when none is left (a stopped relay publishes nothing
   * more). `batchSize`: rows per publish, for a bulk load whose consumers take large batches.
   */
  drain(batchSize?: number): Promise<void> {
    return this.runs.run(() => this.publishPending(batchSize));
  }

  private async publishPending(batchSize = this.options.batchSize ?? 500): Promise<void> {
    if (!this.takenOver) {
      // Only the in-process bus leaves rows dispatched: a plain read first, so that a Redis relay locks nothing.
      const dispatched = await this.db.manager.getRepository(OutboxEventRow).exists({ where: { publishedAt: IsNull(), dispatchedAt: Not(IsNull()) } });
      if (dispatched) {
        await this.db.transaction((manager) =>
          manager.query('UPDATE outbox_event SET dispatched_at = NULL WHERE published_at IS NULL AND dispatched_at IS NOT NULL'),
        );
      }
      this.takenOver = true;
    }
    for (;;) {
      const published = this.db.kind === 'mysql' ? await this.publishLocked(batchSize) : await this.publishAlone(batchSize);
      if (published < batchSize || this.stopped) break;
    }
    if (!this.stopped) await this.maintain();
  }

  /** MySQL: a batch locked by this relay alone, published while the lock holds, marked in the same transaction. */
  private publishLocked(batchSize: number): Promise<number> {
    // READ COMMITTED: record locks only, no gap locks that would hold back the inserts of new events.
    return this.db.dataSource.transaction('READ COMMITTED', async (manager) => {
      const rows: RawOutboxRow[] = await manager.query(
        'SELECT seq, id, type, version, occurred_at, aggregate_key, payload FROM outbox_event ' +
          'WHERE published_at IS NULL AND dispatched_at IS NULL ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED',
        [batchSize],
      );
      if (!rows.length) return 0;
      // Another replica's relay may hold older rows, or rows among these (two scans interleave):
      // publish only the run of rows that starts at the oldest unpublished one and has no row of
      // another relay in it. The rest is published by that relay first, or by this one next time.
      const unpublished: Array<{ seq: number | string }> = await manager.query(
        'SELECT seq FROM outbox_event WHERE published_at IS NULL AND dispatched_at IS NULL AND seq <= ? ORDER BY seq LIMIT ?',
        [rows[rows.length - 1].seq, rows.length],
      );
      let run = 0;
      while (run < rows.length && run < unpublished.length && toInt(unpublished[run].seq) === toInt(rows[run].seq)) run++;
      if (!run) return 0;
      await this.hand(manager, rows.slice(0, run).map((row) => this.fromRaw(row)));
      return run;
    });
  }

  /** SQLite: one process owns the file, and a write transaction must not wait on the bus. */
  private async publishAlone(batchSize: number): Promise<number> {
    const rows = await this.db.manager
      .getRepository(OutboxEventRow)
      .find({ where: { publishedAt: IsNull(), dispatchedAt: IsNull() }, order: { seq: 'ASC' }, take: batchSize });
    if (!rows.length) return 0;
    await this.hand(undefined, rows);
    return rows.length;
  }

  /** Publishes rows and marks them: published on a durable bus, dispatched (published once handled) in process. */
  private async hand(manager: EntityManager | undefined, rows: OutboxEventRow[]): Promise<void> {
    const seqs = rows.map((r) => r.seq);
    // Given up on at stop(): the rows stay unpublished (the MySQL transaction rolls back), and are
    // published at the next start; consumers skip an event that did reach the stream meanwhile.
    const { handled } = await unlessAborted(this.bus.publish(rows.map((row) => this.toEnvelope(row))), this.stopping.signal);
    const mark = handled ? { dispatchedAt: new Date() } : { publishedAt: new Date() };
    if (manager) await manager.getRepository(OutboxEventRow).update({ seq: In(seqs) }, mark);
    else await this.db.transaction((m) => m.getRepository(OutboxEventRow).update({ seq: In(seqs) }, mark));
    handled?.then(() => {
      if (this.stopped && !this.db.dataSource.isInitialized) return;
      this.runs
        .run(() => this.db.transaction((m) => m.getRepository(OutboxEventRow).update({ seq: In(seqs) }, { publishedAt: new Date() })))
        .catch((err) => this.logger.warn({ err }, 'could not mark handled events published; they are handed over again at the next start'));
    });
  }

  /** Every `maintenanceEveryMs`: prunes what the retention lets go and trims the stream. */
  private async maintain(): Promise<void> {
    const everyMs = this.options.maintenanceEveryMs ?? 60_000;
    if (Date.now() - this.lastMaintenance < everyMs) return;
    this.lastMaintenance = Date.now();
    const retentionMs = this.options.retentionMs ?? 7 * DAY_MS;
    try {
      await pruneEventTables(this.db, retentionMs);
    } catch (err) {
      this.logger.warn({ err }, 'pruning the outbox failed; will retry');
    }
    try {
      const trimmed = this.bus.trim ? await unlessAborted(this.bus.trim(this.producer), this.stopping.signal) : [];
      for (const { group, dropped } of trimmed) {
        this.options.metrics?.trimmedUnacknowledged.inc({ stream: this.producer, group }, dropped);
        this.logger.error(
          { stream: this.producer, group, dropped },
          'trimming the event stream (EVENT_STREAM_MAXLEN) dropped entries a consumer group had not acknowledged: replay them with `npm run events:replay`',
        );
      }
    } catch (err) {
      this.logger.debug({ err }, 'trimming the event stream failed; will retry');
    }
  }

  private fromRaw(row: RawOutboxRow): OutboxEventRow {
    return Object.assign(new OutboxEventRow(), {
      seq: toInt(row.seq),
      id: row.id,
      type: row.type,
      version: toInt(row.version),
      occurredAt: toDate(row.occurred_at),
      key: row.aggregate_key,
      payload: row.payload,
    });
  }

  private toEnvelope(row: OutboxEventRow): EventEnvelope {
    return {
      id: row.id,
      type: row.type as EventType,
      version: row.version,
      occurredAt: row.occurredAt.toISOString(),
      producer: this.producer,
      key: row.key,
      // A payload that is not JSON travels as it is: consumers dead-letter it, the relay goes on.
      payload: parseOrKeep(row.payload),
    };
  }

  /**
   * Stops polling and waits for a run under way. A publish normally lands within milliseconds and is
   * let finish, so its rows are marked and another replica does not publish them again; one still
   * waiting for the bus after `STOP_GRACE_MS` (Redis down) is given up on, its rows left for later.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    const giveUp = setTimeout(() => this.stopping.abort(), STOP_GRACE_MS);
    try {
      await this.runs.idle();
    } finally {
      clearTimeout(giveUp);
      this.stopping.abort();
    }
  }
}

function parseOrKeep(text: string): EventEnvelope['payload'] {
  try {
    return JSON.parse(text);
  } catch {
    return text as unknown as EventEnvelope['payload'];
  }
}

/**
 * Deletes published outbox rows older than the retention, and records of handled events older than
 * twice the retention, a chunk per statement.
 */
export async function pruneEventTables(db: Database, retentionMs: number, now = Date.now()): Promise<{ outbox: number; processed: number }> {
  let outbox = 0;
  let processed = 0;
  for (;;) {
    const rows = await db.manager.getRepository(OutboxEventRow).find({
      select: { seq: true },
      where: { publishedAt: LessThan(new Date(now - retentionMs)) },
      take: PRUNE_CHUNK,
    });
    if (rows.length) await db.transaction((m) => m.getRepository(OutboxEventRow).delete({ seq: In(rows.map((r) => r.seq)) }));
    outbox += rows.length;
    if (rows.length < PRUNE_CHUNK) break;
  }
  for (;;) {
    const rows = await db.manager.getRepository(ProcessedEventRow).find({
      select: { eventId: true },
      where: { processedAt: LessThan(new Date(now - 2 * retentionMs)) },
      take: PRUNE_CHUNK,
    });
    if (rows.length) await db.transaction((m) => m.getRepository(ProcessedEventRow).delete({ eventId: In(rows.map((r) => r.eventId)) }));
    processed += rows.length;
    if (rows.length < PRUNE_CHUNK) break;
  }
  return { outbox, processed };
}

/**
 * Marks the outbox rows published since `since` for publishing again (`npm run events:replay`): the
 * relay of the running service publishes them anew, in their order, and consumers skip the events
 * they have already handled. Returns how many rows were marked.
 */
export async function markForReplay(db: Database, since: Date): Promise<number> {
  return db.transaction(async (manager) => {
    const result = await manager
      .createQueryBuilder()
      .update(OutboxEventRow)
      .set({ publishedAt: null, dispatchedAt: null })
      .where('published_at >= :since', { since: db.dateParameter(since) })
      .execute();
    return result.affected ?? 0;
  });
}
