/**
 * The bounds of the numbers clients send (README.md, "Numbers have bounds"). Beyond them a request is
 * a userError and nothing is written. They keep every stored amount and count within a 32-bit column,
 * and every sum the graph reports (lifetime value, revenue, units over locations) far below 2^53, which
 * `SafeInt` carries on the wire.
 */

/** Units of one line of a store sale, a reservation or a return. */
export const MAX_LINE_QUANTITY = 999;

/** Units of one variant in an online order (placeOrder): a shopper's basket, not a wholesale load. */
export const MAX_ORDER_LINE_QUANTITY = 99;

/** A unit price, tax-inclusive, in minor units: ¥99,999,999. */
export const MAX_UNIT_PRICE = 99_999_999;

/** An order's total, tax-inclusive, in minor units: ¥999,999,999 (fits a 32-bit column). */
export const MAX_ORDER_TOTAL = 999_999_999;

/** Units on hand of one SKU at one location; no adjustment, transfer or receipt takes a level above it. */
export const MAX_STOCK_LEVEL = 1_000_000;
