import { Initial1795423933650 } from './1795423933650-Initial';
import { StockLedgerReservations1795453099017 } from './1795453099017-StockLedgerReservations';
import { OrderStockSettlement1796616791669 } from './1796616791669-OrderStockSettlement';
import { EventRecovery1796616869374 } from './1796616869374-EventRecovery';
import { ServiceLeases1796617500000 } from './1796617500000-ServiceLeases';

/** This service's MySQL migrations, oldest first. Never edit one that has landed: add another. */
export const INVENTORY_MIGRATIONS = [Initial1795423933650, StockLedgerReservations1795453099017, OrderStockSettlement1796616791669, EventRecovery1796616869374, ServiceLeases1796617500000];
