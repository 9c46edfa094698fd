import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { PRINCIPAL_HEADER, signPrincipal, type Principal } from '../../../../shared/auth/principal';
import { dropDatabase } from '../../../../shared/db/database';
import type { EventBatchHandler } from '../../../../shared/events/bus';
import type { EventPayloads, EventType } from '../../../../shared/events/catalog';
import { idempotentHandler } from '../../../../shared/events/consumer';
import { envelope, type EventEnvelope } from '../../../../shared/events/envelope';
import { Platform } from '../../../../shared/platform';
import { openSubgraph, type OpenSubgraph } from '../../../../shared/subgraph';
import { graphql, testConfig } from '../../../../shared/testkit';
import type { RecommendationsContext } from '../context';
import { recommendationsSubgraph } from '../definition';
import type { RecommendationsDomain } from '../domain';
import { ProductFact, StockFact, VariantFact } from '../catalog/catalog.entity';
import { CustomerPresence, CustomerProduct, PendingGiveBack, PersonalizationChoice, ProductPopularity, ProductView, PurchaseLine } from './ranking.entity';
import { RANKING_PARAMETERS } from './scoring';
import { trendAt } from './trend';

const config = testConfig();

function event<T extends EventType>(producer: string, type: T, key: string, payload: EventPayloads[T]): EventEnvelope {
  return envelope(producer, { type, key, payload });
}

const merged = (mergeId: string, mergedId: string, survivorId: string) =>
  event('customers', 'customer.merged', survivorId, { mergeId, mergedId, survivorId, mergedAt: new Date().toISOString() });
const unmerged = (mergeId: string, mergedId: string, survivorId: string, restoredIds: string[]) =>
  event('customers', 'customer.unmerged', survivorId, { mergeId, mergedId, survivorId, restoredIds });
const linked = (customerId: string, identityValue: string) =>
  event('customers', 'customer.identity_linked', customerId, { customerId, identityType: 'MEMBER_CARD', identityValue });
const consent = (customerId: string, granted: boolean, changedAt = new Date()) =>
  event('customers', 'customer.consent_changed', customerId, {
    customerId,
    purpose: 'PERSONALIZATION',
    granted,
    changedAt: changedAt.toISOString(),
  });
const erased = (customerId: string) =>
  event('customers', 'customer.erased', customerId, { customerId, erasedIds: [customerId], erasedAt: new Date().toISOString() });
/** A product view of a customer, or of a device nobody has claimed yet. */
const viewed = (who: { customerId: string } | { device: string }, productId: string) =>
  event('customers', 'customer.event_tracked', productId, {
    eventId: randomUUID(),
    type: 'PRODUCT_VIEW',
    channel: 'EC',
    occurredAt: new Date().toISOString(),
    customerId: 'customerId' in who ? who.customerId : null,
    identityType: 'device' in who ? 'DEVICE' : null,
    identityValue: 'device' in who ? who.device : null,
    productId,
    variantId: null,
    locationId: null,
  });

describe('recommendations follow the customers service: identities, merges, erasure, consent', () => {
  let platform: Platform;
  let recommendations: OpenSubgraph<RecommendationsDomain, RecommendationsContext>;
  let handle: EventBatchHandler;

  beforeAll(async () => {
    platform = Platform.create(config);
    recommendations = await openSubgraph(recommendationsSubgraph, platform);
    handle = idempotentHandler(recommendations.db, recommendationsSubgraph.consumes!.handler(recommendations.domain));
  });
  afterAll(async () => {
    await recommendations.stop();
    await platform.close();
    await dropDatabase(config, 'recommendations');
    fs.rmSync(config.dataDir, { recursive: true, force: true });
  });

  /** Ids unique to one test, so tests never see each other's rows. */
  function ids(...names: string[]): string[] {
    const run = randomUUID().slice(0, 8);
    return names.map((n) => `${n}-${run}`);
  }

  /** `order.placed` of one unit of each style, for a customer, a card, or both; now unless said. */
  function placed(customerId: string | null, productIds: string[], card?: string, placedAt = new Date()): EventEnvelope {
    const orderId = randomUUID();
    return event('orders', 'order.placed', orderId, {
      orderId,
      number: `T-${orderId}`,
      channel: 'STORE',
      customerId,
      customerIdentity: card ? { type: 'MEMBER_CARD', value: card } : null,
      locationId: 'store-1',
      placedAt: placedAt.toISOString(),
      total: 1000 * productIds.length,
      currencyCode: 'JPY',
      lines: productIds.map((productId) => ({ productId, variantId: `${productId}-v`, quantity: 1, unitPrice: 1000 })),
    });
  }

  /** What each customer owns, as `customer|product|units|orders` rows, sorted. */
  async function owned(...customerIds: string[]): Promise<string[]> {
    const rows = await recommendations.db.manager.getRepository(CustomerProduct).findBy({ customerId: In(customerIds) });
    return rows.map((r) => `${r.customerId}|${r.productId}|${r.units}|${r.orders}`).sort();
  }

  async function buyersOf(productId: string): Promise<number> {
    return (await recommendations.db.manager.getRepository(ProductPopularity).findOneByOrFail({ productId })).buyers;
  }

  it('keeps a return or cancellation that arrives before its order, and applies it when the order comes', async () => {
    const [ann, bob, shirt, hat] = ids('ann', 'bob', 'shirt', 'hat');
    const annOrder = placed(ann, [shirt, hat]);
    const bobOrder = placed(bob, [shirt]);
    const orderOf = (e: EventEnvelope) => (e.payload as EventPayloads['order.placed']).orderId;
    const returned = event('orders', 'order.returned', orderOf(annOrder), {
      orderId: orderOf(annOrder), returnId: randomUUID(), channel: 'STORE', customerId: ann, locationId: 'store-1',
      returnedAt: new Date().toISOString(), refundTotal: 1000, lines: [{ variantId: `${hat}-v`, productId: hat, quantity: 1, refund: 1000 }],
    });
    const cancelled = event('orders', 'order.cancelled', orderOf(bobOrder), {
      orderId: orderOf(bobOrder), channel: 'STORE', customerId: bob, cancelledAt: new Date().toISOString(), reason: null, restock: null,
    });
    // Handled, not failed: nothing waits for the orders meanwhile.
    await handle([returned, cancelled]);
    expect(await owned(ann, bob)).toEqual([]);
    await handle([annOrder, bobOrder]);
    expect(await owned(ann, bob)).toEqual([`${ann}|${shirt}|1|1`]);
    expect(await buyersOf(shirt)).toBe(1);
    expect(await buyersOf(hat)).toBe(0);
    expect(await recommendations.db.manager.getRepository(PendingGiveBack).countBy({ orderId: In([orderOf(annOrder), orderOf(bobOrder)]) })).toBe(0);
  });

  it('gives a purchase made with a card alone to the customer the card is linked to, and later ones at once', async () => {
    const [ann, card, shirt, hat] = ids('ann', 'card', 'shirt', 'hat');
    await handle([placed(null, [shirt], card)]);
    expect(await owned(ann)).toEqual([]);
    expect(await buyersOf(shirt)).toBe(0);

    const link = linked(ann, card);
    await handle([link]);
    await handle([link]);
    expect(await owned(ann)).toEqual([`${ann}|${shirt}|1|1`]);
    expect(await buyersOf(shirt)).toBe(1);

    await handle([placed(null, [hat], card)]);
    expect(await owned(ann)).toEqual([`${ann}|${hat}|1|1`, `${ann}|${shirt}|1|1`]);
  });

  it('merges what two customers own, counts them as one buyer, and an unmerge restores exactly', async () => {
    const [ann, bob, shirt, hat] = ids('ann', 'bob', 'shirt', 'hat');
    await handle([placed(ann, [shirt, hat]), placed(ann, [shirt]), placed(bob, [shirt])]);
    const before = await owned(ann, bob);
    expect(await buyersOf(shirt)).toBe(2);

    await handle([merged('m1', ann, bob)]);
    expect(await owned(ann, bob)).toEqual([`${bob}|${hat}|1|1`, `${bob}|${shirt}|3|3`]);
    expect(await buyersOf(shirt)).toBe(1);

    await handle([unmerged('m1', ann, bob, [ann])]);
    expect(await owned(ann, bob)).toEqual(before);
    expect(await buyersOf(shirt)).toBe(2);

    // Merged again: a purchase by the merged-away id reported after the merge goes to the survivor.
    await handle([merged('m2', ann, bob)]);
    await handle([placed(ann, [hat])]);
    expect(await owned(ann, bob)).toEqual([`${bob}|${hat}|2|2`, `${bob}|${shirt}|3|3`]);
  });

  it.each([
    ['A→B first', false],
    ['B→C first', true],
  ])('ends a chain of merges (%s) on the last survivor, and unmerging A→B gives A back its styles', async (_, reversed) => {
    const [a, b, c, shirt, hat, cap] = ids('a', 'b', 'c', 'shirt', 'hat', 'cap');
    await handle([placed(a, [shirt]), placed(b, [hat]), placed(c, [cap])]);
    const chain = [merged('ab', a, b), merged('bc', b, c)];
    for (const e of reversed ? chain.reverse() : chain) await handle([e]);
    expect(await owned(a, b, c)).toEqual([`${c}|${cap}|1|1`, `${c}|${hat}|1|1`, `${c}|${shirt}|1|1`].sort());

    await handle([unmerged('ab', a, b, [a])]);
    expect(await owned(a, b, c)).toEqual([`${a}|${shirt}|1|1`, `${c}|${cap}|1|1`, `${c}|${hat}|1|1`].sort());
  });

  it('erases the customer from every line and what they own, and nothing brings it back', async () => {
    const [ann, bob, card, dan, shirt] = ids('ann', 'bob', 'card', 'dan', 'shirt');
    await handle([placed(ann, [shirt]), placed(null, [shirt], card)]);
    await handle([linked(bob, card), merged('m', ann, bob), consent(bob, false)]);
    expect(await owned(bob)).toEqual([`${bob}|${shirt}|2|2`]);

    await handle([event('customers', 'customer.erased', bob, { customerId: bob, erasedIds: [bob, ann], erasedAt: new Date().toISOString() })]);
    const lines = await recommendations.db.manager.getRepository(PurchaseLine).findBy({ productId: shirt });
    expect(lines.map((l) => [l.customerId, l.attributedCustomerId, l.identityType, l.identityValue, l.quantity])).toEqual([
      [null, null, null, null, 1],
      [null, null, null, null, 1],
    ]);
    expect(await owned(ann, bob)).toEqual([]);
    expect(await buyersOf(shirt)).toBe(0);

    // The card linked to someone else, or an unmerge, finds nothing of theirs to give back.
    await handle([linked(dan, card), unmerged('m', ann, bob, [ann])]);
    expect(await owned(ann, bob, dan)).toEqual([]);
  });

  it('keeps nothing of an erased customer from what arrives after the erasure, or was linked just before it', async () => {
    const [ann, bob, device, card, shirt] = ids('ann', 'bob', 'device', 'card', 'shirt');
    const viewsOf = async (productId: string) =>
      (await recommendations.db.manager.getRepository(ProductView).findBy({ productId })).map((v) => [v.customerId, v.identityValue]);
    // Views of a device; in one batch the device is linked to ann and ann is erased: the views go too.
    await handle([viewed({ device }, shirt)]);
    await handle([event('customers', 'customer.identity_linked', ann, { customerId: ann, identityType: 'DEVICE', identityValue: device }), erased(ann)]);
    expect(await viewsOf(shirt)).toEqual([]);
    // A sale, a view and a consent of bob that reach this service after his erasure (other streams, retries).
    await handle([erased(bob)]);
    await handle([placed(bob, [shirt], card)]);
    await handle([viewed({ customerId: bob }, shirt), consent(bob, false)]);
    const lines = await recommendations.db.manager.getRepository(PurchaseLine).findBy({ productId: shirt });
    expect(lines.map((l) => [l.customerId, l.attributedCustomerId, l.identityType, l.identityValue])).toEqual([[null, null, null, null]]);
    expect(await owned(bob)).toEqual([]);
    expect(await viewsOf(shirt)).toEqual([]);
    expect(await recommendations.db.manager.getRepository(PersonalizationChoice).findBy({ customerId: bob })).toEqual([]);
    // A link or a merge onto bob that arrives late gives him nothing back.
    const [carol, otherCard, hat] = ids('carol', 'other-card', 'hat');
    await handle([placed(null, [hat], otherCard), placed(carol, [hat])]);
    await handle([linked(bob, otherCard), merged('late', carol, bob)]);
    expect(await owned(bob)).toEqual([]);
    expect(await owned(carol)).toEqual([`${carol}|${hat}|1|1`]);
  });

  it('keeps neither the card nor the behaviour of an erased customer that later events bring with the card alone', async () => {
    const [ann, dan, card, device, shirt, hat, belt] = ids('ann', 'dan', 'card', 'device', 'shirt', 'hat', 'belt');
    const kept = async (productId: string) => ({
      lines: (await recommendations.db.manager.getRepository(PurchaseLine).findBy({ productId })).map((l) => [l.customerId, l.identityValue]),
      views: (await recommendations.db.manager.getRepository(ProductView).findBy({ productId })).map((v) => [v.customerId, v.identityValue]),
    });
    await handle([
      linked(ann, card),
      event('customers', 'customer.identity_linked', ann, { customerId: ann, identityType: 'DEVICE', identityValue: device }),
    ]);
    await handle([erased(ann)]);
    // A till's sale with her card and a view from her device, retried after the erasure.
    await handle([placed(null, [shirt], card), viewed({ device }, shirt)]);
    expect(await kept(shirt)).toEqual({ lines: [[null, null]], views: [] });
    // The card and the device are given to dan: what comes with them from now on is his, in the same batch too.
    await handle([
      linked(dan, card),
      event('customers', 'customer.identity_linked', dan, { customerId: dan, identityType: 'DEVICE', identityValue: device }),
      viewed({ device }, hat),
    ]);
    await handle([placed(null, [hat], card)]);
    expect(await kept(hat)).toEqual({ lines: [[dan, card]], views: [[dan, device]] });
    expect(await owned(dan)).toEqual([`${dan}|${hat}|1|1`]);
    // An identity nobody erased is kept as it came.
    const [stranger] = ids('stranger');
    await handle([placed(null, [belt], stranger)]);
    expect(await kept(belt)).toEqual({ lines: [[null, stranger]], views: [] });
  });

  it('keeps the newest stock level, style description and check-in whatever order their events arrive in', async () => {
    const [shirt, variant, store, ann] = ids('shirt', 'variant', 'store', 'ann');
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    // Levels as read at `asOf`; `occurredAt` is the business event's time (a till's, maybe older).
    const level = (available: number, asOf: string, occurredAt = asOf) => ({
      ...event('inventory', 'stock.changed', store, {
        locationId: store, asOf, levels: [{ variantId: variant, productId: shirt, onHand: available, reserved: 0, available }],
      }),
      occurredAt,
    });
    const described = (soldOnline: boolean, occurredAt: string) => ({
      ...event('inventory', 'product.changed', shirt, {
        productId: shirt, code: shirt, brand: 'Test', category: 'tops', price: 5500, releasedAt: at(60 * 24), soldOnline, variantIds: [variant],
        variants: [{ variantId: variant, size: soldOnline ? 'M' : 'L', color: 'NAVY' }],
      }),
      occurredAt,
    });
    const checkIn = (locationId: string, occurredAt: string) =>
      event('customers', 'customer.event_tracked', ann, {
        eventId: randomUUID(), type: 'STORE_CHECK_IN', channel: 'STORE', occurredAt, customerId: ann,
        identityType: null, identityValue: null, productId: null, variantId: null, locationId,
      });
    // Sold out five minutes ago; the older level (3 left) is retried and arrives after.
    await handle([level(0, at(5))]);
    await handle([level(3, at(10))]);
    await handle([described(true, at(5))]);
    await handle([described(false, at(10))]);
    await handle([checkIn(store, at(5))]);
    await handle([checkIn('elsewhere', at(10))]);
    const { manager } = recommendations.db;
    expect((await manager.getRepository(StockFact).findOneByOrFail({ locationId: store, variantId: variant })).available).toBe(0);
    expect((await manager.getRepository(ProductFact).findOneByOrFail({ productId: shirt })).soldOnline).toBe(true);
    expect((await manager.getRepository(VariantFact).findOneByOrFail({ variantId: variant })).size).toBe('M');
    expect((await manager.getRepository(CustomerPresence).findOneByOrFail({ customerId: ann })).locationId).toBe(store);
    await handle([level(2, at(1))]);
    expect((await manager.getRepository(StockFact).findOneByOrFail({ locationId: store, variantId: variant })).available).toBe(2);
    // A store sale of yesterday imported now: its levels are the newest, whatever the till's time.
    await handle([level(1, at(0), at(60 * 24))]);
    expect((await manager.getRepository(StockFact).findOneByOrFail({ locationId: store, variantId: variant })).available).toBe(1);
  });

  it('orders PERSONALIZATION choices by when they were made, whichever event arrives last', async () => {
    const [ann] = ids('ann');
    const refusals = () => recommendations.db.manager.getRepository(PersonalizationChoice).countBy({ customerId: ann, refused: true });
    const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);
    // A late, older grant does not undo a refusal...
    await handle([consent(ann, false, minutesAgo(5))]);
    await handle([consent(ann, true, minutesAgo(10))]);
    expect(await refusals()).toBe(1);
    await handle([consent(ann, true, minutesAgo(1))]);
    expect(await refusals()).toBe(0);
    // ...nor a late, older refusal a grant.
    await handle([consent(ann, false, minutesAgo(20))]);
    expect(await refusals()).toBe(0);
  });

  it('recommends only popular styles, as to a customer without history, to a customer who refused PERSONALIZATION', async () => {
    const [ann, newcomer, shirt, trousers] = ids('ann', 'newcomer', 'shirt', 'trousers');
    // Others bought shirt and trousers together: ann, who bought the shirt, is offered the trousers.
    for (const buyer of ids('x', 'y')) await handle([placed(buyer, [shirt, trousers])]);
    await handle([placed(ann, [shirt])]);
    const { recommendations: ranking } = recommendations.domain;
    const personal = (await ranking.recommendFor([ann], 5)).get(ann)!;
    expect(personal[0]).toMatchObject({ productId: trousers, reasons: expect.arrayContaining([{ code: 'BOUGHT_TOGETHER', becauseOf: shirt }]) });

    await handle([consent(ann, false)]);
    const lists = await ranking.recommendFor([ann, newcomer], 5);
    expect(lists.get(ann)!.flatMap((s) => s.reasons.map((r) => r.code))).not.toContain('BOUGHT_TOGETHER');
    expect(lists.get(ann)).toEqual(lists.get(newcomer));

    await handle([consent(ann, true)]);
    expect((await ranking.recommendFor([ann], 5)).get(ann)![0].reasons[0]).toEqual({ code: 'BOUGHT_TOGETHER', becauseOf: shirt });
  });

  it('does not offer back what a customer owns from long ago, beyond the purchase lines it reads', async () => {
    const [ann, newcomer, old, filler] = ids('ann', 'newcomer', 'old', 'filler');
    for (const buyer of ids('x', 'y', 'z')) await handle([placed(buyer, [old])]);
    await handle([placed(ann, [old])]);
    // Many later lines: the one with the old style is no longer among the most recent read.
    await handle([placed(ann, Array.from({ length: 250 }, () => filler))]);
    const lists = await recommendations.domain.recommendations.recommendFor([ann, newcomer], 50);
    expect(lists.get(newcomer)!.map((r) => r.productId)).toContain(old);
    expect(lists.get(ann)!.map((r) => r.productId)).not.toContain(old);
  });

  it('offers again a style of a kind bought again, however long ago the customer bought it', async () => {
    const [ann, socks, category] = ids('ann', 'socks', 'socks-category');
    // Twenty customers bought the socks in two orders each, long ago: socks are a kind bought again, but not popular now.
    const longAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
    for (const buyer of ids(...Array.from({ length: 20 }, (_, i) => `buyer-${i}`))) {
      await handle([placed(buyer, [socks], undefined, longAgo(200)), placed(buyer, [socks], undefined, longAgo(190))]);
    }
    await handle([placed(ann, [socks], undefined, longAgo(180))]);
    // Since then she bought so many other styles that the socks are neither among her lines read nor paired with them.
    const others = ids(...Array.from({ length: 250 }, (_, i) => `style-${i}`));
    await handle([placed(ann, others)]);
    await handle([
      event('inventory', 'product.changed', socks, {
        productId: socks, code: socks, brand: 'Test', category, price: 990, releasedAt: new Date(Date.now() - 400 * 86_400_000).toISOString(),
        soldOnline: true, variantIds: [`${socks}-v`], variants: [{ variantId: `${socks}-v`, size: 'M', color: 'NAVY' }],
      }),
    ]);
    const socksFor = (await recommendations.domain.recommendations.recommendFor([ann], 50)).get(ann)!.find((r) => r.productId === socks);
    expect(socksFor?.reasons[0]).toEqual({ code: 'BUY_AGAIN', becauseOf: socks });
  });

  it("takes the popularity of the channel asked for: a partner's shoppers see what sells through partners", async () => {
    const [newcomer, partnerHit, partnerOther, storeHit] = ids('newcomer', 'partner-hit', 'partner-other', 'store-hit');
    const throughPartner = (productIds: string[]) => {
      const e = placed(null, productIds);
      Object.assign(e.payload as EventPayloads['order.placed'], { channel: 'PARTNER', locationId: null });
      return e;
    };
    await handle([throughPartner([partnerHit, partnerHit, partnerOther]), throughPartner([partnerHit])]);
    await handle([placed(null, Array.from({ length: 500 }, () => storeHit))]);
    const popular = (channel: string | null) =>
      recommendations.domain.recommendations
        .recommendFor([newcomer], 50, { channel })
        .then((lists) => lists.get(newcomer)!.filter((r) => r.reasons.some((x) => x.code === 'POPULAR')).map((r) => r.productId));
    expect(await popular('PARTNER')).toEqual([partnerHit, partnerOther]);
    // Without a channel, every channel's sales.
    expect((await popular(null))[0]).toBe(storeHit);
  });

  it("gives a merged-away customer's check-in to the survivor when it is the newer one", async () => {
    const [ann, bob, carol, storeA, storeB] = ids('ann', 'bob', 'carol', 'store-a', 'store-b');
    const checkIn = (customerId: string, locationId: string, minutesAgo: number) =>
      event('customers', 'customer.event_tracked', customerId, {
        eventId: randomUUID(), type: 'STORE_CHECK_IN', channel: 'STORE', occurredAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
        customerId, identityType: null, identityValue: null, productId: null, variantId: null, locationId,
      });
    const presence = async () =>
      (await recommendations.db.manager.getRepository(CustomerPresence).findBy({ customerId: In([ann, bob, carol]) })).map((p) => `${p.customerId}@${p.locationId}`).sort();
    await handle([checkIn(ann, storeA, 5), checkIn(bob, storeB, 30), checkIn(carol, storeB, 1)]);
    await handle([merged('ab', ann, bob)]);
    expect(await presence()).toEqual([`${bob}@${storeA}`, `${carol}@${storeB}`]);
    // carol's own check-in is newer than the one bob brings.
    await handle([merged('bc', bob, carol)]);
    expect(await presence()).toEqual([`${carol}@${storeB}`]);
  });

  it('loses nothing in a restart: facts and derived state live in its database', async () => {
    const [ann, shirt, trousers, store] = ids('ann', 'shirt', 'trousers', 'store');
    for (const buyer of ids('x', 'y')) await handle([placed(buyer, [shirt, trousers])]);
    await handle([placed(ann, [shirt]), viewed({ customerId: ann }, trousers)]);
    await handle([
      event('customers', 'customer.event_tracked', ann, {
        eventId: randomUUID(), type: 'STORE_CHECK_IN', channel: 'STORE', occurredAt: new Date().toISOString(), customerId: ann,
        identityType: null, identityValue: null, productId: null, variantId: null, locationId: store,
      }),
    ]);
    const now = new Date();
    // In the store she checked into, which has no stock picture here: unfiltered.
    const served = () => recommendations.domain.recommendations.recommendFor([ann], 20, { inStockOnly: false }, now);
    const kept = async () => ({
      served: await served(),
      state: await recommendations.domain.ranking.derivedState(),
      presence: (await recommendations.db.manager.getRepository(CustomerPresence).findOneByOrFail({ customerId: ann })).locationId,
    });
    const before = await kept();
    expect(before.served.get(ann)!.map((r) => r.productId)).toContain(trousers);
    await recommendations.stop();
    recommendations = await openSubgraph(recommendationsSubgraph, platform);
    handle = idempotentHandler(recommendations.db, recommendationsSubgraph.consumes!.handler(recommendations.domain));
    expect(await kept()).toEqual(before);
    expect(before.presence).toBe(store);
  });

  it('keeps sales and customer events waiting while a rebuild runs, and counts them once after it', async () => {
    const [ann, shirt, trousers, store] = ids('ann', 'shirt', 'trousers', 'store');
    await handle([placed(ann, [shirt])]);
    const { ranking } = recommendations.domain;
    let reached!: () => void;
    let resume!: () => void;
    const halfway = new Promise<void>((resolve) => (reached = resolve));
    const paused = new Promise<void>((resolve) => (resume = resolve));
    const rebuilding = ranking.rebuild(async (message) => {
      if (!message.startsWith('sales')) return;
      reached();
      await paused;
    });
    await halfway;
    // Counted now, the sale would count twice or into a half-built state: the bus retries it later.
    const later = placed(ann, [trousers]);
    await expect(handle([later])).rejects.toThrow(/being rebuilt/);
    await expect(ranking.rebuild()).rejects.toThrow(/has not finished/);
    // Stock is not derived state: it goes on.
    await handle([
      event('inventory', 'stock.changed', store, {
        locationId: store, asOf: new Date().toISOString(), levels: [{ variantId: `${shirt}-v`, productId: shirt, onHand: 1, reserved: 0, available: 1 }],
      }),
    ]);
    resume();
    await rebuilding;
    await handle([later]);
    expect(await owned(ann)).toEqual([`${ann}|${shirt}|1|1`, `${ann}|${trousers}|1|1`].sort());
    const incremental = await ranking.derivedState();
    await ranking.rebuild();
    expect(await ranking.derivedState()).toEqual(incremental);
  });

  (config.mysqlUrl ? it : it.skip)('starts a rebuild on MySQL only once the batches in flight have committed', async () => {
    const { ranking } = recommendations.domain;
    let inside!: () => void;
    let release!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    const held = new Promise<void>((resolve) => (release = resolve));
    const batch = recommendations.db.transaction(async (manager) => {
      await ranking.assertNotRebuilding(manager);
      inside();
      await held;
    });
    await entered;
    const rebuilding = ranking.rebuild();
    // The rebuild waits for the batch's lock on the mark: seen as a lock wait on ranking_rebuild.
    const waits = async () => {
      const rows = await recommendations.db.manager.query(
        `SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
         WHERE t.trx_state = 'LOCK WAIT' AND p.DB = ? AND t.trx_query LIKE '%ranking_rebuild%'`,
        [`${config.dbPrefix}recommendations`],
      );
      return Number(rows[0].n);
    };
    // InnoDB refreshes these tables only after 100 ms without a read of them: poll slower than that.
    for (let polls = 0; (await waits()) === 0; polls++) {
      if (polls === 50) throw new Error('the rebuild started without waiting for the batch in flight');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    release();
    await batch;
    await rebuilding;
  });

  it('keeps events waiting after an interrupted rebuild, until one started again with force finishes', async () => {
    const [ann, shirt] = ids('ann', 'shirt');
    const { ranking } = recommendations.domain;
    await expect(
      ranking.rebuild(() => {
        throw new Error('interrupted');
      }),
    ).rejects.toThrow('interrupted');
    const sale = placed(ann, [shirt]);
    await expect(handle([sale])).rejects.toThrow(/being rebuilt/);
    await expect(ranking.rebuild()).rejects.toThrow(/--force/);
    await ranking.rebuild(undefined, { force: true });
    await handle([sale]);
    expect(await owned(ann)).toEqual([`${ann}|${shirt}|1|1`]);
  });

  it("answers a reference to a merged-away customer with the survivor's recommendations; the access rule sees the survivor", async () => {
    const [a, b, c, shirt, trousers] = ids('a', 'b', 'c', 'shirt', 'trousers');
    // Others bought shirt and trousers together; c, the survivor of two merges, bought the shirt.
    for (const buyer of ids('x', 'y')) await handle([placed(buyer, [shirt, trousers])]);
    await handle([placed(c, [shirt]), merged('ab', a, b), merged('bc', b, c)]);
    const { url } = await recommendations.listen(0);
    const entities = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id recommendations(first: 3) { product { id } reasons { code } } } } }';
    const as = (principal: Principal) => ({ [PRINCIPAL_HEADER]: signPrincipal(principal, config.internalSigningKey) });
    type Entities = { _entities: Array<{ id: string; recommendations: Array<{ product: { id: string }; reasons: Array<{ code: string }> }> }> };

    const staff = await graphql<Entities>(url, entities, { r: [a, b, c].map((id) => ({ __typename: 'Customer', id })) }, as({ kind: 'STAFF', staffId: 's', role: 'SUPPORT' }));
    expect(staff.errors).toBeUndefined();
    const [ofA, ofB, ofC] = staff.data!._entities;
    expect([ofA.id, ofB.id, ofC.id]).toEqual([a, b, c]);
    expect(ofC.recommendations[0].product.id).toBe(trousers);
    expect(ofC.recommendations[0].reasons).toContainEqual({ code: 'BOUGHT_TOGETHER' });
    expect(ofA.recommendations).toEqual(ofC.recommendations);
    expect(ofB.recommendations).toEqual(ofC.recommendations);

    const survivor = await graphql<Entities>(url, entities, { r: [{ __typename: 'Customer', id: a }] }, as({ kind: 'CUSTOMER', customerId: c }));
    expect(survivor.errors).toBeUndefined();
    expect(survivor.data!._entities[0].recommendations).toEqual(ofC.recommendations);
    const mergedAway = await graphql(url, entities, { r: [{ __typename: 'Customer', id: a }] }, as({ kind: 'CUSTOMER', customerId: a }));
    expect(mergedAway.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
  });

  it("gives a merged-away id its survivor's recommendations, refusal included, even with history left under it (written while the merge was applied)", async () => {
    const [a, c, other, shirt, trousers] = ids('a', 'c', 'other', 'shirt', 'trousers');
    for (const buyer of ids('x', 'y')) await handle([placed(buyer, [shirt, trousers])]);
    await handle([placed(c, [shirt]), merged('ac', a, c), consent(c, false)]);
    // On MySQL a purchase attributed just before the merge committed, and inserted just after, keeps `a`.
    await handle([placed(other, [shirt])]);
    await recommendations.db.transaction(async (manager) => {
      await manager.query('UPDATE purchase_line SET customer_id = ?, attributed_customer_id = ? WHERE customer_id = ?', [a, a, other]);
      await manager.query('UPDATE customer_product SET customer_id = ? WHERE customer_id = ?', [a, other]);
    });

    const lists = await recommendations.domain.recommendations.recommendFor([a, c], 5);
    expect(lists.get(a)).toEqual(lists.get(c));
    expect(lists.get(a)!.flatMap((r) => r.reasons.map((reason) => reason.code))).not.toContain('BOUGHT_TOGETHER');
  });

  it('counts units sold past 2^31: years of sales, or floods of imports within their bounds, never overflow a counter', async () => {
    const [ann, style] = ids('ann', 'style');
    await handle([placed(ann, [style])]);
    // As if billions of units had been sold already (the bounds allow 999 a line: this takes long, not forever).
    const near = 2 ** 31 - 1;
    await recommendations.db.transaction(async (manager) => {
      for (const table of ['product_popularity', 'product_sales_day']) await manager.query(`UPDATE ${table} SET units = ? WHERE product_id = ?`, [near, style]);
    });
    await handle([placed(ann, [style])]);
    expect((await recommendations.db.manager.getRepository(ProductPopularity).findOneByOrFail({ productId: style })).units).toBe(near + 1);
    const days: Array<{ units: unknown }> = await recommendations.db.manager.query('SELECT units FROM product_sales_day WHERE product_id = ?', [style]);
    expect(days.length).toBeGreaterThan(0);
    expect(days.map((d) => Number(d.units))).toEqual(days.map(() => near + 1));
  });

  it("keeps each style's repeat buyers and trend (its kept lines, decayed) as lines come and are given back", async () => {
    const [ann, bob, shirt] = ids('ann', 'bob', 'shirt');
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
    const bobOrder = placed(bob, [shirt], undefined, daysAgo(5));
    await handle([placed(ann, [shirt], undefined, daysAgo(20)), placed(ann, [shirt], undefined, daysAgo(10)), bobOrder]);
    const popularity = () => recommendations.db.manager.getRepository(ProductPopularity).findOneByOrFail({ productId: shirt });
    const decayed = (...ages: number[]) => ages.reduce((sum, age) => sum + Math.pow(2, -age / RANKING_PARAMETERS.trendHalfLifeDays), 0);
    expect(await popularity()).toMatchObject({ buyers: 2, repeatBuyers: 1 });
    expect(trendAt((await popularity()).trend, new Date())).toBeCloseTo(decayed(20, 10, 5), 4);
    // Bob returns his: his line leaves the trend, and he leaves the buyers.
    const orderId = (bobOrder.payload as EventPayloads['order.placed']).orderId;
    await handle([
      event('orders', 'order.returned', orderId, {
        orderId, returnId: randomUUID(), channel: 'STORE', customerId: bob, locationId: 'store-1', returnedAt: new Date().toISOString(),
        refundTotal: 1000, lines: [{ variantId: `${shirt}-v`, productId: shirt, quantity: 1, refund: 1000 }],
      }),
    ]);
    expect(await popularity()).toMatchObject({ buyers: 1, repeatBuyers: 1 });
    expect(trendAt((await popularity()).trend, new Date())).toBeCloseTo(decayed(20, 10), 4);
  });

  it('suggests a SKU in stock where her size is unknown: of the size most bought at the store, else the deepest stock', async () => {
    const [store, newcomer, tee, cap, seller] = ids('store', 'newcomer', 'tee', 'cap', 'seller');
    const described = (productId: string, category: string) =>
      event('inventory', 'product.changed', productId, {
        productId, code: productId, brand: 'Test', category, price: 990, releasedAt: new Date(Date.now() - 400 * 86_400_000).toISOString(),
        soldOnline: true, variantIds: ['S', 'M', 'L'].map((size) => `${productId}-${size}`),
        variants: ['S', 'M', 'L'].map((size) => ({ variantId: `${productId}-${size}`, size, color: 'NAVY' })),
      });
    const levels = event('inventory', 'stock.changed', store, {
      locationId: store, asOf: new Date().toISOString(),
      levels: [tee, cap].flatMap((productId) =>
        (['S', 'M', 'L'] as const).map((size) => {
          const available = { S: 5, M: 1, L: 9 }[size];
          return { variantId: `${productId}-${size}`, productId, onHand: available, reserved: 0, available };
        }),
      ),
    });
    // At this store the tee sells in M (and once in S); nothing of the cap's category was sold there.
    const sold = (size: string) => {
      const e = placed(seller, [tee]);
      const payload = e.payload as EventPayloads['order.placed'];
      return { ...e, payload: { ...payload, locationId: store, lines: payload.lines.map((l) => ({ ...l, variantId: `${tee}-${size}` })) } };
    };
    await handle([described(tee, `tees-${store}`), described(cap, `caps-${store}`), levels, sold('M'), sold('M'), sold('S')]);
    // Caps sell elsewhere (SKUs not described), and well: among the channel's bestsellers, not this store's.
    await handle(Array.from({ length: 10 }, () => placed(seller, [cap])));
    const inStore = (await recommendations.domain.recommendations.recommendFor([newcomer], 10, { locationId: store })).get(newcomer)!;
    expect(inStore.find((r) => r.productId === tee)).toMatchObject({ variantId: `${tee}-M`, reasons: [{ code: 'POPULAR_IN_STORE' }] });
    // Outside a store: the SKU with the most units available.
    const anywhere = (await recommendations.domain.recommendations.recommendFor([newcomer], 50)).get(newcomer)!;
    expect(Object.fromEntries(anywhere.filter((r) => [tee, cap].includes(r.productId)).map((r) => [r.productId, r.variantId]))).toEqual({
      [tee]: `${tee}-L`,
      [cap]: `${cap}-L`,
    });
  });
});
