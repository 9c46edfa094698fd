import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { parse } from 'graphql';
import { AppError, ErrorCode } from '../../shared/errors';
import { TurnedAway } from '../../shared/http/call-policy';
import { failedFetchResponse, MAX_ERRORS_PER_FETCH, subgraphFetcher } from './subgraph-failure';

const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });

function fetchOf(query: string, variables: Record<string, unknown> = {}): GraphQLDataSourceProcessOptions {
  return { kind: 'incoming operation', request: { query, variables }, document: parse(query) } as unknown as GraphQLDataSourceProcessOptions;
}

describe('failedFetchResponse', () => {
  it('answers a failed root fetch with an UNAVAILABLE error naming the service at each root field', () => {
    const response = failedFetchResponse('customers', fetchOf('query Q($id: ID!) { customer(id: $id) { id } me: me { id } __typename }'), refused);
    expect(response).toEqual({
      errors: [
        { message: 'the customers service cannot be reached; try again', path: ['customer'], extensions: { code: 'UNAVAILABLE', service: 'customers', retryAfter: 1 } },
        { message: 'the customers service cannot be reached; try again', path: ['me'], extensions: { code: 'UNAVAILABLE', service: 'customers', retryAfter: 1 } },
      ],
    });
  });

  it('answers a failed entity fetch with an error at each field of each entity, by its type (inline and named fragments)', () => {
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on ProductVariant { sku size }
      ...P
    } }
    fragment P on Product { name }`;
    const representations = [
      { __typename: 'ProductVariant', id: 'v1' },
      { __typename: 'Product', id: 'p1' },
    ];
    const { errors } = failedFetchResponse('inventory', fetchOf(query, { representations }), refused);
    expect(errors?.map((e) => e.path)).toEqual([
      ['_entities', 0, 'sku'],
      ['_entities', 0, 'size'],
      ['_entities', 1, 'name'],
    ]);
  });

  it(`keeps at most ${MAX_ERRORS_PER_FETCH} errors a fetch, counting the rest in the last`, () => {
    const query = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { name code } } }';
    const representations = Array.from({ length: 80 }, (_, i) => ({ __typename: 'Product', id: `p${i}` }));
    const { errors } = failedFetchResponse('inventory', fetchOf(query, { representations }), refused);
    expect(errors).toHaveLength(MAX_ERRORS_PER_FETCH);
    expect(errors![MAX_ERRORS_PER_FETCH - 1].extensions).toEqual({ code: 'UNAVAILABLE', service: 'inventory', retryAfter: 1, omittedErrors: 160 - MAX_ERRORS_PER_FETCH });
  });

  it("keeps an AppError's own code, once", () => {
    const query = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { name } } }';
    const representations = [{ __typename: 'Product', id: 'p1' }, { __typename: 'Product', id: 'p2' }];
    const tooLarge = new AppError(ErrorCode.RESPONSE_TOO_LARGE, 'the answer is too large');
    const { errors } = failedFetchResponse('inventory', fetchOf(query, { representations }), tooLarge);
    expect(errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['RESPONSE_TOO_LARGE', ['_entities', 0, 'name']]]);
  });

  it('calls a timeout and a 503 UNAVAILABLE, and a refusal of the request itself an internal error', () => {
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    const status = (code: number) => Object.assign(new Error(`${code}`), { extensions: { response: { status: code } } });
    const codeOf = (err: unknown) => failedFetchResponse('orders', fetchOf('{ order(id: "1") { id } }'), err).errors?.[0].extensions?.code;
    expect([timeout, status(503), status(500), status(400)].map(codeOf)).toEqual(['UNAVAILABLE', 'UNAVAILABLE', 'UNAVAILABLE', 'INTERNAL_SERVER_ERROR']);
  });
});

describe('subgraphFetcher', () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    // A balancer with no replica in rotation, as a deploy or an outage leaves one.
    server = http.createServer((_req, res) => res.writeHead(503, { 'content-type': 'application/json' }).end('{"errors":[{"message":"no replica"}]}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('throws a turned-away answer as TurnedAway, and what is left of its body harms nothing after', async () => {
    const uncaught: unknown[] = [];
    const record = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', record);
    try {
      for (let i = 0; i < 3; i++) {
        await expect(subgraphFetcher(1000)(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).rejects.toBeInstanceOf(TurnedAway);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      process.off('uncaughtException', record);
    }
    expect(uncaught).toEqual([]);
  });
});
