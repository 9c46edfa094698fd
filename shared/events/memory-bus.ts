import { deliver, RETRY_DELAYS_MS, type ConsumeOptions, type EventBus, type EventConsumer } from './bus';
import type { EventEnvelope } from './envelope';

interface Stream {
  /** Offset of entries[0] in the stream. */
  base: number;
  entries: EventEnvelope[];
  /** Next offset to read, per consumer group. */
  groups: Map<string, number>;
}

/** Events per handler call: large, so that a consumer catching up commits rarely. */
const BATCH = 2000;

/**
 * The embedded bus: one in-memory stream per producer and an offset per consumer group, like Redis
 * Streams. Entries every group has read are trimmed, and a stream no group reads keeps nothing: in
 * the embedded default every consumer subscribes before any outbox is published.
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

  async publish(events: EventEnvelope[]): Promise<void> {
    for (const event of events) {
      const stream = this.stream(event.producer);
      if (stream.groups.size) stream.entries.push(event);
      else stream.base++;
    }
    for (const consumer of this.consumers) consumer.wake();
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

  /** Takes up to `max` unread events of a group and moves its offset past them. */
  take(producer: string, group: string, max: number): EventEnvelope[] {
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
 * the events behind them.
 */
class InProcessConsumer implements EventConsumer {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private failed: EventEnvelope[] = [];
  /** The handler paused: nothing new is taken until the failed events have been delivered. */
  private holding = false;
  private retryAt = 0;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly bus: InProcessEventBus,
    private readonly options: ConsumeOptions,
    private readonly onStop: () => void,
  ) {}

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
      if (this.again) return this.wake();
      if (this.idle()) this.releaseWaiters();
      else this.scheduleRetry();
    });
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      if (this.failed.length && Date.now() >= this.retryAt) {
        const due = this.failed;
        this.failed = [];
        await this.handle(due);
      }
      for (const producer of this.options.producers) {
        for (;;) {
          if (this.holding) return;
          const batch = this.bus.take(producer, this.options.group, BATCH);
          if (!batch.length || this.stopped) break;
          await this.handle(batch);
        }
      }
    } while (this.again && !this.stopped);
  }

  private async handle(events: EventEnvelope[]): Promise<void> {
    const { failed, paused } = await deliver(events, this.options.handler, this.options.logger);
    this.holding = paused;
    if (!failed.length) {
      if (!this.failed.length) this.attempt = 0;
      return;
    }
    this.failed.push(...failed);
    this.retryAt = Date.now() + RETRY_DELAYS_MS[Math.min(this.attempt++, RETRY_DELAYS_MS.length - 1)];
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer || !this.failed.length) return;
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

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.running;
    this.releaseWaiters();
    this.onStop();
  }
}
