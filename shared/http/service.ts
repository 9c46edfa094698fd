import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin, type BaseContext, type PersistedQueryOptions } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { Principal } from '../auth/principal';
import { DEFAULT_METRICS_PORT, type Config, type ServiceName } from '../config';
import { AppError, ErrorCode, isKnownErrorCode, RETRY_AFTER_SECONDS } from '../errors';
import type { Logger } from '../logger';
import { isRedisFailure } from '../redis';
import { currentRequestId, REQUEST_ID_HEADER, runInRequestScope } from '../request-scope';
import type { Registry } from 'prom-client';
import { createMetrics, type ServiceMetrics } from './metrics';

/** What every resolver gets: the request id and a logger bound to it. */
export interface RequestContext extends BaseContext {
  requestId: string;
  logger: Logger;
  /** Headers of the incoming HTTP request. */
  headers: http.IncomingHttpHeaders;
  /** Who the request acts for. */
  principal: Principal;
  /** The caller's address (through trusted proxies only), which anonymous callers are counted by. */
  clientAddress: string;
  /** Whether a customer lets partners see their personal data (known only to the customers service). */
  sharesWithPartners?: (customerId: string) => Promise<boolean>;
  /**
   * The customer an id stands for now, after merges, in a service whose customer references answer for
   * the id as given (the access rule of a customer's fields asks it for a customer signed in).
   */
  customerRoot?: (customerId: string) => Promise<string>;
}

export interface ReadinessCheck {
  name: string;
  /** Whether the dependency answers; asked with a time limit (READINESS_CHECK_MS), past which it failed. */
  check: () => Promise<boolean>;
  /**
   * The service serves without it (Redis): failing, it reports `degraded` and the service stays
   * ready, so that an outage of an accelerator takes no replica out of rotation.
   */
  optional?: boolean;
}

/** Time a connection accepted just before shutdown closed the listener has to begin its request. */
const REQUEST_START_MS = 50;

/** How long /readyz waits for a check: well inside a probe's timeout (Kubernetes: 1 s). */
const READINESS_CHECK_MS = 800;

export interface GraphQLServiceOptions<TContext extends RequestContext> {
  name: ServiceName;
  config: Config;
  logger: Logger;
  port: number;
  schema?: GraphQLSchema;
  gateway?: GatewayInterface;
  /** Who a request acts for; throws UNAUTHENTICATED (or RATE_LIMITED) to refuse it. */
  authenticate: (request: { headers: http.IncomingHttpHeaders; clientAddress: string }) => Principal | Promise<Principal>;
  /** Automatic persisted queries (the gateway's, in Redis); off unless given. */
  persistedQueries?: PersistedQueryOptions;
  createContext: (base: RequestContext) => TContext | Promise<TContext>;
  readiness: ReadinessCheck[];
  plugins?: ApolloServerPlugin<TContext>[];
  /** Extra validation rules (the gateway's document limits). */
  validationRules?: ValidationRule[];
  /** Longest GraphQL document accepted, in bytes (the gateway's; subgraphs take what it plans). */
  maxDocumentBytes?: number;
  /** Most tokens a document may have; the parser stops counting there (a syntax error, 400). */
  maxTokens?: number;
  /** Registers service-specific metrics on the service's registry. */
  registerMetrics?: (metrics: ServiceMetrics) => void;
  /** Releases what the service holds once requests have drained. */
  onStop?: () => Promise<void>;
}

export interface RunningService {
  name: ServiceName;
  url: string;
  port: number;
  metrics: ServiceMetrics;
  /**
   * The first step of stop(), for a process that stops several services at once: reports not-ready
   * and closes each keep-alive connection after its next response, but keeps serving; resolves
   * after the shutdown delay (SHUTDOWN_DELAY_MS).
   */
  beginShutdown(): Promise<void>;
  /** Resolves when no request is in flight, or at `deadline` (epoch ms). */
  drained(deadline: number): Promise<void>;
  /**
   * Graceful: beginShutdown(), then stops accepting connections, lets the requests in flight finish
   * (up to SHUTDOWN_GRACE_MS), and only then releases what it holds (onStop).
   */
  stop(): Promise<void>;
}

/**
 * Serves `/graphql` (a subgraph schema or the gateway), `/healthz`, `/readyz` and `/metrics`, with a
 * request id on every request and graceful shutdown.
 */
export async function startGraphQLService<TContext extends RequestContext>(
  options: GraphQLServiceOptions<TContext>,
): Promise<RunningService> {
  const { config, logger, name } = options;
  const metrics = createMetrics(name);
  options.registerMetrics?.(metrics);
  const production = config.nodeEnv === 'production';
  let accepting = true;

  const apollo = new ApolloServer<TContext>({
    ...(options.gateway ? { gateway: options.gateway } : { schema: options.schema! }),
    // Production: introspectionLimit below, rather than Apollo's all-or-nothing switch.
    introspection: true,
    parseOptions: options.maxTokens ? { maxTokens: options.maxTokens } : undefined,
    // stopOnSignals owns SIGTERM/SIGINT: Apollo's own handler would stop the server a second time and hang.
    stopOnTerminationSignals: false,
    validationRules: [...(production ? [introspectionLimit] : []), ...(options.validationRules ?? [])],
    persistedQueries: options.persistedQueries ?? false,
    // Apollo's defaults, stated: one operation per HTTP request, and no simple (CSRF-able) requests.
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: !production,
    formatError: (formatted, error) => forClients(maskUnexpected(formatted, error, production, logger), production),
    plugins: [
      // In production the endpoint is an API, not a page: a browser gets the same JSON as a client.
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
      operationPlugin<TContext>(metrics),
      // Subgraphs would otherwise attach Apollo Studio traces to every response; nothing reads them here.
      ...(options.gateway ? [] : [ApolloServerPluginInlineTraceDisabled()]),
      // No type sets cache hints; Apollo's default plugin would still wrap every field's resolver to look for them.
      ApolloServerPluginCacheControlDisabled(),
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  // The client address (rate limits, logs) comes from X-Forwarded-For only through trusted proxies.
  app.set('trust proxy', config.trustProxyHops);
  app.use((req, res, next) => {
    const incoming = req.headers[REQUEST_ID_HEADER];
    const requestId = typeof incoming === 'string' && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    // Read now: mounted routers rewrite req.url while they handle the request.
    // Labels come from a fixed set: a label per path a caller makes up would grow the registry without end.
    const route = ROUTES.has(req.path) ? req.path : 'other';
    const end = metrics.httpDuration.startTimer({ route });
    res.on('finish', () => {
      const seconds = end({ status: String(res.statusCode) });
      // Probes and scrapes would drown the log at info level.
      const level = route === '/graphql' ? 'info' : 'debug';
      logger[level]({ requestId, method: req.method, path: route, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
    });
    runInRequestScope(requestId, next);
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: name });
  });
  // Short and honest: every check bounded in time; an optional dependency failing is `degraded`, still ready (200).
  // Probes that arrive while a round of checks runs share it: /readyz is public, and each check
  // reaches databases and services. A probe after it gets a fresh answer.
  let readinessChecked: Promise<Array<readonly [string, string]>> | undefined;
  app.get('/readyz', async (_req, res) => {
    // Shutting down: out of rotation whatever the dependencies say, at once.
    if (!accepting) return void res.status(503).json({ status: 'unavailable', accepting, checks: {} });
    const round = (readinessChecked ??= Promise.all(
      options.readiness.map(async (r) => {
        const ok = await withinTime(r.check(), READINESS_CHECK_MS);
        return [r.name, ok ? 'ok' : r.optional ? 'degraded' : 'failing'] as const;
      }),
    ).finally(() => (readinessChecked = undefined)));
    const results = await round;
    const ready = results.every(([, state]) => state !== 'failing');
    const degraded = results.some(([, state]) => state === 'degraded');
    res.status(ready ? 200 : 503).json({
      status: !ready ? 'unavailable' : degraded ? 'degraded' : 'ready',
      accepting: true,
      checks: Object.fromEntries(results),
    });
  });
  // In production the public port serves no metrics: they get a port of their own (METRICS_PORT).
  let stopMetrics = async () => {};
  if (!production && config.metricsPort === undefined) app.get('/metrics', (_req, res) => void sendMetrics(metrics.registry, res));
  else stopMetrics = await serveMetrics(name, metrics.registry, config, logger);
  app.use(
    '/graphql',
    express.json({ limit: MAX_BODY }),
    (req: express.Request, res: express.Response, next: express.NextFunction) => {
      const query: unknown = req.body?.query;
      if (options.maxDocumentBytes !== undefined && typeof query === 'string' && Buffer.byteLength(query) > options.maxDocumentBytes) {
        sendClientError(res, 413, ErrorCode.DOCUMENT_TOO_LARGE, `the document is longer than ${options.maxDocumentBytes} bytes`);
        return;
      }
      next();
    },
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const clientAddress = req.ip ?? 'unknown';
        let principal: Principal;
        try {
          principal = await options.authenticate({ headers: req.headers, clientAddress });
        } catch (err) {
          if (!isRedisFailure(err)) throw err;
          // Apollo answers a failed context with a 500: this one is a 503 the client may retry.
          logger.warn({ err, requestId: res.locals.requestId }, 'request refused: Redis did not answer');
          throw redisUnavailable({ status: 503, headers: new HeaderMap([['retry-after', String(RETRY_AFTER_SECONDS)]]) });
        }
        return options.createContext({
          requestId: res.locals.requestId as string,
          logger: logger.child({ requestId: res.locals.requestId }),
          headers: req.headers,
          clientAddress,
          principal,
        });
      },
    }),
  );
  // What express itself refuses (malformed JSON, a body too large) is the client's mistake: JSON, 4xx, a code.
  app.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err);
    const { status, type } = (err ?? {}) as { status?: number; type?: string };
    if (type === 'entity.too.large') return sendClientError(res, 413, ErrorCode.PAYLOAD_TOO_LARGE, `the request body is longer than ${MAX_BODY}`);
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendClientError(res, status, ErrorCode.MALFORMED_REQUEST, type === 'entity.parse.failed' ? 'the body is not valid JSON' : 'the request could not be read');
    }
    logger.error({ err, requestId: res.locals.requestId }, 'unexpected error');
    res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] });
  });
  // Anything but the routes above: a JSON 404, not express's HTML page.
  app.use((_req, res) => sendClientError(res, 404, ErrorCode.NOT_FOUND, 'no such route: GraphQL is served at /graphql'));

  const server = http.createServer(app);
  // A request Node's parser cannot read (a bad header line, headers too large) still gets a JSON answer.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({ errors: [{ message: 'the HTTP request could not be read', extensions: { code: ErrorCode.MALFORMED_REQUEST } }] });
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  // Subgraph keep-alive outlasts the gateway's idle timeout, so the gateway never reuses a closed socket.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const inFlight = new Set<http.ServerResponse>();
  let shuttingDown = false;
  // Ahead of express, which may answer at once (/healthz).
  server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight.add(res);
    res.on('close', () => inFlight.delete(res));
    // Once shutdown began, a connection carries its current request and no other.
    if (shuttingDown) res.setHeader('connection', 'close');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host}:${port}/graphql`;
  logger.info({ url }, `${name} ready`);

  let shutdownBegun: Promise<void> | undefined;
  const beginShutdown = () =>
    (shutdownBegun ??= (async () => {
      // Not-ready first: load balancers stop sending new work while this still serves what comes.
      accepting = false;
      shuttingDown = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      logger.info({ delayMs: config.shutdownDelayMs, inFlight: inFlight.size }, `${name} shutting down: not ready, still serving`);
      if (config.shutdownDelayMs > 0) await new Promise((r) => setTimeout(r, config.shutdownDelayMs));
    })());
  const drained = async (deadline: number) => {
    while (inFlight.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  };

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await beginShutdown();
      const deadline = Date.now() + config.shutdownGraceMs;
      // New connections are refused from here. Not http's close(), which also drops connections
      // accepted a moment ago whose request is not parsed yet (a reset for their client): those
      // open are served, and each closes after its response.
      const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
      await new Promise((r) => setTimeout(r, REQUEST_START_MS));
      await drained(deadline);
      // Keep-alive connections no request came on close now. A request racing this close is reset
      // before it was read: the gateway sends a query again (a mutation it cannot know).
      server.closeIdleConnections();
      await drained(deadline);
      if (inFlight.size) logger.warn({ inFlight: inFlight.size }, `${name}: requests still in flight at the end of the grace period are cut`);
      server.closeAllConnections();
      await closed;
      // http's own close: stops its timers (nothing is listening or open any more).
      server.close(() => undefined);
      // What requests use (the database, the outbox relay, Redis) is released only after they drained.
      await apollo.stop();
      await stopMetrics();
      await options.onStop?.();
      logger.info(`${name} stopped`);
    })());

  return { name, url, port, metrics, beginShutdown, drained, stop };
}

/**
 * Introspection in production: no `__schema`, and of `__type(name:)` only whether the type exists
 * (`name`, `kind`), which GRAPH.md publishes anyway and GraphQL-over-HTTP clients probe with. The
 * schema's shape (fields, arguments, enum values) stays unlisted.
 */
const introspectionLimit: ValidationRule = (context) => ({
  Field(node) {
    const parent = context.getParentType()?.name;
    const refused = node.name.value === '__schema' || (parent === '__Type' && !['name', 'kind', '__typename'].includes(node.name.value));
    if (refused) context.reportError(new GraphQLError('GraphQL introspection is not allowed here', { nodes: [node] }));
  },
});

/** Whether `check` resolves true within `ms` (a rejection or a late answer is false). */
async function withinTime(check: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([check.catch(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Largest HTTP body /graphql reads (a batch of 1,000 store transactions fits). */
const MAX_BODY = '2mb';

/** A client error in the shape of a GraphQL response, so that every client reads it the same way. */
function sendClientError(res: express.Response, status: number, code: ErrorCode, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

async function sendMetrics(registry: Registry, res: express.Response): Promise<void> {
  res.type(registry.contentType).send(await registry.metrics());
}

/**
 * The process's metrics listener on METRICS_PORT (9464 in production): `/metrics/<service>` for each
 * service of the process, and `/metrics` too when it runs one service (a deployment's usual case).
 */
const metricsListeners = new Map<number, { registries: Map<string, Registry>; server: Promise<http.Server> }>();

async function serveMetrics(service: ServiceName, registry: Registry, config: Config, logger: Logger): Promise<() => Promise<void>> {
  const port = config.metricsPort ?? DEFAULT_METRICS_PORT;
  let listener = metricsListeners.get(port);
  if (!listener) {
    const registries = new Map<string, Registry>();
    const app = express();
    app.disable('x-powered-by');
    app.get('/metrics/:service', (req, res) => {
      const own = registries.get(req.params.service);
      if (own) void sendMetrics(own, res);
      else sendClientError(res, 404, ErrorCode.NOT_FOUND, 'no such service in this process');
    });
    app.get('/metrics', (_req, res) => {
      if (registries.size === 1) void sendMetrics([...registries.values()][0], res);
      else sendClientError(res, 404, ErrorCode.NOT_FOUND, `several services share this process: /metrics/<${[...registries.keys()].join('|')}>`);
    });
    const server = new Promise<http.Server>((resolve, reject) => {
      const s = http.createServer(app);
      s.once('error', reject);
      s.listen(port, config.host, () => {
        logger.info({ port: (s.address() as AddressInfo).port }, 'metrics listening');
        resolve(s);
      });
    });
    metricsListeners.set(port, (listener = { registries, server }));
  }
  const { registries, server } = listener;
  registries.set(service, registry);
  await server;
  // The last service of the process to stop closes the listener.
  return async () => {
    registries.delete(service);
    if (registries.size || metricsListeners.get(port) !== listener) return;
    metricsListeners.delete(port);
    const s = await server;
    await new Promise((resolve) => s.close(resolve));
  };
}

interface InputProblem {
  property?: string;
  constraints?: Record<string, string>;
  children?: InputProblem[];
}

/** Which input failed which rule, without the input itself (class-validator echoes it: a large value twice over). */
function problemsOnly(problems: InputProblem[]): InputProblem[] {
  return problems.map(({ property, constraints, children }) => ({ property, constraints, children: children?.length ? problemsOnly(children) : undefined }));
}

/**
 * What an error tells its caller. Input validation names the rule broken, not the value sent. In
 * production: no suggestions of fields, arguments or enum values (they map the schema for someone who
 * may not browse it), and no stack traces, even ones a subgraph passed on.
 */
function forClients(formatted: GraphQLFormattedError, production: boolean): GraphQLFormattedError {
  const extensions: Record<string, unknown> | undefined = formatted.extensions ? { ...formatted.extensions } : undefined;
  if (Array.isArray(extensions?.validationErrors)) extensions.validationErrors = problemsOnly(extensions.validationErrors as InputProblem[]);
  if (production && extensions) {
    delete extensions.stacktrace;
    delete extensions.exception;
  }
  // A value quoted back (an invalid variable, a literal) is cut short: the caller sent it, and a
  // megabyte sent should not buy two back.
  const quoted = formatted.message.replace(/"(?:[^"\\]|\\.){64,}"/g, (value) => `${value.slice(0, 40)}…"`);
  const message = production ? quoted.replace(/\s*Did you mean[^?]*\?/g, '') : quoted;
  return { ...formatted, message, ...(extensions ? { extensions } : {}) };
}

/** The routes metrics name; any other path is counted as `other`. */
const ROUTES = new Set(['/graphql', '/healthz', '/readyz', '/metrics']);

/** Operation names a service labels its metrics with; the ones after count as `other`. */
const MAX_OPERATION_LABELS = 200;

/**
 * Operations by name and outcome. Clients name operations, so only the first MAX_OPERATION_LABELS
 * names get a label of their own (the project's operations are far fewer; the gateway's plans name
 * subgraph operations after them).
 */
function operationPlugin<TContext extends RequestContext>(metrics: ServiceMetrics): ApolloServerPlugin<TContext> {
  const labelled = new Set<string>();
  const labelOf = (name: string | null | undefined) => {
    if (!name) return 'anonymous';
    if (name.length > 100) return 'other';
    if (labelled.has(name)) return name;
    if (labelled.size >= MAX_OPERATION_LABELS) return 'other';
    labelled.add(name);
    return name;
  };
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operationName, errors, contextValue }) {
          const outcome = errors?.length ? 'error' : 'ok';
          metrics.graphqlOperations.inc({ operation: labelOf(operationName), outcome });
          contextValue.logger?.debug({ operationName, outcome }, 'graphql operation');
        },
      };
    },
  };
}

/** Unexpected errors keep their detail in the log; in production the caller sees only a code. */
function maskUnexpected(
  formatted: GraphQLFormattedError,
  error: unknown,
  production: boolean,
  logger: Logger,
): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (isKnownErrorCode(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
  // Redis failing is an outage to wait out, not a bug: UNAVAILABLE with a retry hint.
  if (isRedisFailure(unwrapResolverError(error))) {
    logger.warn({ err: error, path: formatted.path, requestId: currentRequestId() }, 'Redis did not answer');
    const { message, extensions } = redisUnavailable();
    return { message, path: formatted.path, locations: formatted.locations, extensions };
  }
  // Apollo rejects some malformed requests (an APQ hash that does not match its query, an unknown
  // APQ version) with an HTTP 4xx but no code of their own: the client's mistake, not ours.
  if (isClientRejection(error)) return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BAD_REQUEST } };
  logger.error({ err: error, path: formatted.path, requestId: currentRequestId() }, 'unexpected error');
  return {
    message: production ? 'Internal server error' : formatted.message,
    path: formatted.path,
    locations: formatted.locations,
    extensions: { ...(production ? {} : formatted.extensions), code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

/** UNAVAILABLE for a request that needed Redis while it did not answer, with `retryAfter` (seconds). */
function redisUnavailable(http?: { status: number; headers: HeaderMap }): AppError {
  return new AppError(ErrorCode.UNAVAILABLE, `a dependency of this request did not answer; retry after ${RETRY_AFTER_SECONDS} s`, {
    retryAfter: RETRY_AFTER_SECONDS,
    ...(http ? { http } : {}),
  });
}

/** The error a resolver threw, out of Apollo's wrapping. */
function unwrapResolverError(error: unknown): unknown {
  return error instanceof GraphQLError && error.originalError ? error.originalError : error;
}

function isClientRejection(error: unknown): boolean {
  const status = error instanceof GraphQLError ? (error.extensions.http as { status?: unknown } | undefined)?.status : undefined;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** Starts a service from its own entry point and stops it gracefully on SIGTERM/SIGINT. */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  let signalled = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (signalled) return;
      signalled = true;
      logger.info({ signal }, 'shutting down');
      stop().then(
        () => process.exit(0),
        (err) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
