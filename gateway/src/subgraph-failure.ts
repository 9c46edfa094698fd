import { AsyncLocalStorage } from 'node:async_hooks';
import { STATUS_CODES } from 'node:http';
import type { Readable } from 'node:stream';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import {
  Kind,
  parse,
  type DefinitionNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { Agent, request, type Dispatcher } from 'undici';
import { callFailureOf, isTurnedAway, TurnedAway, type CallFailure } from '../../shared/http/call-policy';
import { AppError, ErrorCode, isKnownErrorCode, RETRY_AFTER_SECONDS } from '../../shared/errors';

/**
 * Errors of one failed entity fetch, one per field of each entity it would have filled, up to this
 * many; the rest are counted in the last one (`extensions.omittedErrors`). A plan that fans out to
 * thousands of entities must not answer with megabytes of identical errors.
 */
export const MAX_ERRORS_PER_FETCH = 100;

/** The timeout of the fetch being sent (a query's or a mutation's), set by the data source around it. */
const fetchTimeout = new AsyncLocalStorage<number>();

/** Runs `send` with `timeoutMs` as the timeout of each fetch subgraphFetcher makes within it. */
export function withFetchTimeout<T>(timeoutMs: number, send: () => Promise<T>): Promise<T> {
  return fetchTimeout.run(timeoutMs, send);
}

/** Keep-alive connections to the subgraphs, shared by every data source of the process. */
const subgraphConnections = new Agent({ keepAliveTimeout: 4000 });

/** What RemoteGraphQLDataSource and SubgraphDataSource read of an answer; the body is a Node stream. */
export interface SubgraphResponse {
  ok: boolean;
  status: number;
  statusText: string;
  url: string;
  headers: { get(name: string): string | null };
  body: Readable;
}

/**
 * POSTs through undici's `request` (cheaper per call than fetch and its web streams) on keep-alive
 * connections, with the timeout of the attempt (withFetchTimeout's, else `defaultTimeoutMs`) for the
 * answer to start and again between its chunks; a 502, 503 or 504 is thrown as TurnedAway, so that a
 * query is sent again and a final failure is UNAVAILABLE, not an HTTP error.
 */
export function subgraphFetcher(defaultTimeoutMs: number) {
  return async (url: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<SubgraphResponse> => {
    const timeoutMs = fetchTimeout.getStore() ?? defaultTimeoutMs;
    const answer = await request(url, {
      method: (init.method ?? 'POST') as Dispatcher.HttpMethod,
      headers: init.headers,
      body: init.body,
      dispatcher: subgraphConnections,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    if (isTurnedAway(answer.statusCode)) {
      // Read to its end and dropped: undici's destroy() would emit an error nobody listens to.
      await answer.body.dump();
      throw new TurnedAway(answer.statusCode);
    }
    return {
      ok: answer.statusCode >= 200 && answer.statusCode < 300,
      status: answer.statusCode,
      statusText: STATUS_CODES[answer.statusCode] ?? '',
      url,
      headers: { get: (name) => headerValue(answer.headers[name.toLowerCase()]) },
      body: answer.body,
    };
  };
}

function headerValue(value: string | string[] | undefined): string | null {
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The answer the gateway takes in place of a subgraph's when the fetch failed: no data, and an error
 * at each path the fetch would have filled, so that the gateway's plan nulls those fields (up to the
 * nearest nullable one: GRAPH.md makes every field another service resolves nullable) and the rest of
 * the answer stands. The error is UNAVAILABLE for a subgraph that could not be reached, did not answer
 * in time or was turned away; an AppError's own code (RESPONSE_TOO_LARGE) otherwise; and an internal
 * error (masked in production) for an answer that makes no sense. The gateway adds the subgraph's name
 * as `extensions.serviceName`; `extensions.service` says it too, as the services' own errors do.
 */
export function failedFetchResponse(subgraph: string, options: GraphQLDataSourceProcessOptions, err: unknown): GatewayGraphQLResponse {
  const error = errorFor(subgraph, err);
  const document = documentOf(options);
  const representations = options.request.variables?.representations;
  if (Array.isArray(representations)) {
    // An entity fetch: `_entities.<i>.<field>` is how the gateway maps an error onto a field of the
    // i-th entity. A request stopped on purpose (RESPONSE_TOO_LARGE) says so once: its answer must stay small.
    const limit = error.extensions?.code === ErrorCode.UNAVAILABLE ? MAX_ERRORS_PER_FETCH : 1;
    const entities = entitySelections(document);
    const errors: GraphQLFormattedError[] = [];
    let omitted = 0;
    representations.forEach((representation: { __typename?: unknown }, i) => {
      const fields = entities(String(representation?.__typename));
      for (const path of fields.length ? fields.map((field) => ['_entities', i, field]) : [['_entities', i]]) {
        if (errors.length < limit) errors.push({ ...error, path });
        else omitted++;
      }
    });
    if (omitted > 0) errors[errors.length - 1] = { ...errors[errors.length - 1], extensions: { ...error.extensions, omittedErrors: omitted } };
    return { errors };
  }
  // A root fetch: one error per field it asked for.
  const fields = document ? fieldsOf(document.definitions.find(isOperation)?.selectionSet, undefined, document) : [];
  return { errors: fields.length ? fields.map((field) => ({ ...error, path: [field] })) : [error] };
}

function errorFor(subgraph: string, err: unknown): GraphQLFormattedError {
  if (err instanceof AppError && isKnownErrorCode(err.extensions.code)) {
    return { message: err.message, extensions: { ...err.extensions, service: subgraph } };
  }
  const failure = callFailureOf(err);
  if (failure || /json/i.test(err instanceof Error ? err.message : '')) {
    return { message: `the ${subgraph} service ${describe(failure)}; try again`, extensions: { code: ErrorCode.UNAVAILABLE, service: subgraph, retryAfter: RETRY_AFTER_SECONDS } };
  }
  const status = (err as { extensions?: { response?: { status?: unknown } } }).extensions?.response?.status;
  if (typeof status === 'number' && status >= 500) {
    return { message: `the ${subgraph} service failed (HTTP ${status}); try again`, extensions: { code: ErrorCode.UNAVAILABLE, service: subgraph, retryAfter: RETRY_AFTER_SECONDS } };
  }
  // A subgraph that refused the gateway's own request (a 4xx): a fault of the deployment, not of the caller.
  return { message: `the ${subgraph} service refused the request`, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, service: subgraph } };
}

function describe(failure: CallFailure | undefined): string {
  switch (failure) {
    case 'refused':
      return 'cannot be reached';
    case 'timeout':
      return 'did not answer in time';
    case 'turned-away':
      return 'is not taking requests';
    default:
      return 'did not answer';
  }
}

function documentOf(options: GraphQLDataSourceProcessOptions): DocumentNode | undefined {
  if ('document' in options && options.document) return options.document;
  try {
    return options.request.query ? parse(options.request.query) : undefined;
  } catch {
    return undefined;
  }
}

function isOperation(definition: DefinitionNode): definition is OperationDefinitionNode {
  return definition.kind === Kind.OPERATION_DEFINITION;
}

/** For an entity fetch's document: the fields it asks of an entity of the given type. */
function entitySelections(document: DocumentNode | undefined): (typename: string) => string[] {
  const operation = document?.definitions.find(isOperation);
  const entities = operation?.selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === '_entities');
  const byType = new Map<string, string[]>();
  return (typename) => {
    if (!byType.has(typename)) byType.set(typename, document && entities ? fieldsOf(entities.selectionSet, typename, document) : []);
    return byType.get(typename)!;
  };
}

/**
 * The response names (an alias, else the name) of the fields of a selection set, but `__typename`,
 * through inline fragments and named fragments on `typename` (all of them when it is undefined).
 */
function fieldsOf(selectionSet: SelectionSetNode | undefined, typename: string | undefined, document: DocumentNode): string[] {
  const names = new Set<string>();
  const visit = (set: SelectionSetNode | undefined, depth: number) => {
    if (!set || depth > 10) return;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== '__typename') names.add(selection.alias?.value ?? selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!selection.typeCondition || typename === undefined || selection.typeCondition.name.value === typename) visit(selection.selectionSet, depth + 1);
      } else {
        const fragment = document.definitions.find((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
        if (fragment && (typename === undefined || fragment.typeCondition.name.value === typename)) visit(fragment.selectionSet, depth + 1);
      }
    }
  };
  visit(selectionSet, 0);
  return [...names];
}
