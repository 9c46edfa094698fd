import { randomUUID } from 'node:crypto';
import type { EventPayloads, EventType } from './catalog';

/** What travels on the bus: `key` is the id of the aggregate the event is about. */
export interface EventEnvelope<T extends EventType = EventType> {
  id: string;
  type: T;
  version: number;
  occurredAt: string;
  producer: string;
  key: string;
  payload: EventPayloads[T];
}

/** An event a domain method records; the outbox fills in the envelope. */
export interface NewEvent<T extends EventType = EventType> {
  type: T;
  key: string;
  payload: EventPayloads[T];
  /** When it happened (historical imports pass their own time); now when omitted. */
  occurredAt?: Date;
}

export function envelope<T extends EventType>(producer: string, event: NewEvent<T>): EventEnvelope<T> {
  return {
    id: timeOrderedId(),
    type: event.type,
    version: 1,
    occurredAt: (event.occurredAt ?? new Date()).toISOString(),
    producer,
    key: event.key,
    payload: event.payload,
  };
}

/**
 * A UUID version 7: milliseconds since the epoch, then random bits. Outbox and handled-event indexes
 * on the id then grow at one end, where random ids would touch pages all over them on every commit.
 */
function timeOrderedId(now = Date.now()): string {
  const time = now.toString(16).padStart(12, '0');
  // randomUUID(): xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx; its variant and random bits are kept.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}

/** Narrows an envelope to one event type. */
export function isEvent<T extends EventType>(event: EventEnvelope, type: T): event is EventEnvelope<T> {
  return event.type === type;
}
