import { Initial1795423933650 } from './1795423933650-Initial';

/** This service's MySQL migrations, oldest first. Never edit one that has landed: add another. */
export const INVENTORY_MIGRATIONS = [Initial1795423933650];
