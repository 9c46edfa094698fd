import { Authorized, Field, Int, ObjectType } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../../../../shared/db/columns';

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
  @Field(() => Int, { nullable: true, description: 'Units physically at the location (staff, partners with inventory:read).' })
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

  @DateTimeColumn({ name: 'occurred_at' })
  occurredAt!: Date;
}

@ObjectType({ description: 'Stock of a style at one location, summed over its variants.' })
@Authorized(Rule.CATALOG)
export class LocationAvailability {
  locationId!: string;

  @Authorized(Rule.STOCK_DETAIL)
  @Field(() => Int, { nullable: true, description: 'Units physically at the location (staff, partners with inventory:read).' })
  onHand!: number;

  @Authorized(Rule.STOCK_DETAIL)
  @Field(() => Int, { nullable: true, description: 'Units held for orders not yet fulfilled (staff, partners with inventory:read).' })
  reserved!: number;

  @Field(() => Int, { description: 'Units that can be sold now.' })
  available!: number;
}
