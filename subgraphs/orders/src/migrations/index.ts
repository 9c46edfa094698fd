import { Initial1795423931654 } from './1795423931654-Initial';

/** This service's MySQL migrations, oldest first. Never edit one that has landed: add another. */
export const ORDERS_MIGRATIONS = [Initial1795423931654];
