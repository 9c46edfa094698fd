import pino from 'pino';
import { testConfig } from '../testkit';
import { Database, dropDatabase } from './database';
import { LEASE_ENTITIES, Leases, PeriodicJobs } from './lease';
import { serviceLeaseMigration } from './lease.migration';

const logger = pino({ level: 'silent' });
const config = testConfig();

/**
 * Two handles on one database, as two replicas of a service have. On SQLite, one: the embedded default
 * is one process, and two handles on one file in one process would wait on each other's locks while
 * better-sqlite3 blocks the thread that could release them.
 */
let a: Database;
let b: Database;

beforeAll(async () => {
  const open = () =>
    Database.open({ service: 'customers', entities: LEASE_ENTITIES, migrations: [serviceLeaseMigration('ServiceLeases1796617500000')], migrate: true, config, logger });
  a = await open();
  b = a.kind === 'mysql' ? await open() : a;
});
afterAll(async () => {
  await a?.close();
  if (b !== a) await b?.close();
  await dropDatabase(config, 'customers');
});

async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Leases', () => {
  it('gives a lease to one owner at a time: its holder renews it, another takes it only once it expired or was released', async () => {
    const first = new Leases(a, 'replica-a');
    const second = new Leases(b, 'replica-b');
    const [x, y] = await Promise.all([first.acquire('job.x', 300), second.acquire('job.x', 300)]);
    expect([x, y].filter(Boolean)).toHaveLength(1);
    const [holder, other] = x ? [first, second] : [second, first];

    expect(await holder.acquire('job.x', 300)).toBe(true);
    expect(await other.acquire('job.x', 300)).toBe(false);
    // Expired (the holder died): the other takes it, and the old holder cannot.
    await until(() => other.acquire('job.x', 300));
    expect(await holder.acquire('job.x', 300)).toBe(false);
    // Released (a replica that stops): taken at once.
    await other.release('job.x');
    expect(await holder.acquire('job.x', 60_000)).toBe(true);
    // Leases of other names are their own.
    expect(await other.acquire('job.y', 60_000)).toBe(true);
  });

  it('asked by many at once, is given to exactly one', async () => {
    const replicas = Array.from({ length: 6 }, (_, i) => new Leases(i % 2 ? a : b, `replica-${i}`));
    const taken = await Promise.all(replicas.map((r) => r.acquire('job.race', 60_000)));
    expect(taken.filter(Boolean)).toHaveLength(1);
  });
});

describe('PeriodicJobs', () => {
  it('runs a job of two replicas once per period, and the other replica takes it over when the first stops', async () => {
    const everyMs = 150;
    const runs: Array<{ by: string; at: number }> = [];
    const job = (by: string) => ({ name: 'job.tick', everyMs, run: async () => void runs.push({ by, at: Date.now() }) });
    const first = new PeriodicJobs(new Leases(a, 'replica-a'), logger);
    const second = new PeriodicJobs(new Leases(b, 'replica-b'), logger);
    const started = Date.now();
    first.start([job('a')]);
    second.start([job('b')]);
    try {
      await until(() => runs.length >= 8);
      const elapsed = Date.now() - started;
      // Two timers each running the job would run it about twice a period.
      expect(runs.length).toBeLessThanOrEqual(Math.floor(elapsed / everyMs) + 1);
      const holder = runs[0].by;
      expect(runs.every((r) => r.by === holder)).toBe(true);

      await (holder === 'a' ? first : second).stop();
      const before = runs.length;
      await until(() => runs.length >= before + 3);
      expect(runs.slice(before).every((r) => r.by !== holder)).toBe(true);
      // Never two runs of one tick, before or after the hand-over (a late timer may shorten the next gap, not halve it).
      const gaps = runs.slice(1).map((r, i) => r.at - runs[i].at);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(everyMs / 2);
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  it('skips a tick while its own run is still going, and renews the lease meanwhile', async () => {
    const everyMs = 100;
    let running = 0;
    let overlapped = false;
    let runs = 0;
    const slow = () => ({
      name: 'job.slow',
      everyMs,
      run: async () => {
        runs++;
        if (++running > 1) overlapped = true;
        await new Promise((r) => setTimeout(r, everyMs * 4));
        running--;
      },
    });
    const first = new PeriodicJobs(new Leases(a, 'slow-a'), logger);
    const second = new PeriodicJobs(new Leases(b, 'slow-b'), logger);
    first.start([slow()]);
    second.start([slow()]);
    try {
      await until(() => runs >= 2, 10_000);
      expect(overlapped).toBe(false);
    } finally {
      await first.stop();
      await second.stop();
    }
  });
});
