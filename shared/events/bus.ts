import type { Logger } from '../logger';
import type { EventEnvelope } from './envelope';

/** Handles a batch of events from one producer; throwing leaves them to be delivered again. */
export type EventBatchHandler = (events: EventEnvelope[]) => Promise<void>;

export interface ConsumeOptions {
  /** The consuming service: replicas of a service share its group, and each event reaches the group once. */
  group: string;
  /** Producing services whose streams to read. */
  producers: string[];
  handler: EventBatchHandler;
  logger: Logger;
}

export interface EventConsumer {
  /** Stops reading and waits for the batch under way. */
  stop(): Promise<void>;
  /** Resolves once every event published so far has been handled (tests and the seed wait on it). */
  caughtUp(): Promise<void>;
}

/** The event bus: Redis Streams with consumer groups, or in-process with the same behaviour. */
export interface EventBus {
  publish(events: EventEnvelope[]): Promise<void>;
  consume(options: ConsumeOptions): EventConsumer;
  close(): Promise<void>;
}

/**
 * Thrown by a handler that can handle no event for now (a maintenance task of its service runs): the
 * batch is delivered again later, whole, and no event behind it is delivered before it, so the
 * stream's order holds.
 */
export class ConsumerPaused extends Error {}

/**
 * Delivers a batch; when the whole batch fails, retries each event alone so that one bad or early
 * event does not hold back the others. Returns the events that still failed, and whether the handler
 * paused (ConsumerPaused: then the whole batch failed, and the bus reads nothing newer until it has
 * been delivered).
 */
export async function deliver(
  events: EventEnvelope[],
  handler: EventBatchHandler,
  logger: Logger,
): Promise<{ failed: EventEnvelope[]; paused: boolean }> {
  try {
    await handler(events);
    return { failed: [], paused: false };
  } catch (err) {
    if (err instanceof ConsumerPaused) {
      logger.warn({ reason: err.message, events: events.length }, 'event handling paused; will retry');
      return { failed: events, paused: true };
    }
    if (events.length === 1) {
      logger.warn({ err, eventId: events[0].id, type: events[0].type }, 'event handling failed; will retry');
      return { failed: events, paused: false };
    }
  }
  const failed: EventEnvelope[] = [];
  for (const event of events) {
    const result = await deliver([event], handler, logger);
    // Paused meanwhile: this event and those after it wait, in order.
    if (result.paused) return { failed: [...failed, ...events.slice(events.indexOf(event))], paused: true };
    failed.push(...result.failed);
  }
  return { failed, paused: false };
}

export const RETRY_DELAYS_MS = [100, 500, 2000, 5000];
