import { NEIGHBOUR_SOURCES, type Ranked, type RankingInput } from './ranking-input';
import { boughtAgain, CO_VIEW_WEIGHT, NEIGHBOUR_WEIGHT, RANKING_PARAMETERS, rank, repeatPropensity, TREND_PRIOR, VIEW_WEIGHT } from './scoring';

const P = RANKING_PARAMETERS;
/** 2^(-days / half-life): an order's weight after `days`. */
const aged = (days: number, halfLife = P.purchaseHalfLifeDays) => Math.pow(2, -days / halfLife);

describe('rank', () => {
  const now = new Date('2025-06-01T00:00:00Z');
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const buyers = new Map([
    ['shirt', 10],
    ['trousers', 10],
    ['belt', 10],
    ['socks', 10],
    ['hat', 10],
    ['scarf', 10],
  ]);
  // Every style as popular and selling as well: demand is the same for all unless a test says otherwise.
  const trend = new Map([...buyers.keys()].map((id) => [id, 1]));
  const demandOf = (b: number, t: number) => Math.pow(b, P.popularityExponent) * Math.pow((t + TREND_PRIOR) / b, P.trendExponent);
  const flat = demandOf(10, 1);
  const base = (overrides: Partial<RankingInput> = {}): RankingInput => ({
    now,
    personal: true,
    purchases: [],
    views: [],
    boughtTogether: new Map(),
    viewedTogether: new Map(),
    buyers,
    trend,
    popular: [
      { productId: 'socks', score: 400 },
      { productId: 'belt', score: 100 },
      { productId: 'hat', score: 50 },
    ],
    popularInStore: false,
    newArrivals: [],
    repeatable: (id) => id === 'socks',
    repeatRate: () => 1,
    eligible: () => true,
    ...overrides,
  });
  const ids = (ranked: Ranked[]) => ranked.map((r) => r.productId);

  it('ranks neighbours by normalised co-purchase, buys repeatable styles again, leaves out the rest of what was bought', () => {
    const ranked = rank(
      base({
        purchases: [
          { productId: 'shirt', at: daysAgo(10), quantity: 1 },
          { productId: 'socks', at: daysAgo(10), quantity: 3 },
        ],
        buyers: new Map([...buyers, ['belt', 100], ['trousers', 5]]),
        trend: new Map([...trend, ['belt', 2], ['trousers', 0.5]]),
        boughtTogether: new Map([
          ['shirt', [{ productId: 'belt', weight: 8 }, { productId: 'trousers', weight: 4 }, { productId: 'shirt', weight: 10 }]],
        ]),
      }),
      10,
    );
    // socks: one order of 3 units 10 days ago; trousers: 0.075 × that order × 4/sqrt(10 × 5); belt: 0.075 × it × 8/sqrt(10 × 100).
    expect(ids(ranked)).toEqual(['socks', 'trousers', 'belt', 'hat']);
    expect(ranked[0].score).toBeCloseTo(aged(10) * Math.pow(3, P.unitsPerOrderExponent) * flat * (1 + 0.2 / 1.5), 9);
    expect(ranked[1].score).toBeCloseTo(NEIGHBOUR_WEIGHT * aged(10) * (4 / Math.sqrt(50)) * demandOf(5, 0.5), 9);
    expect(ranked[2].score).toBeCloseTo(NEIGHBOUR_WEIGHT * aged(10) * (8 / Math.sqrt(1000)) * demandOf(100, 2) * (1 + (0.2 * 0.25) / 1.5), 9);
    expect(ranked[0].reasons).toEqual([{ code: 'BUY_AGAIN', becauseOf: 'socks' }, { code: 'POPULAR' }]);
    expect(ranked[1].reasons).toEqual([{ code: 'BOUGHT_TOGETHER', becauseOf: 'shirt' }]);
    expect(ranked[3].reasons).toEqual([{ code: 'POPULAR' }]);
    expect(ranked[3].score).toBeLessThan(ranked[2].score);
  });

  it('weighs personal evidence by demand: of two styles bought as often, the one others buy now first', () => {
    const input = (hatTrend: number) =>
      base({
        repeatable: () => true,
        popular: [],
        purchases: [
          { productId: 'hat', at: daysAgo(30), quantity: 1 },
          { productId: 'scarf', at: daysAgo(30), quantity: 1 },
        ],
        trend: new Map([...trend, ['hat', hatTrend], ['scarf', 2]]),
      });
    expect(ids(rank(input(5), 10))).toEqual(['hat', 'scarf']);
    expect(ids(rank(input(0), 10))).toEqual(['scarf', 'hat']);
    const [hat, scarf] = rank(input(5), 10);
    expect(hat.score / scarf.score).toBeCloseTo(Math.pow((5 + TREND_PRIOR) / (2 + TREND_PRIOR), P.trendExponent), 9);
    // A style nobody bought lately still counts, as if a hundredth of a line were sold today.
    expect(rank(input(0), 10)[1]).toMatchObject({ productId: 'hat', reasons: [{ code: 'BUY_AGAIN', becauseOf: 'hat' }] });
  });

  it('scales buying again by how often buyers of the style buy it again', () => {
    const ranked = rank(
      base({
        repeatable: () => true,
        popular: [],
        purchases: [
          { productId: 'hat', at: daysAgo(30), quantity: 1 },
          { productId: 'socks', at: daysAgo(30), quantity: 1 },
        ],
        repeatRate: (id) => (id === 'socks' ? 0.6 : 0.05),
      }),
      10,
    );
    expect(ids(ranked)).toEqual(['socks', 'hat']);
    expect(ranked[0].score / ranked[1].score).toBeCloseTo(Math.pow(0.6 / 0.05, P.repeatExponent), 9);
  });

  it('scales buying again by the units taken per order; a neighbour counts its source by orders alone', () => {
    const input = (socks: RankingInput['purchases']) =>
      base({
        repeatable: () => true,
        popular: [],
        purchases: [{ productId: 'hat', at: daysAgo(30), quantity: 1 }, ...socks],
        boughtTogether: new Map([['socks', [{ productId: 'belt', weight: 5 }]]]),
      });
    // Two orders of 6 and 2 units (one of them in two lines, two sizes): 4 units per order.
    const ranked = rank(
      input([
        { productId: 'socks', at: daysAgo(30), quantity: 6 },
        { productId: 'socks', at: daysAgo(60), quantity: 1 },
        { productId: 'socks', at: daysAgo(60), quantity: 1 },
      ]),
      10,
    );
    expect(ids(ranked)).toEqual(['socks', 'hat', 'belt']);
    expect(ranked[0].score / ranked[1].score).toBeCloseTo(((aged(30) + aged(60)) / aged(30)) * Math.pow(4, P.unitsPerOrderExponent), 9);
    // The neighbour counts the source's orders, whatever their units.
    expect(ranked[2].score).toBeCloseTo(NEIGHBOUR_WEIGHT * (aged(30) + aged(60)) * 0.5 * flat, 9);
    // Older orders known from holdings only count their units per order too; fewer units than orders count as one.
    const held = rank(input([{ productId: 'socks', at: daysAgo(30), quantity: 9, orders: 3 }]), 10);
    expect(held[0].score / held[1].score).toBeCloseTo(3 * Math.pow(3, P.unitsPerOrderExponent), 9);
    const returned = rank(input([{ productId: 'socks', at: daysAgo(30), quantity: 1, orders: 3 }]), 10);
    expect(returned[0].score / returned[1].score).toBeCloseTo(3, 9);
  });

  it('takes neighbours of the most recent NEIGHBOUR_SOURCES styles only, whatever neighbours it is given', () => {
    // The oldest of NEIGHBOUR_SOURCES + 1 styles bought (a day apart) is the one left out.
    const bought = Array.from({ length: NEIGHBOUR_SOURCES + 1 }, (_, i) => ({ productId: `style-${i}`, at: daysAgo(i), quantity: 1 }));
    const ranked = rank(
      base({
        purchases: bought,
        boughtTogether: new Map(bought.map((b) => [b.productId, [{ productId: `next-to-${b.productId}`, weight: 1 }]])),
      }),
      NEIGHBOUR_SOURCES + 10,
    );
    const paired = ids(ranked).filter((id) => id.startsWith('next-to-'));
    expect(paired).toHaveLength(NEIGHBOUR_SOURCES);
    expect(paired).not.toContain(`next-to-style-${NEIGHBOUR_SOURCES}`);
  });

  it('does not offer again a repeatable style bought in the last day, and does a day later', () => {
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    const offered = (at: Date) =>
      rank(base({ purchases: [{ productId: 'socks', at, quantity: 1 }], popular: [{ productId: 'socks', score: 1 }] }), 10);
    expect(ids(offered(hoursAgo(1)))).not.toContain('socks');
    expect(offered(hoursAgo(25))[0]).toMatchObject({ productId: 'socks', reasons: [{ code: 'BUY_AGAIN', becauseOf: 'socks' }, { code: 'POPULAR' }] });
  });

  it('counts every order of a style, recent ones more, and sources by how much they were bought', () => {
    const ranked = rank(
      base({
        repeatable: () => true,
        purchases: [
          { productId: 'hat', at: daysAgo(700), quantity: 1 },
          { productId: 'belt', at: daysAgo(30), quantity: 1 },
          { productId: 'socks', at: daysAgo(100), quantity: 1 },
          { productId: 'socks', at: daysAgo(90), quantity: 1 },
          // Older orders the holdings know of, beyond the lines read: two, at the first purchase.
          { productId: 'socks', at: daysAgo(300), quantity: 2, orders: 2 },
        ],
        popular: [],
        boughtTogether: new Map([
          ['hat', [{ productId: 'scarf', weight: 5 }]],
          ['belt', [{ productId: 'trousers', weight: 5 }]],
        ]),
      }),
      10,
    );
    expect(ids(ranked)).toEqual(['socks', 'belt', 'hat', 'trousers', 'scarf']);
    expect(ranked[0].score).toBeCloseTo((aged(100) + aged(90) + 2 * aged(300)) * flat, 9);
    expect(ranked[3].score).toBeCloseTo(NEIGHBOUR_WEIGHT * aged(30) * 0.5 * flat, 9);
  });

  it('leads from a style only viewed through co-views, never "bought with what you bought", weaker than purchases', () => {
    const input = (purchases: RankingInput['purchases']) =>
      base({
        purchases,
        views: [{ productId: 'shirt', at: daysAgo(1) }],
        viewedTogether: new Map([['shirt', [{ productId: 'scarf', weight: 4 }]]]),
        boughtTogether: new Map([['shirt', [{ productId: 'trousers', weight: 4 }]]]),
        popular: [],
      });
    const viewedOnly = rank(input([]), 10);
    expect(viewedOnly.map((r) => [r.productId, r.reasons])).toEqual([['scarf', [{ code: 'VIEWED_TOGETHER', becauseOf: 'shirt' }]]]);
    // A view weighs half a purchase, fading over 30 days; co-views count half of co-purchases.
    const view = VIEW_WEIGHT * Math.pow(2, -1 / 30);
    expect(viewedOnly[0].score).toBeCloseTo(NEIGHBOUR_WEIGHT * CO_VIEW_WEIGHT * view * 0.4 * flat, 9);
    // Bought (a year ago) and viewed: its co-purchases count the order, its co-views the order and the view.
    const bought = rank(input([{ productId: 'shirt', at: daysAgo(365), quantity: 1 }]), 10);
    expect(bought.map((r) => [r.productId, r.reasons[0]])).toEqual([
      ['trousers', { code: 'BOUGHT_TOGETHER', becauseOf: 'shirt' }],
      ['scarf', { code: 'VIEWED_TOGETHER', becauseOf: 'shirt' }],
    ]);
    expect(bought[0].score).toBeCloseTo(NEIGHBOUR_WEIGHT * 0.5 * 0.4 * flat, 9);
    expect(bought[1].score).toBeCloseTo(NEIGHBOUR_WEIGHT * CO_VIEW_WEIGHT * (0.5 + view) * 0.4 * flat, 9);
  });

  it('uses nothing of the history when personalisation is refused', () => {
    const history = {
      purchases: [{ productId: 'socks', at: daysAgo(5), quantity: 1 }, { productId: 'belt', at: daysAgo(5), quantity: 1 }],
      views: [{ productId: 'shirt', at: daysAgo(1) }],
      boughtTogether: new Map([['belt', [{ productId: 'trousers', weight: 5 }]]]),
    };
    const ranked = rank(base({ ...history, personal: false }), 10);
    expect(ranked).toEqual(rank(base({ personal: false }), 10));
    // Owned styles are not left out either: leaving them out would reveal the history.
    expect(ids(ranked)).toEqual(['socks', 'belt', 'hat']);
    expect(ranked.flatMap((r) => r.reasons.map((x) => x.code))).toEqual(['POPULAR', 'POPULAR', 'POPULAR']);
  });

  it('recommends only eligible styles, from every source', () => {
    const ranked = rank(
      base({
        purchases: [{ productId: 'socks', at: daysAgo(5), quantity: 1 }, { productId: 'shirt', at: daysAgo(5), quantity: 1 }],
        boughtTogether: new Map([['shirt', [{ productId: 'trousers', weight: 4 }, { productId: 'scarf', weight: 4 }]]]),
        newArrivals: ['hat', 'scarf'],
        eligible: (id) => id === 'scarf' || id === 'belt',
      }),
      10,
    );
    expect(ids(ranked)).toEqual(['scarf', 'belt']);
  });

  it('puts popularity in the store and new arrivals below personal evidence, with their own reasons', () => {
    const ranked = rank(
      base({
        purchases: [{ productId: 'shirt', at: daysAgo(2000), quantity: 1 }],
        boughtTogether: new Map([['shirt', [{ productId: 'trousers', weight: 1 }]]]),
        popularInStore: true,
        newArrivals: ['scarf', 'hat'],
      }),
      10,
    );
    // Fill by context: socks 1, scarf 0.5 * 1 (newest), hat 50/400 + 0.5 * 1/2, belt 100/400.
    expect(ids(ranked)).toEqual(['trousers', 'socks', 'scarf', 'hat', 'belt']);
    expect(ranked.map((r) => r.reasons.map((x) => x.code))).toEqual([
      ['BOUGHT_TOGETHER'],
      ['POPULAR_IN_STORE'],
      ['NEW_ARRIVAL'],
      ['NEW_ARRIVAL', 'POPULAR_IN_STORE'],
      ['POPULAR_IN_STORE'],
    ]);
    for (const r of ranked) expect(r.reasons.length).toBeGreaterThan(0);
  });

  it('does not offer again what the customer cancelled or returned, unless they kept another purchase of it', () => {
    const input = (purchases: RankingInput['purchases'], personal = true) =>
      base({
        personal,
        repeatable: () => true,
        purchases,
        boughtTogether: new Map([['shirt', [{ productId: 'trousers', weight: 4 }, { productId: 'socks', weight: 4 }]]]),
      });
    const shirt = { productId: 'shirt', at: daysAgo(20), quantity: 1 };
    const returned = (productId: string) => ({ productId, at: daysAgo(10), quantity: 0 });
    expect(ids(rank(input([shirt]), 10))).toEqual(expect.arrayContaining(['shirt', 'trousers', 'socks']));
    // Given back: neither bought again nor reached through the shirt, nor filled in as popular.
    const left = ids(rank(input([shirt, returned('trousers'), returned('socks')]), 10));
    expect(left).not.toContain('trousers');
    expect(left).not.toContain('socks');
    // Kept once, returned once: still theirs, bought again.
    expect(ids(rank(input([shirt, returned('socks'), { productId: 'socks', at: daysAgo(5), quantity: 2 }]), 10))).toContain('socks');
    // Without personalisation nothing of the history counts, returns included.
    expect(rank(input([shirt, returned('socks')], false), 10)).toEqual(rank(input([], false), 10));
  });

  it('lets context order near-equal personal matches but not overturn clear ones', () => {
    const input = (trousersWeight: number) =>
      base({
        purchases: [{ productId: 'shirt', at: daysAgo(1), quantity: 1 }],
        boughtTogether: new Map([['shirt', [{ productId: 'trousers', weight: trousersWeight }, { productId: 'belt', weight: 5 }]]]),
        popular: [{ productId: 'belt', score: 100 }],
        eligible: (id) => id !== 'socks',
      });
    // belt (5 co-buyers) lifted by 0.2 * (1 / 1.5) to the weight of 5.67, past trousers at 5.2 but not at 8.
    expect(ids(rank(input(5.2), 2))).toEqual(['belt', 'trousers']);
    expect(ids(rank(input(8), 2))).toEqual(['trousers', 'belt']);
  });

  it('is deterministic: input order does not matter and ties go to the smaller id', () => {
    const purchases = [
      { productId: 'shirt', at: daysAgo(3), quantity: 1 },
      { productId: 'hat', at: daysAgo(3), quantity: 1 },
      { productId: 'socks', at: daysAgo(7), quantity: 2 },
    ];
    const boughtTogether = new Map([
      ['shirt', [{ productId: 'scarf', weight: 3 }, { productId: 'trousers', weight: 3 }]],
      ['hat', [{ productId: 'trousers', weight: 3 }, { productId: 'scarf', weight: 3 }]],
    ]);
    const a = rank(base({ purchases, boughtTogether }), 10);
    const b = rank(base({ purchases: [...purchases].reverse(), boughtTogether: new Map([...boughtTogether].reverse()) }), 10);
    expect(b).toEqual(a);
    // scarf and trousers score the same (two equal sources); the tie goes to scarf, and to the source hat.
    expect(ids(a)).toEqual(['socks', 'scarf', 'trousers', 'belt']);
    expect(a[2].score).toBe(a[1].score);
    expect(a[1].reasons[0]).toEqual({ code: 'BOUGHT_TOGETHER', becauseOf: 'hat' });
    expect(rank(base({ purchases }), 0)).toEqual([]);
  });
});

describe('repeat habits', () => {
  it("shrinks a style's repeat rate toward its category's by REPEAT_PRIOR_BUYERS buyers", () => {
    const prior = P.repeatPriorBuyers;
    expect(repeatPropensity(0, 0, 0.3)).toBeCloseTo(0.3, 12);
    expect(repeatPropensity(3, 5, 0.3)).toBeCloseTo((3 + prior * 0.3) / (5 + prior), 12);
    // Many buyers speak for themselves.
    expect(repeatPropensity(300, 500, 0.1)).toBeCloseTo((300 + prior * 0.1) / (500 + prior), 12);
    expect(Math.abs(repeatPropensity(300, 500, 0.1) - 0.6)).toBeLessThan(0.02);
  });

  it('offers a category again from 10 % of at least 20 holdings bought in two orders or more', () => {
    expect(boughtAgain(20, 2)).toBe(true);
    expect(boughtAgain(20, 1)).toBe(false);
    expect(boughtAgain(19, 19)).toBe(false);
  });
});
