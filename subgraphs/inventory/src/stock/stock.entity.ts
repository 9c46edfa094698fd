import { Authorized, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../../../../shared/db/columns';
import { SafeIntScalar } from '../../../../shared/graphql/scalars';

/** Stock of one variant at one location. `available = onHand - reserved`, kept in step by every update. */
@Entity('stock_level')
@Index('idx_stock_location', ['locationId', 'variantId'])
@ObjectType({ description: 'Stock of one variant at one location.' })
@Authorized(Rule.CATALOG)
export class StockLevel {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'variant_id' })
  variantId!: string;

  @PrimaryColumn({ type: 'varchar', length: 36, name: 'location_id' })
  locationId!: string;

  @Index()
  @IdColumn({ name: 'product_id' })
  productId!: string;

  @Column({ type: 'integer', name: 'on_hand' })
  @Authorized(Rule.STOCK_DETAIL)
  @Field(() => Int, { nullable: true, description: 'Units physically at the location, at most 1,000,000 (staff, partners with inventory:read).' })
  onHand!: number;

  @Column({ type: 'integer' })
  @Authorized(Rule.STOCK_DETAIL)
  @Field(() => Int, { nullable: true, description: 'Units held for orders not yet fulfilled (staff, partners with inventory:read).' })
  reserved!: number;

  @Column({ type: 'integer' })
  @Field(() => Int, { description: 'Units that can be sold now (on hand minus reserved).' })
  available!: number;

  @DateTimeColumn({ name: 'updated_at' })
  updatedAt!: Date;
}

/** One movement of stock: the ledger that explains every level. */
@Entity('stock_movement')
@Index('idx_movement_level', ['variantId', 'locationId'])
export class StockMovement {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @IdColumn({ name: 'variant_id' })
  variantId!: string;

  @IdColumn({ name: 'location_id' })
  locationId!: string;

  @Column({ type: 'integer', name: 'on_hand_delta' })
  onHandDelta!: number;

  @Column({ type: 'integer', name: 'reserved_delta' })
  reservedDelta!: number;

  /** Why: RECEIPT, SALE, ADJUSTMENT, ... */
  @Column({ type: 'varchar', length: 32 })
  reason!: string;

  /** What caused it, e.g. a delivery note or an order id. */
  @Column({ type: 'varchar', length: 100 })
  reference!: string;

  /** Who: a user or service name. */
  @Column({ type: 'varchar', length: 100 })
  actor!: string;

  /** Free text: the reason an adjustment gave, or what else a movement belongs to (a return's order). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  note!: string | null;

  @DateTimeColumn({ name: 'occurred_at' })
  occurredAt!: Date;
}

export enum StockDiscrepancyKind {
  SALE_BEYOND_COUNT = 'SALE_BEYOND_COUNT',
  ORDER_SHORTAGE = 'ORDER_SHORTAGE',
}
registerEnumType(StockDiscrepancyKind, {
  name: 'StockDiscrepancyKind',
  description: 'What went wrong between the stock the system counted and an order or sale.',
  valuesConfig: {
    SALE_BEYOND_COUNT: { description: 'A store sale of more units than the system counted on hand: the sale was booked anyway, and the count needs checking.' },
    ORDER_SHORTAGE: {
      description:
        "An order whose stock was gone when inventory took it out (its hold had lapsed or been released, and the units were sold meanwhile): the order is flagged short, and staff settle it (find the goods, or contact the customer).",
    },
  },
});

/**
 * Stock the system counted that did not match an order or sale: a store sale of more than was
 * counted (the shelf was right, the count was not: booked anyway, the count needs checking), or an
 * order whose units were gone by the time its stock was taken (the order is short: staff settle it).
 */
@Entity('stock_discrepancy')
@Index('idx_discrepancy_location', ['locationId', 'occurredAt', 'id'])
@Index('idx_discrepancy_time', ['occurredAt', 'id'])
@ObjectType({
  description:
    'Stock the system counted that did not match an order or sale: a store sale of more units than were counted on hand (the count needs checking), or an order whose units were gone when its stock was taken (the order is short).',
})
@Authorized(Rule.STOCK_DETAIL)
export class StockDiscrepancy {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  @Field(() => ID, { description: 'Discrepancy id.' })
  id!: string;

  @Column({ type: 'varchar', length: 24, default: StockDiscrepancyKind.SALE_BEYOND_COUNT })
  @Field(() => StockDiscrepancyKind, { description: 'A store sale beyond the count, or an order short of stock.' })
  kind!: StockDiscrepancyKind;

  @IdColumn({ name: 'location_id' })
  locationId!: string;

  @IdColumn({ name: 'variant_id' })
  variantId!: string;

  @Column({ type: 'integer', name: 'expected_on_hand' })
  @Field(() => Int, {
    description: 'Units the system had: counted on hand just before the sale (SALE_BEYOND_COUNT), or free to take for the order, and taken (ORDER_SHORTAGE).',
  })
  expectedOnHand!: number;

  @Column({ type: 'integer' })
  @Field(() => Int, { description: 'Units the sale took (SALE_BEYOND_COUNT), or the order needed (ORDER_SHORTAGE).' })
  sold!: number;

  @IdColumn({ name: 'order_id' })
  @Field(() => ID, { description: 'Id of the order: the imported store sale that took the units, or the order short of them.' })
  orderId!: string;

  @DateTimeColumn({ name: 'occurred_at' })
  @Field({ description: 'When the sale happened, or the order was placed (when its stock was first held).' })
  occurredAt!: Date;

  @DateTimeColumn({ name: 'recorded_at' })
  @Field({ description: 'When the discrepancy was recorded.' })
  recordedAt!: Date;
}

@ObjectType({ description: 'Stock of a style at one location, summed over its variants.' })
@Authorized(Rule.CATALOG)
export class LocationAvailability {
  locationId!: string;

  @Authorized(Rule.STOCK_DETAIL)
  @Field(() => SafeIntScalar, { nullable: true, description: 'Units physically at the location, summed over the variants (staff, partners with inventory:read).' })
  onHand!: number;

  @Authorized(Rule.STOCK_DETAIL)
  @Field(() => SafeIntScalar, { nullable: true, description: 'Units held for orders not yet fulfilled, summed over the variants (staff, partners with inventory:read).' })
  reserved!: number;

  @Field(() => SafeIntScalar, { description: 'Units that can be sold now, summed over the variants.' })
  available!: number;
}
