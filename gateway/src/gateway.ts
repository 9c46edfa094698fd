import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { ANONYMOUS, PRINCIPAL_HEADER, signPrincipal } from '../../shared/auth/principal';
import type { Config, SubgraphName } from '../../shared/config';
import { startGraphQLService, type ReadinessCheck, type RequestContext, type RunningService } from '../../shared/http/service';
import type { Logger } from '../../shared/logger';
import type { Platform } from '../../shared/platform';
import { REQUEST_ID_HEADER } from '../../shared/request-scope';
import { AppError, ErrorCode } from '../../shared/errors';
import { isQueryDocument, withRetries } from '../../shared/http/call-policy';
import { Authenticator, customersSubjectResolver } from './auth/authenticate';
import { CatalogChanges, catalogCachePlugin, catalogOnly } from './catalog-cache';
import { DOCUMENT_LIMITS, documentLimits } from './limits';
import { PartnerKeys } from './partners/partner-keys';
import { persistedQueryCache, Safelist } from './persisted-queries';
import { anonymousWritesLimitPlugin, RateLimiter } from './rate-limit';
import { forgetChangedSubjects, MemorySubjectCache, RedisSubjectCache } from './auth/subject-cache';
import { costLimitPlugin } from './cost';
import { inputScalarsPlugin } from './scalars';
import { failedFetchResponse, subgraphFetcher, withFetchTimeout, type SubgraphResponse } from './subgraph-failure';
import { openGatewayDatabase } from './storage';

export const SUPERGRAPH_PATH = path.join(__dirname, '..', 'supergraph.graphql');

export interface GatewayOptions {
  config: Config;
  logger: Logger;
  /** Subgraph URLs that override those in the supergraph (config, or the embedded default's ports). */
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  /** Redis (rate limits, persisted queries, the subject cache) or the embedded stand-ins. */
  platform: Platform;
  /** Further readiness checks (`npm start`: the demo data is there). */
  readiness?: ReadinessCheck[];
}

/** A gateway request: what the services' context has, and what is left of its response budget. */
export interface GatewayContext extends RequestContext {
  /** Bytes of subgraph answers this request may still gather (the response cap). */
  responseBytesLeft: number;
}

/**
 * Passes the request id (one id through every subgraph's logs) and the principal, signed with the
 * internal key, which is how a subgraph knows the request came through the gateway. Reads each answer
 * against the request's response budget, and stops reading (RESPONSE_TOO_LARGE) when it runs out:
 * the second line of defence behind the cost limit, so that no request can fill the gateway's memory.
 */
class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    options: ConstructorParameters<typeof RemoteGraphQLDataSource>[0],
    private readonly signingKey: string,
    private readonly maxResponseBytes: number,
    private readonly subgraph: string,
    private readonly logger: Logger,
    private readonly calls: Config['serviceCalls'],
  ) {
    super(options);
  }

  /**
   * A fetch that did not reach the subgraph is sent again, and so is a query whose connection closed
   * under it (a keep-alive connection closed as the request went out, as a subgraph does while it
   * shuts down) or that was turned away (502-504), up to SERVICE_CALL_RETRIES times; a mutation that
   * reached the subgraph never is: it may have run. An attempt of a query has SERVICE_CALL_TIMEOUT_MS,
   * of a mutation SERVICE_WRITE_TIMEOUT_MS (subgraphFetcher). A fetch that still fails is answered as
   * UNAVAILABLE naming the subgraph, at the path of every field it would have filled
   * (failedFetchResponse): the rest of the answer stands.
   */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const query = isQueryDocument(options.request.query);
    try {
      return await withRetries(() => withFetchTimeout(query ? this.calls.timeoutMs : this.calls.writeTimeoutMs, () => super.process(options)), {
        retries: this.calls.retries,
        idempotent: query,
        onRetry: (failure, attempt, err) =>
          this.logger.warn({ err, subgraph: this.subgraph, failure, attempt, requestId: options.context.requestId }, 'subgraph fetch failed; sent again'),
      });
    } catch (err) {
      this.logger.warn({ err, subgraph: this.subgraph, requestId: options.context.requestId }, 'subgraph fetch failed; its fields are null');
      return failedFetchResponse(this.subgraph, options, err);
    }
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    if (context.requestId) request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
    if (context.principal) request.http?.headers.set(PRINCIPAL_HEADER, signPrincipal(context.principal, this.signingKey));
  }

  /** A subgraph's refusal of the input (HTTP 400, BAD_USER_INPUT) stays the client's error, not a server one. */
  override async errorFromResponse(response: Response) {
    const error = await super.errorFromResponse(response);
    const refusal = ((error.extensions.response as { body?: { errors?: Array<{ message: string; extensions?: { code?: string } }> } })?.body?.errors ?? [])[0];
    if (response.status === 400 && refusal?.extensions?.code === ErrorCode.BAD_USER_INPUT) return new AppError(ErrorCode.BAD_USER_INPUT, refusal.message);
    return error;
  }

  override async parseBody(response: Parameters<RemoteGraphQLDataSource['parseBody']>[0], _request?: unknown, context?: GatewayContext): Promise<object | string> {
    const budget = context ?? { responseBytesLeft: this.maxResponseBytes };
    const chunks: Buffer[] = [];
    // subgraphFetcher's answer: the body is a Node stream.
    const { body } = response as unknown as SubgraphResponse;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      budget.responseBytesLeft -= chunk.byteLength;
      // Leaving the loop by the throw destroys the stream (its iterator's return), without an unheard error.
      if (budget.responseBytesLeft < 0) {
        throw new AppError(ErrorCode.RESPONSE_TOO_LARGE, `the answer is larger than ${this.maxResponseBytes} bytes; ask for fewer items`);
      }
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    return /json/.test(response.headers.get('content-type') ?? '') ? (JSON.parse(text) as object) : text;
  }
}

/** How long the gateway's readiness waits for a subgraph's /healthz. */
const SUBGRAPH_HEALTH_TIMEOUT_MS = 700;

/** The subgraph URLs written into the supergraph at composition (defaults for a local run). */
export function subgraphUrlsOf(supergraphSdl: string): Partial<Record<SubgraphName, string>> {
  const urls: Partial<Record<SubgraphName, string>> = {};
  for (const match of supergraphSdl.matchAll(/@join__graph\(name: "(\w+)", url: "([^"]+)"\)/g)) {
    urls[match[1] as SubgraphName] = match[2];
  }
  return urls;
}

/**
 * @apollo/gateway otherwise reports usage metrics to Apollo and probes cloud metadata addresses
 * (169.254.169.254) to describe its host. This graph sends nothing outside its own deployment; the
 * library reads only this variable, so it is set here rather than left to every deployment.
 */
function disableApolloTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
}

/**
 * The one endpoint clients use: `@apollo/gateway` over the static supergraph (never introspecting
 * subgraphs at run time), with keep-alive connections to the subgraphs. It authenticates every
 * request, rate-limits it, and passes the principal on, signed.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningService> {
  const { config, logger, platform } = options;
  disableApolloTelemetry();
  const supergraphSdl = fs.readFileSync(SUPERGRAPH_PATH, 'utf8');
  const urls = { ...subgraphUrlsOf(supergraphSdl), ...options.subgraphUrls, ...config.subgraphUrls };
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger,
    buildService: ({ name, url }) =>
      new SubgraphDataSource(
        {
          url: urls[name as SubgraphName] ?? url!,
          fetcher: subgraphFetcher(config.serviceCalls.timeoutMs) as unknown as NonNullable<RemoteGraphQLDataSource['fetcher']>,
        },
        config.internalSigningKey,
        config.gatewayLimits.maxResponseBytes,
        name,
        logger,
        config.serviceCalls,
      ),
  });
  const limits = documentLimits(config);
  const safelist = config.safelistManifest ? Safelist.load(config.safelistManifest) : undefined;
  const rateLimiter = new RateLimiter(config.rateLimits, platform.cache('gateway'));
  const subjects = platform.requestRedis ? new RedisSubjectCache(platform.requestRedis, `${config.redisKeyPrefix}gateway:`) : new MemorySubjectCache();
  const db = await openGatewayDatabase(config, logger);
  // Redis: one group, as the replicas share the cache. Embedded: each gateway has a memory of its own.
  const forgetting = forgetChangedSubjects(platform.bus, platform.embedded ? `gateway-${randomUUID()}` : 'gateway', subjects, logger);
  const catalogChanges = new CatalogChanges(
    platform.bus,
    platform.embedded ? `gateway-catalog-${randomUUID()}` : 'gateway-catalog',
    platform.requestRedis,
    `${config.redisKeyPrefix}gateway:catalog-change`,
    logger,
  );
  try {
    const authenticator = new Authenticator(
      config.jwt,
      new PartnerKeys(db),
      customersSubjectResolver(urls.customers!, config.internalSigningKey, config.serviceCalls.retries),
      subjects,
    );
    const { maxCost, maxDocumentBytes, maxPersistedQueryBytes, maxResponseBytes } = config.gatewayLimits;
    return await startGraphQLService<GatewayContext>({
      name: 'gateway',
      plugins: [
        ...(safelist ? [safelist.plugin()] : []),
        inputScalarsPlugin(),
        costLimitPlugin(maxCost),
        anonymousWritesLimitPlugin(rateLimiter),
        ...limits.plugins,
        ...(config.catalogCacheSeconds ? [catalogCachePlugin({ ttlSeconds: config.catalogCacheSeconds, changes: catalogChanges, catalogOnly: catalogOnly(supergraphSdl) })] : []),
      ],
      validationRules: limits.validationRules,
      maxDocumentBytes,
      maxTokens: DOCUMENT_LIMITS.maxTokens,
      persistedQueries: { cache: persistedQueryCache({ maxStoreBytes: maxPersistedQueryBytes }, platform, safelist) },
      config,
      logger,
      port: config.ports.gateway,
      gateway,
      authenticate: async ({ headers, clientAddress }) => {
        const principal = await authenticator.authenticate(headers).catch(async (refused: unknown) => {
          // Refused credentials count against the caller's address: keys and tokens cannot be guessed at full speed.
          await rateLimiter.check(ANONYMOUS, clientAddress);
          throw refused;
        });
        await rateLimiter.check(principal, clientAddress);
        return principal;
      },
      createContext: (base) => ({ ...base, responseBytesLeft: maxResponseBytes }),
      readiness: [
        // One check a subgraph, each optional: a subgraph down costs clients its own fields only (README:
        // One service down), so the gateway stays ready, degraded, and says which one.
        ...Object.entries(urls).map(([name, url]) => ({
          name: `subgraph:${name}`,
          check: () => fetch(url.replace(/\/graphql$/, '/healthz'), { signal: AbortSignal.timeout(SUBGRAPH_HEALTH_TIMEOUT_MS) }).then((r) => r.ok, () => false),
          optional: true,
        })),
        { name: 'database', check: () => db.ping() },
        // Served without Redis (rate limits per process, persisted queries in memory): degraded, still ready.
        { name: 'redis', check: () => platform.redisReady(), optional: true },
        ...(options.readiness ?? []),
      ],
      onStop: async () => {
        await catalogChanges.stop();
        await forgetting.stop();
        await db.close();
      },
    });
  } catch (err) {
    // A gateway that did not start must not hold its database open, nor read events.
    await catalogChanges.stop();
    await forgetting.stop();
    await db.close();
    throw err;
  }
}
