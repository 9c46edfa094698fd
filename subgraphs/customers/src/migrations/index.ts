import { Initial1795423929591 } from './1795423929591-Initial';

/** This service's MySQL migrations, oldest first. Never edit one that has landed: add another. */
export const CUSTOMERS_MIGRATIONS = [Initial1795423929591];
