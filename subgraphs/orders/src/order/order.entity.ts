import { Authorized, Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../../../../shared/db/columns';
import { CustomerAttributedRow } from '../../../../shared/events/customer-links';
import { Channel } from '../../../../shared/graphql/channel';
import { DeliverySlot, FulfillmentType, PaymentMethod, PaymentStatus } from '../../../../shared/graphql/checkout';

// Where the rest of the orders subgraph imports it from.
export { FulfillmentType };

export enum OrderStatus {
  PLACED = 'PLACED',
  READY_FOR_PICKUP = 'READY_FOR_PICKUP',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(OrderStatus, {
  name: 'OrderStatus',
  description: 'Where an order stands.',
  valuesConfig: {
    PLACED: { description: 'Placed, not yet fulfilled.' },
    READY_FOR_PICKUP: { description: 'Waiting at the pickup store.' },
    COMPLETED: { description: 'Handed over or delivered (store sales are completed at once).' },
    CANCELLED: { description: 'Cancelled before fulfilment.' },
  },
});

export enum FulfillmentStatus {
  PENDING = 'PENDING',
  READY_FOR_PICKUP = 'READY_FOR_PICKUP',
  PICKED_UP = 'PICKED_UP',
  SHIPPED = 'SHIPPED',
  DELIVERED = 'DELIVERED',
}
registerEnumType(FulfillmentStatus, {
  name: 'FulfillmentStatus',
  description: 'Where the fulfilment stands.',
  valuesConfig: {
    PENDING: { description: 'Not yet shipped or prepared.' },
    READY_FOR_PICKUP: { description: 'Prepared and waiting at the store.' },
    PICKED_UP: { description: 'Collected by the customer (or carried out of the store).' },
    SHIPPED: { description: 'Handed to the carrier.' },
    DELIVERED: { description: 'Delivered to the customer.' },
  },
});

/**
 * An order of any channel: an EC or app order, or a store sale. Whom it belongs to is kept by
 * CustomerLinks as the customers service links identities, merges and erases customers.
 */
@Entity('customer_order')
@Index('idx_order_customer', ['customerId', 'placedAt'])
@Index('idx_order_attributed_customer', ['attributedCustomerId'])
@Index('idx_order_identity', ['identityType', 'identityValue'])
@Index('idx_order_pickup', ['locationId', 'fulfillmentType', 'status', 'placedAt'])
// A POS transaction id is a till's: unique per store, not across the chain.
@Index('idx_order_store_transaction', ['locationId', 'externalId'], { unique: true })
// The konbini deadline sweep: pending payments past their deadline.
@Index('idx_order_payment_deadline', ['paymentStatus', 'paymentDeadline'])
@ObjectType({ description: 'An order of any channel: an EC or app order, or a store sale.' })
@Authorized(Rule.ORDER)
@Directive('@key(fields: "id")')
export class Order extends CustomerAttributedRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  @Field(() => ID, { description: 'Order id.' })
  id!: string;

  @Column({ type: 'varchar', length: 40, unique: true })
  @Field({ description: 'Order number shown to customers and staff.' })
  number!: string;

  @Column({ type: 'varchar', length: 16 })
  @Field(() => Channel, { description: 'Channel the order was placed in.' })
  channel!: Channel;

  @Column({ type: 'varchar', length: 24 })
  @Field(() => OrderStatus, { description: 'Where the order stands.' })
  status!: OrderStatus;

  /** Store of purchase (store sales) or of pickup. */
  @Column({ type: 'varchar', length: 36, name: 'location_id', nullable: true })
  locationId!: string | null;

  @Column({ type: 'integer' })
  total!: number;

  @Column({ type: 'integer', name: 'tax_total' })
  taxTotal!: number;

  @Column({ type: 'varchar', length: 3, name: 'currency_code' })
  currencyCode!: string;

  @Column({ type: 'varchar', length: 24, name: 'fulfillment_type' })
  fulfillmentType!: FulfillmentType;

  @Column({ type: 'varchar', length: 36, name: 'fulfillment_location_id', nullable: true })
  fulfillmentLocationId!: string | null;

  @Column({ type: 'varchar', length: 24, name: 'fulfillment_status' })
  fulfillmentStatus!: FulfillmentStatus;

  @DateTimeColumn({ name: 'placed_at' })
  @Field({ description: 'When the order was placed or the sale rung up.' })
  placedAt!: Date;

  @Column({ type: 'varchar', length: 100, name: 'external_id', nullable: true })
  @Field(() => String, { nullable: true, description: "POS transaction id of a store sale: the till's own, unique within its store." })
  externalId!: string | null;

  /** The client's key of a placeOrder request: unique, so a retried request finds its order instead of making another. */
  @Column({ type: 'varchar', length: 100, name: 'idempotency_key', nullable: true, unique: true })
  idempotencyKey!: string | null;

  /**
   * Digest of who sent the placeOrder request and what it asked for (SHA-256, hex): the same key with
   * another caller or another request is IDEMPOTENCY_KEY_REUSED. Null for store sales, history and
   * orders placed before it was kept.
   */
  @Column({ type: 'varchar', length: 64, name: 'request_fingerprint', nullable: true })
  requestFingerprint!: string | null;

  /** The inventory reservation the order's stock was taken through (null for store sales and history). */
  @Column({ type: 'varchar', length: 64, name: 'reservation_id', nullable: true })
  reservationId!: string | null;

  @DateTimeColumn({ name: 'cancelled_at', nullable: true })
  @Field(() => Date, { nullable: true, description: 'When the order was cancelled; null unless cancelled.' })
  cancelledAt!: Date | null;

  @Column({ type: 'varchar', length: 500, name: 'cancel_reason', nullable: true })
  @Field(() => String, { nullable: true, description: 'Why the order was cancelled, as given.' })
  cancelReason!: string | null;

  /**
   * When inventory found part of the order's stock gone as it took it out (the hold had lapsed and the
   * units were sold meanwhile): the order is short (OrderLine.quantityShort) and staff settle it.
   */
  @DateTimeColumn({ name: 'stock_short_at', nullable: true })
  @Field(() => Date, {
    nullable: true,
    description:
      "When inventory found part of the order's stock gone as it took it out (its hold had lapsed and the units were sold meanwhile): the order is short (see lines' quantityShort) and staff settle it. Null when every unit was taken.",
  })
  stockShortAt!: Date | null;

  /** The carts service's cart this order was checked out from (placeOrder's cartId, from the carts service only). */
  @Column({ type: 'varchar', length: 64, name: 'cart_id', nullable: true })
  cartId!: string | null;

  // The shipping address as it was when the order was placed (a snapshot, normalised: shared/address.ts);
  // null unless the order ships to an address. Personal data: erased with its customer (customer.erased).
  @Column({ type: 'varchar', length: 100, name: 'ship_recipient_name', nullable: true })
  shipRecipientName!: string | null;

  @Column({ type: 'varchar', length: 8, name: 'ship_postal_code', nullable: true })
  shipPostalCode!: string | null;

  @Column({ type: 'varchar', length: 8, name: 'ship_prefecture', nullable: true })
  shipPrefecture!: string | null;

  @Column({ type: 'varchar', length: 100, name: 'ship_city', nullable: true })
  shipCity!: string | null;

  @Column({ type: 'varchar', length: 200, name: 'ship_line1', nullable: true })
  shipLine1!: string | null;

  @Column({ type: 'varchar', length: 200, name: 'ship_line2', nullable: true })
  shipLine2!: string | null;

  /** E.164. */
  @Column({ type: 'varchar', length: 20, name: 'ship_phone', nullable: true })
  shipPhone!: string | null;

  /** The delivery date asked for, YYYY-MM-DD in the business calendar. */
  @Column({ type: 'varchar', length: 10, name: 'delivery_date', nullable: true })
  deliveryDate!: string | null;

  @Column({ type: 'varchar', length: 16, name: 'delivery_slot', nullable: true })
  deliverySlot!: DeliverySlot | null;

  /** Shipping charged, tax-inclusive, minor units (in `total`); null when nothing was charged for it. */
  @Column({ type: 'integer', name: 'shipping_fee', nullable: true })
  shippingFee!: number | null;

  /** The payment method's fee (cash on delivery), tax-inclusive, minor units (in `total`); null when none. */
  @Column({ type: 'integer', name: 'payment_fee', nullable: true })
  paymentFee!: number | null;

  /** How the order is paid; null for orders placed without a payment (before checkout, store imports). */
  @Column({ type: 'varchar', length: 24, name: 'payment_method', nullable: true })
  paymentMethod!: PaymentMethod | null;

  @Column({ type: 'varchar', length: 16, name: 'payment_status', nullable: true })
  paymentStatus!: PaymentStatus | null;

  /** The payment provider's reference (recordPayment must name it). */
  @Column({ type: 'varchar', length: 200, name: 'payment_reference', nullable: true })
  paymentReference!: string | null;

  /** KONBINI: unpaid by then, the order is cancelled. */
  @DateTimeColumn({ name: 'payment_deadline', nullable: true })
  paymentDeadline!: Date | null;

  @DateTimeColumn({ name: 'paid_at', nullable: true })
  paidAt!: Date | null;
}

/** One line of an order: a variant, a quantity and the price charged. */
@Entity('order_line')
@ObjectType({ description: 'One line of an order.' })
export class OrderLine {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Index()
  @IdColumn({ name: 'order_id' })
  orderId!: string;

  @IdColumn({ name: 'variant_id' })
  variantId!: string;

  @IdColumn({ name: 'product_id' })
  productId!: string;

  @Column({ type: 'integer' })
  @Field({ description: 'Units bought.' })
  quantity!: number;

  /** Tax-inclusive unit price charged, minor units. */
  @Column({ type: 'integer', name: 'unit_price' })
  unitPrice!: number;

  /** Consumption tax rate in basis points (1000 = 10 %). */
  @Column({ type: 'integer', name: 'tax_rate_bp' })
  taxRateBp!: number;

  /** Tax contained in the line total, minor units. */
  @Column({ type: 'integer', name: 'tax_amount' })
  taxAmount!: number;

  /** Units inventory could not take for the order (stock.shortage); a cancellation puts back only the rest. */
  @Column({ type: 'integer', name: 'quantity_short', default: 0 })
  @Field(() => Int, { description: "Units of the line missing from stock when the order's stock was taken (0 unless the order is short: see Order.stockShortAt)." })
  quantityShort!: number;
}
