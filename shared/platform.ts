import type Redis from 'ioredis';
import { MemoryCache, RedisCache, type Cache } from './cache';
import type { Config, ServiceName } from './config';
import type { EventBus } from './events/bus';
import { InProcessEventBus } from './events/memory-bus';
import { RedisStreamsEventBus } from './events/redis-bus';
import { createLogger } from './logger';
import { closeRedis, createRedis, RequestRedis } from './redis';

/**
 * What services of one process share: the event bus, and Redis when configured. Embedded (no
 * REDIS_URL): an in-process bus and in-memory caches, which only work when all services share a process.
 *
 * With Redis, the request path (caches, rate limits, persisted queries, the subject cache) has a
 * connection of its own that fails fast and goes on without Redis (RequestRedis); the bus has
 * another, whose commands may wait for a reconnection.
 */
export class Platform {
  private readonly caches = new Map<string, Cache>();

  private constructor(
    readonly config: Config,
    readonly bus: EventBus,
    /** Redis on the request path (RequestRedis); undefined when embedded. */
    readonly requestRedis: RequestRedis | undefined,
    private readonly busRedis: Redis | undefined,
  ) {}

  static create(config: Config): Platform {
    if (!config.redisUrl) return new Platform(config, new InProcessEventBus(), undefined, undefined);
    const requestRedis = RequestRedis.connect(config.redisUrl, 'platform', config.redisCommandTimeoutMs, createLogger(config, 'platform'));
    const busRedis = createRedis(config.redisUrl, 'bus');
    return new Platform(
      config,
      new RedisStreamsEventBus(busRedis, config.redisUrl, config.redisKeyPrefix, config.eventStreamMaxLen, {
        retentionMs: config.outboxRetentionDays * 24 * 3600 * 1000,
      }),
      requestRedis,
      busRedis,
    );
  }

  /** The request path's Redis connection itself (tests and scripts read keys through it). */
  get redis(): Redis | undefined {
    return this.requestRedis?.client;
  }

  get embedded(): boolean {
    return this.requestRedis === undefined;
  }

  /** The cache of one service, its keys apart from every other service's (one per service and process). */
  cache(service: ServiceName): Cache {
    let cache = this.caches.get(service);
    if (!cache) {
      cache = this.requestRedis ? new RedisCache(this.requestRedis, `${this.config.redisKeyPrefix}cache:${service}:`) : new MemoryCache();
      this.caches.set(service, cache);
    }
    return cache;
  }

  /**
   * Whether Redis answers now, asked within Redis's command timeout. Readiness reports a service
   * degraded, not unready, without it: the service serves (caches bypassed, limits per process).
   */
  async redisReady(): Promise<boolean> {
    return this.requestRedis ? this.requestRedis.ping() : true;
  }

  /**
   * Stops the bus's consumers and closes the Redis connections, without waiting for Redis: a QUIT
   * answered within the command timeout while it is up, at once otherwise (commands still queued for
   * a reconnection fail).
   */
  async close(): Promise<void> {
    await this.bus.close();
    await this.requestRedis?.close();
    if (this.busRedis) await closeRedis(this.busRedis, this.config.redisCommandTimeoutMs);
  }
}
