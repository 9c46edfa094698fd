import { buildFederatedSchema } from '../../../shared/graphql/federation';
import type { SubgraphDefinition } from '../../../shared/subgraph';
import { createCustomersContext, type CustomersContext } from './context';
import { Customer, CustomerIdentity } from './customer/customer.entity';
import { customerReference } from './customer/customer.reference';
import { CustomerResolver } from './customer/customer.resolver';
import { createCustomersDomain, type CustomersDomain } from './domain';
import { CUSTOMERS_MIGRATIONS } from './migrations';

export const customersSubgraph: SubgraphDefinition<CustomersDomain, CustomersContext> = {
  name: 'customers',
  entities: [Customer, CustomerIdentity],
  migrations: CUSTOMERS_MIGRATIONS,
  createDomain: createCustomersDomain,
  createContext: createCustomersContext,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [CustomerResolver],
      referenceResolvers: customerReference,
    }),
};
