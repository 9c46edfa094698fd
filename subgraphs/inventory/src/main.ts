import 'reflect-metadata';
import { runSubgraphAlone } from '../../../shared/subgraph';
import { inventorySubgraph } from './definition';

runSubgraphAlone(inventorySubgraph).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
