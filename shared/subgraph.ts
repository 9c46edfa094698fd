import type { GraphQLSchema } from 'graphql';
import { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import { PRINCIPAL_HEADER, verifyPrincipal } from './auth/principal';
import type { Cache } from './cache';
import { loadConfig, type Config, type SubgraphName } from './config';
import { Database, type DatabaseOptions } from './db/database';
import { LEASE_ENTITIES, Leases, PeriodicJobs } from './db/lease';
import type { EventBatchHandler } from './events/bus';
import type { EventType } from './events/catalog';
import { subscribe, type SubscribedConsumer } from './events/consumer';
import { DeadLetterStore } from './events/dead-letters';
import type { EventEnvelope } from './events/envelope';
import { EVENT_ENTITIES } from './events/outbox.entity';
import { EventMetrics } from './events/metrics';
import { DAY_MS, Outbox, OutboxRelay } from './events/outbox';
import { startGraphQLService, stopOnSignals, type RequestContext, type RunningService } from './http/service';
import { createLogger, type Logger } from './logger';
import { Platform } from './platform';

/** What a subgraph's domain code is built from. */
export interface SubgraphInfrastructure {
  config: Config;
  logger: Logger;
  db: Database;
  cache: Cache;
  outbox: Outbox;
}

/** One subgraph: its storage, its domain services, its schema, and what it consumes. */
export interface SubgraphDefinition<TDomain, TContext extends RequestContext> {
  name: SubgraphName;
  entities: DatabaseOptions['entities'];
  migrations: DatabaseOptions['migrations'];
  createDomain(infra: SubgraphInfrastructure): TDomain;
  buildSchema(): Promise<GraphQLSchema>;
  /** Per request: loaders and whatever else resolvers need. */
  createContext(base: RequestContext, domain: TDomain): TContext;
  consumes?: {
    producers: SubgraphName[];
    /**
     * The event types the handler handles: the others are acknowledged as they are read, with no
     * transaction and no record. Default: every type of the producers' streams.
     */
    types?: readonly EventType[];
    /** Handles fresh (never handled) events inside one transaction. */
    handler(domain: TDomain): (manager: EntityManager, events: EventEnvelope[]) => Promise<void>;
  };
  /**
   * Work that runs on a timer while the subgraph runs (e.g. reclassifying customers as time passes):
   * once per period across all replicas, under a lease named `name` (shared/db/lease.ts). The period is
   * fixed, or read from the configuration.
   */
  periodic?: Array<{ name: string; everyMs: number | ((config: Config) => number); run(domain: TDomain): Promise<void> }>;
}

/** A subgraph with its database open and its consumer subscribed, ready to serve. */
export class OpenSubgraph<TDomain, TContext extends RequestContext> {
  private relay: OutboxRelay;
  private server: RunningService | undefined;
  private readonly periodic: PeriodicJobs;

  constructor(
    readonly definition: SubgraphDefinition<TDomain, TContext>,
    readonly infra: SubgraphInfrastructure,
    readonly domain: TDomain,
    private readonly platform: Platform,
    readonly consumer: SubscribedConsumer | undefined,
    private readonly eventMetrics: EventMetrics = new EventMetrics(),
  ) {
    this.relay = new OutboxRelay(infra.db, platform.bus, definition.name, infra.logger, {
      retentionMs: infra.config.outboxRetentionDays * DAY_MS,
      metrics: eventMetrics,
    });
    this.periodic = new PeriodicJobs(new Leases(infra.db), infra.logger);
  }

  get name(): SubgraphName {
    return this.definition.name;
  }

  get db(): Database {
    return this.infra.db;
  }

  get url(): string | undefined {
    return this.server?.url;
  }

  /** Starts publishing this subgraph's outbox (after every consumer in the process has subscribed). */
  startRelay(): void {
    this.relay.start();
  }

  /**
   * Starts the definition's periodic work, each job run by one replica at a time, once per period (a
   * lease in this service's database); a failed run is logged and tried again next time.
   */
  startPeriodic(): void {
    const { config } = this.infra;
    this.periodic.start(
      (this.definition.periodic ?? []).map((job) => ({
        name: job.name,
        everyMs: typeof job.everyMs === 'number' ? job.everyMs : job.everyMs(config),
        run: () => job.run(this.domain),
      })),
    );
  }

  /** Publishes everything committed so far (`batchSize`: events per publish). */
  flushOutbox(batchSize?: number): Promise<void> {
    return this.relay.drain(batchSize);
  }

  /** Has `handler` handle this subgraph's events instead of its own consumer, until called with undefined. */
  handleEventsWith(handler: EventBatchHandler | undefined): void {
    this.consumer?.handleWith(handler);
  }

  /** Holds back publishing until releaseOutbox(), except what flushOutbox() publishes (OutboxRelay.hold). */
  holdOutbox(): void {
    this.relay.hold();
  }

  releaseOutbox(): void {
    this.relay.release();
  }

  async listen(port: number): Promise<RunningService> {
    const { config, logger, db } = this.infra;
    this.server = await startGraphQLService<TContext>({
      name: this.name,
      config,
      logger,
      port,
      schema: await this.definition.buildSchema(),
      // Only a principal signed by the gateway or another service gets in: a direct call bypasses nothing.
      authenticate: ({ headers }) => verifyPrincipal(headerValue(headers[PRINCIPAL_HEADER]), config.internalSigningKey),
      createContext: (base) => this.definition.createContext(base, this.domain),
      readiness: [
        { name: 'database', check: () => db.ping() },
        // Served without Redis (caches bypassed, outbox rows waiting): degraded, still ready.
        { name: 'redis', check: () => this.platform.redisReady(), optional: true },
      ],
      registerMetrics: ({ registry }) => {
        registry.registerMetric(statementMetric(db));
        for (const metric of this.eventMetrics.all()) registry.registerMetric(metric);
      },
    });
    return this.server;
  }

  /** Reports not-ready while still serving, for the shutdown delay (RunningService.beginShutdown). */
  async beginShutdown(): Promise<void> {
    await this.server?.beginShutdown();
  }

  /** Resolves when no request is in flight here, or at `deadline` (epoch ms). */
  async drained(deadline: number): Promise<void> {
    await this.server?.drained(deadline);
  }

  /** Stops taking requests, after those in flight have finished. */
  async stopServing(): Promise<void> {
    await this.server?.stop();
  }

  /** Stops serving (draining requests), consuming and publishing, then closes the database. */
  async stop(): Promise<void> {
    await this.stopServing();
    await this.release();
  }

  /** Stops consuming and publishing and closes the database. */
  async release(): Promise<void> {
    await this.periodic.stop(Date.now() + this.infra.config.shutdownGraceMs);
    await this.consumer?.stop();
    await this.relay.stop();
    await this.infra.db.close();
  }
}

function statementMetric(db: Database): Counter {
  return new Counter({
    name: 'db_statements_total',
    help: 'SQL statements sent to this service database.',
    registers: [],
    collect() {
      this.reset();
      this.inc(db.statements.count);
    },
  });
}

/** A subgraph's entities and those of the machinery every service has (outbox, handled events, leases). */
export function subgraphEntities(definition: Pick<SubgraphDefinition<unknown, RequestContext>, 'entities'>): DatabaseOptions['entities'] {
  return [...(definition.entities as []), ...EVENT_ENTITIES, ...LEASE_ENTITIES];
}

/** Opens a subgraph's database, builds its domain and subscribes its consumer. */
export async function openSubgraph<TDomain, TContext extends RequestContext>(
  definition: SubgraphDefinition<TDomain, TContext>,
  platform: Platform,
): Promise<OpenSubgraph<TDomain, TContext>> {
  const { config } = platform;
  const logger = createLogger(config, definition.name);
  const db = await Database.open({
    service: definition.name,
    entities: subgraphEntities(definition),
    migrations: definition.migrations,
    config,
    logger,
  });
  const infra: SubgraphInfrastructure = {
    config,
    logger,
    db,
    cache: platform.cache(definition.name),
    outbox: new Outbox(definition.name),
  };
  const domain = definition.createDomain(infra);
  const eventMetrics = new EventMetrics(definition.name, undefined, () => new DeadLetterStore(db).count());
  const consumer = definition.consumes
    ? subscribe({
        bus: platform.bus,
        db,
        group: definition.name,
        producers: definition.consumes.producers,
        types: definition.consumes.types,
        handle: definition.consumes.handler(domain),
        logger,
        maxDeliveries: config.eventMaxDeliveries,
        metrics: eventMetrics,
      })
    : undefined;
  if (consumer) eventMetrics.watch(consumer);
  return new OpenSubgraph(definition, infra, domain, platform, consumer, eventMetrics);
}

/**
 * The entry point of a subgraph started alone (`npm run start:<name>`, a container). Alone, it needs
 * MySQL and Redis: the in-process bus only joins services that share one process.
 */
export async function runSubgraphAlone<TDomain, TContext extends RequestContext>(
  definition: SubgraphDefinition<TDomain, TContext>,
): Promise<void> {
  const config = loadConfig();
  const missing = [!config.mysqlUrl && 'MYSQL_URL', !config.redisUrl && 'REDIS_URL'].filter(Boolean);
  if (missing.length) {
    throw new Error(
      `The ${definition.name} service started alone needs ${missing.join(' and ')}: its database must outlive ` +
        'the container and its events must reach the other processes. Without them, run every service in ' +
        'one process with `npm start`.',
    );
  }
  const platform = Platform.create(config);
  const subgraph = await openSubgraph(definition, platform);
  subgraph.startRelay();
  subgraph.startPeriodic();
  await subgraph.listen(config.ports[definition.name]);
  stopOnSignals(async () => {
    await subgraph.stop();
    await platform.close();
  }, subgraph.infra.logger);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
