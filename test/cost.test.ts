import 'reflect-metadata';
import fs from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { loadConfig } from '../shared/config';
import { EXAMPLE_QUERY } from '../scripts/start-all';
import { LIST_SIZES, MUTATION_COST, operationCost, unsizedListFields } from '../gateway/src/cost';
import { SUPERGRAPH_PATH } from '../gateway/src/gateway';

const schema = Supergraph.build(fs.readFileSync(SUPERGRAPH_PATH, 'utf8')).apiSchema().toGraphQLJSSchema();
const cost = (document: string, variables: Record<string, unknown> = {}) => operationCost(schema, parse(document), variables);
const { maxCost } = loadConfig({}).gatewayLimits;

describe('operation cost', () => {
  it('has a size for every list of objects in the graph', () => {
    expect(unsizedListFields(schema)).toEqual([]);
  });

  it('counts objects, not scalars, and a list at the size it can reach', () => {
    expect(cost('{ locations { id name } }')).toBe(100);
    expect(cost('{ products(first: 3) { edges { node { id } } } }')).toBe(3 * (1 + 1 + 1));
    // No `first`: the default page (20); above the maximum: the maximum (100).
    expect(cost('{ products { edges { node { id } } } }')).toBe(20 * 3);
    expect(cost('{ products(first: 5000) { edges { node { id } } } }')).toBe(100 * 3);
  });

  it('takes page sizes from variables, and availability at the locations named', () => {
    const byVariable = 'query($n: Int) { location(id: "l") { bestsellers(first: $n) { id } } }';
    expect(cost(byVariable, { n: 2 })).toBe(1 + 2);
    expect(cost(byVariable, {})).toBe(1 + 10);
    const availability = 'query($at: [ID!]) { product(id: "p") { availability(locationIds: $at) { available } } }';
    expect(cost(availability, { at: ['a', 'b'] })).toBe(1 + 2);
    expect(cost(availability)).toBe(1 + (LIST_SIZES['Product.availability'] as { bounded: number }).bounded);
  });

  it('adds the work of a mutation, and counts a batch mutation as one write per item sent', () => {
    expect(cost('mutation { registerCustomer(input: { displayName: "x" }) { customerId } }')).toBe(MUTATION_COST);
    const batch = 'mutation($input: ImportStoreTransactionsInput!) { importStoreTransactions(input: $input) { results { order { id } } } }';
    const transactions = (n: number) => ({ input: { locationId: 'l', transactions: Array.from({ length: n }, (_, i) => ({ transactionId: `t${i}`, occurredAt: '2026-01-01T00:00:00Z', lines: [] })) } });
    expect(cost(batch, transactions(1))).toBe(MUTATION_COST + 2);
    expect(cost(batch, transactions(300))).toBe(300 * (MUTATION_COST + 2));
  });

  it("keeps the project's own customer 360 query well inside the default limit", () => {
    expect(cost(EXAMPLE_QUERY, { id: 'c' })).toBeLessThan(maxCost / 2);
  });

  it('refuses variables that do not fit the operation before anything runs (BAD_USER_INPUT)', () => {
    expect(() => cost('query($n: Int!) { locations { bestsellers(first: $n) { id } } }', { n: 'many' })).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    );
  });
});
