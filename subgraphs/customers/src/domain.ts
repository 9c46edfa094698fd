import type { SubgraphInfrastructure } from '../../../shared/subgraph';
import { ContactAuditService } from './audit/contact-audit.service';
import { CustomerService } from './customer/customer.service';

/** The customers service's domain: what the resolvers, the seed and the tests call. */
export function createCustomersDomain({ db, outbox }: SubgraphInfrastructure) {
  return { customers: new CustomerService(db, outbox), contactAudit: new ContactAuditService(db) };
}

export type CustomersDomain = ReturnType<typeof createCustomersDomain>;
