import type { Config } from '../../../../shared/config';
import type { ChannelCode } from '../../../../shared/events/catalog';
import type { PostalAddress } from '../../../../shared/address';
import { ServiceClient } from '../../../../shared/http/service-client';
import type { Logger } from '../../../../shared/logger';

/** A checkout as the orders service's placeOrder takes it. */
export interface OrderRequest {
  idempotencyKey: string;
  channel: ChannelCode;
  customerId: string | null;
  guestEmail: string | null;
  lines: Array<{ variantId: string; quantity: number }>;
  fulfillment: {
    type: string;
    locationId: string | null;
    address: Omit<PostalAddress, 'line2'> & { line2: string | null } | null;
    deliveryDate: string | null;
    deliverySlot: string | null;
  };
  payment: { method: string; reference: string | null };
  cartId: string;
}

export type OrderOutcome =
  | { order: { id: string; number: string } }
  | { refusals: Array<{ code: string; field: string[] | null; message: string }> };

/**
 * The orders subgraph as the carts service calls it, signed as a SERVICE principal: a checkout is
 * placeOrder, the path every order takes (stock reserved, committed, never oversold).
 */
export class OrdersClient {
  private readonly client: ServiceClient;

  constructor(config: Config, logger: Logger) {
    this.client = new ServiceClient(config, logger, { caller: 'carts', target: 'orders' });
  }

  /** Places the order; the same idempotency key answers with the same order, so a retry is safe. */
  async place(request: OrderRequest): Promise<OrderOutcome> {
    const data = await this.client.request<{
      placeOrder: { order: { id: string; number: string } | null; orderNumber: string | null; userErrors: Array<{ code: string; field: string[] | null; message: string }> };
    }>(
      `mutation CartCheckout($input: PlaceOrderInput!) {
        placeOrder(input: $input) { order { id number } userErrors { field code message } }
      }`,
      { input: request },
      { idempotent: true },
    );
    const { order, userErrors } = data.placeOrder;
    return order ? { order } : { refusals: userErrors };
  }
}
