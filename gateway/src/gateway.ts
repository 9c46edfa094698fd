import fs from 'node:fs';
import path from 'node:path';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import { ANONYMOUS, PRINCIPAL_HEADER, signPrincipal } from '../../shared/auth/principal';
import type { Config, SubgraphName } from '../../shared/config';
import { startGraphQLService, type RequestContext, type RunningService } from '../../shared/http/service';
import type { Logger } from '../../shared/logger';
import type { Platform } from '../../shared/platform';
import { REQUEST_ID_HEADER } from '../../shared/request-scope';
import { Authenticator, customersSubjectResolver } from './auth/authenticate';
import { documentLimits } from './limits';
import { PartnerKeys } from './partners/partner-keys';
import { persistedQueryCache, Safelist } from './persisted-queries';
import { RateLimiter } from './rate-limit';
import { openGatewayDatabase } from './storage';

export const SUPERGRAPH_PATH = path.join(__dirname, '..', 'supergraph.graphql');

export interface GatewayOptions {
  config: Config;
  logger: Logger;
  /** Subgraph URLs that override those in the supergraph (config, or the embedded default's ports). */
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  /** Redis (rate limits, persisted queries, the subject cache) or the embedded stand-ins. */
  platform: Platform;
}

/**
 * Passes the request id (one id through every subgraph's logs) and the principal, signed with the
 * internal key, which is how a subgraph knows the request came through the gateway.
 */
class SubgraphDataSource extends RemoteGraphQLDataSource<RequestContext> {
  constructor(options: ConstructorParameters<typeof RemoteGraphQLDataSource>[0], private readonly signingKey: string) {
    super(options);
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RequestContext>) {
    if (context.requestId) request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
    if (context.principal) request.http?.headers.set(PRINCIPAL_HEADER, signPrincipal(context.principal, this.signingKey));
  }
}

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
          // Node's fetch (undici) keeps connections alive between requests.
          fetcher: fetch as unknown as NonNullable<RemoteGraphQLDataSource['fetcher']>,
        },
        config.internalSigningKey,
      ),
  });
  const subgraphHealth = Object.values(urls).map((url) => url.replace(/\/graphql$/, '/healthz'));
  const limits = documentLimits(config);
  const safelist = config.safelistManifest ? Safelist.load(config.safelistManifest) : undefined;
  const cache = platform.cache('gateway');
  const rateLimiter = new RateLimiter(config.rateLimits, platform.redis, config.redisKeyPrefix);
  const db = await openGatewayDatabase(config, logger);
  try {
    const authenticator = new Authenticator(
      config.jwt,
      new PartnerKeys(db),
      customersSubjectResolver(urls.customers!, config.internalSigningKey),
      cache,
    );
    return await startGraphQLService<RequestContext>({
      name: 'gateway',
      plugins: [...(limits.plugins as ApolloServerPlugin<RequestContext>[]), ...(safelist ? [safelist.plugin()] : [])],
      validationRules: limits.validationRules,
      persistedQueries: { cache: persistedQueryCache(cache, safelist) },
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
      createContext: (base) => base,
      readiness: [
        {
          name: 'subgraphs',
          check: async () =>
            (await Promise.all(subgraphHealth.map((u) => fetch(u).then((r) => r.ok, () => false)))).every(Boolean),
        },
        { name: 'database', check: () => db.ping() },
        { name: 'redis', check: () => platform.redisReady() },
      ],
      onStop: () => db.close(),
    });
  } catch (err) {
    await db.close(); // a gateway that did not start must not hold its database open
    throw err;
  }
}
