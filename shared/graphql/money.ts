import { Directive, Field, ObjectType } from 'type-graphql';
import { SafeIntScalar } from './scalars';

/**
 * An amount of money in integer minor units (JPY has none), tax-inclusive where it is a price. The
 * amount is a `SafeInt` on the wire (GRAPH.md): sums such as revenue outgrow a 32-bit `Int`.
 */
@ObjectType({ description: 'An amount of money: integer minor units of an ISO 4217 currency (JPY has no minor unit).' })
@Directive('@shareable')
export class Money {
  @Field(() => SafeIntScalar, { description: 'Amount in minor units of the currency (any integer up to 2^53 - 1); prices are tax-inclusive.' })
  amount!: number;

  @Field({ description: 'ISO 4217 currency code, e.g. JPY.' })
  currencyCode!: string;
}

export const DEFAULT_CURRENCY = 'JPY';

export function money(amount: number, currencyCode = DEFAULT_CURRENCY): Money {
  return Object.assign(new Money(), { amount, currencyCode });
}

/** Tax contained in a tax-inclusive amount (rounded down, as Japanese receipts do). */
export function includedTax(amount: number, rateBp: number): number {
  return Math.floor((amount * rateBp) / (10_000 + rateBp));
}
