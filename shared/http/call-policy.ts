/**
 * How a call to another service failed before it was answered, as far as the caller can tell:
 * - `refused`: no connection was made, so the request never reached the service;
 * - `closed`: the connection closed under the request, which may or may not have run;
 * - `timeout`: no answer within the time allowed;
 * - `turned-away`: a proxy or a draining service answered 502, 503 or 504.
 */
export type CallFailure = 'refused' | 'closed' | 'timeout' | 'turned-away';

/** HTTP statuses that say the service (or what stands in front of it) cannot take the request now. */
const TURNED_AWAY = new Set([502, 503, 504]);

/** Thrown for a turned-away answer, so that it is retried like a failed connection. */
export class TurnedAway extends Error {
  constructor(readonly status: number) {
    super(`answered HTTP ${status}`);
    this.name = 'TurnedAway';
  }
}

/** True for 502, 503 and 504. */
export function isTurnedAway(status: number): boolean {
  return TURNED_AWAY.has(status);
}

const REFUSED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const TIMED_OUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const CLOSED = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** What went wrong in `err` (or one of its causes), or undefined for an error that is not a failed call. */
export function callFailureOf(err: unknown): CallFailure | undefined {
  // Errors are read by shape: Node's fetch throws them from another realm than a test's (no instanceof Error).
  for (let e = asError(err), depth = 0; e && depth < 5; e = asError(e.cause), depth++) {
    if (e instanceof TurnedAway) return 'turned-away';
    if (e.name === 'TimeoutError' || (typeof e.code === 'string' && TIMED_OUT.has(e.code))) return 'timeout';
    if (typeof e.code === 'string' && REFUSED.has(e.code)) return 'refused';
    if (typeof e.code === 'string' && CLOSED.has(e.code)) return 'closed';
    if (/socket hang up|other side closed/i.test(e.message)) return 'closed';
    // Node's fetch: "fetch failed" with a cause; without a known one, the request may have gone out.
    if (e.message === 'fetch failed' && !asError(e.cause)) return 'closed';
  }
  return undefined;
}

type ErrorLike = { name?: unknown; message: string; code?: unknown; cause?: unknown };

function asError(value: unknown): ErrorLike | undefined {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string' ? (value as ErrorLike) : undefined;
}

/**
 * Whether a call that failed this way may be sent again. Never reached the service: always (even a
 * write). Closed under it or turned away: only if running it twice does no harm (a query, or a
 * mutation idempotent by its key). Timed out: never, as the time the caller allowed is spent.
 */
export function mayRetry(failure: CallFailure, idempotent: boolean): boolean {
  if (failure === 'refused') return true;
  if (failure === 'timeout') return false;
  return idempotent;
}

/** Whether a GraphQL document is a query (`query ...` or a bare `{ ... }`), which may be sent twice. */
export function isQueryDocument(document: string | undefined): boolean {
  return document !== undefined && /^\s*(query\b|\{)/.test(document);
}

export interface RetryOptions {
  /** Attempts after the first (SERVICE_CALL_RETRIES). */
  retries: number;
  /** Whether running the call twice does no harm. */
  idempotent: boolean;
  /** Told of each failure that is retried. */
  onRetry?: (failure: CallFailure, attempt: number, err: unknown) => void;
}

/**
 * Runs `call`, and again after a short, growing, jittered pause when it failed in a way `mayRetry`
 * allows, at most `retries` more times; the last failure is thrown.
 */
export async function withRetries<T>(call: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(attempt);
    } catch (err) {
      const failure = callFailureOf(err);
      if (!failure || attempt > options.retries || !mayRetry(failure, options.idempotent)) throw err;
      options.onRetry?.(failure, attempt, err);
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
    }
  }
}

/** 25 ms, then 50, 100, ..., each between half and one and a half times that. */
function backoffMs(attempt: number): number {
  return 25 * 2 ** (attempt - 1) * (0.5 + Math.random());
}
