import { SegmentCode } from './segment.entity';
import { segmentsOf, type CustomerActivity } from './segment.service';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CART_IDLE = 24 * HOUR;
const now = new Date('2026-11-23T00:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);
const activity = (overrides: Partial<CustomerActivity>): CustomerActivity => ({
  createdAt: daysAgo(1000),
  storeOrders: 0,
  onlineOrders: 0,
  revenue: 0,
  firstOrderAt: null,
  lastOrderAt: null,
  browsesOnline: false,
  cartItems: 0,
  cartChangedAt: null,
  ...overrides,
});

describe('segmentsOf', () => {
  it.each<[string, Partial<CustomerActivity>, SegmentCode[]]>([
    ['registered long ago, never bought', {}, []],
    ['registered last month, never bought', { createdAt: daysAgo(30) }, [SegmentCode.NEW]],
    ['bought in a store and online', { storeOrders: 2, onlineOrders: 1, revenue: 9000, firstOrderAt: daysAgo(400), lastOrderAt: daysAgo(10) }, [SegmentCode.OMNICHANNEL]],
    ['bought only in stores, never browses', { storeOrders: 3, revenue: 9000, firstOrderAt: daysAgo(400), lastOrderAt: daysAgo(10) }, [SegmentCode.STORE_ONLY]],
    ['bought only in stores, browses online', { storeOrders: 3, revenue: 9000, firstOrderAt: daysAgo(400), lastOrderAt: daysAgo(10), browsesOnline: true }, [SegmentCode.STORE_BUYER_EC_BROWSER]],
    ['bought only online', { onlineOrders: 1, revenue: 5000, firstOrderAt: daysAgo(20), lastOrderAt: daysAgo(20) }, [SegmentCode.EC_ONLY, SegmentCode.NEW]],
    ['last bought over a year ago', { onlineOrders: 1, revenue: 5000, firstOrderAt: daysAgo(500), lastOrderAt: daysAgo(366) }, [SegmentCode.EC_ONLY, SegmentCode.LAPSED]],
    ['spent at least the top decile threshold', { storeOrders: 9, revenue: 300_000, firstOrderAt: daysAgo(700), lastOrderAt: daysAgo(3) }, [SegmentCode.STORE_ONLY, SegmentCode.VIP]],
  ])('%s', (_case, overrides, expected) => {
    expect(segmentsOf(activity(overrides), 250_000, now, CART_IDLE)).toEqual(expected);
  });

  it('makes nobody VIP while nobody has bought (no threshold)', () => {
    expect(segmentsOf(activity({ storeOrders: 1, revenue: 1, firstOrderAt: daysAgo(200), lastOrderAt: daysAgo(200) }), null, now, CART_IDLE)).toEqual([SegmentCode.STORE_ONLY]);
  });

  const hoursAgo = (hours: number) => new Date(now.getTime() - hours * HOUR);
  it.each<[string, Partial<CustomerActivity>, boolean]>([
    ['lines in the cart, idle for the whole time, never bought', { cartItems: 2, cartChangedAt: hoursAgo(24) }, true],
    ['lines in the cart, changed within the idle time', { cartItems: 2, cartChangedAt: hoursAgo(23) }, false],
    ['an emptied cart, idle long', { cartItems: 0, cartChangedAt: hoursAgo(100) }, false],
    ['no cart reported', {}, false],
    ['idle lines, bought before the last change', { cartItems: 1, cartChangedAt: hoursAgo(30), onlineOrders: 1, revenue: 1000, firstOrderAt: daysAgo(3), lastOrderAt: daysAgo(3) }, true],
    ['idle lines, bought (in a store) since the last change', { cartItems: 1, cartChangedAt: hoursAgo(30), storeOrders: 1, revenue: 1000, firstOrderAt: hoursAgo(2), lastOrderAt: hoursAgo(2) }, false],
  ])('CART_ABANDONED: %s', (_case, overrides, abandoned) => {
    expect(segmentsOf(activity(overrides), 250_000, now, CART_IDLE).includes(SegmentCode.CART_ABANDONED)).toBe(abandoned);
  });
});
