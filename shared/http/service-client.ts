import { PRINCIPAL_HEADER, signPrincipal } from '../auth/principal';
import type { Config, SubgraphName } from '../config';
import { AppError, ErrorCode, RETRY_AFTER_SECONDS } from '../errors';
import type { Logger } from '../logger';
import { REQUEST_ID_HEADER, currentRequestId } from '../request-scope';
import { callFailureOf, isQueryDocument, isTurnedAway, TurnedAway, withRetries } from './call-policy';

/** Who calls which subgraph, and how long a call may take before the caller is told it is unavailable. */
export interface ServiceClientOptions {
  /** The calling service, signed as the SERVICE principal of every call. */
  caller: SubgraphName;
  /** The subgraph called. */
  target: SubgraphName;
  /** How long one attempt waits; default SERVICE_CALL_TIMEOUT_MS (a query) or SERVICE_WRITE_TIMEOUT_MS (a mutation). */
  timeoutMs?: number;
  /**
   * The error the caller's client sees when the target cannot be reached or does not answer; by
   * default an UNAVAILABLE error naming the target (`extensions.service`).
   */
  unavailable?: (failure: 'unreachable' | 'failed') => AppError;
}

export interface RequestOptions {
  /**
   * Whether the operation may run twice with no harm, so that a call whose connection failed under
   * it is sent again. Queries are; a mutation is when it is idempotent by a key it carries.
   */
  idempotent?: boolean;
}

/**
 * GraphQL over HTTP from one subgraph to another, signed as a SERVICE principal, with the request id
 * passed on, a timeout per attempt and bounded retries (shared/http/call-policy.ts). A failure is
 * UNAVAILABLE for the caller, naming the service; the detail is logged.
 */
export class ServiceClient {
  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly options: ServiceClientOptions,
  ) {}

  /** Where the target listens: its URL, else its port on this host (read per call: embedded ports are ephemeral). */
  private get url(): string {
    const { target } = this.options;
    return this.config.subgraphUrls[target] ?? `http://${this.config.host}:${this.config.ports[target]}/graphql`;
  }

  /** Runs one operation and returns its `data`; any transport failure or GraphQL error throws UNAVAILABLE. */
  async request<T>(query: string, variables: Record<string, unknown>, options: RequestOptions = {}): Promise<T> {
    const { target } = this.options;
    const requestId = currentRequestId();
    let answer: { status: number; body: { data?: T; errors?: unknown[] } };
    try {
      const timeoutMs = this.options.timeoutMs ?? (isQueryDocument(query) ? this.config.serviceCalls.timeoutMs : this.config.serviceCalls.writeTimeoutMs);
      answer = await withRetries(() => this.send<T>(query, variables, requestId, timeoutMs), {
        retries: this.config.serviceCalls.retries,
        idempotent: options.idempotent ?? isQueryDocument(query),
        onRetry: (failure, attempt, err) => this.logger.warn({ err, target, failure, attempt, requestId }, `${target} call failed; sent again`),
      });
    } catch (err) {
      this.logger.error({ err, target, failure: callFailureOf(err), requestId }, `${target} unreachable`);
      throw this.unavailable('unreachable');
    }
    const { status, body } = answer;
    if (!body.data || body.errors?.length) {
      // The detail is for the log: the caller learns only that the service did not answer.
      this.logger.error({ status, errors: body.errors, requestId }, `${target} call failed`);
      throw this.unavailable('failed');
    }
    return body.data;
  }

  /** One attempt: the answer, or a throw that call-policy classifies (refused, closed, timed out, turned away). */
  private async send<T>(
    query: string,
    variables: Record<string, unknown>,
    requestId: string | undefined,
    timeoutMs: number,
  ): Promise<{ status: number; body: { data?: T; errors?: unknown[] } }> {
    const { caller } = this.options;
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        // Signed per attempt: a signature carries its issue time.
        [PRINCIPAL_HEADER]: signPrincipal({ kind: 'SERVICE', service: caller }, this.config.internalSigningKey),
        ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
      },
      body: JSON.stringify({ query, variables }),
      // Covers the body too: an answer that stops half-way times out like one that never starts.
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (isTurnedAway(response.status)) {
      await response.body?.cancel();
      throw new TurnedAway(response.status);
    }
    const text = await response.text();
    let body: { data?: T; errors?: unknown[] } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // Not JSON: answered as a failure by request().
    }
    return { status: response.status, body };
  }

  private unavailable(failure: 'unreachable' | 'failed'): AppError {
    if (this.options.unavailable) return this.options.unavailable(failure);
    const what = failure === 'unreachable' ? 'cannot be reached' : 'did not answer';
    return new AppError(ErrorCode.UNAVAILABLE, `the ${this.options.target} service ${what}; try again`, { service: this.options.target, retryAfter: RETRY_AFTER_SECONDS });
  }
}
