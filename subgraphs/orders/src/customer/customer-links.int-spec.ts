import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { PRINCIPAL_HEADER, signPrincipal, type Principal } from '../../../../shared/auth/principal';
import type { EventPayloads } from '../../../../shared/events/catalog';
import { idempotentHandler } from '../../../../shared/events/consumer';
import { CustomerMergeRow, IdentityOwnerRow } from '../../../../shared/events/customer-links';
import { envelope, type EventEnvelope } from '../../../../shared/events/envelope';
import type { EventBatchHandler } from '../../../../shared/events/bus';
import { Channel } from '../../../../shared/graphql/channel';
import type { OpenSubgraph } from '../../../../shared/subgraph';
import { graphql, testConfig } from '../../../../shared/testkit';
import { openTestSubgraph, type TestSubgraph } from '../../../../shared/testkit/subgraph';
import type { OrdersContext } from '../context';
import { ordersSubgraph } from '../definition';
import type { OrdersDomain } from '../domain';
import { FulfillmentStatus, FulfillmentType, Order, OrderLine, OrderStatus } from '../order/order.entity';

const config = testConfig();

type CustomerEvent = 'customer.identity_linked' | 'customer.identity_unlinked' | 'customer.merged' | 'customer.unmerged' | 'customer.erased';

function customerEvent<T extends CustomerEvent>(type: T, payload: EventPayloads[T]): EventEnvelope {
  return envelope('customers', { type, key: 'customerId' in payload ? payload.customerId : payload.survivorId, payload });
}

const merged = (mergeId: string, mergedId: string, survivorId: string) =>
  customerEvent('customer.merged', { mergeId, mergedId, survivorId, mergedAt: new Date().toISOString() });
const unmerged = (mergeId: string, mergedId: string, survivorId: string, restoredIds: string[]) =>
  customerEvent('customer.unmerged', { mergeId, mergedId, survivorId, restoredIds });
const linked = (customerId: string, identityValue: string) =>
  customerEvent('customer.identity_linked', { customerId, identityType: 'MEMBER_CARD', identityValue });

describe('orders follow the customers service: identities, merges, erasure', () => {
  let opened: TestSubgraph<OrdersDomain, OrdersContext>;
  let orders: OpenSubgraph<OrdersDomain, OrdersContext>;
  let handle: EventBatchHandler;
  let url: string;

  beforeAll(async () => {
    opened = await openTestSubgraph(ordersSubgraph, config);
    orders = opened.subgraph;
    handle = idempotentHandler(orders.db, ordersSubgraph.consumes!.handler(orders.domain));
    url = (await orders.listen(0)).url;
  });
  afterAll(() => opened.close());

  /** Records a store sale of one unit at 1,100 yen for a customer, an identity, or both. */
  async function sale(customerId: string | null, card?: string): Promise<string> {
    const [order] = await orders.domain.orders.recordOrders([
      {
        number: `T-${randomUUID()}`,
        channel: Channel.STORE,
        status: OrderStatus.COMPLETED,
        customerId,
        customerIdentity: card ? { type: 'MEMBER_CARD', value: card } : null,
        locationId: 'store-1',
        placedAt: new Date(),
        externalId: null,
        fulfillmentType: FulfillmentType.CARRY_OUT,
        fulfillmentLocationId: 'store-1',
        fulfillmentStatus: FulfillmentStatus.PICKED_UP,
        lines: [{ variantId: 'v-1', productId: 'p-1', quantity: 1, unitPrice: 1100, taxRateBp: 1000 }],
      },
    ]);
    return order.id;
  }

  /** Each order's current customer, in the order of the ids. */
  async function ownersOf(...orderIds: string[]): Promise<Array<string | null>> {
    const rows = await orders.db.manager.getRepository(Order).findBy({ id: In(orderIds) });
    return orderIds.map((id) => rows.find((o) => o.id === id)!.customerId);
  }

  /** Ids unique to one test, so tests never see each other's rows. */
  function ids(...names: string[]): string[] {
    const run = randomUUID().slice(0, 8);
    return names.map((n) => `${n}-${run}`);
  }

  it('attributes a sale made with a card alone once the card is linked, and at once when its owner is known', async () => {
    const [ann, card, bob] = ids('ann', 'card', 'bob');
    const before = await sale(null, card);
    expect(await ownersOf(before)).toEqual([null]);

    const link = linked(ann, card);
    await handle([link]);
    const after = await sale(null, card);
    // A sale with both a customer and a card stays the customer's.
    const bobs = await sale(bob, card);
    expect(await ownersOf(before, after, bobs)).toEqual([ann, ann, bob]);
    const rows = await orders.db.manager.getRepository(Order).findBy({ id: In([before, after]) });
    expect(rows.map((o) => o.attributedCustomerId)).toEqual([ann, ann]);

    // Redelivered, the link changes nothing; unlinked, the card brings no more sales, and what it brought stays.
    await handle([link]);
    await handle([customerEvent('customer.identity_unlinked', { customerId: ann, identityType: 'MEMBER_CARD', identityValue: card })]);
    const later = await sale(null, card);
    expect(await ownersOf(before, after, later)).toEqual([ann, ann, null]);
  });

  it('applies the identity links of one batch as one at a time would: the first link of a card takes its sales, the last owns it', async () => {
    const [ann, bob, cat, card1, card2, card3] = ids('ann', 'bob', 'cat', 'card1', 'card2', 'card3');
    const sales = [await sale(null, card1), await sale(null, card1), await sale(null, card2), await sale(null, card3)];
    // A merge between two links ends the run: the link after it finds ann merged into bob.
    await handle([linked(ann, card1), linked(bob, card2), linked(cat, card1), merged(`m-${ann}`, ann, bob), linked(ann, card3)]);
    expect(await ownersOf(...sales)).toEqual([bob, bob, bob, bob]);
    const rows = await orders.db.manager.getRepository(Order).findBy({ id: In(sales) });
    expect(sales.map((id) => rows.find((o) => o.id === id)!.attributedCustomerId)).toEqual([ann, ann, bob, ann]);
    const owner = await orders.db.manager.getRepository(IdentityOwnerRow).findOneBy({ identityType: 'MEMBER_CARD', identityValue: card1 });
    expect(owner?.customerId).toBe(cat);
  });

  it('spends one statement per identity on a run of links, not several per link', async () => {
    const statementsFor = async (count: number) => {
      const [customer] = ids('customer');
      const events = Array.from({ length: count }, (_, i) => linked(customer, `${customer}-card-${i}`));
      const before = orders.db.statements.count;
      await handle(events);
      return orders.db.statements.count - before;
    };
    const few = await statementsFor(50);
    // Each further link adds one UPDATE of customer_order (its one table of attributed records).
    expect((await statementsFor(100)) - few).toBe(50);
  });

  it('moves orders to the survivor of a merge and gives them back exactly on unmerge', async () => {
    const [ann, bob, card] = ids('ann', 'bob', 'card');
    const annOrders = [await sale(ann), await sale(ann)];
    const bobOrders = [await sale(bob)];
    const cardOrder = await sale(null, card);
    await handle([linked(ann, card)]);

    await handle([merged('m1', ann, bob)]);
    expect(await ownersOf(...annOrders, ...bobOrders, cardOrder)).toEqual([bob, bob, bob, bob]);
    // An order placed for the merged-away id after the merge belongs to the survivor too.
    const late = await sale(ann);
    expect(await ownersOf(late)).toEqual([bob]);

    const undo = unmerged('m1', ann, bob, [ann]);
    await handle([undo]);
    await handle([undo]);
    expect(await ownersOf(...annOrders, ...bobOrders, cardOrder, late)).toEqual([ann, ann, bob, ann, ann]);
    expect(await orders.db.manager.getRepository(CustomerMergeRow).findOneBy({ mergedId: ann })).toBeNull();
  });

  it.each([
    ['A→B first', false],
    ['B→C first', true],
  ])('ends a chain of merges (%s) with everything on the last survivor, and unmerging A→B gives A its orders', async (_, reversed) => {
    const [a, b, c] = ids('a', 'b', 'c');
    const [ofA, ofB, ofC] = [await sale(a), await sale(b), await sale(c)];
    const chain = [merged('ab', a, b), merged('bc', b, c)];
    for (const event of reversed ? chain.reverse() : chain) await handle([event]);
    expect(await ownersOf(ofA, ofB, ofC)).toEqual([c, c, c]);
    expect([...(await orders.domain.customerLinks.rootsOf([a, b, c]))]).toEqual([
      [a, c],
      [b, c],
      [c, c],
    ]);

    await handle([unmerged('ab', a, b, [a])]);
    expect(await ownersOf(ofA, ofB, ofC)).toEqual([a, c, c]);
  });

  it('anonymises the orders of an erased customer and of every id merged into them, keeping lines and totals', async () => {
    const [ann, bob, card, other] = ids('ann', 'bob', 'card', 'other');
    const annOrder = await sale(ann);
    const bobOrder = await sale(bob, card);
    const otherOrder = await sale(other);
    await handle([linked(bob, card), merged('m', ann, bob)]);

    await handle([customerEvent('customer.erased', { customerId: bob, erasedIds: [bob, ann], erasedAt: new Date().toISOString() })]);
    const rows = await orders.db.manager.getRepository(Order).findBy({ id: In([annOrder, bobOrder]) });
    expect(rows.map((o) => [o.customerId, o.attributedCustomerId, o.identityType, o.identityValue, o.total])).toEqual([
      [null, null, null, null, 1100],
      [null, null, null, null, 1100],
    ]);
    expect(await orders.db.manager.getRepository(OrderLine).countBy({ orderId: In([annOrder, bobOrder]) })).toBe(2);
    expect(await ownersOf(otherOrder)).toEqual([other]);
    expect(await orders.db.manager.getRepository(IdentityOwnerRow).countBy({ customerId: In([ann, bob]) })).toBe(0);
    expect(await orders.db.manager.getRepository(CustomerMergeRow).countBy({ mergedId: ann })).toBe(0);
    // The card no longer names anyone here: a later sale with it stays anonymous.
    expect(await ownersOf(await sale(null, card))).toEqual([null]);
  });

  describe('a reference to a merged-away customer', () => {
    const entities = `query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Customer { id orders(first: 10) { edges { node { id } } } purchaseSummary { orderCount } }
      }
    }`;
    const as = (principal: Principal) => ({ [PRINCIPAL_HEADER]: signPrincipal(principal, config.internalSigningKey) });

    it("answers the survivor's orders, for the id as given; the access rule sees the survivor", async () => {
      const [a, b, c] = ids('a', 'b', 'c');
      const [ofA, ofC] = [await sale(a), await sale(c)];
      await handle([merged('bc', b, c), merged('ab', a, b)]);

      const staff = await graphql<{ _entities: Array<{ id: string; orders: { edges: Array<{ node: { id: string } }> }; purchaseSummary: { orderCount: number } }> }>(
        url,
        entities,
        { representations: [{ __typename: 'Customer', id: a }, { __typename: 'Customer', id: c }] },
        as({ kind: 'STAFF', staffId: 's-1', role: 'SUPPORT' }),
      );
      expect(staff.errors).toBeUndefined();
      expect(staff.data!._entities.map((e) => e.id)).toEqual([a, c]);
      for (const entity of staff.data!._entities) {
        expect(entity.orders.edges.map((e) => e.node.id).sort()).toEqual([ofA, ofC].sort());
        expect(entity.purchaseSummary.orderCount).toBe(2);
      }

      const survivor = await graphql(url, entities, { representations: [{ __typename: 'Customer', id: a }] }, as({ kind: 'CUSTOMER', customerId: c }));
      expect(survivor.errors).toBeUndefined();
      const mergedAway = await graphql(url, entities, { representations: [{ __typename: 'Customer', id: a }] }, as({ kind: 'CUSTOMER', customerId: a }));
      expect(mergedAway.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
    });

    it("answers the survivor's orders even when an order was left under the merged-away id (written while the merge was applied)", async () => {
      const [a, c, other] = ids('a', 'c', 'other');
      const ofC = await sale(c);
      await handle([merged('ac', a, c)]);
      // On MySQL an order attributed just before the merge committed, and inserted just after, keeps `a`.
      const stray = await sale(other);
      await orders.db.transaction((manager) => manager.query('UPDATE customer_order SET customer_id = ?, attributed_customer_id = ? WHERE id = ?', [a, a, stray]));

      const staff = await graphql<{ _entities: Array<{ orders: { edges: Array<{ node: { id: string } }> }; purchaseSummary: { orderCount: number } }> }>(
        url,
        entities,
        { representations: [{ __typename: 'Customer', id: a }] },
        as({ kind: 'STAFF', staffId: 's-1', role: 'SUPPORT' }),
      );
      expect(staff.errors).toBeUndefined();
      expect(staff.data!._entities[0].orders.edges.map((e) => e.node.id)).toEqual([ofC]);
      expect(staff.data!._entities[0].purchaseSummary.orderCount).toBe(1);
    });
  });
});
