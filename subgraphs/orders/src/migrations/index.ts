import { Initial1795423931654 } from './1795423931654-Initial';
import { CustomerLinks1795451396772 } from './1795451396772-CustomerLinks';

/** This service's MySQL migrations, oldest first. Never edit one that has landed: add another. */
export const ORDERS_MIGRATIONS = [Initial1795423931654, CustomerLinks1795451396772];
