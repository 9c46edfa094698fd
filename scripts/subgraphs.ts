import { customersSubgraph } from '../subgraphs/customers/src/definition';
import { inventorySubgraph } from '../subgraphs/inventory/src/definition';
import { ordersSubgraph } from '../subgraphs/orders/src/definition';
import { recommendationsSubgraph } from '../subgraphs/recommendations/src/definition';

/** Every subgraph of the graph; scripts/ is the one place that knows them all. */
export const SUBGRAPHS = {
  customers: customersSubgraph,
  orders: ordersSubgraph,
  inventory: inventorySubgraph,
  recommendations: recommendationsSubgraph,
} as const;
