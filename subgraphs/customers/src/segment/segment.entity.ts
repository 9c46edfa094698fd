import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../../../../shared/db/columns';

export enum SegmentCode {
  OMNICHANNEL = 'OMNICHANNEL',
  STORE_ONLY = 'STORE_ONLY',
  EC_ONLY = 'EC_ONLY',
  STORE_BUYER_EC_BROWSER = 'STORE_BUYER_EC_BROWSER',
  NEW = 'NEW',
  LAPSED = 'LAPSED',
  VIP = 'VIP',
  CART_ABANDONED = 'CART_ABANDONED',
}
registerEnumType(SegmentCode, {
  name: 'SegmentCode',
  description: 'A group of customers marketing acts on; kept current from orders, behaviour and carts.',
  valuesConfig: {
    OMNICHANNEL: { description: 'Bought in a store and online (EC, app or partner).' },
    STORE_ONLY: { description: 'Bought only in stores, and does not browse online (no EC/app behaviour in the last 365 days).' },
    EC_ONLY: { description: 'Bought only online.' },
    STORE_BUYER_EC_BROWSER: { description: 'Bought in a store, browses the EC site or app (last 365 days), has not bought online.' },
    NEW: { description: 'First order (or, without orders, registration) in the last 90 days.' },
    LAPSED: { description: 'Has bought, but not in the last 365 days.' },
    VIP: { description: 'Top decile of lifetime value among customers who have bought.' },
    CART_ABANDONED: {
      description:
        'Has lines in the cart, left untouched for CART_ABANDONED_AFTER_HOURS (default 24), and no order since; leaves with the next order or cart change.',
    },
  },
});

/** That a customer is in a segment, since when. */
@Entity('segment_membership')
@Index('idx_segment_code', ['code', 'customerId'])
@ObjectType({ description: 'That the customer is in a segment, and since when.' })
export class SegmentMembership {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'customer_id' })
  customerId!: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  @Field(() => SegmentCode, { description: 'The segment.' })
  code!: SegmentCode;

  @DateTimeColumn()
  @Field({ description: 'When the customer entered the segment.' })
  since!: Date;
}

/**
 * An order as the customers service knows it from `order.placed`: enough to classify its customer.
 * Kept under the identity alone until someone links it.
 */
@Entity('order_fact')
@Index('idx_order_fact_customer', ['customerId', 'channel'])
@Index('idx_order_fact_identity', ['identityType', 'identityValue'])
export class OrderFact {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'order_id' })
  orderId!: string;

  @Column({ type: 'varchar', length: 36, name: 'customer_id', nullable: true })
  customerId!: string | null;

  /** The customer the order was first attributed to: an unmerge gives it back to them. */
  @Index()
  @Column({ type: 'varchar', length: 36, name: 'origin_customer_id', nullable: true })
  originCustomerId!: string | null;

  @Column({ type: 'varchar', length: 16, name: 'identity_type', nullable: true })
  identityType!: string | null;

  /** Compared exactly (a binary no-pad collation on MySQL: migration IdentityValuesExact), as SQLite does. */
  @Column({ type: 'varchar', length: 320, name: 'identity_value', nullable: true })
  identityValue!: string | null;

  @Column({ type: 'varchar', length: 16 })
  channel!: string;

  /** Tax-inclusive total, minor units. */
  @Column({ type: 'integer' })
  total!: number;

  /** Refunded by returns so far (`order.returned`), minor units. */
  @Column({ type: 'integer', default: 0 })
  refunded!: number;

  /** Set by `order.cancelled`: the order no longer counts. */
  @DateTimeColumn({ name: 'cancelled_at', nullable: true })
  cancelledAt!: Date | null;

  @DateTimeColumn({ name: 'placed_at' })
  placedAt!: Date;
}
