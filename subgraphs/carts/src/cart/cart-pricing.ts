import { registerEnumType } from 'type-graphql';
import { includedTax } from '../../../../shared/graphql/money';
import type { VariantFacts } from '../clients/inventory.client';
import { mostAvailable } from './cart.service';

/** Why a line cannot be checked out now as it is. */
export enum CartLineProblem {
  DISCONTINUED = 'DISCONTINUED',
  NOT_AVAILABLE = 'NOT_AVAILABLE',
  QUANTITY_REDUCED = 'QUANTITY_REDUCED',
}
registerEnumType(CartLineProblem, {
  name: 'CartLineProblem',
  description: 'Why a cart line cannot be checked out now as it is.',
  valuesConfig: {
    DISCONTINUED: { description: 'The catalog no longer has the variant, or (online) no longer sells it.' },
    NOT_AVAILABLE: { description: 'No unit is available where the fulfilment would take it from.' },
    QUANTITY_REDUCED: { description: 'Fewer units are available than the line holds: checkout needs the quantity lowered to availableQuantity.' },
  },
});

/** Where a line would be taken from: the store of a pickup or a till, else wherever an order is shipped from. */
export interface Fulfilment {
  /** PICKUP_IN_STORE or CARRY_OUT at this store; null: shipped (from any one location). */
  locationId: string | null;
  /** A till sells what the store has, sold online or not. */
  atTill: boolean;
}

/** Units of the line's variant an order could take where the fulfilment takes them from. */
export function availableFor(fact: VariantFacts, where: Fulfilment): number {
  return where.locationId === null ? mostAvailable(fact) : Math.max(0, fact.available.get(where.locationId) ?? 0);
}

export function problemOf(fact: VariantFacts | null, quantity: number, where: Fulfilment): CartLineProblem | null {
  if (!fact || (!fact.soldOnline && !where.atTill)) return CartLineProblem.DISCONTINUED;
  const available = availableFor(fact, where);
  if (available === 0) return CartLineProblem.NOT_AVAILABLE;
  return available < quantity ? CartLineProblem.QUANTITY_REDUCED : null;
}

/** A cart's totals at the catalog's prices now; lines whose variant the catalog lost count nothing. */
export function totalsOf(lines: Array<{ variantId: string; quantity: number }>, facts: Map<string, VariantFacts | null>): { subtotal: number; taxTotal: number; currencyCode: string } {
  let subtotal = 0;
  let taxTotal = 0;
  let currencyCode = 'JPY';
  for (const line of lines) {
    const fact = facts.get(line.variantId);
    if (!fact) continue;
    const total = fact.unitPrice * line.quantity;
    subtotal += total;
    taxTotal += includedTax(total, fact.taxRateBp);
    currencyCode = fact.currencyCode;
  }
  return { subtotal, taxTotal, currencyCode };
}
