import path from 'node:path';

/** The subgraphs; with the gateway, the six processes of the graph. */
export const SERVICE_NAMES = ['customers', 'orders', 'inventory', 'recommendations', 'carts'] as const;
export type SubgraphName = (typeof SERVICE_NAMES)[number];
export type ServiceName = SubgraphName | 'gateway';

/** Where Prometheus scrapes a process in production (the OpenTelemetry Prometheus exporter's port). */
export const DEFAULT_METRICS_PORT = 9464;

const DEFAULT_PORTS: Record<ServiceName, number> = {
  gateway: 4000,
  customers: 4001,
  orders: 4002,
  inventory: 4003,
  recommendations: 4004,
  carts: 4005,
};

/** Typed, validated configuration. Nothing else in the project reads `process.env`. */
export interface Config {
  nodeEnv: 'development' | 'test' | 'production';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** MySQL/MariaDB server; each service uses the database `<dbPrefix><service>`. Unset: embedded SQLite. */
  mysqlUrl?: string;
  dbPrefix: string;
  /** Folder of the embedded SQLite files (one per service). */
  dataDir: string;
  /** Redis server for the cache and the event bus. Unset: in-memory cache, in-process bus. */
  redisUrl?: string;
  redisKeyPrefix: string;
  /**
   * How long a request waits for a Redis command (cache, rate limit, persisted query) before it goes
   * on without Redis.
   */
  redisCommandTimeoutMs: number;
  /**
   * Entries each service's event stream keeps (trimmed periodically; entries a consumer group has not
   * acknowledged are counted and logged when trimmed).
   */
  eventStreamMaxLen: number;
  /**
   * Days published outbox rows are kept, so that `npm run events:replay` can publish them again (a
   * Redis that came back empty); records of handled events are kept twice as long.
   */
  outboxRetentionDays: number;
  /** Deliveries of an event whose handler keeps failing before it is dead-lettered. */
  eventMaxDeliveries: number;
  /**
   * Stock held for an order being placed: how long a hold lasts without an order taking it, and how
   * often inventory releases lapsed holds (their units go back on sale).
   */
  reservations: { holdSeconds: number; sweepSeconds: number };
  host: string;
  ports: Record<ServiceName, number>;
  /** Subgraph URLs for the gateway; unset ones come from the ports above on `host`. */
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  /** The business calendar's time zone ("today", "last 30 days", reports). */
  tzBusiness: string;
  /**
   * How long a stopping service keeps serving after it reports not-ready, so that load balancers
   * take it out of rotation before it stops accepting connections.
   */
  shutdownDelayMs: number;
  /** How long shutdown then waits for in-flight requests before closing them (an upper bound). */
  shutdownGraceMs: number;
  /**
   * Calls between services (the gateway to a subgraph, one service to another): how long one attempt
   * of a query (`timeoutMs`) or of a mutation (`writeTimeoutMs`: a write cut short may still commit,
   * so it is given longer) waits for its answer, and how many more times a call is sent when it did
   * not reach the service, or, for a query or a write idempotent by its key, when its connection
   * failed under it.
   */
  serviceCalls: { timeoutMs: number; writeTimeoutMs: number; retries: number };
  /**
   * Whether a service brings its MySQL schema up to date as it starts (under the migration lock).
   * Off in production by default: there `npm run migrate` is a release step, and a service whose
   * schema is behind refuses to start.
   */
  migrateOnStart: boolean;
  /** Key that signs the principal the gateway (or a calling service) passes to subgraphs. */
  internalSigningKey: string;
  /** How the gateway verifies JWTs: the identity provider's JWKS, or (outside production) a local key. */
  jwt: {
    jwksUrl?: string;
    /** HS256 key of development tokens (`npm run token`); unset when a JWKS URL is configured. */
    developmentKey?: string;
    /** Unset only in production without JWT_ISSUER, which the gateway refuses. */
    issuer?: string;
    audience: string;
  };
  /**
   * Requests per window the gateway lets through, per client address (anonymous), customer, staff
   * member, partner key; and, per client address of anonymous callers, registrations and guest orders.
   */
  rateLimits: {
    windowSeconds: number;
    anonymous: number;
    customer: number;
    staff: number;
    partner: number;
    registrations: number;
    guestOrders: number;
  };
  /** What one operation may ask of the gateway (README.md: Limits). */
  gatewayLimits: {
    /** Highest computed cost of an operation. */
    maxCost: number;
    /** Bytes of subgraph answers one request may gather: the response cap. */
    maxResponseBytes: number;
    /** Longest document accepted, in bytes (also what an automatic persisted query may register). */
    maxDocumentBytes: number;
    /** Bytes of automatic persisted queries kept in all. */
    maxPersistedQueryBytes: number;
  };
  /** Longest time an anonymous catalog answer is shared between callers (0: not kept); events end it sooner. */
  catalogCacheSeconds: number;
  /** Port of the process's Prometheus metrics; unset outside production: /metrics on each service's own port. */
  metricsPort?: number;
  /** Proxies in front of the gateway whose X-Forwarded-For is trusted for the client address (0: none). */
  trustProxyHops: number;
  /** Apollo persisted query manifest; when set, first-party clients may send only its operations. */
  safelistManifest?: string;
  /** How long a store check-in counts as the customer being there, without a new one. */
  presenceTtlMinutes: number;
  /** How old a store sale may be when it is imported (importStoreTransactions): older ones are SALE_TOO_OLD. */
  storeSaleWindowDays: number;
  /**
   * Look-ups by e-mail address or phone number (customerByIdentity, customers by identity) a staff
   * member who sees contact details masked may make per minute: each one, alias or not, counts.
   */
  maskedLookupsPerMinute: number;
  /**
   * E-mail addresses and phone numbers (not theirs already) a signed-in customer may try per hour in
   * linkIdentity, updateCustomer and unlinkIdentity: each answers whether someone else holds it.
   */
  contactLinksPerHour: number;
  /** Carts: how long an anonymous cart lives idle, when a customer's idle cart counts as abandoned, units per line. */
  carts: { anonymousIdleDays: number; abandonedAfterHours: number; maxLineQuantity: number };
  /**
   * Checkout (README.md, "Checkout"): a delivery date is at least `deliveryLeadDays` and at most
   * `deliveryHorizonDays` calendar days after today (TZ_BUSINESS); shipping costs `shippingFee` below `freeShippingFrom`
   * (the order's goods, tax-inclusive), cash on delivery adds `cashOnDeliveryFee`; a konbini order
   * unpaid `konbiniPaymentDays` after it was placed is cancelled. Yen.
   */
  checkout: {
    deliveryLeadDays: number;
    deliveryHorizonDays: number;
    shippingFee: number;
    freeShippingFrom: number;
    cashOnDeliveryFee: number;
    konbiniPaymentDays: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!allowed.includes(value as T)) throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max} (got "${value}")`);
  }
  return n;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(name, `must be true or false (got "${value}")`);
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.map((p) => `${p}//`).join(' or ')} (got ${parsed.protocol}//)`);
  }
  return value;
}

function identifier(env: Env, name: string, fallback: string): string {
  const value = env[name] ?? fallback;
  if (!/^[A-Za-z0-9_]*$/.test(value)) throw new ConfigError(name, 'may contain only letters, digits and _');
  return value;
}

function timeZone(env: Env, name: string, fallback: string): string {
  const value = env[name] || fallback;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
  } catch {
    throw new ConfigError(name, `is not a known IANA time zone (got "${value}")`);
  }
  return value;
}

/** Reads and validates the environment; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'test', 'production'] as const, 'development');
  const ports = {} as Record<ServiceName, number>;
  for (const service of Object.keys(DEFAULT_PORTS) as ServiceName[]) {
    ports[service] = integer(env, `${service.toUpperCase()}_PORT`, DEFAULT_PORTS[service], 0, 65535);
  }
  const subgraphUrls: Partial<Record<SubgraphName, string>> = {};
  for (const service of SERVICE_NAMES) {
    const value = url(env, `${service.toUpperCase()}_URL`, ['http:', 'https:']);
    if (value) subgraphUrls[service] = value;
  }
  return {
    nodeEnv,
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    mysqlUrl: url(env, 'MYSQL_URL', ['mysql:', 'mariadb:']),
    dbPrefix: identifier(env, 'DB_PREFIX', ''),
    dataDir: path.resolve(env.DATA_DIR || '.data'),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    redisKeyPrefix: env.REDIS_KEY_PREFIX ?? 'ucg:',
    redisCommandTimeoutMs: integer(env, 'REDIS_COMMAND_TIMEOUT_MS', 500, 10, 60_000),
    eventStreamMaxLen: integer(env, 'EVENT_STREAM_MAXLEN', 1_000_000, 1000, 100_000_000),
    outboxRetentionDays: integer(env, 'OUTBOX_RETENTION_DAYS', 7, 1, 365),
    eventMaxDeliveries: integer(env, 'EVENT_MAX_DELIVERIES', 5, 1, 100),
    reservations: {
      holdSeconds: integer(env, 'RESERVATION_HOLD_SECONDS', 120, 1, 24 * 3600),
      sweepSeconds: integer(env, 'RESERVATION_SWEEP_SECONDS', 30, 1, 3600),
    },
    host: env.HOST || '127.0.0.1',
    ports,
    subgraphUrls,
    tzBusiness: timeZone(env, 'TZ_BUSINESS', 'Asia/Tokyo'),
    shutdownDelayMs: integer(env, 'SHUTDOWN_DELAY_MS', 5_000, 0, 600_000),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    serviceCalls: {
      timeoutMs: integer(env, 'SERVICE_CALL_TIMEOUT_MS', 10_000, 50, 600_000),
      writeTimeoutMs: integer(env, 'SERVICE_WRITE_TIMEOUT_MS', 60_000, 50, 600_000),
      retries: integer(env, 'SERVICE_CALL_RETRIES', 2, 0, 10),
    },
    migrateOnStart: boolean(env, 'MIGRATE_ON_START', nodeEnv !== 'production'),
    internalSigningKey: signingKey(env, nodeEnv),
    jwt: jwtConfig(env, nodeEnv),
    rateLimits: {
      windowSeconds: integer(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1, 3600),
      anonymous: integer(env, 'RATE_LIMIT_ANONYMOUS', 300, 1, 100_000_000),
      customer: integer(env, 'RATE_LIMIT_CUSTOMER', 600, 1, 100_000_000),
      staff: integer(env, 'RATE_LIMIT_STAFF', 1200, 1, 100_000_000),
      partner: integer(env, 'RATE_LIMIT_PARTNER', 1200, 1, 100_000_000),
      registrations: integer(env, 'RATE_LIMIT_REGISTRATIONS', 10, 1, 100_000_000),
      guestOrders: integer(env, 'RATE_LIMIT_GUEST_ORDERS', 10, 1, 100_000_000),
    },
    gatewayLimits: {
      maxCost: integer(env, 'COST_LIMIT', 250_000, 100, 100_000_000),
      maxResponseBytes: integer(env, 'RESPONSE_MAX_BYTES', 4 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      maxDocumentBytes: integer(env, 'DOCUMENT_MAX_BYTES', 32 * 1024, 1024, 2 * 1024 * 1024),
      maxPersistedQueryBytes: integer(env, 'APQ_STORE_MAX_BYTES', 16 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
    },
    catalogCacheSeconds: integer(env, 'CATALOG_CACHE_SECONDS', 2, 0, 60),
    metricsPort: env.METRICS_PORT ? integer(env, 'METRICS_PORT', DEFAULT_METRICS_PORT, 0, 65535) : undefined,
    trustProxyHops: integer(env, 'TRUST_PROXY_HOPS', 0, 0, 10),
    safelistManifest: env.SAFELIST_MANIFEST ? path.resolve(env.SAFELIST_MANIFEST) : undefined,
    presenceTtlMinutes: integer(env, 'PRESENCE_TTL_MINUTES', 120, 1, 24 * 60),
    storeSaleWindowDays: integer(env, 'STORE_SALE_WINDOW_DAYS', 90, 1, 3660),
    maskedLookupsPerMinute: integer(env, 'MASKED_LOOKUPS_PER_MINUTE', 10, 1, 100_000),
    contactLinksPerHour: integer(env, 'CONTACT_LINKS_PER_HOUR', 10, 1, 100_000),
    carts: {
      anonymousIdleDays: integer(env, 'CART_ANONYMOUS_IDLE_DAYS', 30, 1, 365),
      abandonedAfterHours: integer(env, 'CART_ABANDONED_AFTER_HOURS', 24, 1, 24 * 90),
      maxLineQuantity: integer(env, 'CART_LINE_MAX_QUANTITY', 10, 1, 99),
    },
    checkout: {
      deliveryLeadDays: integer(env, 'DELIVERY_LEAD_DAYS', 2, 0, 30),
      deliveryHorizonDays: integer(env, 'DELIVERY_HORIZON_DAYS', 14, 1, 90),
      shippingFee: integer(env, 'SHIPPING_FEE', 550, 0, 100_000),
      freeShippingFrom: integer(env, 'FREE_SHIPPING_FROM', 5_000, 0, 100_000_000),
      cashOnDeliveryFee: integer(env, 'CASH_ON_DELIVERY_FEE', 330, 0, 100_000),
      konbiniPaymentDays: integer(env, 'KONBINI_PAYMENT_DAYS', 3, 1, 30),
    },
  };
}

/** Outside production, without a JWKS URL, tokens are signed with this key (`npm run token`). */
const DEVELOPMENT_JWT_KEY = 'development-only-jwt-key-anyone-can-mint-tokens-with-it';

/** Only the gateway verifies tokens, so it alone requires JWT_JWKS_URL and JWT_ISSUER in production (see requireJwtVerification). */
function jwtConfig(env: Env, nodeEnv: Config['nodeEnv']): Config['jwt'] {
  const jwksUrl = url(env, 'JWT_JWKS_URL', ['https:', 'http:']);
  const production = nodeEnv === 'production';
  // Keys fetched in the clear could be swapped on the way; plain HTTP only from this machine (a sidecar).
  if (production && jwksUrl && new URL(jwksUrl).protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(new URL(jwksUrl).hostname)) {
    throw new ConfigError('JWT_JWKS_URL', 'must use https:// in production (http:// only on this machine)');
  }
  return {
    jwksUrl,
    developmentKey: jwksUrl || production ? undefined : DEVELOPMENT_JWT_KEY,
    issuer: env.JWT_ISSUER || (production ? undefined : 'unified-commerce-dev'),
    audience: env.JWT_AUDIENCE || 'unified-commerce-graph',
  };
}

/** How the gateway verifies tokens: the JWKS (and its issuer), or the development key. */
export function requireJwtVerification(jwt: Config['jwt']): { keys: { jwksUrl: string } | { developmentKey: string }; issuer: string; audience: string } {
  if (!jwt.jwksUrl && !jwt.developmentKey) throw new ConfigError('JWT_JWKS_URL', "is required in production (the identity provider's JWKS)");
  if (!jwt.issuer) throw new ConfigError('JWT_ISSUER', 'is required in production');
  return {
    keys: jwt.jwksUrl ? { jwksUrl: jwt.jwksUrl } : { developmentKey: jwt.developmentKey! },
    issuer: jwt.issuer,
    audience: jwt.audience,
  };
}

/** Outside production a fixed development key is used, so that `npm start` needs no setup. */
const DEVELOPMENT_SIGNING_KEY = 'development-only-internal-signing-key-not-secret';

/** Keys anyone can read in this repository: production refuses them whatever variable carries them. */
const PUBLISHED_KEYS = [DEVELOPMENT_SIGNING_KEY, DEVELOPMENT_JWT_KEY];

function signingKey(env: Env, nodeEnv: Config['nodeEnv']): string {
  const value = env.INTERNAL_SIGNING_KEY;
  if (!value) {
    if (nodeEnv === 'production') throw new ConfigError('INTERNAL_SIGNING_KEY', 'is required in production');
    return DEVELOPMENT_SIGNING_KEY;
  }
  if (value.length < 32) throw new ConfigError('INTERNAL_SIGNING_KEY', 'must be at least 32 characters');
  if (nodeEnv === 'production') {
    if (PUBLISHED_KEYS.some((published) => value.includes(published))) {
      throw new ConfigError('INTERNAL_SIGNING_KEY', 'is a development key published in the source; production needs a secret of its own');
    }
    // A secret read from a file with its newline, or typed by hand, is not the random key it should be.
    if (value.trim() !== value) throw new ConfigError('INTERNAL_SIGNING_KEY', 'has spaces or a line break around it');
    if (new Set(value).size < 16) throw new ConfigError('INTERNAL_SIGNING_KEY', 'is not random enough (use e.g. `openssl rand -base64 48`)');
  }
  return value;
}
