import { Authorized, Directive, Field, ID, ObjectType } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../../../../shared/db/columns';

/** A style: one design, sold in several sizes and colours. */
@Entity('product')
@ObjectType({ description: 'A style: one design, sold in several sizes and colours (its variants).' })
@Authorized(Rule.CATALOG)
@Directive('@key(fields: "id")')
export class Product {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  @Field(() => ID, { description: 'Product id.' })
  id!: string;

  @Column({ type: 'varchar', length: 32, unique: true })
  @Field({ description: 'Style code printed on the tag, e.g. ST-00042.' })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  @Field({ description: 'Display name.' })
  name!: string;

  @Column({ type: 'varchar', length: 100 })
  @Field({ description: 'Brand.' })
  brand!: string;

  @Index()
  @Column({ type: 'varchar', length: 100 })
  @Field({ description: 'Category, e.g. Knitwear.' })
  category!: string;

  /** Tax-inclusive price in minor units. */
  @Column({ type: 'integer' })
  price!: number;

  @Column({ type: 'varchar', length: 3, name: 'currency_code' })
  currencyCode!: string;

  /** Consumption tax rate in basis points (1000 = 10 %, 800 = the 8 % reduced rate). */
  @Column({ type: 'integer', name: 'tax_rate_bp' })
  taxRateBp!: number;

  @DateTimeColumn({ name: 'released_at' })
  @Field({ description: 'When the style went on sale.' })
  releasedAt!: Date;

  @Column({ type: 'boolean', name: 'sold_online' })
  @Field({ description: 'True when the style is sold on the EC site and app (otherwise in stores only).' })
  soldOnline!: boolean;

  @DateTimeColumn({ name: 'updated_at' })
  updatedAt!: Date;
}

/** A SKU: one size and colour of a style. */
@Entity('product_variant')
@ObjectType({ description: 'A SKU: one size and colour of a style.' })
@Authorized(Rule.CATALOG)
@Directive('@key(fields: "id")')
export class ProductVariant {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  @Field(() => ID, { description: 'Variant id.' })
  id!: string;

  @Index()
  @IdColumn({ name: 'product_id' })
  productId!: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  @Field({ description: 'Stock keeping unit, e.g. ST-00042-NVY-M.' })
  sku!: string;

  @Column({ type: 'varchar', length: 50 })
  @Field({ description: 'Colour name.' })
  color!: string;

  @Column({ type: 'varchar', length: 20 })
  @Field({ description: 'Size label, e.g. M or 24.5.' })
  size!: string;

  /** Order of sizes within a style (S before M before L). */
  @Column({ type: 'integer' })
  position!: number;

  /** Tax-inclusive price in minor units when it differs from the style's price. */
  @Column({ type: 'integer', nullable: true, name: 'price_override' })
  priceOverride!: number | null;
}
