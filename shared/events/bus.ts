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
 * Delivers a batch; when the whole batch fails, retries each event alone so that one bad or early
 * event does not hold back the others. Returns the events that still failed.
 */
export async function deliver(
  events: EventEnvelope[],
  handler: EventBatchHandler,
  logger: Logger,
): Promise<EventEnvelope[]> {
  try {
    await handler(events);
    return [];
  } catch (err) {
    if (events.length === 1) {
      logger.warn({ err, eventId: events[0].id, type: events[0].type }, 'event handling failed; will retry');
      return events;
    }
  }
  const failed: EventEnvelope[] = [];
  for (const event of events) failed.push(...(await deliver([event], handler, logger)));
  return failed;
}

export const RETRY_DELAYS_MS = [100, 500, 2000, 5000];
