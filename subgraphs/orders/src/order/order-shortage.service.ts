import type { EntityManager } from 'typeorm';
import { isEvent, type EventEnvelope } from '../../../../shared/events/envelope';
import { Order, OrderLine } from './order.entity';

/**
 * Orders inventory could not fully take the stock of (`stock.shortage`: the hold had lapsed and the
 * units were sold meanwhile) are flagged short, line by line, for staff to settle: never silently.
 */
export class OrderShortages {
  /** In the consumer's transaction; applying an event again changes nothing. */
  async apply(manager: EntityManager, events: EventEnvelope[]): Promise<void> {
    for (const event of events) {
      if (!isEvent(event, 'stock.shortage')) continue;
      const { orderId, lines, recordedAt } = event.payload;
      // placeOrder's lines are one per variant, as its reservation's are.
      for (const line of lines) await manager.getRepository(OrderLine).update({ orderId, variantId: line.variantId }, { quantityShort: line.short });
      await manager
        .createQueryBuilder()
        .update(Order)
        .set({ stockShortAt: new Date(recordedAt) })
        .where('id = :orderId AND stock_short_at IS NULL', { orderId })
        .execute();
    }
  }
}
