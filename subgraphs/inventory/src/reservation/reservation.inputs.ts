import { ArrayMaxSize, ArrayMinSize, Length, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserError } from '../../../../shared/graphql/user-error';
import { MAX_STOCK_LINES, StockLineInput } from '../stock/stock.inputs';
import { StockReservation } from './reservation.entity';

@InputType({ description: 'Units to hold at one location while an order is placed.' })
export class ReserveStockInput {
  @Length(1, 100)
  @Field({ description: "The caller's key for this reservation (1-100 characters): sent again, it answers with the same reservation." })
  idempotencyKey!: string;

  @MaxLength(36)
  @Field(() => ID, { description: 'Where to hold the units (store staff: their store).' })
  locationId!: string;

  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_STOCK_LINES)
  @ValidateNested({ each: true })
  @Field(() => [StockLineInput], { description: 'What to hold (quantity 1-999 per line); every line is held, or none.' })
  lines!: StockLineInput[];

  @Field(() => Int, { nullable: true, description: 'Seconds until an uncommitted reservation lapses (default 900, at most 86400).' })
  ttlSeconds?: number;
}

/** Names a reservation; commitReservation and releaseReservation each have their own input type of this shape. */
@InputType({ description: 'A reservation.' })
class ReservationRefInput {
  @MaxLength(36)
  @Field(() => ID, { description: 'The reservation (from reserveStock).' })
  reservationId!: string;
}

@InputType({ description: 'The reservation to commit: its units leave on hand.' })
export class CommitReservationInput extends ReservationRefInput {}

@InputType({ description: 'The reservation to release: its units become available again.' })
export class ReleaseReservationInput extends ReservationRefInput {}

@InputType({ description: "A placed order's reservation, to take its stock out for the order." })
export class CommitReservationForOrderInput extends ReservationRefInput {
  @MaxLength(36)
  @Field(() => ID, { description: 'The order the units are for (it exists: its stock is taken even after the hold lapsed).' })
  orderId!: string;
}

@ObjectType({ description: 'The result of reserveStock, commitReservation, commitReservationForOrder or releaseReservation.' })
export class StockReservationPayload {
  @Field(() => StockReservation, { nullable: true, description: 'The reservation as it now stands.' })
  reservation?: StockReservation | null;

  @Field(() => [UserError], {
    description:
      'Why nothing changed: INSUFFICIENT_STOCK (field: the line), UNKNOWN_VARIANT, UNKNOWN_LOCATION, INVALID_QUANTITY, INVALID_TTL, ' +
      'IDEMPOTENCY_KEY_REUSED (the key names a different reservation), UNKNOWN_RESERVATION, RESERVATION_EXPIRED, ' +
      'RESERVATION_RELEASED, RESERVATION_COMMITTED, RESERVATION_CANCELLED (its order was cancelled).',
  })
  userErrors!: UserError[];
}
