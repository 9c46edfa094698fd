import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, requireJwtVerification } from './config';

/** A production signing key made for this run (one written here would be a published one). */
const PRODUCTION_KEY = randomBytes(36).toString('base64url');

const PRODUCTION_JWT = { JWT_JWKS_URL: 'https://id.example.com/.well-known/jwks.json', JWT_ISSUER: 'https://id.example.com/' };

describe('loadConfig', () => {
  it('runs the embedded default when nothing is configured', () => {
    const config = loadConfig({});
    expect(config.mysqlUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.ports).toEqual({ gateway: 4000, customers: 4001, orders: 4002, inventory: 4003, recommendations: 4004, carts: 4005 });
    expect(config.tzBusiness).toBe('Asia/Tokyo');
    expect(config.dbPrefix).toBe('');
    expect([config.outboxRetentionDays, config.eventMaxDeliveries]).toEqual([7, 5]);
  });

  it('reads MySQL, Redis, prefixes and subgraph URLs', () => {
    const config = loadConfig({
      MYSQL_URL: 'mysql://root@db:3306',
      REDIS_URL: 'redis://cache:6379',
      DB_PREFIX: 'ci_',
      ORDERS_URL: 'http://orders:4002/graphql',
    });
    expect(config.mysqlUrl).toBe('mysql://root@db:3306');
    expect(config.redisUrl).toBe('redis://cache:6379');
    expect(config.dbPrefix).toBe('ci_');
    expect(config.subgraphUrls).toEqual({ orders: 'http://orders:4002/graphql' });
  });

  it.each([
    ['NODE_ENV', 'staging'],
    ['MYSQL_URL', 'postgres://db'],
    ['MYSQL_URL', 'not a url'],
    ['REDIS_URL', 'http://cache'],
    ['GATEWAY_PORT', '70000'],
    ['ORDERS_PORT', 'abc'],
    ['DB_PREFIX', 'bad-prefix;'],
    ['TZ_BUSINESS', 'Mars/Olympus'],
    ['INVENTORY_URL', 'ftp://x'],
    ['LOG_LEVEL', 'loud'],
    ['INTERNAL_SIGNING_KEY', 'short'],
    ['JWT_JWKS_URL', 'file:///keys.json'],
    ['RATE_LIMIT_CUSTOMER', '0'],
    ['TRUST_PROXY_HOPS', '-1'],
    ['OUTBOX_RETENTION_DAYS', '0'],
    ['OUTBOX_RETENTION_DAYS', '1.5'],
    ['EVENT_MAX_DELIVERIES', '0'],
  ])('names %s when it is bad (%s)', (variable, value) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toContain(variable);
  });

  it('requires INTERNAL_SIGNING_KEY in production only', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(expect.objectContaining({ variable: 'INTERNAL_SIGNING_KEY' }));
    expect(loadConfig({ NODE_ENV: 'production', INTERNAL_SIGNING_KEY: PRODUCTION_KEY }).internalSigningKey).toBe(PRODUCTION_KEY);
    expect(loadConfig({}).internalSigningKey.length).toBeGreaterThanOrEqual(32);
  });

  it('verifies JWTs with the JWKS in production, never with the development key', () => {
    const production = { NODE_ENV: 'production', INTERNAL_SIGNING_KEY: PRODUCTION_KEY };
    // Only the gateway verifies tokens: the services start without it, the gateway refuses to.
    expect(() => requireJwtVerification(loadConfig(production).jwt)).toThrow(expect.objectContaining({ variable: 'JWT_JWKS_URL' }));
    expect(() => requireJwtVerification(loadConfig({ ...production, JWT_JWKS_URL: PRODUCTION_JWT.JWT_JWKS_URL }).jwt)).toThrow(
      expect.objectContaining({ variable: 'JWT_ISSUER' }),
    );
    expect(requireJwtVerification(loadConfig({ ...production, ...PRODUCTION_JWT }).jwt)).toEqual({
      keys: { jwksUrl: PRODUCTION_JWT.JWT_JWKS_URL },
      issuer: PRODUCTION_JWT.JWT_ISSUER,
      audience: 'unified-commerce-graph',
    });
    expect(requireJwtVerification(loadConfig({}).jwt).keys).toHaveProperty('developmentKey');
    expect(requireJwtVerification(loadConfig({ JWT_JWKS_URL: PRODUCTION_JWT.JWT_JWKS_URL }).jwt).keys).toEqual({ jwksUrl: PRODUCTION_JWT.JWT_JWKS_URL });
  });

  it('bounds calls between services, and migrates at start outside production only', () => {
    expect(loadConfig({}).serviceCalls).toEqual({ timeoutMs: 10_000, writeTimeoutMs: 60_000, retries: 2 });
    expect(loadConfig({ SERVICE_CALL_TIMEOUT_MS: '2500', SERVICE_WRITE_TIMEOUT_MS: '9000', SERVICE_CALL_RETRIES: '0' }).serviceCalls).toEqual({
      timeoutMs: 2500,
      writeTimeoutMs: 9000,
      retries: 0,
    });
    expect(() => loadConfig({ SERVICE_CALL_RETRIES: '50' })).toThrow(expect.objectContaining({ variable: 'SERVICE_CALL_RETRIES' }));
    expect(loadConfig({}).migrateOnStart).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', INTERNAL_SIGNING_KEY: PRODUCTION_KEY }).migrateOnStart).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', INTERNAL_SIGNING_KEY: PRODUCTION_KEY, MIGRATE_ON_START: 'true' }).migrateOnStart).toBe(true);
    expect(() => loadConfig({ MIGRATE_ON_START: 'yes' })).toThrow(expect.objectContaining({ variable: 'MIGRATE_ON_START' }));
  });
});
