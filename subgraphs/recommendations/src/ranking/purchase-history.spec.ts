import { purchaseHistory } from './purchase-history';
import { trendAt, trendWeight, TREND_LANDMARK } from './trend';

describe('purchaseHistory', () => {
  const at = (day: number) => new Date(Date.UTC(2025, 0, day));
  const line = (productId: string, orderId: string, day: number, quantity = 1) => ({ productId, variantId: `${productId}-M`, orderId, at: at(day), quantity });

  it('keeps the lines, and adds what the holdings know beyond them', () => {
    const purchases = purchaseHistory(
      [line('socks', 'o3', 20), line('socks', 'o3', 20, 2), line('shirt', 'o2', 10, 0)],
      [
        // Socks in 5 orders, one of them among the lines: 4 older ones, at the first purchase.
        { productId: 'socks', units: 9, orders: 5, firstAt: at(1), lastAt: at(20) },
        // A belt bought long ago, not among the lines: all its orders at its last purchase.
        { productId: 'belt', units: 2, orders: 2, firstAt: at(2), lastAt: at(3) },
      ],
    );
    expect(purchases).toEqual([
      { productId: 'socks', variantId: 'socks-M', at: at(20), quantity: 1 },
      { productId: 'socks', variantId: 'socks-M', at: at(20), quantity: 2 },
      // Given back in full: kept as such, so it is not offered again.
      { productId: 'shirt', variantId: 'shirt-M', at: at(10), quantity: 0 },
      { productId: 'socks', variantId: null, at: at(1), quantity: 6, orders: 4 },
      { productId: 'belt', variantId: null, at: at(3), quantity: 2, orders: 2 },
    ]);
  });

  it('adds nothing for a style whose every order is among the lines', () => {
    expect(purchaseHistory([line('hat', 'o1', 5)], [{ productId: 'hat', units: 1, orders: 1, firstAt: at(5), lastAt: at(5) }])).toHaveLength(1);
  });
});

describe('trend by forward decay', () => {
  it('reads a sum of forward-decayed lines as each line decayed by its age', () => {
    const now = new Date('2026-11-01T00:00:00Z');
    const lines = [new Date('2026-10-31T00:00:00Z'), new Date('2026-10-22T00:00:00Z'), new Date('2026-10-22T00:00:00Z')];
    const counter = lines.reduce((sum, placed) => sum + trendWeight(placed, 10), 0);
    expect(trendAt(counter, now, 10)).toBeCloseTo(Math.pow(2, -1 / 10) + 2 * Math.pow(2, -10 / 10), 10);
    // A line given back subtracts what it added.
    expect(trendAt(counter - trendWeight(lines[0], 10), now, 10)).toBeCloseTo(2 * 0.5, 10);
    expect(trendWeight(TREND_LANDMARK, 10)).toBe(1);
  });
});
