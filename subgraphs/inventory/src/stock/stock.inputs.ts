import { ArrayMaxSize, ArrayMinSize, Length, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserError } from '../../../../shared/graphql/user-error';
import { StockLevel } from './stock.entity';

/** Lines per transfer or reservation: enough for a delivery, bounded for one transaction. */
export const MAX_STOCK_LINES = 500;

@InputType({ description: 'Units of one SKU.' })
export class StockLineInput {
  @MaxLength(36)
  @Field(() => ID, { description: 'The variant (SKU).' })
  variantId!: string;

  @Field(() => Int, { description: 'Units (at least 1; at most 999 in a reservation, 1,000,000 in a transfer).' })
  quantity!: number;
}

@InputType({ description: 'A correction of the units on hand of one SKU at one location (a count, damage, a find).' })
export class AdjustStockInput {
  @MaxLength(36)
  @Field(() => ID, { description: 'Where (store staff: their store).' })
  locationId!: string;

  @MaxLength(36)
  @Field(() => ID, { description: 'The variant (SKU).' })
  variantId!: string;

  @Field(() => Int, {
    description: 'Units to add (positive) or take away (negative), at most 1,000,000 either way; on hand never goes below what is reserved, nor above 1,000,000 (STOCK_LIMIT_EXCEEDED).',
  })
  delta!: number;

  @Length(1, 500)
  @Field({ description: 'Why, for the ledger (1-500 characters), e.g. "stock count 2025-04" or "damaged".' })
  reason!: string;
}

@InputType({ description: 'Goods sent from one location to another, booked on both sides at once.' })
export class TransferStockInput {
  @MaxLength(36)
  @Field(() => ID, { description: 'Where the goods leave (store staff: their store).' })
  fromLocationId!: string;

  @MaxLength(36)
  @Field(() => ID, { description: 'Where the goods arrive.' })
  toLocationId!: string;

  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_STOCK_LINES)
  @ValidateNested({ each: true })
  @Field(() => [StockLineInput], {
    description: `What is sent (1-${MAX_STOCK_LINES} lines); all lines move, or none. No level at the destination goes above 1,000,000 units (STOCK_LIMIT_EXCEEDED).`,
  })
  lines!: StockLineInput[];
}

@ObjectType({ description: 'The result of adjustStock.' })
export class AdjustStockPayload {
  @Field(() => StockLevel, { nullable: true, description: 'The level after the adjustment.' })
  level?: StockLevel | null;

  @Field(() => [UserError], { description: 'Why nothing changed (INSUFFICIENT_STOCK, STOCK_LIMIT_EXCEEDED, INVALID_QUANTITY, UNKNOWN_VARIANT, UNKNOWN_LOCATION).' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The result of transferStock.' })
export class TransferStockPayload {
  @Field(() => ID, { nullable: true, description: 'Id of the transfer; the ledger rows of both sides reference it as transfer:<id>.' })
  transferId?: string | null;

  @Field(() => [StockLevel], { nullable: true, description: 'The levels after the transfer, at both locations.' })
  levels?: StockLevel[] | null;

  @Field(() => [UserError], {
    description: 'Why nothing moved (INSUFFICIENT_STOCK, STOCK_LIMIT_EXCEEDED, INVALID_QUANTITY, UNKNOWN_VARIANT, UNKNOWN_LOCATION, SAME_LOCATION).',
  })
  userErrors!: UserError[];
}
