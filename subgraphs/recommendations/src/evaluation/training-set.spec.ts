import type { OrderRow } from './order-csv';
import { RECENT_PURCHASED_STYLES } from '../ranking/ranking-input';
import { OrderSplit } from './training-set';

const row = (customerId: string, itemId: string, at: string, quantity = 1): OrderRow => ({ customerId, itemId, at: Date.parse(at), quantity, locationId: null, category: null });

describe('OrderSplit', () => {
  const split = new OrderSplit(Date.parse('2025-02-01T00:00:00Z'));
  [
    row('u1', 'A', '2025-01-01T10:00:00Z'),
    row('u1', 'A', '2025-01-01T10:00:00Z', 2), // a second line of the same order
    row('u1', 'A', '2025-01-20T10:00:00Z'),
    row('u1', 'B', '2025-01-01T10:00:00Z'),
    row('u2', 'A', '2025-01-01T09:00:00Z'),
    row('u2', 'A', '2025-01-01T18:00:00Z'), // another order the same day: a repeat
    row('u2', 'C', '2025-01-03T00:00:00Z'),
    row('u1', 'A', '2025-02-01T00:00:00Z'), // at the cutoff: truth, and buying again counts
    row('u1', 'D', '2025-03-01T00:00:00Z'),
    row('u1', 'D', '2025-03-02T00:00:00Z'),
    row('u3', 'A', '2025-02-05T00:00:00Z'), // bought only after: not a test customer
  ].forEach((r) => split.add(r));
  const train = split.finish();
  const item = (id: string) => train.indexOf(id)!;

  it('trains on rows before the cutoff and tests customers who bought before and after', () => {
    expect(train.rowCount).toBe(7);
    expect(train.testCustomers.map((t) => [train.customerIds[t.customer], [...t.truth].sort()])).toEqual([['u1', ['A', 'D']]]);
    expect(train.indexOf('D')).toBeUndefined();
  });

  it('counts distinct buyers, and repeat buyers by distinct orders (moments)', () => {
    expect([train.buyers[item('A')], train.repeatBuyers[item('A')]]).toEqual([2, 2]);
    expect([train.buyers[item('C')], train.repeatBuyers[item('C')]]).toEqual([1, 0]);
  });

  it('merges the lines of one order into one occasion', () => {
    const u1 = train.customerIds.indexOf('u1');
    expect(train.occasionsOf(u1).map((o) => [train.itemIds[o.item], o.quantity])).toEqual([
      ['A', 3],
      ['A', 1],
      ['B', 1],
    ]);
    expect([...train.itemsOf(u1)].map((i) => train.itemIds[i])).toEqual(['A', 'B']);
    // Orders, oldest first: A and B together, then A again.
    expect(train.basketsOf(u1).map((b) => b.items.map((i) => train.itemIds[i]).sort())).toEqual([['A', 'B'], ['A']]);
  });

  it('gives the history as the service reads it: the most recent lines, and one holding per item', () => {
    const u1 = train.customerIds.indexOf('u1');
    const { lines, holdings } = train.historyOf(u1);
    expect(lines.map((l) => [l.productId, l.quantity, l.at.toISOString().slice(0, 10)])).toEqual([
      ['A', 1, '2025-01-20'],
      ['B', 1, '2025-01-01'],
      ['A', 2, '2025-01-01'],
      ['A', 1, '2025-01-01'],
    ]);
    expect(holdings.find((h) => h.productId === 'A')).toMatchObject({ units: 4, orders: 2, firstAt: new Date('2025-01-01T10:00:00Z'), lastAt: new Date('2025-01-20T10:00:00Z') });
  });

  it('decays each line of an item by its age at the cutoff for its trend', () => {
    const trend = train.trend(10);
    // C: one line 29 days before the cutoff.
    expect(trend[item('C')]).toBeCloseTo(Math.pow(2, -29 / 10), 12);
  });

  it('carves a validation split from the end of the training period', () => {
    const { train: validation, lastAt } = train.before(Date.parse('2025-01-10T00:00:00Z'));
    expect(validation.rowCount).toBe(6);
    expect(validation.testCustomers.map((t) => [validation.customerIds[t.customer], [...t.truth]])).toEqual([['u1', ['A']]]);
    expect(lastAt).toBe(Date.parse('2025-01-20T10:00:00Z'));
  });

  it('counts co-buyers and orders popularity by buyers, then id', () => {
    const co = train.coPurchases(item('A')).map((n) => [train.itemIds[n.item], n.weight]);
    expect(co.sort()).toEqual([
      ['B', 1],
      ['C', 1],
    ]);
    expect(train.popularity().map((i) => train.itemIds[i])).toEqual(['A', 'B', 'C']);
  });
});

describe('co-buyers as the service counts them', () => {
  it("pairs only each customer's RECENT_PURCHASED_STYLES items bought last", () => {
    const split = new OrderSplit(Date.parse('2025-06-01T00:00:00Z'));
    // u1 bought OLD first, then 30 others: OLD falls out of what u1's pairs are counted from.
    split.add(row('u1', 'OLD', '2025-01-01T00:00:00Z'));
    for (let i = 0; i < RECENT_PURCHASED_STYLES; i++) split.add(row('u1', `N${i}`, `2025-02-${String(i % 28 + 1).padStart(2, '0')}T0${i % 10}:00:00Z`));
    split.add(row('u2', 'OLD', '2025-01-01T00:00:00Z'));
    split.add(row('u2', 'N0', '2025-01-02T00:00:00Z'));
    const train = split.finish();
    const co = (id: string) => new Map(train.coPurchases(train.indexOf(id)!).map((n) => [train.itemIds[n.item], n.weight]));
    expect(co('OLD')).toEqual(new Map([['N0', 1]]));
    expect(co('N0').get('N1')).toBe(1);
    expect(co('N0').get('OLD')).toBe(1);
    // Buyers still count everyone who has the item.
    expect(train.buyers[train.indexOf('OLD')!]).toBe(2);
  });
});
