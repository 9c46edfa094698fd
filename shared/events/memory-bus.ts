import {
  DEFAULT_MAX_DELIVERIES,
  deliver,
  errorText,
  MemoryDeadLetters,
  rawText,
  retryDelay,
  typeFilter,
  type ConsumeOptions,
  type DeadLetterReason,
  type DeadLetterSink,
  type EventBus,
  type EventConsumer,
  type Published,
} from './bus';
import type { EventEnvelope } from './envelope';
import { decodeEvent, type Decoded } from './schemas';

/** An event in an in-process stream, until every group that was subscribed when it came has handled it. */
interface Entry {
  offset: number;
  producer: string;
  /** As published: checked against the catalog when a consumer reads it, like a Redis entry. */
  event: unknown;
  /** The catalog's verdict on `event`, the same for every group: checked once. */
  decoded?: Decoded;
  /** Groups that have still to handle (or dead-letter) it. */
  groupsLeft: number;
  handled: () => void;
}

interface Stream {
  /** Offset of entries[0] in the stream. */
  base: number;
  entries: Entry[];
  /** Next offset to read, per consumer group. */
  groups: Map<string, number>;
}

/**
 * Events per handler call: large, so that a consumer catching up commits rarely and derives what it
 * keeps per customer once per batch (the seed's 56,000 orders: 6 rounds, not 28); small enough that
 * a statement listing the batch's event ids stays within SQLite's 32,766 parameters.
 */
export const IN_PROCESS_BATCH = 10_000;
/** How often a consumer whose database does not answer asks again. */
const HEALTH_RETRY_MS = 1000;

/**
 * The embedded bus: one in-memory stream per producer and an offset per consumer group, like Redis
 * Streams. Entries every group has read are trimmed, and a stream no group reads keeps nothing: in
 * the embedded default every consumer subscribes before any outbox is published. Memory does not
 * outlive the process, so `publish` tells when every group has handled an event: only then does the
 * outbox relay mark its row published, and a process killed before that hands it over again at start.
 */
export class InProcessEventBus implements EventBus {
  private readonly streams = new Map<string, Stream>();
  private readonly consumers = new Set<InProcessConsumer>();

  stream(producer: string): Stream {
    let stream = this.streams.get(producer);
    if (!stream) {
      stream = { base: 0, entries: [], groups: new Map() };
      this.streams.set(producer, stream);
    }
    return stream;
  }

  async publish(events: EventEnvelope[]): Promise<Published> {
    const handled: Array<Promise<void>> = [];
    for (const event of events) {
      const producer = String(event.producer);
      const stream = this.stream(producer);
      if (!stream.groups.size) {
        stream.base++;
        continue;
      }
      let resolve!: () => void;
      handled.push(new Promise<void>((r) => (resolve = r)));
      stream.entries.push({ offset: stream.base + stream.entries.length, producer, event, groupsLeft: stream.groups.size, handled: resolve });
    }
    for (const consumer of this.consumers) consumer.wake();
    return { handled: Promise.all(handled).then(() => undefined) };
  }

  consume(options: ConsumeOptions): EventConsumer {
    for (const producer of options.producers) {
      const stream = this.stream(producer);
      if (!stream.groups.has(options.group)) stream.groups.set(options.group, stream.base + stream.entries.length);
    }
    const consumer = new InProcessConsumer(this, options, () => this.consumers.delete(consumer));
    this.consumers.add(consumer);
    return consumer;
  }

  /** Takes up to `max` unread entries of a group and moves its offset past them. */
  take(producer: string, group: string, max: number): Entry[] {
    const stream = this.stream(producer);
    const offset = stream.groups.get(group)!;
    const batch = stream.entries.slice(offset - stream.base, offset - stream.base + max);
    stream.groups.set(group, offset + batch.length);
    const low = Math.min(...stream.groups.values());
    if (low > stream.base) {
      stream.entries.splice(0, low - stream.base);
      stream.base = low;
    }
    return batch;
  }

  /** A group is done with an entry: handled, skipped or dead-lettered. */
  done(entry: Entry): void {
    if (--entry.groupsLeft === 0) entry.handled();
  }

  unread(producer: string, group: string): number {
    const stream = this.stream(producer);
    return stream.base + stream.entries.length - stream.groups.get(group)!;
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.stop()));
  }
}

/**
 * One consumer group, handled by one loop at a time: a wake-up during a run makes the loop go round
 * again, and failed events wait for a back-off (like Redis' pending entries) without holding back
 * the events behind them, until they are handled or dead-lettered.
 */
class InProcessConsumer implements EventConsumer {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private failed: Entry[] = [];
  /** Failed deliveries of each entry (a pause or a database outage counts none). */
  private readonly deliveries = new Map<Entry, number>();
  /** The handler paused: nothing new is taken until the failed events have been delivered. */
  private holding = false;
  /** The database did not answer after a failure: nothing is delivered until it does. */
  private unhealthy = false;
  private pauses = 0;
  private retryAt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private waiters: Array<() => void> = [];
  private readonly deadLetters: DeadLetterSink;
  private readonly maxDeliveries: number;
  /** Whether the handler handles an entry of this type (ConsumeOptions.types). */
  private readonly handles: (type: unknown) => boolean;

  constructor(
    private readonly bus: InProcessEventBus,
    private readonly options: ConsumeOptions,
    private readonly onStop: () => void,
  ) {
    this.deadLetters = options.deadLetters ?? new MemoryDeadLetters();
    this.maxDeliveries = options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES;
    this.handles = typeFilter(options.types);
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop()
      .catch((err) => {
        this.options.logger.error({ err }, 'event consumer failed; will retry');
        this.retryAt = Date.now() + HEALTH_RETRY_MS;
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) return this.wake();
        if (this.idle()) this.releaseWaiters();
        else this.scheduleRetry();
      });
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      if (this.unhealthy) {
        if (Date.now() < this.retryAt) return;
        if (!(await this.healthy())) {
          this.retryAt = Date.now() + HEALTH_RETRY_MS;
          return;
        }
        this.unhealthy = false;
        this.options.logger.info({ group: this.options.group }, 'database answers again: delivering events');
      }
      if (this.failed.length && Date.now() >= this.retryAt) {
        const due = this.failed;
        this.failed = [];
        await this.handle(due);
      }
      for (const producer of this.options.producers) {
        for (;;) {
          if (this.holding || this.unhealthy) return;
          const batch = this.bus.take(producer, this.options.group, IN_PROCESS_BATCH);
          if (!batch.length || this.stopped) break;
          await this.handle(batch);
        }
      }
    } while (this.again && !this.stopped);
  }

  private async healthy(): Promise<boolean> {
    try {
      return this.options.healthy ? await this.options.healthy() : true;
    } catch {
      return false;
    }
  }

  /** Checks each entry against the catalog, delivers the good ones, and decides what becomes of failures. */
  private async handle(entries: Entry[]): Promise<void> {
    const events: EventEnvelope[] = [];
    const entryOf = new Map<EventEnvelope, Entry>();
    for (const entry of entries) {
      const decoded = (entry.decoded ??= decodeEvent(entry.producer, entry.event));
      // A type the handler does not handle: done with at once, never delivered.
      if (!this.handles(decoded.ok ? decoded.event.type : decoded.type)) {
        this.bus.done(entry);
        continue;
      }
      if (decoded.ok) {
        events.push(decoded.event);
        entryOf.set(decoded.event, entry);
      } else {
        // Another delivery would read the same entry the same way.
        await this.deadLetter(entry, decoded.reason, decoded.error, decoded.eventId, decoded.type, (this.deliveries.get(entry) ?? 0) + 1);
      }
    }
    if (!events.length) return;
    const { failed, errors, paused } = await deliver(events, this.options.handler, this.options.logger);
    this.holding = paused;
    const failedEntries = new Set(failed.map((e) => entryOf.get(e)!));
    for (const event of events) {
      const entry = entryOf.get(event)!;
      if (failedEntries.has(entry)) continue;
      this.deliveries.delete(entry);
      this.bus.done(entry);
    }
    if (!failed.length) return;
    if (paused) {
      this.failed.push(...failedEntries);
      this.retryAt = Date.now() + retryDelay(++this.pauses);
      return;
    }
    this.pauses = 0;
    if (!(await this.healthy())) {
      if (!this.unhealthy) this.options.logger.warn({ group: this.options.group }, 'event handling failed and the database does not answer: waiting for it');
      this.unhealthy = true;
      this.failed.push(...failedEntries);
      this.retryAt = Date.now() + HEALTH_RETRY_MS;
      return;
    }
    let fewest = Infinity;
    for (const event of failed) {
      const entry = entryOf.get(event)!;
      const deliveries = (this.deliveries.get(entry) ?? 0) + 1;
      this.deliveries.set(entry, deliveries);
      if (deliveries >= this.maxDeliveries) {
        await this.deadLetter(entry, 'HANDLER_FAILED', errorText(errors.get(event)), event.id, event.type, deliveries);
      } else {
        this.failed.push(entry);
        fewest = Math.min(fewest, deliveries);
      }
    }
    if (fewest < Infinity) this.retryAt = Date.now() + retryDelay(fewest);
  }

  private async deadLetter(
    entry: Entry,
    reason: DeadLetterReason,
    error: string,
    eventId: string | null,
    type: string | null,
    deliveries: number,
  ): Promise<void> {
    const { group, logger, metrics } = this.options;
    const letter = { group, producer: entry.producer, entryId: String(entry.offset), eventId, type, reason, error, raw: rawText(entry.event), deliveries };
    try {
      await this.deadLetters.add(letter);
    } catch (err) {
      // Kept for a later attempt: nothing is dropped while the dead letters cannot be written.
      logger.error({ err, group, eventId }, 'could not dead-letter an event; will retry');
      this.failed.push(entry);
      this.retryAt = Date.now() + HEALTH_RETRY_MS;
      return;
    }
    metrics?.deadLettered.inc({ group, stream: entry.producer, reason });
    logger.error({ group, producer: entry.producer, eventId, type, reason, error, deliveries }, 'event dead-lettered; the events behind it flow on');
    this.deliveries.delete(entry);
    this.bus.done(entry);
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer || (!this.failed.length && !this.unhealthy)) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.wake();
    }, Math.max(0, this.retryAt - Date.now()));
    this.retryTimer.unref();
  }

  private idle(): boolean {
    return (
      !this.running &&
      !this.failed.length &&
      !this.unhealthy &&
      this.options.producers.every((p) => this.bus.unread(p, this.options.group) === 0)
    );
  }

  private releaseWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  caughtUp(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.wake();
    });
  }

  async lag(): Promise<Array<{ producer: string; lag: number }>> {
    return this.options.producers.map((producer) => ({
      producer,
      lag: this.bus.unread(producer, this.options.group) + this.failed.filter((e) => e.producer === producer).length,
    }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.running;
    this.releaseWaiters();
    this.onStop();
  }
}
