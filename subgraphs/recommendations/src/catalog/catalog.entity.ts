import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../../../../shared/db/columns';

// The recommendations service's copy of inventory's catalog facts, from product.changed and stock.changed.

/** A style as product.changed last described it. */
@Entity('product_fact')
@Index('idx_product_fact_released', ['releasedAt'])
export class ProductFact {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'product_id' })
  productId!: string;

  @Column({ type: 'varchar', length: 64 })
  category!: string;

  @DateTimeColumn({ name: 'released_at' })
  releasedAt!: Date;

  @Column({ type: 'boolean', name: 'sold_online' })
  soldOnline!: boolean;

  /** When the event that described it occurred: an older description arriving later changes nothing. */
  @DateTimeColumn({ name: 'changed_at' })
  changedAt!: Date;
}

/** A SKU's size and colour: the customer's usual size is matched against them. */
@Entity('variant_fact')
@Index('idx_variant_fact_product', ['productId'])
export class VariantFact {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'variant_id' })
  variantId!: string;

  @IdColumn({ name: 'product_id' })
  productId!: string;

  @Column({ type: 'varchar', length: 32 })
  size!: string;

  @Column({ type: 'varchar', length: 64 })
  color!: string;

  /** When the event that described it occurred: an older description arriving later changes nothing. */
  @DateTimeColumn({ name: 'changed_at' })
  changedAt!: Date;
}

/** Units available of a SKU at a location, as the latest stock.changed said. */
@Entity('stock_fact', { withoutRowid: true })
@Index('idx_stock_fact_product', ['productId', 'locationId'])
export class StockFact {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'location_id' })
  locationId!: string;

  @PrimaryColumn({ type: 'varchar', length: 36, name: 'variant_id' })
  variantId!: string;

  @IdColumn({ name: 'product_id' })
  productId!: string;

  @Column({ type: 'integer' })
  available!: number;

  /** When the event that described it occurred: an older description arriving later changes nothing. */
  @DateTimeColumn({ name: 'changed_at' })
  changedAt!: Date;
}

/** A location's type, when a stock.changed event carried it (WAREHOUSE ships online orders). */
@Entity('location_fact')
export class LocationFact {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'location_id' })
  locationId!: string;

  @Column({ type: 'varchar', length: 16 })
  type!: string;
}

export const CATALOG_ENTITIES = [ProductFact, VariantFact, StockFact, LocationFact];
