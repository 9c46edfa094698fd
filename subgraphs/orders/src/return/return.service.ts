import { randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import { requireAtLocation } from '../../../../shared/auth/auth-checker';
import type { Principal } from '../../../../shared/auth/principal';
import { MAX_LINE_QUANTITY } from '../../../../shared/bounds';
import { insertMany } from '../../../../shared/db/batch';
import type { Database } from '../../../../shared/db/database';
import { AppError, ErrorCode } from '../../../../shared/errors';
import type { Outbox } from '../../../../shared/events/outbox';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import type { InventoryClient } from '../inventory-client/inventory.client';
import { Order, OrderLine } from '../order/order.entity';
import { OrderErrorCode } from '../order/order.errors';
import { mergeLines, type RequestedLine } from '../order/order-lines';
import { isReturnable } from '../order/order.transitions';
import { OrderReturn, OrderReturnLine } from './return.entity';

export interface ReturnRequest {
  orderId: string;
  locationId: string;
  lines: RequestedLine[];
  reason: string | null;
}

/**
 * Returns: goods of an order of any channel brought back at any location, refunded at the price
 * paid. The order row is locked while a return is recorded, so concurrent returns of the same order
 * never add up to more than was bought.
 */
export class ReturnService {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly inventory: InventoryClient,
  ) {}

  async create(principal: Principal, request: ReturnRequest): Promise<{ order: Order; orderReturn: OrderReturn }> {
    requireAtLocation(principal, request.locationId);
    const lines = mergeLines(request.lines, MAX_LINE_QUANTITY);
    if (!(await this.inventory.location(request.locationId))) {
      throw new UserErrorException(OrderErrorCode.UNKNOWN_LOCATION, 'no such location', ['input', 'locationId']);
    }
    return this.db.transactionRetryingConflicts(async (manager) => {
      const order = await this.lockOrder(manager, request.orderId);
      if (!isReturnable(order)) throw new UserErrorException(OrderErrorCode.NOT_RETURNABLE, 'the goods have not been handed over (cancel instead)', ['input', 'orderId']);
      const bought = await manager.getRepository(OrderLine).find({ where: { orderId: order.id }, order: { id: 'ASC' } });
      const returned = await manager.getRepository(OrderReturnLine).findBy({ orderId: order.id });
      const returnedAt = new Date();
      const orderReturn = Object.assign(new OrderReturn(), {
        id: randomUUID(),
        orderId: order.id,
        locationId: request.locationId,
        refundTotal: 0,
        currencyCode: order.currencyCode,
        reason: request.reason,
        returnedAt,
      });
      const returnLines = lines.map((line, i) => {
        const refund = refundOf(line, bought, returned, i);
        return Object.assign(new OrderReturnLine(), { returnId: orderReturn.id, orderId: order.id, variantId: line.variantId, productId: refund.productId, quantity: line.quantity, refund: refund.amount });
      });
      orderReturn.refundTotal = returnLines.reduce((sum, l) => sum + l.refund, 0);
      await insertMany(manager, OrderReturn, [orderReturn]);
      await insertMany(manager, OrderReturnLine, returnLines);
      await this.outbox.add(manager, [
        {
          type: 'order.returned',
          key: order.id,
          occurredAt: returnedAt,
          payload: {
            orderId: order.id,
            returnId: orderReturn.id,
            channel: order.channel,
            customerId: order.attributedCustomerId,
            locationId: request.locationId,
            returnedAt: returnedAt.toISOString(),
            refundTotal: orderReturn.refundTotal,
            lines: returnLines.map((l) => ({ variantId: l.variantId, productId: l.productId, quantity: l.quantity, refund: l.refund })),
          },
        },
      ]);
      return { order, orderReturn };
    });
  }

  /** Returns of orders, oldest first. */
  ofOrders(orderIds: readonly string[]): Promise<OrderReturn[]> {
    return this.db.manager.getRepository(OrderReturn).find({ where: { orderId: In([...orderIds]) }, order: { returnedAt: 'ASC', id: 'ASC' } });
  }

  linesOf(returnIds: readonly string[]): Promise<OrderReturnLine[]> {
    return this.db.manager.getRepository(OrderReturnLine).find({ where: { returnId: In([...returnIds]) }, order: { id: 'ASC' } });
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

/**
 * The refund of returning `line`: the unit price paid on the order's lines of that variant, taken
 * from the first line not yet returned in full; more than bought minus returned is a userError.
 */
function refundOf(line: RequestedLine, bought: OrderLine[], returned: OrderReturnLine[], index: number): { productId: string; amount: number } {
  const ofVariant = bought.filter((l) => l.variantId === line.variantId);
  let alreadyReturned = returned.filter((r) => r.variantId === line.variantId).reduce((sum, r) => sum + r.quantity, 0);
  let toReturn = line.quantity;
  let amount = 0;
  for (const orderLine of ofVariant) {
    const open = Math.max(0, orderLine.quantity - alreadyReturned);
    alreadyReturned = Math.max(0, alreadyReturned - orderLine.quantity);
    const taken = Math.min(open, toReturn);
    amount += taken * orderLine.unitPrice;
    toReturn -= taken;
  }
  if (toReturn > 0 || ofVariant.length === 0) {
    throw new UserErrorException(OrderErrorCode.RETURN_EXCEEDS_PURCHASE, 'more units than were bought and not yet returned', ['input', 'lines', String(index), 'quantity']);
  }
  return { productId: ofVariant[0].productId, amount };
}
