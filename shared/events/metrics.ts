import { Counter, Gauge, type Metric } from 'prom-client';
import type { EventConsumer } from './bus';

/** How long a scrape waits for a consumer's lag (Redis may be down). */
const LAG_TIMEOUT_MS = 1000;

/**
 * A service's event metrics, registered on its own registry (`registerMetrics`): what its consumer
 * dead-lettered, how far behind it is, what trimming its stream took from consumer groups.
 */
export class EventMetrics {
  readonly deadLettered = new Counter({
    name: 'events_dead_lettered_total',
    help: 'Stream entries the consumer group dead-lettered, by producing service and reason (UNPARSEABLE, INVALID, HANDLER_FAILED).',
    labelNames: ['group', 'stream', 'reason'],
    registers: [],
  });

  readonly trimmedUnacknowledged = new Counter({
    name: 'events_trimmed_unacknowledged_total',
    help: "Entries of this service's stream that trimming (EVENT_STREAM_MAXLEN) dropped before a consumer group had acknowledged them.",
    labelNames: ['stream', 'group'],
    registers: [],
  });

  readonly groupsRecreated = new Counter({
    name: 'events_consumer_groups_recreated_total',
    help: 'Consumer groups recreated after Redis answered NOGROUP (it lost its data): run events:replay for what was unread.',
    labelNames: ['group', 'stream'],
    registers: [],
  });

  private readonly lagGauge: Gauge<'group' | 'stream'>;
  private readonly deadLetterGauge: Gauge<'group'>;

  constructor(
    private readonly group?: string,
    private consumer?: EventConsumer,
    countDeadLetters?: () => Promise<number>,
  ) {
    const metrics = this;
    this.lagGauge = new Gauge({
      name: 'events_consumer_lag',
      help: 'Entries of a producing service\'s stream the consumer group has not handled yet (unread, or delivered and not acknowledged).',
      labelNames: ['group', 'stream'],
      registers: [],
      async collect() {
        this.reset();
        if (!metrics.consumer || !metrics.group) return;
        const lags = await withTimeout(metrics.consumer.lag());
        for (const { producer, lag } of lags ?? []) this.set({ group: metrics.group, stream: producer }, lag);
      },
    });
    this.deadLetterGauge = new Gauge({
      name: 'events_dead_letters',
      help: 'Dead letters the consumer group keeps (npm run events:dead-letters -- list).',
      labelNames: ['group'],
      registers: [],
      async collect() {
        this.reset();
        if (!countDeadLetters || !metrics.group) return;
        const count = await withTimeout(countDeadLetters());
        if (count !== undefined) this.set({ group: metrics.group }, count);
      },
    });
  }

  /** Follows this consumer's lag (known only once it is subscribed). */
  watch(consumer: EventConsumer): void {
    this.consumer = consumer;
  }

  /** Every metric, for a service's registry. */
  all(): Metric[] {
    return [this.deadLettered, this.trimmedUnacknowledged, this.groupsRecreated, this.lagGauge, this.deadLetterGauge];
  }
}

async function withTimeout<T>(work: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work.catch(() => undefined), new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), LAG_TIMEOUT_MS)))]);
  } finally {
    clearTimeout(timer);
  }
}
