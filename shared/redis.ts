import Redis from 'ioredis';
import type { Logger } from './logger';

/** Reconnects at most a second apart, so that Redis is used again within a second of coming back. */
function reconnectDelay(attempt: number): number {
  return Math.min(attempt * 100, 1000);
}

/**
 * A Redis connection for work that may wait for Redis (the event bus): commands issued while it
 * reconnects are queued and fail after a few reconnection attempts, never hang forever.
 */
export function createRedis(url: string, connectionName: string): Redis {
  const redis = new Redis(url, {
    connectionName,
    maxRetriesPerRequest: 3,
    enableAutoPipelining: true,
    lazyConnect: false,
    retryStrategy: reconnectDelay,
  });
  // Failures reach the callers of each command; without a listener ioredis prints every reconnection attempt.
  redis.on('error', () => {});
  return redis;
}

/** Connections disconnectRedis() closed: one left `reconnecting` by ioredis is not closed twice. */
const disconnected = new WeakSet<Redis>();

/**
 * Closes a connection at once, whatever its state, and rejects ("Connection is closed") the commands
 * it still held. ioredis's own disconnect() while the client waits to reconnect cancels the
 * reconnection but settles nothing: a command queued for Redis's return would wait forever
 * (redis/ioredis#2169), and whoever awaits it with it.
 */
export function disconnectRedis(redis: Redis): void {
  if (redis.status === 'end' || disconnected.has(redis)) return;
  disconnected.add(redis);
  // In any other state a socket is open or opening, and its closing settles what is queued.
  const stranding = redis.status === 'reconnecting';
  redis.disconnect();
  // flushQueue: ioredis's own (untyped) way of failing what it holds, as on any closed connection.
  const client = redis as unknown as { flushQueue?: (err: Error) => void };
  if (stranding && typeof client.flushQueue === 'function') client.flushQueue(new Error('Connection is closed.'));
}

/**
 * Closes a connection without waiting for Redis: QUIT while it is up (what was sent is answered
 * first), for at most `ms`; otherwise, or after that, disconnectRedis().
 */
export async function closeRedis(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      redis.quit().catch(() => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, ms))),
    ]);
    clearTimeout(timer);
  }
  disconnectRedis(redis);
}

/**
 * `command`, or a StoppedError as soon as `signal` is aborted: a stop never waits for Redis. The
 * command itself goes on (or is rejected when its connection closes); nobody waits for it.
 */
export function unlessAborted<T>(command: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    command.catch(() => undefined);
    return Promise.reject(new StoppedError());
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new StoppedError());
    signal.addEventListener('abort', abort, { once: true });
    command.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (err) => {
        signal.removeEventListener('abort', abort);
        reject(err);
      },
    );
  });
}

/** What unlessAborted() throws once its signal is aborted: the work was stopped, Redis did not fail. */
export class StoppedError extends Error {
  constructor() {
    super('stopped');
    this.name = 'StoppedError';
  }
}

/** Thrown without asking Redis, while the request path goes on without it. */
export class RedisUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('Redis is unavailable', { cause });
    this.name = 'RedisUnavailableError';
  }
}

/** After a command failed for want of Redis, how long requests go on without asking it. */
const PAUSE_AFTER_FAILURE_MS = 1000;

/** Redis's answers that mean "not now" rather than "wrong command". */
const UNAVAILABLE_REPLIES = /^(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY)/;

/**
 * Redis on the request path (caches, rate limits, persisted queries, the gateway's subject cache),
 * where it is an accelerator, not a dependency: a command is sent only while the connection is up
 * (nothing queues while it reconnects), fails after `commandTimeoutMs`, and a failure makes the
 * next commands skip Redis for a second (a circuit breaker), so that a hung Redis costs one short
 * wait, not one per command. Callers catch the failure and go on without Redis: a cache read is a
 * miss, a write is skipped, a counter is counted in this process.
 */
export class RequestRedis {
  private pausedUntil = 0;
  private down = false;
  private closing = false;
  private readonly recoveryListeners: Array<() => void> = [];
  /** Settles with the first connection attempt, so that a process starting up uses Redis from its first request. */
  private firstAttempt: Promise<void> | undefined;

  constructor(
    /** The connection, for what must not be guarded (tests, scripts). */
    readonly client: Redis,
    private readonly logger: Logger,
    private readonly commandTimeoutMs: number,
  ) {
    this.firstAttempt = new Promise<void>((resolve) => {
      client.once('ready', resolve);
      client.once('close', resolve);
    }).then(() => {
      this.firstAttempt = undefined;
    });
    client.on('ready', () => this.markUp());
    client.on('close', () => this.markDown());
  }

  /**
   * The fail-fast connection of the request path: no offline queue, no retry of a command whose
   * connection dropped, and a timeout on every command.
   */
  static connect(url: string, connectionName: string, commandTimeoutMs: number, logger: Logger): RequestRedis {
    const client = new Redis(url, {
      connectionName,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: commandTimeoutMs,
      connectTimeout: Math.max(commandTimeoutMs, 2000),
      enableAutoPipelining: true,
      retryStrategy: reconnectDelay,
    });
    client.on('error', () => {});
    return new RequestRedis(client, logger, commandTimeoutMs);
  }

  /** Whether a command would be sent now. */
  get available(): boolean {
    return this.client.status === 'ready' && Date.now() >= this.pausedUntil;
  }

  /** Runs `command`, or throws RedisUnavailableError at once while Redis is unavailable. */
  /** run(), or `fallback` while Redis is unavailable (the caller goes on without it); other errors are thrown. */
  async runOr<T, F>(command: (redis: Redis) => Promise<T>, fallback: F): Promise<T | F> {
    try {
      return await this.run(command);
    } catch (err) {
      if (err instanceof RedisUnavailableError) return fallback;
      throw err;
    }
  }

  async run<T>(command: (redis: Redis) => Promise<T>): Promise<T> {
    if (this.firstAttempt) await Promise.race([this.firstAttempt, new Promise((r) => setTimeout(r, this.commandTimeoutMs).unref())]);
    if (!this.available) throw new RedisUnavailableError();
    try {
      const result = await command(this.client);
      // A Redis that hung and answers again on the same connection emits no 'ready'.
      if (this.down) this.markUp();
      return result;
    } catch (err) {
      if (!isUnavailable(err)) throw err;
      this.pausedUntil = Date.now() + PAUSE_AFTER_FAILURE_MS;
      this.markDown(err);
      throw new RedisUnavailableError(err);
    }
  }

  /** Calls `listener` each time Redis answers again after an outage (e.g. to replay lost invalidations). */
  onRecovery(listener: () => void): void {
    this.recoveryListeners.push(listener);
  }

  /** A bounded check for readiness: whether Redis answers a PING now. */
  async ping(): Promise<boolean> {
    try {
      return (await this.run((redis) => redis.ping())) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await closeRedis(this.client, this.commandTimeoutMs);
  }

  private markDown(err?: unknown): void {
    if (this.down || this.closing) return;
    this.down = true;
    this.logger.warn({ err }, 'Redis unavailable: caches bypassed, rate limits counted in this process until it answers again');
  }

  private markUp(): void {
    this.pausedUntil = 0;
    if (!this.down) return;
    this.down = false;
    this.logger.info('Redis answers again: caches and shared rate limits back in use');
    for (const listener of this.recoveryListeners) listener();
  }
}

/** ioredis's own failures: no connection, a command flushed after reconnection attempts, a command timed out. */
const CONNECTION_FAILURES = /^(Connection is closed|Stream isn't writeable|Command timed out|Reached the max retries per request limit)/;

/**
 * Whether `err` (or its cause) is Redis failing to answer, rather than a bug: what reaches a client
 * as UNAVAILABLE with a retry hint, never as an internal error.
 */
export function isRedisFailure(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof RedisUnavailableError || e.name === 'MaxRetriesPerRequestError' || CONNECTION_FAILURES.test(e.message)) return true;
  }
  return false;
}


function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return true;
  // ReplyError: Redis answered. Only its "not now" answers mean it is unavailable.
  return err.name !== 'ReplyError' || UNAVAILABLE_REPLIES.test(err.message);
}
