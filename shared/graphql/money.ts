import { Directive, Field, Int, ObjectType } from 'type-graphql';

/** An amount of money in integer minor units (JPY has none), tax-inclusive where it is a price. */
@ObjectType({ description: 'An amount of money: integer minor units of an ISO 4217 currency (JPY has no minor unit).' })
@Directive('@shareable')
export class Money {
  @Field(() => Int, { description: 'Amount in minor units of the currency; prices are tax-inclusive.' })
  amount!: number;

  @Field({ description: 'ISO 4217 currency code, e.g. JPY.' })
  currencyCode!: string;
}

export const DEFAULT_CURRENCY = 'JPY';

export function money(amount: number, currencyCode = DEFAULT_CURRENCY): Money {
  return Object.assign(new Money(), { amount, currencyCode });
}
