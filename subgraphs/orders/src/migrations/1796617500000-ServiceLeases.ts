import { serviceLeaseMigration } from '../../../../shared/db/lease.migration';

/** Leases that make periodic jobs run once across replicas (see serviceLeaseMigration). */
export const ServiceLeases1796617500000 = serviceLeaseMigration('ServiceLeases1796617500000');
