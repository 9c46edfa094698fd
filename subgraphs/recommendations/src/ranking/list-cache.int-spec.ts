import { MemoryCache, RedisCache, type Cache } from '../../../../shared/cache';
import type { Commit } from '../../../../shared/db/database';
import { createLogger } from '../../../../shared/logger';
import { RequestRedis } from '../../../../shared/redis';
import { configuredServers, testConfig } from '../../../../shared/testkit';
import { redisServerInstalled, startPrivateRedis, type PrivateRedis } from '../../../../shared/testkit/private-redis';
import { GENERATION_READ_MS, ListCache } from './list-cache';

const config = testConfig();
const logger = createLogger({ logLevel: 'silent' }, 'list-cache-test');
const redis = configuredServers().redis ? RequestRedis.connect(config.redisUrl!, 'list-cache-test', 500, logger) : undefined;
const prefix = `${config.redisKeyPrefix}list-cache-test:${process.pid}:`;

afterAll(async () => {
  if (!redis) return;
  const keys = await redis.client.keys(`${prefix}*`);
  if (keys.length) await redis.client.del(...keys);
  await redis.close();
});

/** A replica's list cache over the shared cache, with the commits of its own database. */
function replica(shared: Cache) {
  const listeners: Array<(commit: Commit) => void> = [];
  const lists = new ListCache(shared, { onCommit: (listener) => (listeners.push(listener), () => undefined) }, logger);
  return { lists, commit: () => listeners.forEach((l) => l({} as Commit)) };
}

describe(`lists (${redis ? 'Redis' : 'memory'}) held in each replica`, () => {
  const shared: Cache = redis ? new RedisCache(redis, prefix) : new MemoryCache();
  let computed = 0;
  const compute = (tag: string) => async (keys: string[]) => new Map(keys.map((k) => [k, [`${tag}:${k}`, ++computed]]));
  const read = (lists: ListCache, keys: string[], tag: string) =>
    lists.getMany(keys, (key) => ['catalog', `pairs:${key}`], 300, compute(tag)).then((m) => keys.map((k) => m.get(k)));

  it('computes a list once for every replica, and no replica serves one longer than GENERATION_READ_MS after an event retired it', async () => {
    const [a, b] = [replica(shared), replica(shared)];
    const first = await read(a.lists, ['x', 'y'], 'a');
    expect(first).toEqual([['a:x', 1], ['a:y', 2]]);
    // The other replica finds them in the shared cache; the first holds them.
    expect(await read(b.lists, ['x', 'y'], 'b')).toEqual(first);
    expect(await read(a.lists, ['y', 'x'], 'a')).toEqual([first[1], first[0]]);
    expect(computed).toBe(2);

    // A change of x's pairs in b's transaction: nothing moves until it commits; then b recomputes x
    // at once, and a, which reads generations at most every GENERATION_READ_MS, after that.
    b.lists.invalidate('pairs:x');
    expect(await read(b.lists, ['x'], 'b')).toEqual([first[0]]);
    b.commit();
    expect(await read(b.lists, ['x', 'y'], 'b')).toEqual([['b:x', 3], first[1]]);
    await new Promise((resolve) => setTimeout(resolve, GENERATION_READ_MS + 50));
    expect(await read(a.lists, ['x', 'y'], 'a')).toEqual([['b:x', 3], first[1]]);
    expect(computed).toBe(3);

    // A rebuild retires everything at once.
    await a.lists.invalidateNow('everything');
    expect(await read(a.lists, ['y'], 'a')).toEqual([['a:y', 4]]);
    await new Promise((resolve) => setTimeout(resolve, GENERATION_READ_MS + 50));
    expect(await read(b.lists, ['y'], 'b')).toEqual([['a:y', 4]]);
  });
});

(redisServerInstalled() ? describe : describe.skip)('lists while Redis is unavailable', () => {
  let server: PrivateRedis;
  let own: RequestRedis;
  beforeAll(async () => {
    server = await startPrivateRedis();
    own = RequestRedis.connect(server.url, 'list-outage-test', 300, logger);
    while (!own.available) await new Promise((resolve) => setTimeout(resolve, 50));
  });
  afterAll(async () => {
    await own?.close();
    await server?.stop();
  });

  it('computes them on every read, holding none, and retires every list once Redis is back: an event missed meanwhile cannot leave a stale one', async () => {
    const { lists } = replica(new RedisCache(own, 'outage:'));
    let computed = 0;
    const read = () => lists.get('x', ['catalog'], 300, async () => ++computed);
    expect(await read()).toBe(1);
    expect(await read()).toBe(1);
    await server.stop();
    // Generations known in the last GENERATION_READ_MS still count; then they must be read, and cannot be.
    await new Promise((resolve) => setTimeout(resolve, GENERATION_READ_MS + 50));
    expect(await read()).toBe(2);
    expect(await read()).toBe(3);
    // Nothing asked, nothing computed (a computation for no keys would be a malformed query).
    const none = () => Promise.reject(new Error('computed for no keys'));
    expect(await lists.getMany([], () => ['catalog'], 300, none)).toEqual(new Map());

    // Back (empty, as a restarted Redis is): what was held before the outage is not served again.
    await server.start();
    while (!own.available) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await read()).toBe(4);
    expect(await read()).toBe(4);
  });
});
