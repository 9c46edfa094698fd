/**
 * Every event of the graph and its payload (version 1). This is the one place payloads are
 * documented; producers and consumers import these types. Money is in minor units, times are ISO 8601.
 */

export type ChannelCode = 'EC' | 'APP' | 'STORE' | 'PARTNER';

export interface OrderLineFact {
  variantId: string;
  productId: string;
  quantity: number;
  /** Tax-inclusive unit price, minor units. */
  unitPrice: number;
}

export interface EventPayloads {
  /** customers → everyone: a customer record was created. */
  'customer.registered': { customerId: string; channel: ChannelCode | null };
  /** customers → orders (attribute earlier store sales), recommendations: an identity now belongs to a customer. */
  'customer.identity_linked': { customerId: string; identityType: string; identityValue: string };
  /** orders → customers, recommendations: an order was placed (EC, APP) or a store sale was recorded. */
  'order.placed': {
    orderId: string;
    number: string;
    channel: ChannelCode;
    customerId: string | null;
    /** Store of purchase or pickup, if any. */
    locationId: string | null;
    placedAt: string;
    total: number;
    currencyCode: string;
    lines: OrderLineFact[];
  };
  /** inventory → recommendations: a style was created or changed. */
  'product.changed': {
    productId: string;
    code: string;
    brand: string;
    category: string;
    price: number;
    releasedAt: string;
    soldOnline: boolean;
    variantIds: string[];
  };
  /** inventory → recommendations: stock levels at one location changed (at most a few hundred per event). */
  'stock.changed': {
    locationId: string;
    levels: Array<{ variantId: string; productId: string; onHand: number; reserved: number; available: number }>;
  };
}

export type EventType = keyof EventPayloads;
