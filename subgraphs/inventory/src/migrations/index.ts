import { Initial1795423933650 } from './1795423933650-Initial';
import { StockLedgerReservations1795453099017 } from './1795453099017-StockLedgerReservations';

/** This service's MySQL migrations, oldest first. Never edit one that has landed: add another. */
export const INVENTORY_MIGRATIONS = [Initial1795423933650, StockLedgerReservations1795453099017];
