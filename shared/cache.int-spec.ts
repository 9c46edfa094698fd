import Redis from 'ioredis';
import { MemoryCache, RedisCache, type Cache } from './cache';
import { createLogger } from './logger';
import { RequestRedis } from './redis';
import { configuredServers, testConfig } from './testkit';
import { redisServerInstalled, startPrivateRedis, type PrivateRedis } from './testkit/private-redis';

const config = testConfig();
const logger = createLogger({ logLevel: 'silent' }, 'cache-test');
const redis = configuredServers().redis ? RequestRedis.connect(config.redisUrl!, 'cache-test', 500, logger) : undefined;

afterAll(async () => {
  if (!redis) return;
  const keys = await redis.client.keys(`${config.redisKeyPrefix}*`);
  if (keys.length) await redis.client.del(...keys);
  await redis.close();
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

    await cache.set('c', [3], 60);
    expect(await cache.getMany(['c', 'missing', 'b'])).toEqual([[3], undefined, 2]);
    expect(await cache.getMany([])).toEqual([]);

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

/** Until `condition` holds (or fails the test after `ms`). */
async function until(condition: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The longest any call took, in ms. */
async function slowest(calls: Array<() => Promise<unknown>>): Promise<number> {
  let longest = 0;
  for (const call of calls) {
    const started = Date.now();
    await call();
    longest = Math.max(longest, Date.now() - started);
  }
  return longest;
}

// A redis-server of this test's own, stopped and started again; the shared one is never touched.
(redisServerInstalled() ? describe : describe.skip)('redis cache while Redis is down', () => {
  let server: PrivateRedis;
  let own: RequestRedis;
  let cache: RedisCache;
  /** A plain connection of the test's, which pauses and kills the cache's. */
  let admin: Redis;

  beforeAll(async () => {
    server = await startPrivateRedis();
    admin = new Redis(server.url, { retryStrategy: () => 100 });
    admin.on('error', () => {});
    own = RequestRedis.connect(server.url, 'outage-test', 300, logger);
    cache = new RedisCache(own, 'outage:');
    await until(() => own.available);
  });
  afterAll(async () => {
    await own?.close();
    admin?.disconnect();
    await server?.stop();
  });

  it('misses, skips writes and counts in this process at once, then uses Redis again when it returns', async () => {
    await cache.set('kept', 'before', 60);
    await cache.set('stale', 'before', 60);
    expect((await cache.hit('limit', 60_000, 3)).count).toBe(3);

    await server.stop();
    // Reads miss, writes are skipped, deletions wait, counters count here: none of it waits for Redis.
    const longest = await slowest([
      async () => expect(await cache.get('kept')).toBeUndefined(),
      () => cache.set('during', 'outage', 60),
      () => cache.delete('stale'),
      async () => expect(await cache.getOrSet('computed', 60, async () => 'fresh')).toBe('fresh'),
      async () => expect((await cache.hit('limit', 60_000)).count).toBe(1),
      async () => expect((await cache.hit('limit', 60_000)).count).toBe(2),
    ]);
    expect(longest).toBeLessThan(1500);
    expect(await own.ping()).toBe(false);

    // Back, empty: Redis is used again, counters start again there.
    await server.start();
    await until(() => own.available);
    await cache.set('after', 'restart', 60);
    expect(await own.client.get('outage:after')).toBe(JSON.stringify('restart'));
    expect(await cache.get('after')).toBe('restart');
    expect((await cache.hit('limit', 60_000)).count).toBe(1);
    expect(await own.client.get('outage:limit')).toBe('1');
    expect(await own.ping()).toBe(true);
  });

  it('waits for a hung Redis once, for the command timeout, then skips it for a moment', async () => {
    await admin.call('CLIENT', 'PAUSE', '3000', 'ALL');
    const started = Date.now();
    expect(await cache.get('hung')).toBeUndefined();
    // The command timeout (500 ms), not the pause (3 s); bounds wide enough for a loaded CI machine.
    expect(Date.now() - started).toBeLessThan(2000);
    expect(own.available).toBe(false);
    expect(await slowest([async () => expect(await cache.get('hung')).toBeUndefined(), () => cache.set('hung', 1, 60)])).toBeLessThan(400);
    await until(async () => (await own.ping()) && own.available);
  });

  it('sends a deletion made while Redis was unreachable once it answers again, so a Redis that kept its data serves nothing stale', async () => {
    await cache.set('stale', 'before', 60);
    await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    await until(() => !own.available, 2000);
    await cache.delete('stale');
    expect(await admin.exists('outage:stale')).toBe(1);
    await until(async () => (await admin.exists('outage:stale')) === 0);
    expect(await cache.get('stale')).toBeUndefined();
  });
});
