import 'reflect-metadata';
import { runSubgraphAlone } from '../../../shared/subgraph';
import { recommendationsSubgraph } from './definition';

runSubgraphAlone(recommendationsSubgraph).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
