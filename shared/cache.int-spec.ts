import { MemoryCache, RedisCache, type Cache } from './cache';
import { createRedis } from './redis';
import { configuredServers, testConfig } from './testkit';

const config = testConfig();
const redis = configuredServers().redis ? createRedis(config.redisUrl!, 'cache-test') : undefined;

afterAll(async () => {
  if (!redis) return;
  const keys = await redis.keys(`${config.redisKeyPrefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

const caches: Array<[string, () => Cache]> = [['memory', () => new MemoryCache()]];
if (redis) caches.push(['redis', () => new RedisCache(redis, `${config.redisKeyPrefix}cache:`)]);

describe.each(caches)('%s cache', (_name, create) => {
  it('stores copies, computes once, forgets deleted and expired entries', async () => {
    const cache = create();
    const value = { list: [1, 2], at: 'x' };
    await cache.set('a', value, 60);
    value.list.push(3);
    expect(await cache.get('a')).toEqual({ list: [1, 2], at: 'x' });

    let computed = 0;
    const compute = async () => ++computed;
    expect(await cache.getOrSet('b', 60, compute)).toBe(1);
    expect(await cache.getOrSet('b', 60, compute)).toBe(1);
    await cache.delete('a', 'b');
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.getOrSet('b', 60, compute)).toBe(2);

    await cache.set('short', 'v', 1);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await cache.get('short')).toBeUndefined();
  });

  it('counts hits in a window that starts with the first hit, and starts again after it', async () => {
    const cache = create();
    const first = await cache.hit('window', 300);
    expect(first.count).toBe(1);
    expect(first.resetInMs).toBeGreaterThan(0);
    expect(first.resetInMs).toBeLessThanOrEqual(300);
    const counts = await Promise.all(Array.from({ length: 4 }, () => cache.hit('window', 300)));
    expect(counts.map((c) => c.count).sort()).toEqual([2, 3, 4, 5]);
    expect((await cache.hit('another', 300)).count).toBe(1);
    await new Promise((r) => setTimeout(r, 350));
    expect((await cache.hit('window', 300)).count).toBe(1);
  });
});
