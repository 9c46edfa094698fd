import { randomUUID } from 'node:crypto';
import { PRINCIPAL_HEADER, signPrincipal, type Principal } from '../../../../shared/auth/principal';
import { MAX_ORDER_TOTAL } from '../../../../shared/bounds';
import { Channel } from '../../../../shared/graphql/channel';
import type { OpenSubgraph } from '../../../../shared/subgraph';
import { graphql, testConfig } from '../../../../shared/testkit';
import { openTestSubgraph, type TestSubgraph } from '../../../../shared/testkit/subgraph';
import type { OrdersContext } from '../context';
import { ordersSubgraph } from '../definition';
import type { OrdersDomain } from '../domain';
import { FulfillmentStatus, FulfillmentType, OrderStatus } from './order.entity';
import type { RecordedOrder } from './order.service';
import { GUEST_EMAIL } from './order-access';

/**
 * Who reads an order, on the orders subgraph alone (signed principals, as the gateway sends them):
 * `order` and `orderByNumber` answer an order the caller may not read exactly as one that does not
 * exist, a guest reads theirs with the number and the e-mail address together, and money sums past
 * a 32-bit Int still answer.
 */
const config = testConfig();
const as = (principal: Principal) => ({ [PRINCIPAL_HEADER]: signPrincipal(principal, config.internalSigningKey) });
const support: Principal = { kind: 'STAFF', staffId: 's-1', role: 'SUPPORT' };
const anonymous: Principal = { kind: 'ANONYMOUS' };

const BY_ID = 'query($id: ID!) { order(id: $id) { id number total { amount } lines { quantity } } }';
const BY_NUMBER = 'query($number: String!, $guestEmail: String) { orderByNumber(number: $number, guestEmail: $guestEmail) { id total { amount } lines { quantity } } }';

let opened: TestSubgraph<OrdersDomain, OrdersContext>;
let orders: OpenSubgraph<OrdersDomain, OrdersContext>;
let url: string;

beforeAll(async () => {
  opened = await openTestSubgraph(ordersSubgraph, config);
  orders = opened.subgraph;
  url = (await orders.listen(0)).url;
});
afterAll(() => opened.close());

function order(overrides: Partial<RecordedOrder>, unitPrice = 1100, quantity = 1): RecordedOrder {
  return {
    number: `EC-T-${randomUUID().slice(0, 18)}`,
    channel: Channel.EC,
    status: OrderStatus.PLACED,
    customerId: null,
    locationId: null,
    placedAt: new Date(),
    externalId: null,
    fulfillmentType: FulfillmentType.SHIP,
    fulfillmentLocationId: null,
    fulfillmentStatus: FulfillmentStatus.PENDING,
    lines: [{ variantId: 'v-1', productId: 'p-1', quantity, unitPrice, taxRateBp: 1000 }],
    ...overrides,
  };
}

async function record(...inputs: RecordedOrder[]) {
  return orders.domain.orders.recordOrders(inputs);
}

/** The response without what differs per request: what a caller can compare. */
async function answer(document: string, variables: Record<string, unknown>, principal: Principal) {
  const { data, errors } = await graphql(url, document, variables, as(principal));
  return { data, errors };
}

describe('order and orderByNumber are no oracle', () => {
  it("answers someone else's order exactly as an unknown one: null, no error, for every caller who may not read it", async () => {
    const owner = randomUUID();
    const [mine] = await record(order({ customerId: owner }));
    const callers: Principal[] = [
      anonymous,
      { kind: 'CUSTOMER', customerId: randomUUID() },
      { kind: 'PARTNER', partnerId: 'p-1', scopes: ['orders:write', 'orders:import', 'customers:read'] },
    ];
    for (const caller of callers) {
      const unknownById = await answer(BY_ID, { id: randomUUID() }, caller);
      expect(unknownById).toEqual({ data: { order: null }, errors: undefined });
      expect(await answer(BY_ID, { id: mine.id }, caller)).toEqual(unknownById);
      const unknownByNumber = await answer(BY_NUMBER, { number: `EC-T-${randomUUID().slice(0, 18)}` }, caller);
      expect(unknownByNumber).toEqual({ data: { orderByNumber: null }, errors: undefined });
      expect(await answer(BY_NUMBER, { number: mine.number }, caller)).toEqual(unknownByNumber);
    }
    expect((await answer(BY_ID, { id: mine.id }, { kind: 'CUSTOMER', customerId: owner })).data).toEqual({
      order: { id: mine.id, number: mine.number, total: { amount: 1100 }, lines: [{ quantity: 1 }] },
    });
    expect((await answer(BY_NUMBER, { number: mine.number }, support)).data).toEqual({ orderByNumber: { id: mine.id, total: { amount: 1100 }, lines: [{ quantity: 1 }] } });
  });

  it('opens a guest order to the number and the guest e-mail together, and to nothing less', async () => {
    const email = `guest-${randomUUID().slice(0, 8)}@example.jp`;
    const [guestOrder] = await record(order({ customerIdentity: { type: GUEST_EMAIL, value: email } }));
    const [storeSale] = await record(order({ channel: Channel.STORE, customerIdentity: { type: GUEST_EMAIL, value: email } }));
    const opened = { orderByNumber: { id: guestOrder.id, total: { amount: 1100 }, lines: [{ quantity: 1 }] } };

    // The address as the guest typed it (normalised as placeOrder stored it).
    expect(await answer(BY_NUMBER, { number: guestOrder.number, guestEmail: ` ${email.toUpperCase()} ` }, anonymous)).toEqual({ data: opened, errors: undefined });
    expect((await answer(BY_NUMBER, { number: guestOrder.number, guestEmail: email }, { kind: 'PARTNER', partnerId: 'p-1', scopes: ['orders:write'] })).data).toEqual(opened);

    const nothing = { data: { orderByNumber: null }, errors: undefined };
    for (const [variables, caller] of [
      [{ number: guestOrder.number }, anonymous],
      [{ number: guestOrder.number, guestEmail: `other-${email}` }, anonymous],
      [{ number: guestOrder.number, guestEmail: 'not an address' }, anonymous],
      [{ number: `EC-T-${randomUUID().slice(0, 18)}`, guestEmail: email }, anonymous],
      // A store sale is no guest order, and a partner who may not place orders is no guest.
      [{ number: storeSale.number, guestEmail: email }, anonymous],
      [{ number: guestOrder.number, guestEmail: email }, { kind: 'PARTNER', partnerId: 'p-2', scopes: ['catalog:read'] }],
    ] as Array<[Record<string, unknown>, Principal]>) {
      expect(await answer(BY_NUMBER, variables, caller)).toEqual(nothing);
    }
    // The e-mail address opens nothing by id, nor any other field of the same request.
    expect(await answer(BY_ID, { id: guestOrder.id }, anonymous)).toEqual({ data: { order: null }, errors: undefined });
  });
});

describe('money past a 32-bit Int', () => {
  it("answers a customer's purchase summary and orders whose sums pass 2^31 (SafeInt)", async () => {
    const customerId = randomUUID();
    // Three orders at the largest total an order may have: ¥2,999,999,997 in all.
    await record(...Array.from({ length: 3 }, () => order({ customerId, status: OrderStatus.COMPLETED, fulfillmentStatus: FulfillmentStatus.DELIVERED }, MAX_ORDER_TOTAL)));
    const response = await graphql<{ _entities: Array<{ purchaseSummary: { lifetimeValue: { amount: number }; averageOrderValue: { amount: number }; byChannel: Array<{ amount: { amount: number } }> } }> }>(
      url,
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Customer { purchaseSummary { lifetimeValue { amount } averageOrderValue { amount } byChannel { amount { amount } } } } } }`,
      { representations: [{ __typename: 'Customer', id: customerId }] },
      as(support),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities[0].purchaseSummary).toEqual({
      lifetimeValue: { amount: 3 * MAX_ORDER_TOTAL },
      averageOrderValue: { amount: MAX_ORDER_TOTAL },
      byChannel: [{ amount: { amount: 3 * MAX_ORDER_TOTAL } }],
    });
  });
});
