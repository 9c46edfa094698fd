import path from 'node:path';
import { GATEWAY_STORAGE } from '../gateway/src/storage';
import type { ServiceName, SubgraphName } from '../shared/config';
import type { DatabaseOptions } from '../shared/db/database';
import { LEASE_ENTITIES } from '../shared/db/lease';
import { EVENT_ENTITIES } from '../shared/events/outbox.entity';
import { cartsSubgraph } from '../subgraphs/carts/src/definition';
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
  carts: cartsSubgraph,
} as const;

const ROOT = path.join(__dirname, '..');

type Storage = Pick<DatabaseOptions, 'entities' | 'migrations'> & { migrationsFolder: string };

function subgraphStorage(name: SubgraphName): Storage {
  return {
    entities: [...(SUBGRAPHS[name].entities as []), ...EVENT_ENTITIES, ...LEASE_ENTITIES],
    migrations: SUBGRAPHS[name].migrations,
    migrationsFolder: path.join(ROOT, 'subgraphs', name, 'src', 'migrations'),
  };
}

/** Every service's database: its entities, its migrations and the folder they live in. */
export const DATABASES: Record<ServiceName, Storage> = {
  customers: subgraphStorage('customers'),
  orders: subgraphStorage('orders'),
  inventory: subgraphStorage('inventory'),
  recommendations: subgraphStorage('recommendations'),
  carts: subgraphStorage('carts'),
  gateway: { ...GATEWAY_STORAGE, migrationsFolder: path.join(ROOT, 'gateway', 'src', 'migrations') },
};
