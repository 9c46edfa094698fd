import { Channel } from '../../shared/graphql/channel';
import { FulfillmentStatus, FulfillmentType, OrderStatus } from '../../subgraphs/orders/src/order/order.entity';
import type { RecordedOrder } from '../../subgraphs/orders/src/order/order.service';

/** An EC order of one unit, shipped and delivered, placed now: for tests that add to history. */
export function deliveredOrder(line: { customerId: string; productId: string; variantId: string; unitPrice: number }): RecordedOrder {
  return {
    number: `TEST-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
    channel: Channel.EC,
    status: OrderStatus.COMPLETED,
    customerId: line.customerId,
    locationId: null,
    placedAt: new Date(),
    externalId: null,
    fulfillmentType: FulfillmentType.SHIP,
    fulfillmentLocationId: null,
    fulfillmentStatus: FulfillmentStatus.DELIVERED,
    lines: [{ variantId: line.variantId, productId: line.productId, quantity: 1, unitPrice: line.unitPrice, taxRateBp: 1000 }],
  };
}
