import type { EntityManager } from 'typeorm';
import { requireAtLocation, requireSelf } from '../../../../shared/auth/auth-checker';
import type { Principal } from '../../../../shared/auth/principal';
import { AppError, ErrorCode } from '../../../../shared/errors';
import type { Outbox } from '../../../../shared/events/outbox';
import { PaymentStatus } from '../../../../shared/graphql/checkout';
import { OrderLine, type Order } from './order.entity';
import type { OrderService } from './order.service';

/** The reason recorded on an order cancelled because its konbini payment did not come in time. */
export const KONBINI_DEADLINE_PASSED = 'konbini payment deadline passed';

/** Cancellations and pick-ups: who may move which order, and what the move tells other services. */
export class OrderStatusChanges {
  constructor(
    private readonly orders: OrderService,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Cancels an order before fulfilment (its customer, support, admins). Stock taken through a
   * reservation goes back where it came from: `order.cancelled` names the reservation, and inventory
   * puts back what it took for the order by its own record (less what the order was short; nothing
   * when its stock was never taken). `restock` says the same as far as this service knows.
   */
  async cancel(principal: Principal, orderId: string, reason: string | null): Promise<Order> {
    const order = await this.orderFor(principal, orderId);
    requireSelf(principal, order.customerId ?? '');
    return this.cancelled(orderId, reason, new Date());
  }

  /**
   * Cancels an order whose konbini payment deadline passed unpaid, by the same path as cancelOrder
   * (order.cancelled with its reservation: inventory puts the stock back); the payment FAILED. Only
   * while the payment is still PENDING: paid meanwhile (or cancelled by another replica), it is
   * ILLEGAL_TRANSITION and nothing changes.
   */
  cancelUnpaid(orderId: string, now: Date): Promise<Order> {
    return this.cancelled(orderId, KONBINI_DEADLINE_PASSED, now, { paymentStatus: PaymentStatus.FAILED }, { paymentStatus: PaymentStatus.PENDING });
  }

  private cancelled(
    orderId: string,
    reason: string | null,
    cancelledAt: Date,
    changes: { paymentStatus?: PaymentStatus } = {},
    onlyIf: { paymentStatus?: PaymentStatus } = {},
  ): Promise<Order> {
    const then = async (manager: EntityManager, cancelled: Order) => {
      const lines = await manager.getRepository(OrderLine).findBy({ orderId });
      const location = cancelled.reservationId ? cancelled.fulfillmentLocationId : null;
      const taken = lines.map((l) => ({ variantId: l.variantId, productId: l.productId, quantity: l.quantity - l.quantityShort })).filter((l) => l.quantity > 0);
      await this.outbox.add(manager, [
        {
          type: 'order.cancelled',
          key: orderId,
          occurredAt: cancelledAt,
          payload: {
            orderId,
            channel: cancelled.channel,
            customerId: cancelled.attributedCustomerId,
            cancelledAt: cancelledAt.toISOString(),
            reason,
            restock: location && taken.length ? { locationId: location, lines: taken } : null,
            ...(cancelled.reservationId ? { reservationId: cancelled.reservationId } : {}),
          },
        },
      ]);
    };
    return this.orders.transition(orderId, 'cancel', { cancelledAt, cancelReason: reason, ...changes }, then, onlyIf);
  }

  /** The pickup store has the goods ready (its staff, support, admins). */
  async markReadyForPickup(principal: Principal, orderId: string): Promise<Order> {
    requireAtLocation(principal, (await this.orderFor(principal, orderId)).locationId);
    return this.orders.transition(orderId, 'markReadyForPickup');
  }

  /** The customer collected the goods at the store. */
  async completePickup(principal: Principal, orderId: string): Promise<Order> {
    requireAtLocation(principal, (await this.orderFor(principal, orderId)).locationId);
    return this.orders.transition(orderId, 'completePickup');
  }

  /** The order, for someone allowed to act on orders; a customer cannot tell an unknown id from someone else's order. */
  private async orderFor(principal: Principal, orderId: string): Promise<Order> {
    const order = await this.orders.byId(orderId);
    if (order) return order;
    if (principal.kind === 'CUSTOMER') requireSelf(principal, '');
    throw new AppError(ErrorCode.NOT_FOUND, 'no such order', { argument: 'input.orderId' });
  }
}
