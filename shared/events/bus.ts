import type { Logger } from '../logger';
import type { EventType } from './catalog';
import type { EventEnvelope } from './envelope';
import type { EventMetrics } from './metrics';

/** Handles a batch of events from one producer; throwing leaves them to be delivered again. */
export type EventBatchHandler = (events: EventEnvelope[]) => Promise<void>;

/** Why an entry was dead-lettered. */
export type DeadLetterReason = 'UNPARSEABLE' | 'INVALID' | 'HANDLER_FAILED';

/** A stream entry a consumer group gave up on, with what is needed to read it, retry it or drop it. */
export interface DeadLetter {
  group: string;
  producer: string;
  /** The entry's id in its stream (Redis), or its offset in the in-process stream. */
  entryId: string;
  eventId: string | null;
  type: string | null;
  reason: DeadLetterReason;
  error: string;
  /** The entry as it travelled: the envelope's JSON. */
  raw: string;
  deliveries: number;
}

/** Where a consumer keeps its dead letters (the consuming service's database: DeadLetterStore). */
export interface DeadLetterSink {
  add(letter: DeadLetter): Promise<void>;
}

export interface ConsumeOptions {
  /** The consuming service: replicas of a service share its group, and each event reaches the group once. */
  group: string;
  /** Producing services whose streams to read. */
  producers: string[];
  /**
   * The event types the handler handles. An entry of any other type is acknowledged as it is read
   * (the stream goes on): never delivered, checked against the catalog or dead-lettered. An entry
   * whose type cannot be read is delivered as usual (then dead-lettered). Default: every type.
   */
  types?: readonly EventType[];
  handler: EventBatchHandler;
  logger: Logger;
  /** Deliveries of an event whose handler fails before it is dead-lettered (EVENT_MAX_DELIVERIES; default 5). */
  maxDeliveries?: number;
  /** Default: kept in memory and logged (for a bus used without a database). */
  deadLetters?: DeadLetterSink;
  /**
   * Asked after a delivery failed: false (the service's database does not answer) means the failure
   * is not the event's. The consumer then counts no delivery and reads nothing until it is true.
   */
  healthy?: () => Promise<boolean>;
  metrics?: EventMetrics;
}

/** ConsumeOptions.types as a test of an entry's type: true when every type is handled, or the type cannot be read. */
export function typeFilter(types: readonly EventType[] | undefined): (type: unknown) => boolean {
  if (!types) return () => true;
  const handled = new Set<string>(types);
  return (type) => typeof type !== 'string' || handled.has(type);
}

export interface EventConsumer {
  /** Stops reading and waits for the batch under way. */
  stop(): Promise<void>;
  /** Resolves once every event published so far has been handled (tests and the seed wait on it). */
  caughtUp(): Promise<void>;
  /** Per producer's stream: entries the group has not yet handled (unread, or delivered and not acknowledged). */
  lag(): Promise<Array<{ producer: string; lag: number }>>;
}

/** What publishing gave: on a bus that keeps events only in memory, when every consumer has handled them. */
export interface Published {
  /**
   * In-process bus: resolves once every consumer group has handled (or dead-lettered) the events;
   * until then they exist only in this process's memory. Undefined on a durable bus (Redis).
   */
  handled?: Promise<void>;
}

/** Entries a consumer group had not acknowledged that trimming a stream dropped. */
export interface TrimReport {
  group: string;
  dropped: number;
}

/** The event bus: Redis Streams with consumer groups, or in-process with the same behaviour. */
export interface EventBus {
  publish(events: EventEnvelope[]): Promise<Published>;
  consume(options: ConsumeOptions): EventConsumer;
  /**
   * Trims a producer's stream to its maximum length (Redis), reporting what consumer groups lose
   * with it. The in-process bus keeps an entry until every group has handled it, and trims nothing else.
   */
  trim?(producer: string): Promise<TrimReport[]>;
  close(): Promise<void>;
}

/**
 * Thrown by a handler that can handle no event for now (a maintenance task of its service runs): the
 * batch is delivered again later, whole, and no event behind it is delivered before it, so the
 * stream's order holds. A pause counts no delivery.
 */
export class ConsumerPaused extends Error {}

export interface Delivery {
  /** Events that failed on their own, each with its error. */
  failed: EventEnvelope[];
  errors: Map<EventEnvelope, unknown>;
  /** The handler paused (ConsumerPaused): then `failed` is the rest of the batch, in order. */
  paused: boolean;
}

/**
 * Delivers a batch; when the whole batch fails, retries each event alone so that one bad or early
 * event does not hold back the others. Returns the events that still failed, and whether the handler
 * paused (ConsumerPaused: then the whole batch failed, and the bus reads nothing newer until it has
 * been delivered).
 */
export async function deliver(events: EventEnvelope[], handler: EventBatchHandler, logger: Logger): Promise<Delivery> {
  const errors = new Map<EventEnvelope, unknown>();
  try {
    await handler(events);
    return { failed: [], errors, paused: false };
  } catch (err) {
    if (err instanceof ConsumerPaused) {
      logger.warn({ reason: err.message, events: events.length }, 'event handling paused; will retry');
      return { failed: events, errors, paused: true };
    }
    if (events.length === 1) {
      logger.warn({ err, eventId: events[0].id, type: events[0].type }, 'event handling failed; will retry');
      errors.set(events[0], err);
      return { failed: events, errors, paused: false };
    }
  }
  const failed: EventEnvelope[] = [];
  for (const [i, event] of events.entries()) {
    const result = await deliver([event], handler, logger);
    // Paused meanwhile: this event and those after it wait, in order.
    if (result.paused) return { failed: [...failed, ...events.slice(i)], errors, paused: true };
    for (const [e, err] of result.errors) errors.set(e, err);
    failed.push(...result.failed);
  }
  return { failed, errors, paused: false };
}

export const RETRY_DELAYS_MS = [100, 500, 2000, 5000];

/** How long an event waits after its `deliveries`-th failed delivery. */
export function retryDelay(deliveries: number): number {
  return RETRY_DELAYS_MS[Math.min(Math.max(deliveries, 1), RETRY_DELAYS_MS.length) - 1];
}

export const DEFAULT_MAX_DELIVERIES = 5;

/** An error as a dead letter keeps it. */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.slice(0, 2000);
}

/** Bytes of an entry a dead letter keeps (the column is a MySQL TEXT). */
const MAX_RAW_BYTES = 60_000;

/** An entry as a dead letter keeps it: the JSON it travelled as, cut to what the table holds. */
export function rawText(entry: unknown): string {
  let text: string;
  try {
    text = typeof entry === 'string' ? entry : (JSON.stringify(entry) ?? String(entry));
  } catch {
    text = String(entry);
  }
  if (Buffer.byteLength(text) <= MAX_RAW_BYTES) return text;
  return `${Buffer.from(text).subarray(0, MAX_RAW_BYTES).toString('utf8')}…[truncated]`;
}

/** Dead letters kept in memory and logged: the default of a bus used without a database (tests of the bus). */
export class MemoryDeadLetters implements DeadLetterSink {
  readonly letters: DeadLetter[] = [];

  async add(letter: DeadLetter): Promise<void> {
    this.letters.push(letter);
  }
}

/**
 * Logs a failure the first time it happens (an error with `code`) and once again when it is over
 * (`<code>_OVER`), not on every attempt: those go to the debug level.
 */
export class FailureLog {
  private failing = false;

  constructor(
    private readonly logger: Logger,
    private readonly code: string,
    private readonly failureMessage: string,
    private readonly recoveryMessage: string,
  ) {}

  failed(err: unknown): void {
    if (this.failing) {
      this.logger.debug({ err, code: this.code }, this.failureMessage);
      return;
    }
    this.failing = true;
    this.logger.error({ err, code: this.code }, this.failureMessage);
  }

  succeeded(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.info({ code: `${this.code}_OVER` }, this.recoveryMessage);
  }
}
