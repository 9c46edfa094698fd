import type { RequestContext } from '../../../shared/http/service';
import { ContactDisclosure } from './audit/contact-disclosure';
import type { CustomersDomain } from './domain';
import { createCustomersLoaders, type CustomersLoaders } from './loaders';

export interface CustomersContext extends RequestContext {
  domain: CustomersDomain;
  loaders: CustomersLoaders;
  contacts: ContactDisclosure;
}

export function createCustomersContext(base: RequestContext, domain: CustomersDomain): CustomersContext {
  return {
    ...base,
    domain,
    loaders: createCustomersLoaders(domain),
    contacts: new ContactDisclosure(base.principal, base.requestId, domain.contactAudit),
  };
}
