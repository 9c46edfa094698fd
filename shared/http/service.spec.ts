import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { ANONYMOUS } from '../auth/principal';
import { createLogger } from '../logger';
import { RedisUnavailableError } from '../redis';
import { testConfig } from '../testkit';
import { startGraphQLService, type ReadinessCheck, type RunningService } from './service';

/** A service with one field that fails as Redis would, and the readiness checks given. */
async function serve(readiness: ReadinessCheck[], authenticate: () => Promise<typeof ANONYMOUS> = async () => ANONYMOUS): Promise<RunningService> {
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        ok: { type: GraphQLString, resolve: () => 'ok' },
        counted: {
          type: GraphQLString,
          resolve: () => {
            throw new Error('Command timed out');
          },
        },
      },
    }),
  });
  return startGraphQLService({
    name: 'customers',
    config: testConfig(),
    logger: createLogger({ logLevel: 'silent' }, 'test'),
    port: 0,
    schema,
    authenticate,
    createContext: (base) => base,
    readiness,
  });
}

const services: RunningService[] = [];
afterAll(async () => {
  for (const service of services) await service.stop();
});

async function post(service: RunningService, query: string) {
  const response = await fetch(service.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> } };
}

async function ready(service: RunningService) {
  const started = Date.now();
  const response = await fetch(service.url.replace(/\/graphql$/, '/readyz'));
  return { status: response.status, body: await response.json(), ms: Date.now() - started };
}

describe('a Redis failure that reaches a request', () => {
  it('is UNAVAILABLE with a retry hint, never an internal error', async () => {
    const service = await serve([]);
    services.push(service);
    const { status, body } = await post(service, '{ ok counted }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ ok: 'ok', counted: null });
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'UNAVAILABLE', retryAfter: 1 });
  });

  it('refuses the request with 503 and Retry-After when it happens before anything runs', async () => {
    const service = await serve([], async () => {
      throw new RedisUnavailableError();
    });
    services.push(service);
    const { status, retryAfter, body } = await post(service, '{ ok }');
    expect(status).toBe(503);
    expect(retryAfter).toBe('1');
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'UNAVAILABLE', retryAfter: 1 });
  });
});

describe('/readyz', () => {
  it('stays ready, degraded, while an optional dependency fails, and answers within its bound when one hangs', async () => {
    const degraded = await serve([
      { name: 'database', check: async () => true },
      { name: 'redis', check: async () => false, optional: true },
    ]);
    services.push(degraded);
    expect(await ready(degraded)).toMatchObject({ status: 200, body: { status: 'degraded', checks: { database: 'ok', redis: 'degraded' } } });

    const hung = await serve([
      { name: 'database', check: () => new Promise<boolean>(() => {}) },
      { name: 'redis', check: () => new Promise<boolean>(() => {}), optional: true },
    ]);
    services.push(hung);
    const answer = await ready(hung);
    expect(answer).toMatchObject({ status: 503, body: { status: 'unavailable', checks: { database: 'failing', redis: 'degraded' } } });
    expect(answer.ms).toBeLessThan(5_000);
  });
});
