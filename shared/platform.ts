import type Redis from 'ioredis';
import { MemoryCache, RedisCache, type Cache } from './cache';
import type { Config, ServiceName } from './config';
import type { EventBus } from './events/bus';
import { InProcessEventBus } from './events/memory-bus';
import { RedisStreamsEventBus } from './events/redis-bus';
import { createRedis } from './redis';

/**
 * What services of one process share: the event bus, and Redis when configured. Embedded (no
 * REDIS_URL): an in-process bus and in-memory caches, which only work when all services share a process.
 */
export class Platform {
  private readonly memoryCaches = new Map<string, MemoryCache>();

  private constructor(
    readonly config: Config,
    readonly bus: EventBus,
    readonly redis: Redis | undefined,
  ) {}

  static create(config: Config): Platform {
    if (!config.redisUrl) return new Platform(config, new InProcessEventBus(), undefined);
    const redis = createRedis(config.redisUrl, 'platform');
    return new Platform(
      config,
      new RedisStreamsEventBus(redis, config.redisUrl, config.redisKeyPrefix, config.eventStreamMaxLen),
      redis,
    );
  }

  get embedded(): boolean {
    return this.redis === undefined;
  }

  /** The cache of one service, its keys apart from every other service's. */
  cache(service: ServiceName): Cache {
    if (this.redis) return new RedisCache(this.redis, `${this.config.redisKeyPrefix}cache:${service}:`);
    let cache = this.memoryCaches.get(service);
    if (!cache) this.memoryCaches.set(service, (cache = new MemoryCache()));
    return cache;
  }

  async redisReady(): Promise<boolean> {
    if (!this.redis) return true;
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.bus.close();
    if (this.redis) await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}
