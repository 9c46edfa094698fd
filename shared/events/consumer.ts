import { In, type EntityManager } from 'typeorm';
import { insertMany } from '../db/batch';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import { typeFilter, type EventBatchHandler, type EventBus, type EventConsumer } from './bus';
import { DeadLetterRedelivery, DeadLetterStore } from './dead-letters';
import type { EventType } from './catalog';
import type { EventEnvelope } from './envelope';
import type { EventMetrics } from './metrics';
import { ProcessedEventRow } from './outbox.entity';

/**
 * Events handled again whenever they are delivered again. An erasure is idempotent, and a replay that
 * brings back an older event about the person (an identity link, say) always brings the erasure
 * after it: handling it again keeps the person erased.
 */
const HANDLED_AGAIN: ReadonlySet<EventType> = new Set(['customer.erased']);

/**
 * Wraps a consumer's handler so that each event is handled once: the handler's writes and the record
 * of handled event ids commit in one transaction, and redelivered events are skipped (their record's
 * time is renewed, so that it outlives the redelivery by a retention). Events not of `types` (when
 * given) are left out: a batch of nothing else costs no transaction and leaves no record.
 */
export function idempotentHandler(
  db: Database,
  handle: (manager: EntityManager, events: EventEnvelope[]) => Promise<void>,
  types?: readonly EventType[],
): EventBatchHandler {
  const handles = typeFilter(types);
  return async (all) => {
    const events = types ? all.filter((e) => handles(e.type)) : all;
    if (!events.length) return;
    await db.transaction(async (manager) => {
      const processed = manager.getRepository(ProcessedEventRow);
      // Plain SQL: for a batch of thousands of ids the query builder costs more than the query.
      const ids = events.map((e) => e.id);
      const seen: Array<{ event_id: string }> = await manager.query(
        `SELECT event_id FROM processed_event WHERE event_id IN (${ids.map(() => '?').join(', ')})`,
        ids,
      );
      const seenIds = new Set(seen.map((row) => row.event_id));
      const byId = new Map<string, EventEnvelope>();
      for (const e of events) if (!byId.has(e.id)) byId.set(e.id, e);
      const first = [...byId.values()];
      const fresh = first.filter((e) => !seenIds.has(e.id));
      const handled = first.filter((e) => !seenIds.has(e.id) || HANDLED_AGAIN.has(e.type));
      if (handled.length) await handle(manager, handled);
      const now = new Date();
      if (seenIds.size) await processed.update({ eventId: In([...seenIds]) }, { processedAt: now });
      await insertMany(
        manager,
        ProcessedEventRow,
        fresh.map((e) => Object.assign(new ProcessedEventRow(), { eventId: e.id, type: e.type, processedAt: now })),
      );
    });
  };
}

export interface SubscribeOptions {
  bus: EventBus;
  /** The consuming service's database: its handled-event records and its dead letters. */
  db: Database;
  group: string;
  producers: string[];
  /**
   * The event types `handle` handles: the others are acknowledged as they are read, with no
   * transaction and no record of them. Default: every type of the producers' streams.
   */
  types?: readonly EventType[];
  /** Handles fresh (never handled) events inside one transaction. */
  handle: (manager: EntityManager, events: EventEnvelope[]) => Promise<void>;
  logger: Logger;
  /** EVENT_MAX_DELIVERIES */
  maxDeliveries: number;
  metrics?: EventMetrics;
  /** How often dead letters an operator asked to retry are looked for. */
  retryPollMs?: number;
}

/** A service's consumer, whose batches can be handed to another handler for a while. */
export interface SubscribedConsumer extends EventConsumer {
  /**
   * Delivers batches to `handler` instead of the service's own (idempotentHandler) until called with
   * undefined: a bulk load has a worker thread handle them, with the same handler on its own connection.
   */
  handleWith(handler: EventBatchHandler | undefined): void;
}

/**
 * A service's consumer: each event handled once (idempotentHandler), entries that cannot be handled
 * dead-lettered in the service's database, dead letters an operator retries delivered again, and no
 * delivery counted while the database itself does not answer.
 */
export function subscribe(options: SubscribeOptions): SubscribedConsumer {
  const { bus, db, group, producers, types, logger, metrics } = options;
  // Filtered here too: a dead letter retried by an operator comes through the handler alone.
  const own = idempotentHandler(db, options.handle, types);
  let delegate: EventBatchHandler | undefined;
  const handler: EventBatchHandler = (events) => (delegate ?? own)(events);
  const deadLetters = new DeadLetterStore(db);
  const consumer = bus.consume({
    group,
    producers,
    types,
    handler,
    logger,
    maxDeliveries: options.maxDeliveries,
    deadLetters,
    healthy: () => db.ping(),
    metrics,
  });
  const redelivery = new DeadLetterRedelivery(deadLetters, group, handler, logger, options.retryPollMs);
  redelivery.start();
  return {
    handleWith(next) {
      delegate = next;
    },
    caughtUp: () => consumer.caughtUp(),
    lag: () => consumer.lag(),
    async stop() {
      await redelivery.stop();
      await consumer.stop();
    },
  };
}
