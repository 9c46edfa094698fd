import { buildFederatedSchema } from '../../../shared/graphql/federation';
import type { SubgraphDefinition } from '../../../shared/subgraph';
import { createCustomersContext, type CustomersContext } from './context';
import { Customer, CustomerIdentity } from './customer/customer.entity';
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
      referenceResolvers: {
        Customer: {
          __resolveReference: (ref: { id: string }, ctx: CustomersContext) => ctx.loaders.customerById.load(ref.id),
        },
      },
    }),
};
