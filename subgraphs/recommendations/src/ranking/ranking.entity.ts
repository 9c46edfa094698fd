import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../../../../shared/db/columns';
import { CustomerAttributedRow } from '../../../../shared/events/customer-links';

// Facts this service keeps from the events it consumed, and the ranking state derived from them.

/**
 * A count of units sold that only adds up over time: 64-bit, so years of sales (or a flood of
 * imported ones, each within its bounds) never pass a 32-bit column; read back as a number.
 */
const UNITS_COUNTER = {
  type: 'bigint',
  transformer: { to: (value: unknown) => value, from: (value: unknown) => (value === null || value === undefined ? value : Number(value)) },
} as const;

/** One purchased line, as `order.placed` reported it; its buyer is kept by CustomerLinks. */
@Entity('purchase_line')
@Index('idx_purchase_location_time', ['locationId', 'placedAt'])
@Index('idx_purchase_customer', ['customerId'])
@Index('idx_purchase_attributed_customer', ['attributedCustomerId'])
// Counting a style's distinct buyers again after a merge or an erasure reads this index alone.
@Index('idx_purchase_product_customer', ['productId', 'customerId'])
@Index('idx_purchase_identity', ['identityType', 'identityValue'])
@Index('idx_purchase_order', ['orderId'])
export class PurchaseLine extends CustomerAttributedRow {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @IdColumn({ name: 'order_id' })
  orderId!: string;

  @IdColumn({ name: 'product_id' })
  productId!: string;

  @IdColumn({ name: 'variant_id' })
  variantId!: string;

  @Column({ type: 'integer' })
  quantity!: number;

  /** Units of the line cancelled or returned since: they no longer count anywhere. */
  @Column({ type: 'integer', name: 'returned_quantity', default: 0 })
  returnedQuantity!: number;

  @Column({ type: 'varchar', length: 36, name: 'location_id', nullable: true })
  locationId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  channel!: string;

  @DateTimeColumn({ name: 'placed_at' })
  placedAt!: Date;
}

/** What a customer has bought of a style. */
// WITHOUT ROWID (SQLite): the table is its primary key's B-tree, so an upsert touches one tree, not two.
@Entity('customer_product', { withoutRowid: true })
export class CustomerProduct {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'customer_id' })
  customerId!: string;

  @PrimaryColumn({ type: 'varchar', length: 36, name: 'product_id' })
  productId!: string;

  @Column(UNITS_COUNTER)
  units!: number;

  @Column({ type: 'integer' })
  orders!: number;

  @DateTimeColumn({ name: 'first_bought_at' })
  firstBoughtAt!: Date;

  @DateTimeColumn({ name: 'last_bought_at' })
  lastBoughtAt!: Date;
}

/** How many customers own both styles among their most recent ones (kept in both directions). */
@Entity('co_purchase', { withoutRowid: true })
export class CoPurchase {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'product_id' })
  productId!: string;

  @PrimaryColumn({ type: 'varchar', length: 36, name: 'other_product_id' })
  otherProductId!: string;

  @Column({ type: 'integer' })
  weight!: number;
}

/**
 * How many distinct customers bought a style, how many of them in two orders or more, how many units
 * sold, and its trend: every kept order line of it, forward-decayed (trend.ts).
 */
@Entity('product_popularity')
@Index('idx_popularity_buyers', ['buyers'])
export class ProductPopularity {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'product_id' })
  productId!: string;

  @Column({ type: 'integer' })
  buyers!: number;

  @Column({ type: 'integer', name: 'repeat_buyers', default: 0 })
  repeatBuyers!: number;

  @Column(UNITS_COUNTER)
  units!: number;

  /** Σ 2^((placed_at − TREND_LANDMARK) / half-life) over its kept lines: adds up as lines come and go. */
  @Column({ type: 'double', default: 0 })
  trend!: number;
}

/**
 * A customer's latest PERSONALIZATION choice, by when it was made: while refused, their
 * recommendations use nothing of theirs. A grant is kept too, so that an older refusal arriving late
 * does not undo it.
 */
@Entity('personalization_choice')
export class PersonalizationChoice {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'customer_id' })
  customerId!: string;

  @Column({ type: 'boolean' })
  refused!: boolean;

  @DateTimeColumn({ name: 'changed_at' })
  changedAt!: Date;
}

/** A product view or cart add of a customer, or of an identity not yet linked to one. */
@Entity('product_view')
@Index('idx_view_customer_time', ['customerId', 'occurredAt'])
@Index('idx_view_attributed_customer', ['attributedCustomerId'])
@Index('idx_view_identity', ['identityType', 'identityValue'])
export class ProductView extends CustomerAttributedRow {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @IdColumn({ name: 'product_id' })
  productId!: string;

  /** PRODUCT_VIEW or ADD_TO_CART. */
  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  @DateTimeColumn({ name: 'occurred_at' })
  occurredAt!: Date;
}

/** What a customer has viewed of a style (derived from product_view). */
@Entity('customer_view_product', { withoutRowid: true })
export class CustomerViewProduct {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'customer_id' })
  customerId!: string;

  @PrimaryColumn({ type: 'varchar', length: 36, name: 'product_id' })
  productId!: string;

  @Column({ type: 'integer' })
  views!: number;

  @DateTimeColumn({ name: 'last_viewed_at' })
  lastViewedAt!: Date;
}

/** How many customers viewed both styles among their most recent views (kept in both directions). */
@Entity('co_view', { withoutRowid: true })
export class CoView {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'product_id' })
  productId!: string;

  @PrimaryColumn({ type: 'varchar', length: 36, name: 'other_product_id' })
  otherProductId!: string;

  @Column({ type: 'integer' })
  weight!: number;
}

/**
 * Units sold net of returns per business day (Japan's calendar) and scope: a store's id for its own
 * sales, or a channel (EC, APP, STORE). Bestsellers and channel popularity read it, never the lines.
 */
@Entity('product_sales_day', { withoutRowid: true })
export class ProductSalesDay {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  scope!: string;

  /** YYYY-MM-DD in the business time zone. */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @PrimaryColumn({ type: 'varchar', length: 36, name: 'product_id' })
  productId!: string;

  @Column(UNITS_COUNTER)
  units!: number;
}

/** The store a customer last checked into (STORE_CHECK_IN), for the store context; it expires. */
@Entity('customer_presence')
export class CustomerPresence {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'customer_id' })
  customerId!: string;

  @IdColumn({ name: 'location_id' })
  locationId!: string;

  @DateTimeColumn({ name: 'checked_in_at' })
  checkedInAt!: Date;
}

/** A return or cancellation that arrived before its order.placed: applied when the order arrives. */
@Entity('pending_give_back')
@Index('idx_pending_give_back_order', ['orderId'])
export class PendingGiveBack {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'event_id' })
  eventId!: string;

  @IdColumn({ name: 'order_id' })
  orderId!: string;

  /** JSON [{ variantId, quantity }] of a return; null for a cancellation (every unit). */
  @Column({ type: 'text', name: 'returned_lines', nullable: true })
  returnedLines!: string | null;
}

/** A customer erased by the customers service: events about them that arrive later keep nothing of theirs. */
@Entity('erased_customer')
export class ErasedCustomer {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'customer_id' })
  customerId!: string;

  @DateTimeColumn({ name: 'erased_at' })
  erasedAt!: Date;
}

/**
 * An identity (membership card, device, ...) of an erased customer, as an HMAC-SHA256 of its type and
 * value keyed by the service's INTERNAL_SIGNING_KEY: a sale or view that arrives later with it alone
 * is not kept as anyone's, yet the value is not kept, nor guessable from the database alone.
 */
@Entity('erased_identity')
export class ErasedIdentity {
  @PrimaryColumn({ type: 'varchar', length: 64, name: 'identity_hash' })
  identityHash!: string;

  @DateTimeColumn({ name: 'erased_at' })
  erasedAt!: Date;
}

/**
 * One row (id 1): when a rebuild of the ranking state started, until it finishes. Meanwhile the
 * consumer handles no events (they wait in their streams), so none counts twice or into a half-built state.
 */
@Entity('ranking_rebuild')
export class RankingRebuild {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @DateTimeColumn({ name: 'started_at', nullable: true })
  startedAt!: Date | null;
}

export const RANKING_ENTITIES = [
  RankingRebuild,
  ErasedCustomer,
  ErasedIdentity,
  PendingGiveBack,
  PurchaseLine,
  CustomerProduct,
  CoPurchase,
  ProductPopularity,
  PersonalizationChoice,
  ProductView,
  CustomerViewProduct,
  CoView,
  ProductSalesDay,
  CustomerPresence,
];
