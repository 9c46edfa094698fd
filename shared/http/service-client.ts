import { PRINCIPAL_HEADER, signPrincipal } from '../auth/principal';
import type { Config, SubgraphName } from '../config';
import { AppError, ErrorCode } from '../errors';
import type { Logger } from '../logger';
import { REQUEST_ID_HEADER, currentRequestId } from '../request-scope';

const DEFAULT_TIMEOUT_MS = 30_000;

/** Who calls which subgraph, and how long a call may take before the caller is told it is unavailable. */
export interface ServiceClientOptions {
  /** The calling service, signed as the SERVICE principal of every call. */
  caller: SubgraphName;
  /** The subgraph called. */
  target: SubgraphName;
  /** Default 30 s. */
  timeoutMs?: number;
  /**
   * The error the caller's client sees when the target cannot be reached or does not answer; by
   * default an UNAVAILABLE error naming the target.
   */
  unavailable?: (failure: 'unreachable' | 'failed') => AppError;
}

/**
 * GraphQL over HTTP from one subgraph to another, signed as a SERVICE principal, with the request id
 * passed on and a timeout. A failure is UNAVAILABLE for the caller; the detail is logged.
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
  async request<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const { caller, target, timeoutMs = DEFAULT_TIMEOUT_MS } = this.options;
    const requestId = currentRequestId();
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          // Signed per call: a signature carries its issue time.
          [PRINCIPAL_HEADER]: signPrincipal({ kind: 'SERVICE', service: caller }, this.config.internalSigningKey),
          ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      this.logger.error({ err }, `${target} unreachable`);
      throw this.unavailable('unreachable');
    }
    const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: unknown[] };
    if (!body.data || body.errors?.length) {
      // The detail is for the log: the caller learns only that the service did not answer.
      this.logger.error({ status: response.status, errors: body.errors }, `${target} call failed`);
      throw this.unavailable('failed');
    }
    return body.data;
  }

  private unavailable(failure: 'unreachable' | 'failed'): AppError {
    if (this.options.unavailable) return this.options.unavailable(failure);
    const what = failure === 'unreachable' ? 'cannot be reached' : 'did not answer';
    return new AppError(ErrorCode.UNAVAILABLE, `the ${this.options.target} service ${what}; try again`);
  }
}
