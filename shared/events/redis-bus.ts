import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { createRedis } from '../redis';
import { deliver, RETRY_DELAYS_MS, type ConsumeOptions, type EventBus, type EventConsumer } from './bus';
import type { EventEnvelope } from './envelope';

/** Entries per read: large, so that a consumer catching up commits rarely. */
const BATCH = 1000;
export interface RedisBusTiming {
  /** A pending entry idle this long belongs to a consumer presumed dead, and a live one claims it. */
  claimIdleMs: number;
  /** How often each consumer looks for such entries. */
  claimEveryMs: number;
}

const DEFAULT_TIMING: RedisBusTiming = { claimIdleMs: 30_000, claimEveryMs: 10_000 };

/**
 * Redis Streams: one stream per producing service, one consumer group per consuming service, approximate
 * MAXLEN trimming, and XAUTOCLAIM of entries left pending by a dead consumer.
 */
export class RedisStreamsEventBus implements EventBus {
  private readonly consumers = new Set<RedisStreamConsumer>();

  constructor(
    private readonly redis: Redis,
    private readonly url: string,
    private readonly prefix: string,
    private readonly maxLen: number,
    private readonly timing: RedisBusTiming = DEFAULT_TIMING,
  ) {}

  /** Stream key; the hash tag keeps each stream on one Redis Cluster slot. */
  streamKey(producer: string): string {
    return `${this.prefix}events:{${producer}}`;
  }

  async publish(events: EventEnvelope[]): Promise<void> {
    if (!events.length) return;
    const pipeline = this.redis.pipeline();
    for (const event of events) {
      pipeline.xadd(this.streamKey(event.producer), 'MAXLEN', '~', this.maxLen, '*', 'type', event.type, 'e', JSON.stringify(event));
    }
    const results = await pipeline.exec();
    const failure = results?.find(([err]) => err);
    if (failure) throw failure[0];
  }

  consume(options: ConsumeOptions): EventConsumer {
    const consumer = new RedisStreamConsumer(
      createRedis(this.url, `consumer:${options.group}`),
      this.redis,
      options.producers.map((p) => this.streamKey(p)),
      options,
      this.timing,
      () => this.consumers.delete(consumer),
    );
    this.consumers.add(consumer);
    consumer.start();
    return consumer;
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.stop()));
  }
}

type StreamReply = Array<[key: string, entries: Array<[id: string, fields: string[]]>]> | null;

class RedisStreamConsumer implements EventConsumer {
  private readonly name = `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private retryAt = 0;
  private attempt = 0;
  private lastClaim = 0;
  /** The handler paused: nothing new is read until this consumer's pending entries have been delivered. */
  private holding = false;

  constructor(
    private readonly blocking: Redis,
    private readonly redis: Redis,
    private readonly keys: string[],
    private readonly options: ConsumeOptions,
    private readonly timing: RedisBusTiming,
    private readonly onStop: () => void,
  ) {}

  start(): void {
    this.loop = this.run().catch((err) => this.options.logger.error({ err }, 'event consumer stopped'));
  }

  private async run(): Promise<void> {
    for (const key of this.keys) {
      try {
        // From the start of the stream: a group created after events were published still gets them.
        await this.redis.xgroup('CREATE', key, this.options.group, '0', 'MKSTREAM');
      } catch (err) {
        if (!String(err).includes('BUSYGROUP')) throw err;
      }
    }
    while (!this.stopped) {
      try {
        if (this.retryAt && Date.now() >= this.retryAt) await this.readOwnPending();
        if (this.holding) {
          await new Promise((r) => setTimeout(r, Math.min(500, Math.max(0, this.retryAt - Date.now()))));
          continue;
        }
        if (Date.now() - this.lastClaim >= this.timing.claimEveryMs) await this.claimAbandoned();
        const reply = (await this.blocking.xreadgroup(
          'GROUP', this.options.group, this.name, 'COUNT', BATCH, 'BLOCK', 500,
          'STREAMS', ...this.keys, ...this.keys.map(() => '>'),
        )) as StreamReply;
        await this.handleReply(reply);
      } catch (err) {
        if (this.stopped) break;
        this.options.logger.error({ err }, 'reading events failed; retrying');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async readOwnPending(): Promise<void> {
    this.retryAt = 0;
    const reply = (await this.redis.xreadgroup(
      'GROUP', this.options.group, this.name, 'COUNT', BATCH,
      'STREAMS', ...this.keys, ...this.keys.map(() => '0'),
    )) as StreamReply;
    const paused = await this.handleReply(reply);
    if (!this.holding || paused) return;
    // Delivered after a pause: the next page of older entries at once, new ones only when none is left.
    if ((reply ?? []).some(([, entries]) => entries.length === BATCH)) this.retryAt = Date.now();
    else this.holding = false;
  }

  private async claimAbandoned(): Promise<void> {
    this.lastClaim = Date.now();
    for (const key of this.keys) {
      const [, entries] = (await this.redis.xautoclaim(
        key, this.options.group, this.name, this.timing.claimIdleMs, '0-0', 'COUNT', BATCH,
      )) as [string, Array<[string, string[]] | null>];
      const live = entries.filter((e): e is [string, string[]] => e !== null);
      if (live.length) await this.handleReply([[key, live]]);
    }
  }

  /** Delivers what was read; true when the handler paused. */
  private async handleReply(reply: StreamReply): Promise<boolean> {
    let pausedAny = false;
    for (const [key, entries] of reply ?? []) {
      if (!entries.length) continue;
      const events = entries.map(([, fields]) => JSON.parse(fields[fields.indexOf('e') + 1]) as EventEnvelope);
      const { failed: failedEvents, paused } = await deliver(events, this.options.handler, this.options.logger);
      const failed = new Set(failedEvents);
      if (paused) this.holding = pausedAny = true;
      const done = entries.filter((_, i) => !failed.has(events[i])).map(([id]) => id);
      if (done.length) await this.redis.xack(key, this.options.group, ...done);
      if (failed.size) {
        this.retryAt = Date.now() + RETRY_DELAYS_MS[Math.min(this.attempt++, RETRY_DELAYS_MS.length - 1)];
      } else {
        this.attempt = 0;
      }
    }
    return pausedAny;
  }

  async caughtUp(): Promise<void> {
    for (;;) {
      let behind = 0;
      for (const key of this.keys) {
        const groups = (await this.redis.xinfo('GROUPS', key)) as Array<Array<string | number | null>>;
        for (const group of groups) {
          const info = new Map<string, unknown>();
          for (let i = 0; i < group.length; i += 2) info.set(String(group[i]), group[i + 1]);
          if (info.get('name') !== this.options.group) continue;
          behind += Number(info.get('pending') ?? 0) + Number(info.get('lag') ?? 0);
        }
      }
      if (behind === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.blocking.disconnect();
    await this.loop;
    this.onStop();
  }
}
