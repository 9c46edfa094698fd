import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../../../../shared/db/columns';
import { Channel } from '../../../../shared/graphql/channel';

export enum CartStatus {
  /** Open: lines can change, it can be checked out. */
  ACTIVE = 'ACTIVE',
  /** Its lines went into the order `checkedOutOrderId`. */
  CHECKED_OUT = 'CHECKED_OUT',
  /** An anonymous cart whose lines a signed-in customer took over (claimCart). */
  CLAIMED = 'CLAIMED',
  /** Its customer was merged into another, whose cart took its lines (an unmerge opens it again). */
  MERGED = 'MERGED',
  /** An anonymous cart left idle longer than CART_ANONYMOUS_IDLE_DAYS. */
  EXPIRED = 'EXPIRED',
}

registerEnumType(CartStatus, {
  name: 'CartStatus',
  description: 'Where a cart stands.',
  valuesConfig: {
    ACTIVE: { description: 'Open: lines can change, it can be checked out.' },
    CHECKED_OUT: { description: 'Its lines became the order checkedOutOrder.' },
    CLAIMED: { description: 'An anonymous cart a signed-in customer took over (claimCart): its lines are in her cart.' },
    MERGED: { description: "Its customer was merged into another, whose cart took its lines." },
    EXPIRED: { description: 'An anonymous cart left idle too long (CART_ANONYMOUS_IDLE_DAYS).' },
  },
});

/**
 * A cart. An anonymous one is opened by its id alone (192 random bits); a customer has at most one
 * ACTIVE cart, which the unique `active_customer_id` (set only while ACTIVE) guarantees.
 */
@ObjectType('Cart', { description: "A shopper's cart: anonymous (opened by its id) or a customer's, shared by the app, the web shop and the till." })
@Directive('@key(fields: "id")')
@Entity('cart')
@Index('idx_cart_customer', ['customerId'])
@Index('idx_cart_status_updated', ['status', 'updatedAt'])
export class CartRow {
  @Field(() => ID, { description: 'Cart id; for an anonymous cart the key that opens it (192 random bits): keep it like a password.' })
  @PrimaryColumn({ type: 'varchar', length: 43 })
  id!: string;

  @IdColumn({ name: 'customer_id', nullable: true })
  customerId!: string | null;

  /** `customer_id` while ACTIVE, else null: one active cart per customer. */
  @Index('uq_cart_active_customer', { unique: true })
  @IdColumn({ name: 'active_customer_id', nullable: true })
  activeCustomerId!: string | null;

  @Field(() => CartStatus, { description: 'Open, checked out, or closed (claimed, merged, expired).' })
  @Column({ type: 'varchar', length: 16 })
  status!: CartStatus;

  @Field(() => Channel, { description: 'Where the cart was last changed (EC, APP, or STORE at a till).' })
  @Column({ type: 'varchar', length: 16, name: 'last_channel' })
  lastChannel!: Channel;

  @Field({ description: 'When the cart was created.' })
  @DateTimeColumn({ name: 'created_at' })
  createdAt!: Date;

  @Field({ description: 'When its lines last changed.' })
  @DateTimeColumn({ name: 'updated_at' })
  updatedAt!: Date;

  /** The idempotency key of the checkout under way or done; a checkout with another key is refused meanwhile. */
  @Column({ type: 'varchar', length: 200, name: 'checkout_key', nullable: true })
  checkoutKey!: string | null;

  @IdColumn({ name: 'checked_out_order_id', nullable: true })
  checkedOutOrderId!: string | null;

  /** The order's number: a guest reads the order with it and her e-mail address (orderByNumber). */
  @Column({ type: 'varchar', length: 40, name: 'checked_out_order_number', nullable: true })
  checkedOutOrderNumber!: string | null;
}

/** A line: a variant and how many. Prices, tax and availability are the catalog's at read time. */
@ObjectType('CartLine', { description: "A variant in a cart and how many; prices and availability are the catalog's now." })
@Entity('cart_line')
@Index('uq_cart_line_variant', ['cartId', 'variantId'], { unique: true })
export class CartLineRow {
  @Field(() => ID, { description: 'Line id (cartLinesUpdate, cartLinesRemove).' })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 43, name: 'cart_id' })
  cartId!: string;

  @IdColumn({ name: 'variant_id' })
  variantId!: string;

  @IdColumn({ name: 'product_id' })
  productId!: string;

  @Field(() => Int, { description: 'Units.' })
  @Column({ type: 'int' })
  quantity!: number;

  @Field({ description: 'When the variant was first put in the cart.' })
  @DateTimeColumn({ name: 'added_at' })
  addedAt!: Date;
}

/** Units a customer merge moved from the merged-away customer's cart into the survivor's: an unmerge moves them back. */
@Entity('cart_merge_move')
export class CartMergeMoveRow {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'merge_id' })
  mergeId!: string;

  @PrimaryColumn({ type: 'varchar', length: 36, name: 'variant_id' })
  variantId!: string;

  @IdColumn({ name: 'product_id' })
  productId!: string;

  @Column({ type: 'varchar', length: 43, name: 'from_cart_id' })
  fromCartId!: string;

  @Column({ type: 'int' })
  quantity!: number;
}

export const CART_ENTITIES = [CartRow, CartLineRow, CartMergeMoveRow];
