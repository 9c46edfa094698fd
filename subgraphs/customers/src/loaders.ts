import DataLoader from 'dataloader';
import { byKeys, groupByKeys } from '../../../shared/loaders';
import type { CustomersDomain } from './domain';
import type { Customer, CustomerIdentity } from './customer/customer.entity';

export function createCustomersLoaders({ customers }: CustomersDomain) {
  return {
    customerById: new DataLoader<string, Customer | null>(async (ids) =>
      byKeys(ids, await customers.byIds(ids), (c) => c.id),
    ),
    identitiesByCustomerId: new DataLoader<string, CustomerIdentity[]>(async (ids) =>
      groupByKeys(ids, await customers.identitiesOf(ids), (i) => i.customerId),
    ),
  };
}

export type CustomersLoaders = ReturnType<typeof createCustomersLoaders>;
