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
 * Streams. A group created before anything is published sees everything; entries every group has
 * read are trimmed.
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
    for (const event of events) this.stream(event.producer).entries.push(event);
    for (const consumer of this.consumers) consumer.wake();
  }

  consume(options: ConsumeOptions): EventConsumer {
    for (const producer of options.producers) {
      const stream = this.stream(producer);
      if (!stream.groups.has(options.group)) stream.groups.set(options.group, stream.base);
    }
    const consumer = new InProcessConsumer(this, options, () => this.consumers.delete(consumer));
    this.consumers.add(consumer);
    consumer.wake();
    return consumer;
  }

  trim(stream: Stream): void {
    const low = Math.min(...stream.groups.values());
    if (low > stream.base) {
      stream.entries.splice(0, low - stream.base);
      stream.base = low;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.stop()));
  }
}

class InProcessConsumer implements EventConsumer {
  private running: Promise<void> | undefined;
  private stopped = false;
  /** Events that failed, delivered again after a back-off (like Redis' pending entries). */
  private retry: EventEnvelope[] = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly bus: InProcessEventBus,
    private readonly options: ConsumeOptions,
    private readonly onStop: () => void,
  ) {}

  wake(): void {
    if (this.stopped || this.running) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.unread() === 0 && this.retry.length === 0) this.releaseWaiters();
    });
  }

  private unread(): number {
    let n = 0;
    for (const producer of this.options.producers) {
      const stream = this.bus.stream(producer);
      n += stream.base + stream.entries.length - (stream.groups.get(this.options.group) ?? 0);
    }
    return n;
  }

  private async drain(): Promise<void> {
    let progressed = true;
    while (progressed && !this.stopped) {
      progressed = false;
      for (const producer of this.options.producers) {
        const stream = this.bus.stream(producer);
        const offset = stream.groups.get(this.options.group)!;
        const batch = stream.entries.slice(offset - stream.base, offset - stream.base + BATCH);
        if (!batch.length) continue;
        stream.groups.set(this.options.group, offset + batch.length);
        this.bus.trim(stream);
        this.retry.push(...(await deliver(batch, this.options.handler, this.options.logger)));
        progressed = true;
      }
    }
    if (this.retry.length && !this.retryTimer && !this.stopped) this.scheduleRetry();
  }

  private scheduleRetry(): void {
    const delay = RETRY_DELAYS_MS[Math.min(this.attempt++, RETRY_DELAYS_MS.length - 1)];
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      const due = this.retry;
      this.retry = [];
      this.running = (async () => {
        this.retry.push(...(await deliver(due, this.options.handler, this.options.logger)));
        if (!this.retry.length) this.attempt = 0;
      })().finally(() => {
        this.running = undefined;
        this.wake();
      });
    }, delay);
    this.retryTimer.unref();
  }

  private releaseWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  caughtUp(): Promise<void> {
    if (this.unread() === 0 && this.retry.length === 0 && !this.running) return Promise.resolve();
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
