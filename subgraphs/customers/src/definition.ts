import { buildFederatedSchema } from '../../../shared/graphql/federation';
import type { SubgraphDefinition } from '../../../shared/subgraph';
import { createCustomersContext, type CustomersContext } from './context';
import { ContactRead } from './audit/contact-read.entity';
import { ContactReadResolver } from './audit/contact-read.resolver';
import { Customer, CustomerIdentity } from './customer/customer.entity';
import { customerReference } from './customer/customer.reference';
import { CustomerIdentityResolver, CustomerResolver } from './customer/customer.resolver';
import { createCustomersDomain, type CustomersDomain } from './domain';
import { CUSTOMERS_MIGRATIONS } from './migrations';

export const customersSubgraph: SubgraphDefinition<CustomersDomain, CustomersContext> = {
  name: 'customers',
  entities: [Customer, CustomerIdentity, ContactRead],
  migrations: CUSTOMERS_MIGRATIONS,
  createDomain: createCustomersDomain,
  createContext: createCustomersContext,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [CustomerResolver, CustomerIdentityResolver, ContactReadResolver],
      referenceResolvers: customerReference,
    }),
};
