import type { EntityManager } from 'typeorm';
import type { Database } from '../../../../shared/db/database';
import { AppError, ErrorCode } from '../../../../shared/errors';
import { PaymentStatus } from '../../../../shared/graphql/checkout';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import type { Logger } from '../../../../shared/logger';
import { paymentTransition } from './checkout-rules';
import { Order, OrderStatus } from './order.entity';
import { OrderErrorCode } from './order.errors';
import type { OrderStatusChanges } from './order-status.service';
import type { OrderService } from './order.service';

export interface PaymentReport {
  orderId: string;
  status: PaymentStatus;
  reference: string;
}

/** Overdue konbini orders cancelled per statement of the sweep, and at most this many batches a run. */
const SWEEP_BATCH = 100;
const SWEEP_BATCHES = 20;

/**
 * Payments of orders: what the payment provider reports (recordPayment), and konbini payments that did
 * not come in time (a periodic sweep). The provider is never called: the storefront dealt with it and
 * passed its reference to the checkout.
 */
export class OrderPayments {
  constructor(
    private readonly db: Database,
    private readonly orders: OrderService,
    private readonly statusChanges: OrderStatusChanges,
    private readonly logger: Logger,
  ) {}

  /**
   * Records a payment's new status as the provider reports it, under the order's payment reference (an
   * order placed without one, e.g. cash on delivery, takes the first reference reported). PENDING or
   * AUTHORIZED become PAID or FAILED, PAID becomes REFUNDED; the same status again changes nothing. The
   * order row is locked meanwhile, so a konbini sweep cancelling it waits, and then finds it paid.
   */
  async record(report: PaymentReport): Promise<Order> {
    const reference = report.reference.trim();
    return this.db.transactionRetryingConflicts(async (manager) => {
      const order = await this.lockOrder(manager, report.orderId);
      if (order.paymentMethod === null || order.paymentStatus === null) {
        throw new UserErrorException(OrderErrorCode.NO_PAYMENT, 'the order was placed without a payment', ['input', 'orderId']);
      }
      if (!reference || (order.paymentReference !== null && order.paymentReference !== reference)) {
        throw new UserErrorException(OrderErrorCode.PAYMENT_REFERENCE_MISMATCH, "not the order's payment reference", ['input', 'reference']);
      }
      const move = paymentTransition(order.paymentStatus, report.status);
      if (move === 'SAME') return order;
      if (report.status === PaymentStatus.PAID && order.status === OrderStatus.CANCELLED) {
        throw new UserErrorException(OrderErrorCode.ORDER_CANCELLED, 'a cancelled order cannot be paid', ['input', 'status']);
      }
      if (move === 'ILLEGAL') {
        throw new UserErrorException(OrderErrorCode.ILLEGAL_PAYMENT_TRANSITION, `a ${order.paymentStatus} payment cannot become ${report.status}`, ['input', 'status']);
      }
      const changes: Partial<Order> = {
        paymentStatus: report.status,
        paymentReference: reference,
        ...(report.status === PaymentStatus.PAID ? { paidAt: new Date() } : {}),
      };
      await manager.getRepository(Order).update({ id: order.id }, changes);
      return Object.assign(order, changes);
    });
  }

  /**
   * Cancels the orders paid at a konbini whose payment is still pending after its deadline (see
   * OrderStatusChanges.cancelUnpaid). Safe to run anywhere at any time: each cancellation is a
   * conditional update, so an order paid or cancelled meanwhile is left alone. Returns how many it cancelled.
   */
  async cancelOverdueKonbini(now: Date = new Date()): Promise<number> {
    let cancelled = 0;
    for (let batch = 0; batch < SWEEP_BATCHES; batch++) {
      const ids = await this.orders.overdueKonbini(now, SWEEP_BATCH);
      let progress = 0;
      for (const id of ids) {
        try {
          await this.statusChanges.cancelUnpaid(id, now);
          progress++;
        } catch (err) {
          if (!(err instanceof UserErrorException)) throw err;
          // Paid, or cancelled, between the query and the update: nothing to do.
          this.logger.info({ orderId: id, code: err.code }, 'overdue konbini order left as it is');
        }
      }
      cancelled += progress;
      if (ids.length < SWEEP_BATCH || progress === 0) break;
    }
    if (cancelled) this.logger.info({ cancelled }, 'cancelled konbini orders unpaid after their deadline');
    return cancelled;
  }

  /** The order, locked until the transaction ends (MySQL; SQLite runs one transaction at a time). */
  private async lockOrder(manager: EntityManager, orderId: string): Promise<Order> {
    const query = manager.getRepository(Order).createQueryBuilder('o').where('o.id = :orderId', { orderId });
    if (this.db.kind === 'mysql') query.setLock('pessimistic_write');
    const order = await query.getOne();
    if (!order) throw new AppError(ErrorCode.NOT_FOUND, 'no such order', { argument: 'input.orderId' });
    return order;
  }
}
