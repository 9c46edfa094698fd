import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../config';
import { REQUEST_ID_HEADER } from '../request-scope';

/**
 * Configuration for one test run: MySQL and Redis when the environment names them (CI runs both ways),
 * otherwise the embedded default; always its own database prefix, data folder, Redis key prefix and
 * ephemeral ports, so that test files running in parallel never meet.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const run = randomUUID().replace(/-/g, '').slice(0, 10);
  return loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DB_PREFIX: `t${run}_`,
    DATA_DIR: path.join(os.tmpdir(), `ucg-test-${run}`),
    REDIS_KEY_PREFIX: `test:${run}:`,
    GATEWAY_PORT: '0',
    CUSTOMERS_PORT: '0',
    ORDERS_PORT: '0',
    INVENTORY_PORT: '0',
    RECOMMENDATIONS_PORT: '0',
    CARTS_PORT: '0',
    // Nothing balances load in front of a test graph: it stops accepting at once.
    SHUTDOWN_DELAY_MS: '0',
    SHUTDOWN_GRACE_MS: '2000',
    // Tests send bursts from one address; test/access-limits.test.ts sets low limits to test them.
    RATE_LIMIT_ANONYMOUS: '1000000',
    RATE_LIMIT_CUSTOMER: '1000000',
    RATE_LIMIT_STAFF: '1000000',
    RATE_LIMIT_PARTNER: '1000000',
    ...overrides,
  });
}

/** Which backing servers the environment names: tests that only mean something there run only then. */
export function configuredServers(): { mysql: boolean; redis: boolean } {
  const config = loadConfig(process.env);
  return { mysql: !!config.mysqlUrl, redis: !!config.redisUrl };
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string } }>;
  requestId: string;
}

/** Sends one GraphQL operation over HTTP, with a request id the caller can follow through the services. */
export async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const requestId = headers[REQUEST_ID_HEADER] ?? randomUUID();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [REQUEST_ID_HEADER]: requestId, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status' | 'requestId'>;
  return { status: response.status, requestId, ...body };
}

/** Like graphql(), but fails the test on any error and returns the data. */
export async function query<T = Record<string, any>>( // eslint-disable-line @typescript-eslint/no-explicit-any
  url: string,
  document: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await graphql<T>(url, document, variables, headers);
  if (response.errors?.length || !response.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
  }
  return response.data;
}
