import { Initial1795432846582 } from './1795432846582-Initial';

/** The gateway's MySQL migrations, oldest first. Never edit one that has landed: add another. */
export const GATEWAY_MIGRATIONS = [Initial1795432846582];
