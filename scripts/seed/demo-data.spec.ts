import { MAX_ORDER_LINE_QUANTITY, MAX_ORDER_TOTAL, MAX_STOCK_LEVEL, MAX_UNIT_PRICE } from '../../shared/bounds';
import { generateDemoData, type DemoData, type DemoTouchpoint } from './demo-data';

const anchor = new Date('2025-11-20T03:00:00Z');
const twoYearsBefore = new Date('2023-11-20T03:00:00Z').getTime();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('generateDemoData', () => {
  it('is deterministic for the same seed and anchor', () => {
    const a = generateDemoData({ scale: 0.02, seed: 7, anchor });
    const b = generateDemoData({ scale: 0.02, seed: 7, anchor });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(generateDemoData({ scale: 0.02, seed: 8, anchor }))).not.toBe(JSON.stringify(a));
  });

  it('keeps location ids stable across scales for one seed', () => {
    const small = generateDemoData({ scale: 0.02, seed: 7, anchor });
    const larger = generateDemoData({ scale: 0.05, seed: 7, anchor });
    expect(larger.locations.map((l) => l.id)).toEqual(small.locations.map((l) => l.id));
  });

  it('applies the minimum counts at tiny scales', () => {
    const data = generateDemoData({ scale: 0.001, seed: 1, anchor });
    expect(data.products.length).toBeGreaterThanOrEqual(20);
    expect(data.customers.length).toBeGreaterThanOrEqual(50);
    expect(data.orders.length).toBeGreaterThanOrEqual(300);
  });

  it('rejects nonsense options', () => {
    expect(() => generateDemoData({ scale: 0, seed: 1, anchor })).toThrow(RangeError);
    expect(() => generateDemoData({ scale: 1, seed: 1, anchor: new Date(NaN) })).toThrow(RangeError);
  });

  describe('at scale 1', () => {
    let data: DemoData;
    beforeAll(() => {
      data = generateDemoData({ scale: 1, seed: 42, anchor });
    }, 30_000);

    it('has the promised volume', () => {
      expect(data.locations.filter((l) => l.type === 'STORE').length).toBeGreaterThanOrEqual(10);
      expect(data.locations.filter((l) => l.type === 'WAREHOUSE')).toHaveLength(1);
      expect(data.products.length).toBeGreaterThanOrEqual(500);
      expect(data.customers.length).toBeGreaterThanOrEqual(5000);
      expect(data.orders.length).toBeGreaterThanOrEqual(50_000);
      expect(data.stock.map((s) => s.locationId)).toEqual(data.locations.map((l) => l.id));
    });

    it("stays within the graph's bounds (shared/bounds.ts): quantities, prices, totals and stock levels", () => {
      const max = (values: number[]) => values.reduce((a, b) => Math.max(a, b), -Infinity);
      const lines = data.orders.flatMap((o) => o.lines);
      expect(max(lines.map((l) => l.quantity))).toBeLessThanOrEqual(MAX_ORDER_LINE_QUANTITY);
      expect(lines.every((l) => l.quantity >= 1 && l.unitPrice >= 0)).toBe(true);
      expect(max([...lines.map((l) => l.unitPrice), ...data.products.map((p) => p.price)])).toBeLessThanOrEqual(MAX_UNIT_PRICE);
      expect(max(data.orders.map((o) => o.lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0)))).toBeLessThanOrEqual(MAX_ORDER_TOTAL);
      expect(max(data.stock.flatMap((s) => s.lines.map((l) => l.quantity)))).toBeLessThanOrEqual(MAX_STOCK_LEVEL);
    });

    it('uses UUID v4 ids and unique codes, SKUs and order numbers', () => {
      const ids = [
        ...data.locations.map((l) => l.id),
        ...data.products.flatMap((p) => [p.id, ...p.variants.map((v) => v.id)]),
        ...data.customers.map((c) => c.id),
        ...data.orders.map((o) => o.id),
      ];
      expect(ids.every((id) => UUID.test(id))).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      const skus = data.products.flatMap((p) => p.variants.map((v) => v.sku));
      expect(new Set(skus).size).toBe(skus.length);
      expect(new Set(data.orders.map((o) => o.number)).size).toBe(data.orders.length);
      const receipts = data.orders.flatMap((o) => (o.externalId ? [o.externalId] : []));
      expect(new Set(receipts).size).toBe(receipts.length);
      expect(receipts.length).toBe(data.orders.filter((o) => o.channel === 'STORE').length);
    });

    it('never gives one identity value to two customers', () => {
      const values = data.customers.flatMap((c) => c.identities.map((i) => i.value));
      expect(new Set(values).size).toBe(values.length);
    });

    it('sells only released variants of the line product, online only what is sold online', () => {
      const products = new Map(data.products.map((p) => [p.id, p]));
      const problems: string[] = [];
      for (const order of data.orders) {
        if (order.lines.length === 0) problems.push(`${order.number}: no lines`);
        for (const line of order.lines) {
          const product = products.get(line.productId)!;
          if (!product.variants.some((v) => v.id === line.variantId)) problems.push(`${order.number}: variant not of ${product.code}`);
          if (product.releasedAt > order.placedAt) problems.push(`${order.number}: ${product.code} not released yet`);
          if (order.channel !== 'STORE' && !product.soldOnline) problems.push(`${order.number}: ${product.code} is store-only`);
        }
      }
      expect(problems.slice(0, 5)).toEqual([]);
    });

    it('keeps every order within the two years before the anchor, sorted, after the customer signed up', () => {
      const customers = new Map(data.customers.map((c) => [c.id, c]));
      const times = data.orders.map((o) => o.placedAt.getTime());
      expect(times.every((t, i) => i === 0 || times[i - 1] <= t)).toBe(true);
      expect(times[0]).toBeGreaterThanOrEqual(twoYearsBefore);
      expect(times[times.length - 1]).toBeLessThan(anchor.getTime());
      const early = data.orders.filter((o) => o.customerId && customers.get(o.customerId)!.createdAt > o.placedAt);
      expect(early.map((o) => o.number)).toEqual([]);
    });

    it('matches fulfilment to channel', () => {
      const stores = new Set(data.locations.filter((l) => l.type === 'STORE').map((l) => l.id));
      const pickup = new Set(data.locations.filter((l) => l.pickupEnabled).map((l) => l.id));
      const wrong = data.orders.filter((o) =>
        o.channel === 'STORE'
          ? o.fulfillmentType !== 'CARRY_OUT' || !stores.has(o.locationId!)
          : o.fulfillmentType === 'PICKUP_IN_STORE'
            ? !pickup.has(o.locationId!)
            : o.fulfillmentType !== 'SHIP' || o.locationId !== null,
      );
      expect(wrong.map((o) => o.number)).toEqual([]);
    });

    it('lets store-only customers buy only in store and online-only customers only online', () => {
      const channels = new Map<string, Set<string>>();
      for (const o of data.orders) if (o.customerId) channels.set(o.customerId, (channels.get(o.customerId) ?? new Set()).add(o.channel));
      const wrong = data.customers.filter((c) => {
        const types = new Set(c.identities.map((i) => i.type));
        const used = channels.get(c.id) ?? new Set();
        return (!types.has('EC_ACCOUNT') && (used.has('EC') || used.has('APP'))) || (!types.has('MEMBER_CARD') && used.has('STORE'));
      });
      expect(wrong.map((c) => c.id)).toEqual([]);
      expect(data.customers.some((c) => !c.identities.some((i) => i.type === 'EC_ACCOUNT') && channels.has(c.id))).toBe(true);
    });

    it('lists duplicate pairs of the same person', () => {
      const customers = new Map(data.customers.map((c) => [c.id, c]));
      expect(data.duplicates.length).toBeGreaterThanOrEqual(data.customers.length * 0.005);
      for (const { a, b } of data.duplicates) {
        const [x, y] = [customers.get(a)!, customers.get(b)!];
        expect(x.displayName).toBe(y.displayName);
        expect(x.displayNameKana).toBe(y.displayNameKana);
        expect(x.id).not.toBe(y.id);
      }
    });

    it('has heavy buyers and a channel mix near 40/20/40', () => {
      const perCustomer = new Map<string, number>();
      for (const o of data.orders) if (o.customerId) perCustomer.set(o.customerId, (perCustomer.get(o.customerId) ?? 0) + 1);
      expect(Math.max(...perCustomer.values())).toBeGreaterThan(10);
      const share = (channel: string) => data.orders.filter((o) => o.channel === channel).length / data.orders.length;
      expect(share('EC')).toBeGreaterThan(0.3);
      expect(share('APP')).toBeGreaterThan(0.12);
      expect(share('STORE')).toBeGreaterThan(0.3);
    });

    describe('touchpoints', () => {
      const HOUR = 3_600_000;
      const DAY = 24 * HOUR;
      let byCustomer: Map<string, DemoTouchpoint[]>;
      beforeAll(() => {
        byCustomer = new Map();
        for (const t of data.touchpoints) {
          if (!t.customerId) continue;
          const own = byCustomer.get(t.customerId);
          if (own) own.push(t);
          else byCustomer.set(t.customerId, [t]);
        }
      });

      it('has the promised volume, every type and some anonymous browsing', () => {
        expect(data.touchpoints.length).toBeGreaterThanOrEqual(40_000);
        expect(data.touchpoints.length).toBeLessThanOrEqual(80_000);
        const types = new Set(data.touchpoints.map((t) => t.type));
        expect([...types].sort()).toEqual(['ADD_TO_CART', 'APP_OPEN', 'PAGE_VIEW', 'PRODUCT_VIEW', 'SEARCH']);
        const anonymous = data.touchpoints.filter((t) => t.customerId === null).length;
        expect(anonymous).toBeGreaterThan(data.touchpoints.length * 0.03);
      });

      it('uses unique event ids, sorted by time within the two years before the anchor', () => {
        const ids = data.touchpoints.map((t) => t.eventId);
        expect(ids.every((id) => /^ev-[0-9a-f]{16}$/.test(id))).toBe(true);
        expect(new Set(ids).size).toBe(ids.length);
        const times = data.touchpoints.map((t) => t.occurredAt.getTime());
        expect(times.every((t, i) => i === 0 || times[i - 1] <= t)).toBe(true);
        expect(times[0]).toBeGreaterThanOrEqual(twoYearsBefore);
        expect(times[times.length - 1]).toBeLessThan(anchor.getTime());
      });

      it('refers to known customers or devices, and to released online styles and their variants', () => {
        const customers = new Map(data.customers.map((c) => [c.id, c]));
        const products = new Map(data.products.map((p) => [p.id, p]));
        const problems: string[] = [];
        for (const t of data.touchpoints) {
          const at = `${t.eventId} (${t.type})`;
          if (t.customerId !== null) {
            const customer = customers.get(t.customerId);
            if (!customer) problems.push(`${at}: unknown customer`);
            else if (customer.createdAt > t.occurredAt) problems.push(`${at}: before the customer signed up`);
            if (t.identity !== null) problems.push(`${at}: both a customer and an identity`);
          } else if (t.identity?.type !== 'DEVICE' || !t.identity.value) problems.push(`${at}: anonymous without a device`);
          const withProduct = t.type === 'PRODUCT_VIEW' || t.type === 'ADD_TO_CART';
          const product = t.productId === null ? undefined : products.get(t.productId);
          if (withProduct !== (t.productId !== null)) problems.push(`${at}: product ${t.productId}`);
          if (t.productId !== null && (!product || !product.soldOnline || product.releasedAt > t.occurredAt)) problems.push(`${at}: not a released online style`);
          if ((t.type === 'ADD_TO_CART') !== (t.variantId !== null)) problems.push(`${at}: variant ${t.variantId}`);
          if (t.variantId !== null && !product?.variants.some((v) => v.id === t.variantId)) problems.push(`${at}: variant not of the product`);
          if ((t.type === 'SEARCH') !== (t.query !== null && t.query.length > 0 && t.query.length <= 40)) problems.push(`${at}: query ${t.query}`);
          if (t.type === 'APP_OPEN' && t.channel !== 'APP') problems.push(`${at}: app opened on ${t.channel}`);
        }
        expect(problems.slice(0, 5)).toEqual([]);
      });

      it('lets devices browse before their owner links them, and devices nobody owns browse too', () => {
        const linkedAt = new Map(data.customers.flatMap((c) => c.identities.filter((i) => i.type === 'DEVICE').map((i) => [i.value, i.linkedAt] as const)));
        const owned = new Set<string>();
        const strangers = new Set<string>();
        const late: string[] = [];
        for (const t of data.touchpoints) {
          if (!t.identity) continue;
          const linked = linkedAt.get(t.identity.value);
          if (!linked) strangers.add(t.identity.value);
          else if (t.occurredAt < linked) owned.add(t.identity.value);
          // Once linked, the device's events belong to its customer.
          else late.push(t.eventId);
        }
        expect(late).toEqual([]);
        expect(owned.size).toBeGreaterThanOrEqual(linkedAt.size * 0.1);
        expect(strangers.size).toBeGreaterThanOrEqual(data.customers.length * 0.05);
      });

      it('shows items put in the cart shortly before online orders, and product views in the days before', () => {
        let online = 0;
        let carted = 0;
        let viewed = 0;
        for (const o of data.orders) {
          if (!o.customerId || o.channel === 'STORE') continue;
          online++;
          const placedAt = o.placedAt.getTime();
          const before = (t: DemoTouchpoint, window: number) => t.occurredAt.getTime() < placedAt && t.occurredAt.getTime() >= placedAt - window;
          const own = byCustomer.get(o.customerId) ?? [];
          if (own.some((t) => t.type === 'ADD_TO_CART' && before(t, 3 * HOUR) && o.lines.some((l) => l.variantId === t.variantId))) carted++;
          if (own.some((t) => t.type === 'PRODUCT_VIEW' && before(t, 14 * DAY) && o.lines.some((l) => l.productId === t.productId))) viewed++;
        }
        expect(carted / online).toBeGreaterThan(0.25);
        expect(viewed / online).toBeGreaterThan(0.25);
      });

      it('makes store buyers who browse online (never buying there) spend more than store buyers who never browse', () => {
        const value = new Map<string, number>();
        const boughtOnline = new Set<string>();
        for (const o of data.orders) {
          if (!o.customerId) continue;
          value.set(o.customerId, (value.get(o.customerId) ?? 0) + o.lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0));
          if (o.channel !== 'STORE') boughtOnline.add(o.customerId);
        }
        const storeOnly = [...value.keys()].filter((id) => !boughtOnline.has(id));
        const browsers = storeOnly.filter((id) => byCustomer.has(id));
        const others = storeOnly.filter((id) => !byCustomer.has(id));
        const average = (ids: string[]) => ids.reduce((sum, id) => sum + value.get(id)!, 0) / ids.length;
        expect(browsers.length).toBeGreaterThanOrEqual(data.customers.length * 0.05);
        expect(others.length).toBeGreaterThanOrEqual(data.customers.length * 0.05);
        expect(average(browsers)).toBeGreaterThan(average(others));
      });
    });
  });
});
