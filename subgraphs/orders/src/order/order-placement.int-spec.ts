import { randomUUID } from 'node:crypto';
import { PRINCIPAL_HEADER, signPrincipal, type Principal } from '../../../../shared/auth/principal';
import { AppError, ErrorCode } from '../../../../shared/errors';
import type { EventPayloads } from '../../../../shared/events/catalog';
import { envelope } from '../../../../shared/events/envelope';
import { OutboxEventRow } from '../../../../shared/events/outbox.entity';
import { Channel } from '../../../../shared/graphql/channel';
import type { OpenSubgraph } from '../../../../shared/subgraph';
import { query, testConfig } from '../../../../shared/testkit';
import { openTestSubgraph, outcomeOf, type TestSubgraph } from '../../../../shared/testkit/subgraph';
import type { OrdersContext } from '../context';
import type { CustomersClient } from '../customers-client/customers.client';
import { ordersSubgraph } from '../definition';
import type { OrdersDomain } from '../domain';
import type { InventoryClient, Reservation } from '../inventory-client/inventory.client';
import { FulfillmentType } from './order.entity';
import { OrderPlacement, type PlaceOrderRequest } from './order-placement.service';

/**
 * placeOrder across a failure, on the orders service's side: once the order exists, the request
 * succeeds whatever inventory does (its commit is a fast path; `order.placed` names the reservation
 * for inventory to take), a retry after the hold lapsed returns the order, and a shortage inventory
 * reports is flagged on the order and counted out of what a cancellation puts back.
 */
const config = testConfig();
const support: Principal = { kind: 'STAFF', staffId: 's-9', role: 'SUPPORT' };
const WAREHOUSE = 'wh-op1';
const VARIANT = 'v-op1';
const PRODUCT = 'p-op1';

/** Inventory as the orders service sees it, with the failures a test asks for. */
class FakeInventory {
  reservations = 0;
  committed: string[] = [];
  released: string[] = [];
  commitFails = false;
  unitPrice = 5500;

  async catalogFor(variantIds: string[]) {
    return {
      variants: variantIds.map((id) => ({ id, productId: PRODUCT, soldOnline: true, unitPrice: 5500, available: new Map([[WAREHOUSE, 10]]) })),
      locations: [{ id: WAREHOUSE, type: 'WAREHOUSE' as const, pickupEnabled: false }],
    };
  }

  async reserve(input: { locationId: string; lines: Array<{ variantId: string; quantity: number }> }): Promise<Reservation> {
    this.reservations++;
    return {
      id: randomUUID(),
      locationId: input.locationId,
      lines: input.lines.map((l) => ({ variantId: l.variantId, productId: PRODUCT, quantity: l.quantity, unitPrice: this.unitPrice, currencyCode: 'JPY', taxRate: 0.1 })),
    };
  }

  async commitForOrder(reservationId: string): Promise<void> {
    if (this.commitFails) throw new AppError(ErrorCode.UNAVAILABLE, 'the inventory service cannot be reached; try again');
    this.committed.push(reservationId);
  }

  async release(reservationId: string): Promise<void> {
    this.released.push(reservationId);
  }
}

describe('placeOrder across a failure of inventory', () => {
  let opened: TestSubgraph<OrdersDomain, OrdersContext>;
  let orders: OpenSubgraph<OrdersDomain, OrdersContext>;
  let inventory: FakeInventory;
  let placement: OrderPlacement;
  let url: string;

  beforeAll(async () => {
    opened = await openTestSubgraph(ordersSubgraph, config);
    orders = opened.subgraph;
    url = (await orders.listen(0)).url;
  });
  afterAll(() => opened.close());
  beforeEach(() => {
    inventory = new FakeInventory();
    const customers = { stands: async () => true } as unknown as CustomersClient;
    const { config } = orders.infra;
    placement = new OrderPlacement(orders.db, orders.domain.orders, inventory as unknown as InventoryClient, customers, orders.infra.logger, config.reservations.holdSeconds, {
      settings: config.checkout,
      timeZone: config.tzBusiness,
    });
  });

  const request = (quantity = 2): PlaceOrderRequest => ({
    idempotencyKey: randomUUID(),
    channel: Channel.EC,
    customerId: randomUUID(),
    lines: [{ variantId: VARIANT, quantity }],
    fulfillment: { type: FulfillmentType.SHIP },
  });
  const outbox = async <T extends 'order.placed' | 'order.cancelled'>(type: T, orderId: string) =>
    (await orders.db.manager.getRepository(OutboxEventRow).findBy({ type, key: orderId })).map((row) => JSON.parse(row.payload) as EventPayloads[T]);
  const asSupport = { [PRINCIPAL_HEADER]: signPrincipal(support, config.internalSigningKey) };

  it('places the order when inventory fails at the commit, and order.placed names the reservation for inventory to take', async () => {
    inventory.commitFails = true;
    const order = await placement.place(support, request());
    expect(order.reservationId).toEqual(expect.any(String));
    expect(inventory.released).toEqual([]);
    const [placed, ...more] = await outbox('order.placed', order.id);
    expect(more).toEqual([]);
    expect(placed).toMatchObject({ orderId: order.id, stockEffect: 'COMMIT_RESERVATION', reservationId: order.reservationId });
  });

  it('returns the order to a request retried after its hold lapsed, whatever inventory answers, without reserving again', async () => {
    inventory.commitFails = true;
    const sent = request();
    const order = await placement.place(support, sent);
    // Inventory is still down (or says the hold lapsed): the order exists, and the retry gets it.
    const again = await placement.place(support, sent);
    expect(again.id).toBe(order.id);
    inventory.commitFails = false;
    const healed = await placement.place(support, sent);
    expect(healed.id).toBe(order.id);
    expect(inventory.reservations).toBe(1);
    expect(inventory.committed).toEqual([order.reservationId]);
    expect(await outbox('order.placed', order.id)).toHaveLength(1);
  });

  it('releases the reservation when the order cannot be recorded', async () => {
    inventory.unitPrice = 999_999_999;
    expect(await outcomeOf(placement.place(support, request()))).toBe('ORDER_TOTAL_TOO_LARGE');
    expect(inventory.released).toHaveLength(1);
  });

  it('flags the order short when inventory reports a shortage, and a cancellation then names its reservation and restocks only what was taken', async () => {
    const order = await placement.place(support, request(3));
    const shortage: EventPayloads['stock.shortage'] = {
      orderId: order.id,
      reservationId: order.reservationId!,
      locationId: WAREHOUSE,
      recordedAt: new Date().toISOString(),
      lines: [{ variantId: VARIANT, productId: PRODUCT, quantity: 3, short: 2 }],
    };
    const event = envelope('inventory', { type: 'stock.shortage', key: order.id, payload: shortage });
    const handle = ordersSubgraph.consumes!.handler(orders.domain);
    await orders.db.transaction((manager) => handle(manager, [event]));
    await orders.db.transaction((manager) => handle(manager, [event]));

    const read = `query($id: ID!) { order(id: $id) { stockShortAt lines { quantity quantityShort } } }`;
    const { order: flagged } = await query(url, read, { id: order.id }, asSupport);
    expect(flagged).toEqual({ stockShortAt: shortage.recordedAt, lines: [{ quantity: 3, quantityShort: 2 }] });

    await orders.domain.statusChanges.cancel(support, order.id, 'out of stock');
    const [cancelled] = await outbox('order.cancelled', order.id);
    expect(cancelled).toMatchObject({
      reservationId: order.reservationId,
      restock: { locationId: WAREHOUSE, lines: [{ variantId: VARIANT, productId: PRODUCT, quantity: 1 }] },
    });
  });
});
