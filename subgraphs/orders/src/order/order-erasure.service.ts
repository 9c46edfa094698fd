import type { EntityManager } from 'typeorm';
import type { CustomerLinks } from '../../../../shared/events/customer-links';
import { isEvent, type EventEnvelope } from '../../../../shared/events/envelope';

/** The columns of an order that hold the person's shipping address (Order.ship*). */
const SHIPPING_ADDRESS_COLUMNS = ['ship_recipient_name', 'ship_postal_code', 'ship_prefecture', 'ship_city', 'ship_line1', 'ship_line2', 'ship_phone'];

/**
 * `customer.erased` for what CustomerLinks does not know of: the shipping address snapshots of the
 * person's orders, and the request digests that were made of them. CustomerLinks anonymises the
 * orders (and so forgets whose they were), so each erasure here runs just before CustomerLinks
 * handles it, with the events before it already applied.
 */
export class OrderErasure {
  /** Applies the customers service's events with CustomerLinks, erasing the addresses of each erased customer on the way. */
  async apply(manager: EntityManager, events: EventEnvelope[], links: CustomerLinks): Promise<void> {
    let from = 0;
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      if (!isEvent(event, 'customer.erased')) continue;
      await links.apply(manager, events.slice(from, i));
      await this.eraseAddresses(manager, [...new Set([event.payload.customerId, ...event.payload.erasedIds])]);
      from = i;
    }
    await links.apply(manager, events.slice(from));
  }

  /** The orders of these customers as CustomerLinks finds them: theirs now, first attributed to them, or made with an identity of theirs. */
  private async eraseAddresses(manager: EntityManager, customerIds: string[]): Promise<void> {
    const list = customerIds.map(() => '?').join(', ');
    await manager.query(
      `UPDATE customer_order SET ${SHIPPING_ADDRESS_COLUMNS.map((c) => `${c} = NULL`).join(', ')}, request_fingerprint = NULL
       WHERE customer_id IN (${list}) OR attributed_customer_id IN (${list}) OR EXISTS (
         SELECT 1 FROM identity_owner o WHERE o.identity_type = customer_order.identity_type
         AND o.identity_value = customer_order.identity_value AND o.customer_id IN (${list}))`,
      [...customerIds, ...customerIds, ...customerIds],
    );
  }
}
