import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { createRedis, disconnectRedis, unlessAborted } from '../redis';
import {
  DEFAULT_MAX_DELIVERIES,
  deliver,
  errorText,
  FailureLog,
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
  type TrimReport,
} from './bus';
import type { EventEnvelope } from './envelope';
import { decodeEvent } from './schemas';

/** Entries per read: large, so that a consumer catching up commits rarely. */
const BATCH = 1000;
/** Entries per XRANGE / XPENDING page when trimming. */
const PAGE = 1000;

export interface RedisBusOptions {
  /** A pending entry idle this long belongs to a consumer presumed dead, and a live one claims it. */
  claimIdleMs: number;
  /** How often each consumer looks for such entries. */
  claimEveryMs: number;
  /**
   * How far back a consumer group created now starts (OUTBOX_RETENTION_DAYS): records of handled
   * events outlive this, so an entry it reads again is recognised and skipped.
   */
  retentionMs: number;
}

const DEFAULTS: RedisBusOptions = { claimIdleMs: 30_000, claimEveryMs: 10_000, retentionMs: 7 * 24 * 3600 * 1000 };

/**
 * Redis Streams: one stream per producing service, one consumer group per consuming service, XAUTOCLAIM
 * of entries left pending by a dead consumer, and trimming to a maximum length that reports what
 * groups had not acknowledged. A group Redis lost (NOGROUP: it came back empty) is recreated at once.
 */
export class RedisStreamsEventBus implements EventBus {
  private readonly consumers = new Set<RedisStreamConsumer>();
  private readonly options: RedisBusOptions;

  constructor(
    private readonly redis: Redis,
    private readonly url: string,
    private readonly prefix: string,
    private readonly maxLen: number,
    options: Partial<RedisBusOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Stream key; the hash tag keeps each stream on one Redis Cluster slot. */
  streamKey(producer: string): string {
    return `${this.prefix}events:{${producer}}`;
  }

  producerOf(key: string): string {
    return key.slice(key.lastIndexOf('{') + 1, key.lastIndexOf('}'));
  }

  /** Appends without trimming: trim() removes old entries, and counts those a group still needed. */
  async publish(events: EventEnvelope[]): Promise<Published> {
    if (!events.length) return {};
    const pipeline = this.redis.pipeline();
    for (const event of events) {
      pipeline.xadd(this.streamKey(event.producer), '*', 'type', String(event.type), 'e', JSON.stringify(event));
    }
    const results = await pipeline.exec();
    const failure = results?.find(([err]) => err);
    if (failure) throw failure[0];
    return {};
  }

  consume(options: ConsumeOptions): EventConsumer {
    const consumer = new RedisStreamConsumer(
      this,
      createRedis(this.url, `consumer:${options.group}`),
      this.redis,
      options.producers.map((p) => this.streamKey(p)),
      options,
      this.options,
      () => this.consumers.delete(consumer),
    );
    this.consumers.add(consumer);
    consumer.start();
    return consumer;
  }

  /**
   * Trims the producer's stream to EVENT_STREAM_MAXLEN, oldest first. Before dropping entries it
   * counts, per consumer group, those the group had not acknowledged (pending, or not yet read): the
   * caller records and logs them. Replicas take turns through a short Redis lock.
   */
  async trim(producer: string): Promise<TrimReport[]> {
    const key = this.streamKey(producer);
    const excess = (await this.redis.xlen(key)) - this.maxLen;
    if (excess <= 0) return [];
    const lock = `${this.prefix}events-trim:{${producer}}`;
    if ((await this.redis.set(lock, randomUUID(), 'PX', 30_000, 'NX')) !== 'OK') return [];
    try {
      const groups = (await groupInfos(this.redis, key)).map((g) => ({ name: g.name, lastDelivered: g.lastDelivered, dropped: 0 }));
      // The ids of the `excess` oldest entries: those beyond the last delivered id of a group were unread by it.
      let last: string | undefined;
      for (let left = excess; left > 0; ) {
        const page = (await this.redis.xrange(key, last ? `(${last}` : '-', '+', 'COUNT', Math.min(left, PAGE))) as Array<[string, string[]]>;
        if (!page.length) break;
        for (const [id] of page) for (const group of groups) if (compareIds(id, group.lastDelivered) > 0) group.dropped++;
        last = page[page.length - 1][0];
        left -= page.length;
      }
      if (!last) return [];
      // Delivered but not acknowledged: the group's pending entries up to the boundary.
      for (const group of groups) {
        let from = '-';
        for (;;) {
          const pending = (await this.redis.xpending(key, group.name, from, last, PAGE)) as Array<[string, string, number, number]>;
          group.dropped += pending.length;
          if (pending.length < PAGE) break;
          from = `(${pending[pending.length - 1][0]}`;
        }
      }
      await this.redis.xtrim(key, 'MINID', nextId(last));
      return groups.filter((g) => g.dropped > 0).map(({ name, dropped }) => ({ group: name, dropped }));
    } finally {
      await this.redis.del(lock).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.stop()));
  }
}

type StreamReply = Array<[key: string, entries: Array<[id: string, fields: string[] | null]>]> | null;

interface GroupInfo {
  name: string;
  pending: number;
  lastDelivered: string;
  /** Entries not yet delivered to the group; null when Redis cannot tell. */
  lag: number | null;
}

async function groupInfos(redis: Redis, key: string): Promise<GroupInfo[]> {
  let groups: Array<Array<string | number | null>>;
  try {
    groups = (await redis.xinfo('GROUPS', key)) as Array<Array<string | number | null>>;
  } catch (err) {
    if (/no such key/i.test(String(err))) return [];
    throw err;
  }
  return groups.map((group) => {
    const info = new Map<string, unknown>();
    for (let i = 0; i < group.length; i += 2) info.set(String(group[i]), group[i + 1]);
    const lag = info.get('lag');
    return {
      name: String(info.get('name')),
      pending: Number(info.get('pending') ?? 0),
      lastDelivered: String(info.get('last-delivered-id') ?? '0-0'),
      lag: lag === null || lag === undefined ? null : Number(lag),
    };
  });
}

function parseId(id: string): [number, number] {
  const [ms, seq] = id.split('-');
  return [Number(ms), Number(seq ?? 0)];
}

/** Orders two stream entry ids. */
export function compareIds(a: string, b: string): number {
  const [am, as] = parseId(a);
  const [bm, bs] = parseId(b);
  return am - bm || as - bs;
}

function nextId(id: string): string {
  const [ms, seq] = parseId(id);
  return `${ms}-${seq + 1}`;
}

/** The entry's field `name`, or undefined. */
function field(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

class RedisStreamConsumer implements EventConsumer {
  private readonly name = `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private stopped = false;
  /** Aborted by stop(): every wait of the loop on Redis ends with it (unlessStopped). */
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private groupsReady = false;
  private retryAt = 0;
  private pauses = 0;
  /**
   * Per pending entry, deliveries Redis counted that were not the event's failure (the handler
   * paused, or the database did not answer): left out of the count that dead-letters it. Lost with
   * the process; entries stay pending, so this is bounded by what is pending.
   */
  private readonly uncounted = new Map<string, number>();
  private lastClaim = 0;
  /** The handler paused: nothing new is read until this consumer's pending entries have been delivered. */
  private holding = false;
  /** The database did not answer after a failure: nothing is delivered (or counted) until it does. */
  private unhealthy = false;
  private readonly readFailures: FailureLog;
  private readonly deadLetters: DeadLetterSink;
  private readonly maxDeliveries: number;
  /** Whether the handler handles an entry of this type (ConsumeOptions.types). */
  private readonly handles: (type: unknown) => boolean;

  constructor(
    private readonly bus: RedisStreamsEventBus,
    private readonly blocking: Redis,
    private readonly redis: Redis,
    private readonly keys: string[],
    private readonly options: ConsumeOptions,
    private readonly timing: RedisBusOptions,
    private readonly onStop: () => void,
  ) {
    this.readFailures = new FailureLog(options.logger, 'EVENT_READ_FAILING', 'reading events failed (is Redis down?); retrying', 'reading events again');
    this.deadLetters = options.deadLetters ?? new MemoryDeadLetters();
    this.maxDeliveries = options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES;
    this.handles = typeFilter(options.types);
  }

  start(): void {
    this.loop = this.run().catch((err) => this.options.logger.error({ err }, 'event consumer stopped'));
  }

  /**
   * Creates the group on each stream (and the stream) where missing. A new group reads from the
   * retention window back: older entries may have been handled with their records since pruned.
   */
  private async ensureGroups(): Promise<void> {
    const from = `${Math.max(0, Date.now() - this.timing.retentionMs)}-0`;
    for (const key of this.keys) {
      try {
        await this.unlessStopped(this.redis.xgroup('CREATE', key, this.options.group, from, 'MKSTREAM'));
      } catch (err) {
        if (!String(err).includes('BUSYGROUP')) throw err;
      }
    }
    this.groupsReady = true;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.groupsReady) await this.ensureGroups();
        if (this.unhealthy) {
          if (!(await this.healthy())) {
            await this.sleep(1000);
            continue;
          }
          this.unhealthy = false;
          this.retryAt = Date.now();
          this.options.logger.info({ group: this.options.group }, 'database answers again: delivering events');
        }
        if (this.retryAt && Date.now() >= this.retryAt) await this.readOwnPending();
        if (this.holding || this.unhealthy) {
          await this.sleep(Math.min(500, Math.max(0, this.retryAt - Date.now())));
          continue;
        }
        if (Date.now() - this.lastClaim >= this.timing.claimEveryMs) await this.claimAbandoned();
        const reply = (await this.unlessStopped(this.blocking.xreadgroup(
          'GROUP', this.options.group, this.name, 'COUNT', BATCH, 'BLOCK', 500,
          'STREAMS', ...this.keys, ...this.keys.map(() => '>'),
        ))) as StreamReply;
        await this.handleReply(reply);
        this.readFailures.succeeded();
      } catch (err) {
        if (this.stopped) break;
        if (String(err).includes('NOGROUP')) {
          // Redis lost the group (it restarted empty, or someone deleted it): recreate it and go on.
          // Its pending entries went with it: nothing is left to hold back for.
          this.groupsReady = false;
          this.holding = false;
          this.retryAt = 0;
          this.uncounted.clear();
          this.options.logger.warn({ group: this.options.group }, 'consumer group missing (Redis lost its data?): recreating it; run `npm run events:replay` for events it had not read');
          for (const key of this.keys) this.options.metrics?.groupsRecreated.inc({ group: this.options.group, stream: this.bus.producerOf(key) });
          continue;
        }
        this.readFailures.failed(err);
        await this.sleep(1000);
      }
    }
  }

  /** Waits `ms`, or until stop(). */
  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.stopping.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.stopping.signal.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * A Redis command of the loop, given up on when stop() is called. While Redis is down a command
   * waits for reconnection attempts (seconds, more when connecting times out), and ioredis may never
   * settle one whose connection closes meanwhile: a stop waits for none of them. What was handled and
   * not acknowledged stays pending, and is skipped when delivered again.
   */
  private unlessStopped<T>(command: Promise<T>): Promise<T> {
    return unlessAborted(command, this.stopping.signal);
  }

  private async healthy(): Promise<boolean> {
    try {
      return this.options.healthy ? await this.options.healthy() : true;
    } catch {
      return false;
    }
  }

  private async readOwnPending(): Promise<void> {
    this.retryAt = 0;
    const reply = (await this.unlessStopped(this.redis.xreadgroup(
      'GROUP', this.options.group, this.name, 'COUNT', BATCH,
      'STREAMS', ...this.keys, ...this.keys.map(() => '0'),
    ))) as StreamReply;
    const paused = await this.handleReply(reply);
    if (!this.holding || paused) return;
    // Delivered after a pause: the next page of older entries at once, new ones only when none is left.
    if ((reply ?? []).some(([, entries]) => entries.length === BATCH)) this.retryAt = Date.now();
    else this.holding = false;
  }

  private async claimAbandoned(): Promise<void> {
    this.lastClaim = Date.now();
    for (const key of this.keys) {
      const [, entries] = (await this.unlessStopped(this.redis.xautoclaim(
        key, this.options.group, this.name, this.timing.claimIdleMs, '0-0', 'COUNT', BATCH,
      ))) as [string, Array<[string, string[]] | null>];
      const live = entries.filter((e): e is [string, string[]] => e !== null);
      if (live.length) await this.handleReply([[key, live]]);
    }
  }

  private later(ms: number): void {
    const at = Date.now() + ms;
    this.retryAt = this.retryAt ? Math.min(this.retryAt, at) : at;
  }

  /**
   * Checks each entry against the catalog and delivers the good ones; acknowledges what was handled or
   * dead-lettered. True when the handler paused.
   */
  private async handleReply(reply: StreamReply): Promise<boolean> {
    let pausedAny = false;
    for (const [key, entries] of reply ?? []) {
      if (!entries.length) continue;
      const producer = this.bus.producerOf(key);
      const done: string[] = [];
      const events: EventEnvelope[] = [];
      const idOf = new Map<EventEnvelope, string>();
      const undecodable: Array<{ id: string; raw: string; reason: DeadLetterReason; error: string; eventId: string | null; type: string | null }> = [];
      for (const [id, fields] of entries) {
        if (!fields) {
          // Trimmed or deleted while pending: nothing is left to deliver (trim() counted it).
          this.options.logger.warn({ group: this.options.group, producer, entryId: id }, 'a pending entry is gone from the stream');
          done.push(id);
          continue;
        }
        // A type the handler does not handle: acknowledged unread, at the cost of the XACK alone.
        if (!this.handles(field(fields, 'type'))) {
          done.push(id);
          continue;
        }
        const text = field(fields, 'e');
        const decoded = text === undefined
          ? { ok: false as const, reason: 'UNPARSEABLE' as const, error: 'the entry has no "e" field', eventId: null, type: null }
          : decodeEvent(producer, text);
        // The envelope's own type decides, should the entry's field be missing or differ.
        if (!this.handles(decoded.ok ? decoded.event.type : decoded.type)) {
          done.push(id);
          continue;
        }
        if (decoded.ok) {
          events.push(decoded.event);
          idOf.set(decoded.event, id);
        } else {
          undecodable.push({ id, raw: text ?? rawText(fields), ...decoded });
        }
      }
      if (undecodable.length) {
        const counts = await this.deliveryCounts(key, undecodable.map((u) => u.id));
        for (const u of undecodable) {
          // Another delivery would read the same entry the same way: dead-lettered at once.
          if (await this.deadLetter(producer, u.id, u.reason, u.error, u.eventId, u.type, u.raw, counts.get(u.id) ?? 1)) done.push(u.id);
        }
      }
      if (events.length) {
        const { failed, errors, paused } = await deliver(events, this.options.handler, this.options.logger);
        const failedSet = new Set(failed);
        for (const event of events) if (!failedSet.has(event)) done.push(idOf.get(event)!);
        const notCounted = () => {
          for (const event of failed) this.uncounted.set(idOf.get(event)!, (this.uncounted.get(idOf.get(event)!) ?? 0) + 1);
        };
        if (paused) {
          notCounted();
          this.holding = pausedAny = true;
          this.later(retryDelay(++this.pauses));
        } else if (failed.length && !(await this.healthy())) {
          notCounted();
          if (!this.unhealthy) this.options.logger.warn({ group: this.options.group }, 'event handling failed and the database does not answer: waiting for it');
          this.unhealthy = true;
        } else if (failed.length) {
          this.pauses = 0;
          const counts = await this.deliveryCounts(key, failed.map((e) => idOf.get(e)!));
          let fewest = Infinity;
          for (const event of failed) {
            const id = idOf.get(event)!;
            const deliveries = Math.max(1, (counts.get(id) ?? 1) - (this.uncounted.get(id) ?? 0));
            if (deliveries >= this.maxDeliveries) {
              const raw = field(entries.find(([entryId]) => entryId === id)![1]!, 'e')!;
              if (await this.deadLetter(producer, id, 'HANDLER_FAILED', errorText(errors.get(event)), event.id, event.type, raw, deliveries)) done.push(id);
            } else {
              fewest = Math.min(fewest, deliveries);
            }
          }
          if (fewest < Infinity) this.later(retryDelay(fewest));
        }
      }
      if (done.length) await this.unlessStopped(this.redis.xack(key, this.options.group, ...done));
      for (const id of done) this.uncounted.delete(id);
    }
    return pausedAny;
  }

  /** How many times Redis has delivered each of these pending entries. */
  private async deliveryCounts(key: string, ids: string[]): Promise<Map<string, number>> {
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.xpending(key, this.options.group, id, id, 1);
    const results = (await this.unlessStopped(pipeline.exec())) ?? [];
    const counts = new Map<string, number>();
    results.forEach(([err, reply], i) => {
      const row = !err && Array.isArray(reply) ? (reply[0] as [string, string, number, number] | undefined) : undefined;
      if (row) counts.set(ids[i], Number(row[3]));
    });
    return counts;
  }

  /** Keeps the entry in the service's dead letters; false (it stays pending) when they cannot be written. */
  private async deadLetter(
    producer: string,
    entryId: string,
    reason: DeadLetterReason,
    error: string,
    eventId: string | null,
    type: string | null,
    raw: string,
    deliveries: number,
  ): Promise<boolean> {
    const { group, logger, metrics } = this.options;
    try {
      await this.deadLetters.add({ group, producer, entryId, eventId, type, reason, error, raw: rawText(raw), deliveries });
    } catch (err) {
      logger.error({ err, group, entryId }, 'could not dead-letter an entry; it stays pending');
      this.later(1000);
      return false;
    }
    metrics?.deadLettered.inc({ group, stream: producer, reason });
    logger.error({ group, producer, entryId, eventId, type, reason, error, deliveries }, 'event dead-lettered; the events behind it flow on');
    return true;
  }

  /** Per stream: pending entries plus those not yet delivered to the group. */
  async lag(): Promise<Array<{ producer: string; lag: number }>> {
    const lags = [];
    for (const key of this.keys) {
      const group = (await groupInfos(this.redis, key)).find((g) => g.name === this.options.group);
      let lag: number;
      if (!group) lag = await this.redis.xlen(key);
      else lag = group.pending + (group.lag ?? (await this.countAfter(key, group.lastDelivered)));
      lags.push({ producer: this.bus.producerOf(key), lag });
    }
    return lags;
  }

  /** Entries after `id`, counted up to 10,000 (when Redis cannot tell a group's lag itself). */
  private async countAfter(key: string, id: string): Promise<number> {
    const entries = (await this.redis.xrange(key, `(${id}`, '+', 'COUNT', 10_000)) as unknown[];
    return entries.length;
  }

  async caughtUp(): Promise<void> {
    for (;;) {
      let behind = 0;
      try {
        for (const key of this.keys) {
          const group = (await groupInfos(this.redis, key)).find((g) => g.name === this.options.group);
          // A group Redis lost is not caught up until the consumer has recreated it.
          behind += group ? group.pending + (group.lag ?? (await this.countAfter(key, group.lastDelivered))) : 1;
        }
      } catch {
        behind = 1;
      }
      if (behind === 0) return;
      await this.sleep(50);
    }
  }

  /**
   * Bounded whatever Redis does: the loop's waits on Redis are given up on, the blocking connection
   * closes (its reconnection attempts cancelled, its read rejected), and only a batch the handler is
   * handling is waited for.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    disconnectRedis(this.blocking);
    await this.loop;
    this.onStop();
  }
}
