import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config';
import type { AppError } from '../errors';
import { createLogger } from '../logger';
import { callFailureOf, mayRetry } from './call-policy';
import { ServiceClient } from './service-client';

/** How the test server treats the n-th request it gets (1-based). */
type Behaviour = (n: number, res: http.ServerResponse) => void;

const answer = (res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { ok: true } }));
const dropConnection = (res: http.ServerResponse) => res.socket?.destroy();

let server: http.Server;
let behaviour: Behaviour;
let received: number;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => behaviour(++received, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received = 0;
});

function client(overrides: Record<string, string> = {}, port = (server.address() as AddressInfo).port): ServiceClient {
  const config = loadConfig({ NODE_ENV: 'test', INVENTORY_URL: `http://127.0.0.1:${port}/graphql`, SERVICE_CALL_RETRIES: '2', ...overrides });
  return new ServiceClient(config, createLogger({ logLevel: 'silent' }, 'test'), { caller: 'orders', target: 'inventory' });
}

/** The UNAVAILABLE error a failed call throws, or undefined when it succeeded. */
async function failureOf(call: Promise<unknown>): Promise<{ code: unknown; service: unknown; retryAfter: unknown } | undefined> {
  try {
    await call;
    return undefined;
  } catch (err) {
    const { code, service, retryAfter } = (err as AppError).extensions;
    return { code, service, retryAfter };
  }
}

const UNAVAILABLE = { code: 'UNAVAILABLE', service: 'inventory', retryAfter: 1 };

describe('ServiceClient: timeouts and bounded retries', () => {
  it('sends a query again when its connection closed under it', async () => {
    behaviour = (n, res) => (n === 1 ? dropConnection(res) : answer(res));
    expect(await client().request('query { ok }', {})).toEqual({ ok: true });
    expect(received).toBe(2);
  });

  it('sends a query again when the service is turned away (503), up to SERVICE_CALL_RETRIES times', async () => {
    behaviour = (_, res) => res.writeHead(503).end();
    expect(await failureOf(client().request('query { ok }', {}))).toEqual(UNAVAILABLE);
    expect(received).toBe(3);
  });

  it('never sends a mutation twice once it reached the service, unless it is idempotent by its key', async () => {
    behaviour = (n, res) => (n === 1 ? dropConnection(res) : answer(res));
    expect(await failureOf(client().request('mutation { place }', {}))).toEqual(UNAVAILABLE);
    expect(received).toBe(1);

    received = 0;
    expect(await client().request('mutation { reserve }', {}, { idempotent: true })).toEqual({ ok: true });
    expect(received).toBe(2);
  });

  it('gives up on a service that does not answer after SERVICE_CALL_TIMEOUT_MS, without sending it again', async () => {
    behaviour = () => undefined;
    const started = Date.now();
    expect(await failureOf(client({ SERVICE_CALL_TIMEOUT_MS: '200' }).request('query { ok }', {}))).toEqual(UNAVAILABLE);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(received).toBe(1);
  });

  it('answers UNAVAILABLE naming the service when nothing listens', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    expect(await failureOf(client({}, port).request('mutation { place }', {}))).toEqual(UNAVAILABLE);
  });
});

describe('call-policy', () => {
  it('classifies failures as Node fetch reports them', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const closed = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    expect([refused, closed, timeout, new Error('boom')].map(callFailureOf)).toEqual(['refused', 'closed', 'timeout', undefined]);
  });

  it('retries a write only when it never reached the service, and nothing after a timeout', () => {
    expect([mayRetry('refused', false), mayRetry('closed', false), mayRetry('turned-away', false), mayRetry('timeout', true)]).toEqual([true, false, false, false]);
    expect([mayRetry('closed', true), mayRetry('turned-away', true)]).toEqual([true, true]);
  });
});
