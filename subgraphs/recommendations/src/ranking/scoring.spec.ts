import { NEIGHBOUR_SOURCES, type Ranked, type RankingInput } from './ranking-input';
import { NEIGHBOUR_WEIGHT, rank } from './scoring';

describe('rank', () => {
  const now = new Date('2025-06-01T00:00:00Z');
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const base = (overrides: Partial<RankingInput> = {}): RankingInput => ({
    now,
    personal: true,
    purchases: [],
    views: [],
    boughtTogether: new Map(),
    viewedTogether: new Map(),
    buyers: new Map([
      ['shirt', 10],
      ['trousers', 5],
      ['belt', 100],
      ['socks', 400],
      ['hat', 50],
      ['scarf', 20],
    ]),
    popular: [
      { productId: 'socks', score: 400 },
      { productId: 'belt', score: 100 },
      { productId: 'hat', score: 50 },
    ],
    popularInStore: false,
    newArrivals: [],
    repeatable: (id) => id === 'socks',
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
        boughtTogether: new Map([
          ['shirt', [{ productId: 'belt', weight: 8 }, { productId: 'trousers', weight: 4 }, { productId: 'shirt', weight: 10 }]],
        ]),
      }),
      10,
    );
    // socks: 2^(-10/90) = 0.926; trousers: 0.5 * 0.926 * 4/sqrt(10*5) = 0.262; belt: 0.5 * 0.926 * 8/sqrt(10*100) = 0.117.
    expect(ids(ranked)).toEqual(['socks', 'trousers', 'belt', 'hat']);
    expect(ranked[0].score).toBeCloseTo(Math.pow(2, -10 / 90) * (1 + 0.2 / 1.5), 6);
    expect(ranked[0].reasons).toEqual([{ code: 'BUY_AGAIN', becauseOf: 'socks' }, { code: 'POPULAR' }]);
    expect(ranked[1].reasons).toEqual([{ code: 'BOUGHT_TOGETHER', becauseOf: 'shirt' }]);
    expect(ranked[3].reasons).toEqual([{ code: 'POPULAR' }]);
    expect(ranked[3].score).toBeLessThan(ranked[2].score);
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

  it('counts recent purchases and sources more, and repeated purchases more than one', () => {
    const ranked = rank(
      base({
        repeatable: () => true,
        purchases: [
          { productId: 'hat', at: daysAgo(400), quantity: 1 },
          { productId: 'belt', at: daysAgo(30), quantity: 1 },
          { productId: 'socks', at: daysAgo(100), quantity: 1 },
          { productId: 'socks', at: daysAgo(90), quantity: 1 },
          { productId: 'socks', at: daysAgo(80), quantity: 1 },
        ],
        popular: [],
        boughtTogether: new Map([
          ['hat', [{ productId: 'scarf', weight: 2 }]],
          ['belt', [{ productId: 'trousers', weight: 2 }]],
        ]),
        buyers: new Map([['hat', 4], ['scarf', 4], ['belt', 4], ['trousers', 4]]),
      }),
      10,
    );
    // socks 0.46 + 0.5 + 0.54 beat one belt a month ago (0.79); the belt's neighbour (0.5 * 0.79 * 2/4) beats the old
    // hat (0.05) and the hat's neighbour (0.5 * 0.05 * 2/4).
    expect(ids(ranked)).toEqual(['socks', 'belt', 'trousers', 'hat', 'scarf']);
    expect(ranked[2].score).toBeCloseTo((NEIGHBOUR_WEIGHT * Math.pow(2, -30 / 90)) / 2, 6);
  });

  it('uses views through co-views and co-purchases, weaker than purchases', () => {
    const ranked = rank(
      base({
        views: [{ productId: 'shirt', at: daysAgo(1) }],
        viewedTogether: new Map([['shirt', [{ productId: 'scarf', weight: 4 }]]]),
        boughtTogether: new Map([['shirt', [{ productId: 'trousers', weight: 4 }]]]),
        popular: [],
      }),
      10,
    );
    expect(ranked.map((r) => [r.productId, r.reasons[0]])).toEqual([
      ['trousers', { code: 'BOUGHT_TOGETHER', becauseOf: 'shirt' }],
      ['scarf', { code: 'VIEWED_TOGETHER', becauseOf: 'shirt' }],
    ]);
    // A view weighs half a purchase; a viewed style is not owned: it may be recommended through another source.
    expect(ranked[0].score).toBeCloseTo(NEIGHBOUR_WEIGHT * 0.5 * Math.pow(2, -1 / 30) * (4 / Math.sqrt(50)), 6);
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
        buyers: new Map([['shirt', 10], ['trousers', 10], ['belt', 10]]),
        boughtTogether: new Map([['shirt', [{ productId: 'trousers', weight: trousersWeight }, { productId: 'belt', weight: 5 }]]]),
        popular: [{ productId: 'belt', score: 100 }],
        eligible: (id) => id !== 'socks',
      });
    // belt: 0.5 lifted by 0.2 * (1 / 1.5) to 0.567, past trousers at 0.52 but not at 0.8.
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
    const buyers = new Map<string, number>();
    const a = rank(base({ purchases, boughtTogether, buyers }), 10);
    const b = rank(base({ purchases: [...purchases].reverse(), boughtTogether: new Map([...boughtTogether].reverse()), buyers }), 10);
    expect(b).toEqual(a);
    // scarf and trousers score the same (two equal sources); the tie goes to scarf, and to the source hat.
    expect(ids(a)).toEqual(['socks', 'scarf', 'trousers', 'belt']);
    expect(a[2].score).toBe(a[1].score);
    expect(a[1].reasons[0]).toEqual({ code: 'BOUGHT_TOGETHER', becauseOf: 'hat' });
    expect(rank(base({ purchases }), 0)).toEqual([]);
  });
});
