import { isEvent } from '../../../shared/events/envelope';
import { buildFederatedSchema } from '../../../shared/graphql/federation';
import type { SubgraphDefinition } from '../../../shared/subgraph';
import { createCustomersContext, type CustomersContext } from './context';
import { CustomerAddress } from './address/address.entity';
import { AddressResolver, CustomerAddressesResolver } from './address/address.resolver';
import { ContactRead } from './audit/contact-read.entity';
import { ContactReadResolver } from './audit/contact-read.resolver';
import { CartState } from './cart/cart-state.entity';
import { Consent, ConsentChange } from './consent/consent.entity';
import { CustomerConsentsResolver } from './consent/consent.resolver';
import { Customer, CustomerIdentity } from './customer/customer.entity';
import { customerReference } from './customer/customer.reference';
import { CustomerIdentityResolver, CustomerResolver } from './customer/customer.resolver';
import { createCustomersDomain, type CustomersDomain } from './domain';
import { MergeRecord } from './merge/merge-record.entity';
import { CustomerMergesResolver, MergeResolver } from './merge/merge.resolver';
import { CUSTOMERS_MIGRATIONS } from './migrations';
import { Presence } from './presence/presence.entity';
import { CustomerPresenceResolver, PresenceResolver } from './presence/presence.resolver';
import { PrivacyResolver } from './privacy/privacy.resolver';
import { OrderFact, SegmentMembership } from './segment/segment.entity';
import { CustomerSegmentsResolver } from './segment/segment.resolver';
import { Location, Product } from './stubs/stubs';
import { TouchpointRow } from './touchpoint/touchpoint.entity';
import { CustomerTouchpointsResolver, TouchpointResolver } from './touchpoint/touchpoint.resolver';

/** Time moves customers into LAPSED and out of NEW without any event: reclassify everyone hourly. */
const SEGMENT_REFRESH_MS = 3_600_000;
/**
 * Time alone makes a cart abandoned too (CART_ABANDONED_AFTER_HOURS): the customers whose idle cart
 * came due are found with one query and reclassified every few minutes, between the hourly rounds.
 */
const IDLE_CART_REFRESH_MS = 5 * 60_000;

export const customersSubgraph: SubgraphDefinition<CustomersDomain, CustomersContext> = {
  name: 'customers',
  entities: [Customer, CustomerIdentity, CustomerAddress, ContactRead, TouchpointRow, Presence, Consent, ConsentChange, MergeRecord, SegmentMembership, OrderFact, CartState],
  migrations: CUSTOMERS_MIGRATIONS,
  createDomain: createCustomersDomain,
  createContext: createCustomersContext,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [
        CustomerResolver,
        CustomerIdentityResolver,
        AddressResolver,
        CustomerAddressesResolver,
        CustomerTouchpointsResolver,
        TouchpointResolver,
        CustomerPresenceResolver,
        PresenceResolver,
        CustomerConsentsResolver,
        CustomerSegmentsResolver,
        MergeResolver,
        CustomerMergesResolver,
        PrivacyResolver,
        ContactReadResolver,
      ],
      orphanedTypes: [Product, Location],
      referenceResolvers: customerReference,
    }),
  consumes: {
    producers: ['orders', 'carts'],
    types: ['order.placed', 'order.cancelled', 'order.returned', 'cart.changed'],
    handler: ({ segments, cartEvents }) => async (manager, events) => {
      // Placed before changed: a batch may hold an order and its cancellation.
      const placed = events.filter((e) => isEvent(e, 'order.placed'));
      if (placed.length) await segments.recordOrders(manager, placed);
      const changed = events.filter((e) => isEvent(e, 'order.cancelled') || isEvent(e, 'order.returned'));
      if (changed.length) await segments.recordOrderChanges(manager, changed);
      const carts = events.filter((e) => isEvent(e, 'cart.changed'));
      if (carts.length) await cartEvents.recordChanges(manager, carts);
    },
  },
  periodic: [
    { name: 'segments.refresh', everyMs: SEGMENT_REFRESH_MS, run: ({ segments }) => segments.refreshAll() },
    { name: 'segments.idle-carts', everyMs: IDLE_CART_REFRESH_MS, run: ({ segments }) => segments.refreshIdleCarts() },
  ],
};
