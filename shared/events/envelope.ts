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
    id: randomUUID(),
    type: event.type,
    version: 1,
    occurredAt: (event.occurredAt ?? new Date()).toISOString(),
    producer,
    key: event.key,
    payload: event.payload,
  };
}

/** Narrows an envelope to one event type. */
export function isEvent<T extends EventType>(event: EventEnvelope, type: T): event is EventEnvelope<T> {
  return event.type === type;
}
