import { GraphQLError } from 'graphql';

/** The closed set of `extensions.code` values a thrown GraphQL error may carry. */
/**
 * Seconds a client is told to wait (`extensions.retryAfter`) before sending again a request answered
 * UNAVAILABLE: about one reconnection attempt of the part that did not answer.
 */
export const RETRY_AFTER_SECONDS = 1;

export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  RATE_LIMITED = 'RATE_LIMITED',
  CONFLICT = 'CONFLICT',
  UNAVAILABLE = 'UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
  // Codes Apollo Server itself assigns to malformed requests.
  GRAPHQL_PARSE_FAILED = 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED',
  BAD_REQUEST = 'BAD_REQUEST',
  PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_SUPPORTED = 'PERSISTED_QUERY_NOT_SUPPORTED',
  OPERATION_RESOLUTION_FAILURE = 'OPERATION_RESOLUTION_FAILURE',
  /** Safelist mode: the document is not one of the registered first-party operations. */
  OPERATION_NOT_REGISTERED = 'OPERATION_NOT_REGISTERED',
  /** The operation's computed cost is over the gateway's limit (`extensions.cost` has both). */
  COST_LIMIT_EXCEEDED = 'COST_LIMIT_EXCEEDED',
  /** The answer grew past the gateway's response cap; nothing more was fetched. */
  RESPONSE_TOO_LARGE = 'RESPONSE_TOO_LARGE',
  /** The GraphQL document (or a persisted query to register) is longer than the gateway accepts. */
  DOCUMENT_TOO_LARGE = 'DOCUMENT_TOO_LARGE',
  /** The HTTP body is longer than the server accepts. */
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** The HTTP request is not a GraphQL request this server understands (malformed JSON, wrong content type). */
  MALFORMED_REQUEST = 'MALFORMED_REQUEST',
}

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/** True for codes of the closed enum; anything else is an unexpected error to mask. */
export function isKnownErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && KNOWN_CODES.has(code);
}

/** A GraphQL error with a code from ErrorCode; its message is safe to show to the caller. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}
