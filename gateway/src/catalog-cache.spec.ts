import fs from 'node:fs';
import type { GraphQLRequestContextResponseForOperation } from '@apollo/server';
import { parse } from 'graphql';
import type { RequestContext } from '../../shared/http/service';
import { catalogCachePlugin, catalogOnly, type CatalogChanges } from './catalog-cache';
import { SUPERGRAPH_PATH } from './gateway';

describe('catalogOnly', () => {
  const isCatalogOnly = catalogOnly(fs.readFileSync(SUPERGRAPH_PATH, 'utf8'));
  const verdict = (query: string) => isCatalogOnly(parse(query));

  it('takes queries whose every field inventory resolves', () => {
    expect(verdict('{ products(first: 20) { edges { node { id code name price { amount } variants { id sku size color totalAvailable } } } } }')).toBe(true);
    expect(verdict('query($id: ID!) { product(id: $id) { __typename id availability { location { name } available } } }')).toBe(true);
    expect(verdict('{ locations { id name } }')).toBe(true);
  });

  it('refuses a query that reaches another subgraph anywhere in it, fragments included', () => {
    expect(verdict('query($id: ID!) { product(id: $id) { id boughtTogether(first: 3) { id } } }')).toBe(false);
    expect(verdict('query($id: ID!) { product(id: $id) { id ...Together } } fragment Together on Product { boughtTogether { name } }')).toBe(false);
    expect(verdict('{ locations { id bestsellers(first: 5) { id } } }')).toBe(false);
    expect(verdict('{ me { id } }')).toBe(false);
  });
});

describe('catalogCachePlugin', () => {
  afterEach(() => jest.useRealTimers());

  /** One request through the plugin's hooks: the answer served from the cache, or `executed` (then offered to it). */
  async function request(plugin: ReturnType<typeof catalogCachePlugin>, executed: object) {
    const context = {
      contextValue: { principal: { kind: 'ANONYMOUS' } },
      operation: { operation: 'query' },
      document: parse('{ locations { id } }'),
      queryHash: 'hash',
      request: { variables: {} },
      response: { http: { headers: new Map(), status: undefined } },
    } as unknown as GraphQLRequestContextResponseForOperation<RequestContext>;
    const listener = (await plugin.requestDidStart!(context as never))!;
    const cached = await listener.responseForOperation!(context);
    const body = cached ? cached.body : { kind: 'single' as const, singleResult: { data: executed } };
    await listener.willSendResponse!({ ...context, response: { http: context.response.http, body } } as never);
    return body.kind === 'single' ? body.singleResult.data : undefined;
  }

  it('serves an answer again until its lifetime ends, then keeps the next one', async () => {
    jest.useFakeTimers({ now: 0 });
    const plugin = catalogCachePlugin({ ttlSeconds: 2, changes: { current: '1' } as CatalogChanges, catalogOnly: () => true });
    expect(await request(plugin, { n: 1 })).toEqual({ n: 1 });
    expect(await request(plugin, { n: 2 })).toEqual({ n: 1 });
    jest.setSystemTime(2500);
    expect(await request(plugin, { n: 3 })).toEqual({ n: 3 });
    expect(await request(plugin, { n: 4 })).toEqual({ n: 3 });
  });

  it('serves nothing kept before the catalog changed', async () => {
    const changes = { current: '1' };
    const plugin = catalogCachePlugin({ ttlSeconds: 60, changes: changes as CatalogChanges, catalogOnly: () => true });
    expect(await request(plugin, { n: 1 })).toEqual({ n: 1 });
    changes.current = '2';
    expect(await request(plugin, { n: 2 })).toEqual({ n: 2 });
    expect(await request(plugin, { n: 3 })).toEqual({ n: 2 });
  });
});
