import { PRINCIPAL_HEADER, signPrincipal } from '../../../../shared/auth/principal';
import type { Config, SubgraphName } from '../../../../shared/config';
import { AppError, ErrorCode } from '../../../../shared/errors';
import type { Logger } from '../../../../shared/logger';
import { REQUEST_ID_HEADER, currentRequestId } from '../../../../shared/request-scope';

/** How long a call to another service may take before the caller is told it is unavailable. */
const TIMEOUT_MS = 30_000;

/**
 * GraphQL over HTTP to another subgraph, signed as the orders service (a SERVICE principal), with the
 * request id passed on and a timeout. A failure is UNAVAILABLE for the caller; the detail is logged.
 */
export class ServiceClient {
  private readonly principal: () => string;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly service: SubgraphName,
  ) {
    this.principal = () => signPrincipal({ kind: 'SERVICE', service: 'orders' }, config.internalSigningKey);
  }

  /** Where the service listens: its URL, else its port on this host (read per call: embedded ports are ephemeral). */
  private get url(): string {
    return this.config.subgraphUrls[this.service] ?? `http://${this.config.host}:${this.config.ports[this.service]}/graphql`;
  }

  async request<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const requestId = currentRequestId();
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [PRINCIPAL_HEADER]: this.principal(),
          ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      this.logger.error({ err }, `${this.service} unreachable`);
      throw new AppError(ErrorCode.UNAVAILABLE, `the ${this.service} service cannot be reached; try again`);
    }
    const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: unknown[] };
    if (!body.data || body.errors?.length) {
      // The detail is for the log: the caller learns only that the service did not answer.
      this.logger.error({ status: response.status, errors: body.errors }, `${this.service} call failed`);
      throw new AppError(ErrorCode.UNAVAILABLE, `the ${this.service} service did not answer; try again`);
    }
    return body.data;
  }
}
