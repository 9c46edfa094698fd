import { requireAtLocation } from '../../../../shared/auth/auth-checker';
import { budgetsContactLookups } from '../../../../shared/auth/rules';
import type { Principal } from '../../../../shared/auth/principal';
import { MAX_LINE_QUANTITY, MAX_ORDER_TOTAL, MAX_UNIT_PRICE } from '../../../../shared/bounds';
import type { Database } from '../../../../shared/db/database';
import type { IdentityFact } from '../../../../shared/events/catalog';
import { Channel } from '../../../../shared/graphql/channel';
import { IdentityType } from '../../../../shared/graphql/identity';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import { normalizeIdentityValue } from '../../../../shared/identity/normalize';
import type { InventoryClient, SkuFacts } from '../inventory-client/inventory.client';
import { FulfillmentStatus, FulfillmentType, OrderStatus, type Order } from '../order/order.entity';
import { OrderErrorCode } from '../order/order.errors';
import { newOrderNumber, type OrderService, type RecordedOrder } from '../order/order.service';

export const MAX_TRANSACTIONS = 1000;
const MAX_LINES_PER_TRANSACTION = 200;
/** A till's clock may run this far ahead of ours: later sales are SALE_IN_FUTURE. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface StoreTransaction {
  transactionId: string;
  occurredAt: Date;
  identity?: { type: string; value: string } | null;
  lines: Array<{ sku: string; quantity: number; unitPrice: number }>;
}

export enum ImportStatus {
  IMPORTED = 'IMPORTED',
  DUPLICATE = 'DUPLICATE',
  REJECTED = 'REJECTED',
}

export interface ImportResult {
  transactionId: string;
  status: ImportStatus;
  order: Order | null;
  code: string | null;
  message: string | null;
}

/**
 * Imports a store's POS transactions: each is an order of channel STORE, carried out and completed,
 * idempotent by its transaction id within the store (Order.externalId), taking the stock out of the store through
 * `order.placed` (stockEffect SOLD_AT_LOCATION). Each transaction gets its own result; the good ones
 * are kept when others are rejected.
 */
export class StoreSaleImport {
  constructor(
    private readonly db: Database,
    private readonly orders: OrderService,
    private readonly inventory: InventoryClient,
    /** How old a sale may be when it is imported (STORE_SALE_WINDOW_DAYS): older ones are SALE_TOO_OLD. */
    private readonly windowDays: number,
  ) {}

  async import(principal: Principal, locationId: string, transactions: StoreTransaction[]): Promise<ImportResult[]> {
    requireAtLocation(principal, locationId);
    if (transactions.length > MAX_TRANSACTIONS) {
      throw new UserErrorException(OrderErrorCode.INVALID_LINES, `at most ${MAX_TRANSACTIONS} transactions per import`, ['input', 'transactions']);
    }
    const location = await this.inventory.location(locationId);
    if (!location) throw new UserErrorException(OrderErrorCode.UNKNOWN_LOCATION, 'no such location', ['input', 'locationId']);
    const variants = await this.inventory.variantsBySku([...new Set(transactions.flatMap((t) => t.lines.map((l) => l.sku)))]);

    const now = Date.now();
    const window = { earliest: now - this.windowDays * 24 * 3600 * 1000, latest: now + CLOCK_SKEW_MS };
    const contactsMasked = budgetsContactLookups(principal);
    const results: ImportResult[] = [];
    const accepted = new Map<string, RecordedOrder>();
    for (const transaction of transactions) {
      const result = (status: ImportStatus, code: string | null = null, message: string | null = null) =>
        results.push({ transactionId: transaction.transactionId, status, order: null, code, message });
      if (accepted.has(transaction.transactionId)) {
        result(ImportStatus.DUPLICATE);
        continue;
      }
      const order = toOrder(locationId, transaction, variants, window, contactsMasked);
      if ('code' in order) result(ImportStatus.REJECTED, order.code, order.message);
      else {
        accepted.set(transaction.transactionId, order);
        result(ImportStatus.IMPORTED);
      }
    }

    const recorded = await this.record(locationId, [...accepted.values()]);
    for (const result of results) {
      const outcome = result.status === ImportStatus.REJECTED ? undefined : recorded.get(result.transactionId);
      if (!outcome) continue;
      // A transaction repeated within the batch stays a duplicate of the first, and refers to its order.
      if (result.status === ImportStatus.IMPORTED) Object.assign(result, { status: outcome.status, code: outcome.code, message: outcome.message });
      result.order = outcome.order;
    }
    return results;
  }

  /**
   * Records the transactions this store has not imported before, in one transaction; a transaction
   * id another import of the store committed meanwhile is found on the retry and reported as a
   * duplicate. Another store's sale with the same id is another sale: each store's tills number their own.
   */
  private record(locationId: string, inputs: RecordedOrder[]): Promise<Map<string, Omit<ImportResult, 'transactionId'>>> {
    return this.db.transactionRetryingConflicts(async (manager) => {
      const outcomes = new Map<string, Omit<ImportResult, 'transactionId'>>();
      for (const order of await this.orders.byExternalIds(manager, locationId, inputs.map((i) => i.externalId!))) {
        outcomes.set(order.externalId!, { status: ImportStatus.DUPLICATE, order, code: null, message: null });
      }
      const fresh = inputs.filter((i) => !outcomes.has(i.externalId!));
      for (const order of await this.orders.insert(manager, fresh, 'SOLD_AT_LOCATION')) {
        outcomes.set(order.externalId!, { status: ImportStatus.IMPORTED, order, code: null, message: null });
      }
      return outcomes;
    });
  }
}

const CONTACT_IDENTITY_TYPES: string[] = [IdentityType.EMAIL, IdentityType.PHONE];

/**
 * A POS transaction as an order, or why it cannot be one: dated within the window, 1..200 lines of
 * known SKUs, 1..999 units at 0..¥99,999,999 each, ¥999,999,999 at most in all (shared/bounds.ts).
 */
function toOrder(
  locationId: string,
  t: StoreTransaction,
  variants: Map<string, SkuFacts>,
  window: { earliest: number; latest: number },
  contactsMasked: boolean,
): RecordedOrder | { code: string; message: string } {
  if (!t.transactionId.trim() || t.transactionId.length > 100) return { code: OrderErrorCode.INVALID_TRANSACTION, message: 'a transaction id has 1 to 100 characters' };
  const at = t.occurredAt.getTime();
  if (!(at >= window.earliest)) return { code: OrderErrorCode.SALE_TOO_OLD, message: 'the sale is older than the import window' };
  if (at > window.latest) return { code: OrderErrorCode.SALE_IN_FUTURE, message: 'the sale is dated in the future' };
  if (t.lines.length === 0 || t.lines.length > MAX_LINES_PER_TRANSACTION) {
    return { code: OrderErrorCode.INVALID_LINES, message: `a transaction has 1 to ${MAX_LINES_PER_TRANSACTION} lines` };
  }
  const lines: RecordedOrder['lines'] = [];
  let total = 0;
  for (const line of t.lines) {
    const variant = variants.get(line.sku);
    if (!variant) return { code: OrderErrorCode.UNKNOWN_SKU, message: `unknown SKU ${line.sku}` };
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_LINE_QUANTITY) {
      return { code: OrderErrorCode.INVALID_QUANTITY, message: `quantities are 1 to ${MAX_LINE_QUANTITY}` };
    }
    if (!Number.isInteger(line.unitPrice) || line.unitPrice < 0 || line.unitPrice > MAX_UNIT_PRICE) {
      return { code: OrderErrorCode.INVALID_PRICE, message: `unit prices are whole minor units from 0 to ${MAX_UNIT_PRICE}` };
    }
    total += line.quantity * line.unitPrice;
    lines.push({ variantId: variant.id, productId: variant.productId, quantity: line.quantity, unitPrice: line.unitPrice, taxRateBp: variant.taxRateBp });
  }
  if (total > MAX_ORDER_TOTAL) return { code: OrderErrorCode.ORDER_TOTAL_TOO_LARGE, message: `a sale comes to at most ${MAX_ORDER_TOTAL} (minor units)` };
  let identity: IdentityFact | null = null;
  if (t.identity && contactsMasked && CONTACT_IDENTITY_TYPES.includes(t.identity.type)) {
    return { code: OrderErrorCode.CONTACT_IDENTITY_NOT_ALLOWED, message: 'a till sends a membership card, not an e-mail address or phone number' };
  }
  if (t.identity) {
    try {
      identity = { type: t.identity.type, value: normalizeIdentityValue(t.identity.type, t.identity.value) };
    } catch {
      return { code: OrderErrorCode.INVALID_IDENTITY, message: 'the identity is not valid for its type' };
    }
  }
  return {
    number: newOrderNumber(Channel.STORE, t.occurredAt),
    channel: Channel.STORE,
    status: OrderStatus.COMPLETED,
    customerId: null,
    customerIdentity: identity,
    locationId,
    placedAt: t.occurredAt,
    externalId: t.transactionId,
    fulfillmentType: FulfillmentType.CARRY_OUT,
    fulfillmentLocationId: locationId,
    fulfillmentStatus: FulfillmentStatus.PICKED_UP,
    lines,
  };
}
