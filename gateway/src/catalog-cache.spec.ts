import fs from 'node:fs';
import { parse } from 'graphql';
import { catalogOnly } from './catalog-cache';
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
