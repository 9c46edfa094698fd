import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../../../../shared/db/columns';

/** Goods of one order brought back at a location, and refunded. */
@Entity('order_return')
@Index('idx_return_order', ['orderId', 'returnedAt'])
@ObjectType({ description: 'Goods of an order brought back and refunded.' })
export class OrderReturn {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  @Field(() => ID, { description: 'Return id.' })
  id!: string;

  @IdColumn({ name: 'order_id' })
  orderId!: string;

  /** Where the goods were received, and restocked. */
  @IdColumn({ name: 'location_id' })
  locationId!: string;

  /** Refunded, tax-inclusive, minor units. */
  @Column({ type: 'integer', name: 'refund_total' })
  refundTotal!: number;

  @Column({ type: 'varchar', length: 3, name: 'currency_code' })
  currencyCode!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  @Field(() => String, { nullable: true, description: 'Why the goods came back, as given.' })
  reason!: string | null;

  @DateTimeColumn({ name: 'returned_at' })
  @Field({ description: 'When the return was recorded.' })
  returnedAt!: Date;
}

/** One variant of a return: units back and their refund. */
@Entity('order_return_line')
@ObjectType({ description: 'One variant brought back in a return.' })
export class OrderReturnLine {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Index()
  @IdColumn({ name: 'return_id' })
  returnId!: string;

  /** The order, so that what was returned of it is one indexed read. */
  @Index()
  @IdColumn({ name: 'order_id' })
  orderId!: string;

  @IdColumn({ name: 'variant_id' })
  variantId!: string;

  @IdColumn({ name: 'product_id' })
  productId!: string;

  @Column({ type: 'integer' })
  @Field({ description: 'Units brought back.' })
  quantity!: number;

  /** Unit price paid times quantity, tax-inclusive, minor units. */
  @Column({ type: 'integer' })
  refund!: number;
}
