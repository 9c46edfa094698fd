import { MAX_ORDER_LINE_QUANTITY } from '../../../../shared/bounds';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import { OrderErrorCode } from './order.errors';

/** Lines a request may carry: more is a mistake or abuse, not a shopper. */
export const MAX_LINES = 50;

export interface RequestedLine {
  variantId: string;
  quantity: number;
}

/**
 * The lines of a request with duplicates of a variant merged (first-seen order kept), checked:
 * 1..MAX_LINES lines, 1..maxQuantity units of each variant. Violations are userErrors.
 */
export function mergeLines(lines: RequestedLine[], maxQuantity = MAX_ORDER_LINE_QUANTITY): RequestedLine[] {
  if (lines.length === 0 || lines.length > MAX_LINES) {
    throw new UserErrorException(OrderErrorCode.INVALID_LINES, `an order has 1 to ${MAX_LINES} lines`, ['input', 'lines']);
  }
  const merged = new Map<string, number>();
  lines.forEach((line, i) => {
    if (!Number.isInteger(line.quantity) || line.quantity < 1) {
      throw new UserErrorException(OrderErrorCode.INVALID_QUANTITY, 'quantities are at least 1', ['input', 'lines', String(i), 'quantity']);
    }
    merged.set(line.variantId, (merged.get(line.variantId) ?? 0) + line.quantity);
  });
  for (const [variantId, quantity] of merged) {
    if (quantity > maxQuantity) {
      const index = lines.findIndex((l) => l.variantId === variantId);
      throw new UserErrorException(OrderErrorCode.INVALID_QUANTITY, `at most ${maxQuantity} units of a variant`, ['input', 'lines', String(index), 'quantity']);
    }
  }
  return [...merged].map(([variantId, quantity]) => ({ variantId, quantity }));
}
