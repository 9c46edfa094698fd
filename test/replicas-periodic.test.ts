import { dropDatabase } from '../shared/db/database';
import { Platform } from '../shared/platform';
import { openSubgraph, type OpenSubgraph } from '../shared/subgraph';
import { configuredServers, testConfig } from '../shared/testkit';
import { SUBGRAPHS } from '../scripts/subgraphs';

// Replicas are separate processes on one MySQL: the embedded default is one process with SQLite files.
const onMysql = configuredServers().mysql ? describe : describe.skip;

const EVERY_MS = 150;

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

onMysql('two replicas of a service on one database', () => {
  const config = testConfig();
  const runs: Array<{ by: string; at: number }> = [];
  const platforms: Platform[] = [];
  const replicas: Array<OpenSubgraph<unknown, never>> = [];
  const released = new Set<OpenSubgraph<unknown, never>>();
  const release = async (replica: OpenSubgraph<unknown, never>) => {
    if (released.has(replica)) return;
    released.add(replica);
    await replica.release();
  };

  /** The inventory service with a fast periodic job of its own, recording which replica ran it. */
  const replicaOf = (by: string) => ({
    ...SUBGRAPHS.inventory,
    periodic: [{ name: 'test.tick', everyMs: EVERY_MS, run: async () => void runs.push({ by, at: Date.now() }) }],
  });

  beforeAll(async () => {
    platforms.push(Platform.create(config), Platform.create(config));
    // Both start at once on a fresh database: they migrate it under the lock, one after the other.
    replicas.push(...((await Promise.all([openSubgraph(replicaOf('a'), platforms[0]), openSubgraph(replicaOf('b'), platforms[1])])) as never[]));
  });
  afterAll(async () => {
    for (const replica of replicas) await release(replica);
    for (const platform of platforms) await platform.close();
    await dropDatabase(config, 'inventory');
  });

  it('run a periodic job once per period, and the other replica takes it over when one stops', async () => {
    const started = Date.now();
    for (const replica of replicas) replica.startPeriodic();
    await until(() => runs.length >= 6);
    expect(runs.length).toBeLessThanOrEqual(Math.floor((Date.now() - started) / EVERY_MS) + 1);
    const holder = runs[0].by;
    expect(runs.map((r) => r.by)).toEqual(runs.map(() => holder));

    const stopped = replicas[holder === 'a' ? 0 : 1];
    await release(stopped);
    const before = runs.length;
    await until(() => runs.length >= before + 3);
    expect(runs.slice(before).map((r) => r.by)).toEqual(runs.slice(before).map(() => (holder === 'a' ? 'b' : 'a')));
    // Never two runs of one tick, before or after the hand-over (a late timer may shorten the next gap, not halve it).
    const gaps = runs.slice(1).map((r, i) => r.at - runs[i].at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(EVERY_MS / 2);
  });
});
