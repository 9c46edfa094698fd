import DataLoader from 'dataloader';
import { byKeys, groupByKeys, LoaderFamily } from '../../../shared/loaders';
import type { CustomersDomain } from './domain';
import type { Customer, CustomerIdentity } from './customer/customer.entity';
import type { TouchpointRow, TouchpointType } from './touchpoint/touchpoint.entity';
import type { TouchpointCursor } from './touchpoint/touchpoint.service';

export interface CustomerTouchpointsArgs {
  limit: number;
  types: TouchpointType[] | null;
  after: TouchpointCursor | null;
}

export function createCustomersLoaders(domain: CustomersDomain) {
  const { customers, consents, presence, segments, merges, touchpoints, addresses } = domain;
  return {
    customerById: new DataLoader<string, Customer | null>(async (ids) => customers.byIds(ids)),
    identitiesByCustomerId: new DataLoader<string, CustomerIdentity[]>(async (ids) =>
      groupByKeys(ids, await customers.identitiesOf(ids), (i) => i.customerId),
    ),
    addressesByCustomerId: new DataLoader(async (ids: readonly string[]) => groupByKeys(ids, await addresses.of(ids), (a) => a.customerId)),
    mergedIdsByCustomerId: new DataLoader((ids: readonly string[]) => customers.mergedIdsOf(ids)),
    consentsByCustomerId: new DataLoader((ids: readonly string[]) => consents.of(ids)),
    consentHistoryByCustomerId: new DataLoader((ids: readonly string[]) => consents.recentHistoryOf(ids)),
    sharesWithPartners: new DataLoader(async (ids: readonly string[]) => {
      const sharing = await consents.sharingWithPartners(ids);
      return ids.map((id) => sharing.has(id));
    }),
    presenceByCustomerId: new DataLoader((ids: readonly string[]) => presence.of(ids)),
    segmentsByCustomerId: new DataLoader(async (ids: readonly string[]) => groupByKeys(ids, await segments.membershipsOf(ids), (m) => m.customerId)),
    mergesByCustomerId: new DataLoader(async (ids: readonly string[]) => {
      const records = await merges.recordsOf(ids);
      return ids.map((id) => records.filter((r) => r.survivorId === id || r.mergedId === id));
    }),
    touchpointsOfCustomer: new LoaderFamily<CustomerTouchpointsArgs, string, TouchpointRow[]>(async (args, ids) => {
      const pages = await touchpoints.newestOf(ids, args.limit, args.types, args.after);
      return ids.map((id) => pages.get(id) ?? []);
    }),
  };
}

export type CustomersLoaders = ReturnType<typeof createCustomersLoaders>;
