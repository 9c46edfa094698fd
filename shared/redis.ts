import Redis from 'ioredis';

/** A Redis connection that fails requests quickly instead of queueing them forever while Redis is down. */
export function createRedis(url: string, connectionName: string): Redis {
  return new Redis(url, {
    connectionName,
    maxRetriesPerRequest: 3,
    enableAutoPipelining: true,
    lazyConnect: false,
  });
}
