import { In, type EntityManager } from 'typeorm';
import { insertMany } from '../db/batch';
import type { Database } from '../db/database';
import type { EventBatchHandler } from './bus';
import type { EventEnvelope } from './envelope';
import { ProcessedEventRow } from './outbox.entity';

/**
 * Wraps a consumer's handler so that each event is handled once: the handler's writes and the record
 * of handled event ids commit in one transaction, and redelivered events are skipped.
 */
export function idempotentHandler(
  db: Database,
  handle: (manager: EntityManager, events: EventEnvelope[]) => Promise<void>,
): EventBatchHandler {
  return (events) =>
    db.transaction(async (manager) => {
      const seen = await manager.getRepository(ProcessedEventRow).find({
        select: { eventId: true },
        where: { eventId: In(events.map((e) => e.id)) },
      });
      const seenIds = new Set(seen.map((row) => row.eventId));
      const fresh = events.filter((e, i) => !seenIds.has(e.id) && events.findIndex((o) => o.id === e.id) === i);
      if (!fresh.length) return;
      await handle(manager, fresh);
      const now = new Date();
      await insertMany(
        manager,
        ProcessedEventRow,
        fresh.map((e) => Object.assign(new ProcessedEventRow(), { eventId: e.id, type: e.type, processedAt: now })),
      );
    });
}
