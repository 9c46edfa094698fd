import 'reflect-metadata';
import { runSubgraphAlone } from '../../../shared/subgraph';
import { customersSubgraph } from './definition';

runSubgraphAlone(customersSubgraph).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
