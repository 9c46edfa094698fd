import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../../../../shared/db/columns';

export enum ReservationStatus {
  ACTIVE = 'ACTIVE',
  COMMITTED = 'COMMITTED',
  RELEASED = 'RELEASED',
  EXPIRED = 'EXPIRED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ReservationStatus, {
  name: 'StockReservationStatus',
  description: 'Where a reservation stands.',
  valuesConfig: {
    ACTIVE: { description: 'Holding its units (until expiresAt).' },
    COMMITTED: { description: 'Its units were taken out of on hand (the order was placed).' },
    RELEASED: { description: 'Released before it was committed: its units are available again.' },
    EXPIRED: { description: 'Not committed in time: the sweeper released its units.' },
    CANCELLED: { description: 'Its order was cancelled: the units taken for it went back on the shelf, or a hold still open was let go.' },
  },
});

/** Units held at one location for an order being placed, until committed, released or expired. */
@Entity('stock_reservation')
@Index('idx_reservation_expiry', ['status', 'expiresAt'])
@ObjectType({ description: 'Units held at one location for an order being placed, until committed, released or expired.' })
export class StockReservation {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  @Field(() => ID, { description: 'Reservation id.' })
  id!: string;

  /** The caller's key: the same key again answers with this reservation instead of making another. */
  @Column({ type: 'varchar', length: 100, name: 'idempotency_key', unique: true })
  idempotencyKey!: string;

  @IdColumn({ name: 'location_id' })
  @Field(() => ID, { description: 'Where the units are held.' })
  locationId!: string;

  @Column({ type: 'varchar', length: 16 })
  @Field(() => ReservationStatus, { description: 'Where the reservation stands.' })
  status!: ReservationStatus;

  /** Who reserved (a key reused by someone else is refused). */
  @Column({ type: 'varchar', length: 100 })
  actor!: string;

  @DateTimeColumn({ name: 'created_at' })
  @Field({ description: 'When the units were reserved.' })
  createdAt!: Date;

  @DateTimeColumn({ name: 'expires_at' })
  @Field({ description: 'When an uncommitted reservation lapses and its units become available again.' })
  expiresAt!: Date;

  @DateTimeColumn({ name: 'closed_at', nullable: true })
  @Field(() => Date, { nullable: true, description: 'When it was committed, released, expired or cancelled; null while active.' })
  closedAt!: Date | null;

  /**
   * The order whose stock this is, once inventory has settled it for the order (the orders service's
   * commit, or `order.placed`): from then on its units are the order's, whatever the hold's time says.
   */
  @Column({ type: 'varchar', length: 36, name: 'order_id', nullable: true })
  orderId!: string | null;

  /** Its lines, attached by the service (not a column). */
  lines!: StockReservationLine[];
}

/** One SKU of a reservation, with the catalog's price and tax rate when it was reserved. */
@Entity('stock_reservation_line')
@ObjectType({ description: 'One SKU of a reservation, priced by the catalog when it was reserved.' })
export class StockReservationLine {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'reservation_id' })
  reservationId!: string;

  @PrimaryColumn({ type: 'varchar', length: 36, name: 'variant_id' })
  variantId!: string;

  @IdColumn({ name: 'product_id' })
  productId!: string;

  @Column({ type: 'integer' })
  @Field(() => Int, { description: 'Units held.' })
  quantity!: number;

  /** Tax-inclusive, minor units: what the orders service charges, never a price a client sent. */
  @Column({ type: 'integer', name: 'unit_price' })
  unitPrice!: number;

  @Column({ type: 'varchar', length: 3, name: 'currency_code' })
  currencyCode!: string;

  /** Basis points: 1000 = 10 %, 800 = the 8 % reduced rate. */
  @Column({ type: 'integer', name: 'tax_rate_bp' })
  taxRateBp!: number;

  /**
   * Units of the line that could not be taken for the order: its hold had lapsed and they were sold
   * meanwhile (a stock discrepancy of kind ORDER_SHORTAGE). A cancellation puts back only the rest.
   */
  @Column({ type: 'integer', name: 'quantity_short', default: 0 })
  quantityShort!: number;
}
