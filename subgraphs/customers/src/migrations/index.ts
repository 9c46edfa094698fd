import { Initial1795423929591 } from './1795423929591-Initial';
import { ContactReads1795432844118 } from './1795432844118-ContactReads';
import { IdentitiesMergesBehaviour1795451612419 } from './1795451612419-IdentitiesMergesBehaviour';
import { OrderChanges1795453575479 } from './1795453575479-OrderChanges';
import { IdentityProvenanceLookups1796612925161 } from './1796612925161-IdentityProvenanceLookups';
import { IdentityValuesExact1796615168246 } from './1796615168246-IdentityValuesExact';
import { EventRecovery1796616869374 } from './1796616869374-EventRecovery';
import { TouchpointSubjects1796616954553 } from './1796616954553-TouchpointSubjects';
import { ServiceLeases1796617500000 } from './1796617500000-ServiceLeases';
import { AddressesCartStates1796666044009 } from './1796666044009-AddressesCartStates';
import { PresenceByLocation1796669434572 } from './1796669434572-PresenceByLocation';

/** This service's MySQL migrations, oldest first. Never edit one that has landed: add another. */
export const CUSTOMERS_MIGRATIONS = [Initial1795423929591, ContactReads1795432844118, IdentitiesMergesBehaviour1795451612419, OrderChanges1795453575479, IdentityProvenanceLookups1796612925161, IdentityValuesExact1796615168246, EventRecovery1796616869374, TouchpointSubjects1796616954553, ServiceLeases1796617500000, AddressesCartStates1796666044009, PresenceByLocation1796669434572];
