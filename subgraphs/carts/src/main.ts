import 'reflect-metadata';
import { runSubgraphAlone } from '../../../shared/subgraph';
import { cartsSubgraph } from './definition';

runSubgraphAlone(cartsSubgraph).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
