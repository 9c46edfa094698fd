import { Initial1795423931654 } from './1795423931654-Initial';
import { CustomerLinks1795451396772 } from './1795451396772-CustomerLinks';
import { OrdersPlacementReturns1795453185807 } from './1795453185807-OrdersPlacementReturns';
import { OrderRequestFingerprint1796612867264 } from './1796612867264-OrderRequestFingerprint';
import { IdentityValuesExact1796616000000 } from './1796616000000-IdentityValuesExact';
import { EventRecovery1796616869374 } from './1796616869374-EventRecovery';
import { OrderStockShortStoreTransactions1796616894169 } from './1796616894169-OrderStockShortStoreTransactions';
import { GuestOrdersKeepToThemselves1796617000000 } from './1796617000000-GuestOrdersKeepToThemselves';
import { ServiceLeases1796617500000 } from './1796617500000-ServiceLeases';
import { ClientKeysExact1796618000000 } from './1796618000000-ClientKeysExact';
import { CheckoutPayments1796666015895 } from './1796666015895-CheckoutPayments';

/** This service's MySQL migrations, oldest first. Never edit one that has landed: add another. */
export const ORDERS_MIGRATIONS = [
  Initial1795423931654,
  CustomerLinks1795451396772,
  OrdersPlacementReturns1795453185807,
  OrderRequestFingerprint1796612867264,
  IdentityValuesExact1796616000000,
  EventRecovery1796616869374,
  OrderStockShortStoreTransactions1796616894169,
  GuestOrdersKeepToThemselves1796617000000,
  ServiceLeases1796617500000,
  ClientKeysExact1796618000000,
  CheckoutPayments1796666015895,
];
