import 'reflect-metadata';
import { runSubgraphAlone } from '../../../shared/subgraph';
import { ordersSubgraph } from './definition';

runSubgraphAlone(ordersSubgraph).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
