import type { VariantFacts } from '../clients/inventory.client';
import { CartLineProblem, problemOf, totalsOf } from './cart-pricing';

const fact = (available: Record<string, number>, extra: Partial<VariantFacts> = {}): VariantFacts => ({
  id: 'v1',
  productId: 'p1',
  soldOnline: true,
  unitPrice: 3300,
  currencyCode: 'JPY',
  taxRateBp: 1000,
  available: new Map(Object.entries(available)),
  ...extra,
});

const shipped = { locationId: null, atTill: false };

describe('a cart line at read time', () => {
  it('is fine when one location has the units; shipped, the best-stocked location counts', () => {
    expect(problemOf(fact({ warehouse: 1, shibuya: 3 }), 3, shipped)).toBeNull();
    expect(problemOf(fact({ warehouse: 2, shibuya: 2 }), 3, shipped)).toBe(CartLineProblem.QUANTITY_REDUCED);
    expect(problemOf(fact({ warehouse: 0 }), 1, shipped)).toBe(CartLineProblem.NOT_AVAILABLE);
  });

  it('at a store, only that store counts', () => {
    const pickup = { locationId: 'shibuya', atTill: false };
    expect(problemOf(fact({ warehouse: 50, shibuya: 0 }), 1, pickup)).toBe(CartLineProblem.NOT_AVAILABLE);
    expect(problemOf(fact({ warehouse: 50, shibuya: 1 }), 2, pickup)).toBe(CartLineProblem.QUANTITY_REDUCED);
    expect(problemOf(fact({ shibuya: 2 }), 2, pickup)).toBeNull();
  });

  it('is DISCONTINUED when the catalog lost it, or online when it is no longer sold online (the till still sells it)', () => {
    expect(problemOf(null, 1, shipped)).toBe(CartLineProblem.DISCONTINUED);
    const storeOnly = fact({ shibuya: 5 }, { soldOnline: false });
    expect(problemOf(storeOnly, 1, { locationId: 'shibuya', atTill: false })).toBe(CartLineProblem.DISCONTINUED);
    expect(problemOf(storeOnly, 1, { locationId: 'shibuya', atTill: true })).toBeNull();
  });

  it("totals at today's prices with the tax they contain (rounded down per line), skipping what the catalog lost", () => {
    const facts = new Map<string, VariantFacts | null>([
      ['v1', fact({})],
      ['v2', fact({}, { id: 'v2', unitPrice: 1080, taxRateBp: 800 })],
      ['gone', null],
    ]);
    const totals = totalsOf([{ variantId: 'v1', quantity: 2 }, { variantId: 'v2', quantity: 1 }, { variantId: 'gone', quantity: 4 }], facts);
    expect(totals).toEqual({ subtotal: 7680, taxTotal: 600 + 80, currencyCode: 'JPY' });
  });
});
