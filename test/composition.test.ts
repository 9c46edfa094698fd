import fs from 'node:fs';
import { SUPERGRAPH_PATH } from '../gateway/src/gateway';
import { SERVICE_NAMES } from '../shared/config';
import { composeSupergraph, subgraphSchemaPath } from '../scripts/compose';

describe('composition', () => {
  it('composes without errors, and the committed SDL files are what a fresh composition prints', async () => {
    // composeSupergraph throws with composition's own errors when the subgraphs do not compose.
    const { subgraphSdl, supergraphSdl } = await composeSupergraph();
    for (const name of SERVICE_NAMES) {
      expect(fs.readFileSync(subgraphSchemaPath(name), 'utf8')).toBe(subgraphSdl[name]);
    }
    expect(fs.readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(supergraphSdl);
  });

  it('keeps every subgraph on Federation 2 with its entities keyed by id', async () => {
    const { subgraphSdl } = await composeSupergraph();
    for (const name of SERVICE_NAMES) expect(subgraphSdl[name]).toContain('https://specs.apollo.dev/federation/v2');
    expect(subgraphSdl.customers).toMatch(/type Customer\s+@key\(fields: "id"\)/);
    expect(subgraphSdl.orders).toMatch(/type Order\s+@key\(fields: "id"\)/);
    expect(subgraphSdl.inventory).toMatch(/type Product\s+@key\(fields: "id"\)/);
  });
});
