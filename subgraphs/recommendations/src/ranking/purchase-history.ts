/**
 * A customer's purchase history as `rank` takes it, from what the service reads of it: the most
 * recent purchase lines, and the holdings (one row per style: units, orders, first and last
 * purchase). Offline evaluation builds the same two shapes from a CSV and calls this too, so both see
 * the same history.
 */
import type { Purchase } from './ranking-input';

/** Purchase lines read per customer, the most recent first. */
export const LINES_PER_CUSTOMER = 200;

export interface HistoryLine {
  productId: string;
  variantId: string | null;
  orderId: string;
  at: Date;
  /** Units kept (bought less given back): 0 for a line cancelled or returned in full. */
  quantity: number;
}

export interface Holding {
  productId: string;
  units: number;
  orders: number;
  firstAt: Date;
  lastAt: Date;
}

/**
 * The lines as they are, and what the holdings know beyond them: a style not among the lines at its
 * last purchase, standing for all its orders; a style among them whose older orders fell outside
 * the lines, those orders at its first purchase. So how often a style was bought counts in full
 * however long the history, while only the lines read carry a size.
 */
export function purchaseHistory(lines: readonly HistoryLine[], holdings: readonly Holding[]): Purchase[] {
  const purchases: Purchase[] = lines.map((l) => ({ productId: l.productId, variantId: l.variantId, at: l.at, quantity: l.quantity }));
  const seen = new Map<string, { orders: Set<string>; units: number }>();
  for (const l of lines) {
    if (!(l.quantity > 0)) continue;
    const entry = seen.get(l.productId) ?? { orders: new Set<string>(), units: 0 };
    entry.orders.add(l.orderId);
    entry.units += l.quantity;
    seen.set(l.productId, entry);
  }
  for (const h of holdings) {
    const inLines = seen.get(h.productId);
    if (!inLines) {
      purchases.push({ productId: h.productId, variantId: null, at: h.lastAt, quantity: h.units, orders: h.orders });
      continue;
    }
    const older = h.orders - inLines.orders.size;
    if (older > 0) purchases.push({ productId: h.productId, variantId: null, at: h.firstAt, quantity: Math.max(1, h.units - inLines.units), orders: older });
  }
  return purchases;
}
