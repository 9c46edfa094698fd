import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Logger } from '../logger';
import { DateTimeColumn } from './columns';
import type { Database } from './database';

/**
 * A lease on a piece of work that one replica of a service at a time may do (a periodic job): who
 * holds it and until when, by the database's clock. Taken with a conditional update, so that of two
 * replicas asking at once exactly one gets it.
 */
@Entity('service_lease')
export class ServiceLeaseRow {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  name!: string;

  /** The process that holds (or last held) it: host, pid and a random part. */
  @Column({ type: 'varchar', length: 64 })
  owner!: string;

  @DateTimeColumn({ name: 'expires_at' })
  expiresAt!: Date;
}

export const LEASE_ENTITIES = [ServiceLeaseRow];

/** This process's name in lease rows: readable by an operator, unique across restarts. */
export function leaseOwnerId(): string {
  return `${hostname().slice(0, 40)}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Leases in a service's own database. Expiry is computed and compared by the database (`NOW(3)` on
 * MySQL, `strftime('now')` on SQLite), so replicas whose clocks differ still agree. A lease is sticky:
 * its holder takes it again before it expires (renewal); another owner only once it has.
 */
export class Leases {
  private readonly ensured = new Set<string>();

  constructor(
    private readonly db: Database,
    readonly owner: string = leaseOwnerId(),
  ) {}

  /** Takes or renews the lease for `ttlMs`; false when another owner holds it. */
  async acquire(name: string, ttlMs: number): Promise<boolean> {
    const mysql = this.db.kind === 'mysql';
    const now = mysql ? 'NOW(3)' : "strftime('%Y-%m-%d %H:%M:%f', 'now')";
    const until = mysql ? 'NOW(3) + INTERVAL ? MICROSECOND' : "strftime('%Y-%m-%d %H:%M:%f', 'now', ?)";
    const ttl = mysql ? Math.round(ttlMs * 1000) : `+${(ttlMs / 1000).toFixed(3)} seconds`;
    return this.db.transaction(async (manager) => {
      const runner = manager.queryRunner!;
      if (!this.ensured.has(name)) {
        // The row exists from the first ask on, expired: then taking it is always the update below.
        await runner.query(
          mysql
            ? `INSERT INTO service_lease (name, owner, expires_at) VALUES (?, '', ${now}) ON DUPLICATE KEY UPDATE name = name`
            : `INSERT INTO service_lease (name, owner, expires_at) VALUES (?, '', ${now}) ON CONFLICT (name) DO NOTHING`,
          [name],
        );
        this.ensured.add(name);
      }
      const result = await runner.query(
        `UPDATE service_lease SET owner = ?, expires_at = ${until} WHERE name = ? AND (owner = ? OR expires_at <= ${now})`,
        [this.owner, ttl, name, this.owner],
        true,
      );
      return (result as { affected?: number }).affected === 1;
    });
  }

  /**
   * Gives the lease up (nothing if another owner holds it): at once, or `shortenByMs` before it would
   * have expired, so that whoever takes it next keeps the spacing the lease stood for.
   */
  async release(name: string, shortenByMs?: number): Promise<void> {
    const mysql = this.db.kind === 'mysql';
    const [expiry, parameters] =
      shortenByMs === undefined
        ? [mysql ? 'NOW(3)' : "strftime('%Y-%m-%d %H:%M:%f', 'now')", []]
        : mysql
          ? ['expires_at - INTERVAL ? MICROSECOND', [Math.round(shortenByMs * 1000)]]
          : ["strftime('%Y-%m-%d %H:%M:%f', expires_at, ?)", [`-${(shortenByMs / 1000).toFixed(3)} seconds`]];
    await this.db.transaction((manager) =>
      manager.query(`UPDATE service_lease SET expires_at = ${expiry} WHERE name = ? AND owner = ?`, [...parameters, name, this.owner]),
    );
  }
}

/** A job a service runs on a timer, once per period across all its replicas. */
export interface PeriodicJob {
  /** The lease's name: the same in every replica and version of the service. */
  name: string;
  everyMs: number;
  run(): Promise<void>;
}

/**
 * Runs periodic jobs so that of all the replicas of a service, one runs each job once per period:
 * every replica ticks, and a tick runs the job only with its lease. The lease lasts one and a half
 * periods and its holder renews it on each tick, so the holder keeps the job, runs are a period
 * apart, and when it stops (or dies) another replica takes the job over within two periods. While a
 * run lasts longer than its period the lease is renewed, and the next tick of the same replica skips.
 */
export class PeriodicJobs {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<void>>();
  private readonly jobs: PeriodicJob[] = [];
  private stopped = false;

  constructor(
    private readonly leases: Leases,
    private readonly logger: Logger,
  ) {}

  start(jobs: PeriodicJob[]): void {
    for (const job of jobs) {
      this.jobs.push(job);
      const timer = setInterval(() => void this.tick(job), job.everyMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  private async tick(job: PeriodicJob): Promise<void> {
    if (this.stopped || this.running.has(job.name)) return;
    const ttlMs = ttlOf(job);
    const run = (async () => {
      try {
        if (!(await this.leases.acquire(job.name, ttlMs))) return;
      } catch (err) {
        this.logger.warn({ err, job: job.name }, 'periodic job skipped: its lease could not be read');
        return;
      }
      const renewal = setInterval(() => {
        this.leases.acquire(job.name, ttlMs).catch((err) => this.logger.warn({ err, job: job.name }, 'periodic job lease not renewed'));
      }, job.everyMs / 2);
      renewal.unref();
      try {
        await job.run();
      } catch (err) {
        this.logger.error({ err, job: job.name }, 'periodic job failed');
      } finally {
        clearInterval(renewal);
      }
    })();
    this.running.set(job.name, run);
    try {
      await run;
    } finally {
      this.running.delete(job.name);
    }
  }

  /** Stops ticking, waits for runs in progress (until `deadline`, epoch ms) and gives up the leases held. */
  async stop(deadline = Date.now() + 10_000): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref());
    await Promise.race([Promise.allSettled([...this.running.values()]), timeout]);
    // Given up one period after its last run began, so that another replica takes the job over on time
    // but not early. A job whose run is still going keeps its lease, which expires on its own.
    const idle = this.jobs.filter((job) => !this.running.has(job.name));
    await Promise.all(
      idle.map((job) =>
        this.leases.release(job.name, ttlOf(job) - job.everyMs).catch((err) => this.logger.warn({ err, job: job.name }, 'periodic job lease not released')),
      ),
    );
  }
}

/** A periodic job's lease lasts one and a half periods from each tick of its holder. */
function ttlOf(job: PeriodicJob): number {
  return Math.round(job.everyMs * 1.5);
}
