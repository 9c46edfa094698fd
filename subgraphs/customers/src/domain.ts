import type { SubgraphInfrastructure } from '../../../shared/subgraph';
import { AddressService } from './address/address.service';
import { ContactAuditService } from './audit/contact-audit.service';
import { ContactLookups } from './audit/contact-lookups';
import { CartEventsService } from './cart/cart-events.service';
import { ConsentService } from './consent/consent.service';
import { CustomerDirectory } from './customer/customer-directory';
import { CustomerService } from './customer/customer.service';
import { InventoryClient } from './inventory-client/inventory.client';
import { MergeService } from './merge/merge.service';
import { PresenceService } from './presence/presence.service';
import { PrivacyService } from './privacy/privacy.service';
import { SegmentService } from './segment/segment.service';
import { TouchpointService } from './touchpoint/touchpoint.service';

/** The customers service's domain: what the resolvers, the event handler, the seed and the tests call. */
export function createCustomersDomain({ db, outbox, config, cache, logger }: SubgraphInfrastructure) {
  const directory = new CustomerDirectory(db);
  const inventory = new InventoryClient(config, logger);
  const segments = new SegmentService(db, directory, config.carts.abandonedAfterHours);
  const touchpoints = new TouchpointService(db, outbox, directory, segments, inventory);
  const consents = new ConsentService(db, outbox, directory);
  const addresses = new AddressService(db, directory);
  const merges = new MergeService(db, outbox, directory, segments, consents, addresses);
  const contactAudit = new ContactAuditService(db);
  const contactLookups = new ContactLookups(cache, contactAudit, config.maskedLookupsPerMinute, config.contactLinksPerHour);
  return {
    directory,
    customers: new CustomerService(db, outbox, directory, touchpoints, segments, contactLookups),
    touchpoints,
    addresses,
    cartEvents: new CartEventsService(db, directory, touchpoints, segments, logger),
    presence: new PresenceService(db, directory, touchpoints, inventory, config.presenceTtlMinutes),
    consents,
    segments,
    merges,
    privacy: new PrivacyService(db, outbox, directory, consents, merges, segments),
    contactAudit,
    contactLookups,
  };
}

export type CustomersDomain = ReturnType<typeof createCustomersDomain>;
