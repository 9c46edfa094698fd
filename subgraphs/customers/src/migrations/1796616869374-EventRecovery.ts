import { eventRecoveryMigration } from '../../../../shared/events/event-tables.migration';

/** Outbox rows handed to the in-process bus, handled-event records pruned by age, dead letters (see eventRecoveryMigration). */
export const EventRecovery1796616869374 = eventRecoveryMigration('EventRecovery1796616869374');
