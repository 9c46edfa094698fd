import { requireSelf } from '../../../shared/auth/auth-checker';
import type { RequestContext } from '../../../shared/http/service';
import { ContactDisclosure } from './audit/contact-disclosure';
import type { CustomersDomain } from './domain';
import { createCustomersLoaders, type CustomersLoaders } from './loaders';

export interface CustomersContext extends RequestContext {
  domain: CustomersDomain;
  loaders: CustomersLoaders;
  contacts: ContactDisclosure;
  /** Refuses a customer acting for someone else (a merged-away id counts as its survivor). */
  checkSelf(customerId: string): Promise<void>;
}

export function createCustomersContext(base: RequestContext, domain: CustomersDomain): CustomersContext {
  const loaders = createCustomersLoaders(domain);
  return {
    ...base,
    domain,
    loaders,
    contacts: new ContactDisclosure(base.principal, base.requestId, domain.contactAudit),
    sharesWithPartners: (customerId) => loaders.sharesWithPartners.load(customerId),
    checkSelf: async (customerId) => {
      if (base.principal.kind === 'CUSTOMER') requireSelf(base.principal, (await domain.directory.rootOf(customerId)) ?? customerId);
    },
  };
}
