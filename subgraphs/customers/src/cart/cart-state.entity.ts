import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../../../../shared/db/columns';

/**
 * A customer's cart as the last `cart.changed` (by changedAt) reported it: what CART_ABANDONED is
 * decided from. Kept under the customer that stands for the cart's owner; dropped when a merge takes
 * the customer away (the survivor's is whatever carts reports next) and on erasure.
 */
@Entity('cart_state')
@Index('idx_cart_state_changed', ['changedAt'])
export class CartState {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'customer_id' })
  customerId!: string;

  /** Carts' id for the cart (an anonymous cart's key, once its owner signed in and claimed it): up to 200 characters. */
  @Column({ type: 'varchar', length: 200, name: 'cart_id' })
  cartId!: string;

  /** Units in the cart; 0 once it was checked out or emptied. */
  @Column({ type: 'integer', name: 'item_count' })
  itemCount!: number;

  @DateTimeColumn({ name: 'changed_at' })
  changedAt!: Date;
}
