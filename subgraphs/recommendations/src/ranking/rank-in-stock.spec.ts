import type { StockedVariant } from '../catalog/catalog.service';
import { rankInStock, StockReader, type RankingCase } from './rank-in-stock';
import type { Neighbour, RankingInput } from './ranking-input';
import { rank } from './scoring';

/** A small deterministic generator (mulberry32): the same shop for the same seed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A shop of 400 styles, one customer's history, a store holding `inStockShare` of them in her size. */
function shop(seed: number, inStockShare: number) {
  const next = random(seed);
  const styles = Array.from({ length: 400 }, (_, i) => `s${String(i).padStart(3, '0')}`);
  const pick = () => styles[Math.floor(next() * styles.length)];
  const now = new Date('2026-06-01T00:00:00Z');
  const neighbours = (): Map<string, Neighbour[]> =>
    new Map(styles.map((s) => [s, Array.from({ length: 30 }, () => ({ productId: pick(), weight: 1 + Math.floor(next() * 20) }))]));
  const boughtTogether = neighbours();
  const viewedTogether = neighbours();
  const stocked = new Map<string, StockedVariant[]>();
  for (const productId of styles) {
    if (next() >= inStockShare) continue;
    stocked.set(productId, [{ productId, variantId: `${productId}-M`, locationId: 'store', size: 'M', color: 'navy', available: 1 + Math.floor(next() * 5) }]);
  }
  const input: RankingInput = {
    now,
    personal: true,
    purchases: Array.from({ length: 25 }, () => ({ productId: pick(), at: new Date(now.getTime() - next() * 300 * 86_400_000), quantity: 1 })),
    views: Array.from({ length: 10 }, () => ({ productId: pick(), at: new Date(now.getTime() - next() * 30 * 86_400_000) })),
    boughtTogether,
    viewedTogether,
    buyers: new Map(styles.map((s) => [s, 1 + Math.floor(next() * 100)])),
    trend: new Map(styles.map((s) => [s, next() * 5])),
    popular: styles.slice(0, 100).map((productId, i) => ({ productId, score: 100 - i })),
    popularInStore: true,
    newArrivals: styles.slice(350),
    repeatable: (id) => id < 's100',
    repeatRate: () => 0.5,
    eligible: (id) => id !== 's001',
  };
  const reads: string[][] = [];
  const catalog = {
    stocked: async (productIds: readonly string[]) => (reads.push([...productIds]), productIds.flatMap((id) => stocked.get(id) ?? [])),
    stockedAnywhere: async () => [],
  };
  return { input, stocked, reads, catalog };
}

describe('rankInStock', () => {
  it.each([
    ['most styles in stock', 0.8],
    ['few styles in stock: slices read until the list is full', 0.05],
    ['almost nothing in stock: every slice read', 0.01],
  ])('gives the list rank gives with every style’s stock known, reading the stock of its best slices only (%s)', async (_case, share) => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { input, stocked, reads, catalog } = shop(seed, share);
      const stock = new StockReader(catalog, ['store']);
      const cases = new Map<string, RankingCase>([
        ['her', { input, stockAt: ['store'], inStock: (id) => stock.at(['store'], id).some((v) => v.size === 'M') }],
      ]);
      const lists = await rankInStock(cases, 10, stock);
      const everything = rank({ ...input, eligible: (id) => input.eligible(id) && stocked.has(id) }, 10);
      expect(lists.get('her')).toEqual(everything);
      // Never a style twice, and with most in stock one slice of 40.
      const read = reads.flat();
      expect(new Set(read).size).toBe(read.length);
      if (share === 0.8) expect(reads).toEqual([expect.any(Array)]);
      if (share === 0.8) expect(read.length).toBeLessThanOrEqual(40);
    }
  });

  it('ranks without reading stock where stock does not filter', async () => {
    const { input, reads, catalog } = shop(7, 0.5);
    const stock = new StockReader(catalog, []);
    const lists = await rankInStock(new Map([['her', { input, stockAt: undefined, inStock: () => false }]]), 10, stock);
    expect(lists.get('her')).toEqual(rank(input, 10));
    expect(reads).toEqual([]);
  });
});
