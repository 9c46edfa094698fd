import fs from 'node:fs';
import { SERVICE_NAMES } from '../../shared/config';
import { SUPERGRAPH_PATH, subgraphUrlsOf } from './gateway';

describe('subgraphUrlsOf', () => {
  it('reads the URL of every subgraph from the committed supergraph', () => {
    const urls = subgraphUrlsOf(fs.readFileSync(SUPERGRAPH_PATH, 'utf8'));
    expect(Object.keys(urls).sort()).toEqual([...SERVICE_NAMES].sort());
    expect(urls.orders).toBe('http://localhost:4002/graphql');
  });
});
