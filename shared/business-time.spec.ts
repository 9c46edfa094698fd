import { businessWindowStart, utcOffsetMinutes } from './business-time';

describe('business calendar', () => {
  it('knows Tokyo is nine hours ahead of UTC', () => {
    expect(utcOffsetMinutes('Asia/Tokyo', new Date('2026-07-01T00:00:00Z'))).toBe(540);
  });

  it('starts "today" at midnight in Tokyo, not in UTC', () => {
    // 2026-11-23 20:00 UTC is 2026-11-24 05:00 in Tokyo: today there began at 2026-11-23 15:00 UTC.
    const now = new Date('2026-11-23T20:00:00Z');
    expect(businessWindowStart(now, 1, 'Asia/Tokyo').toISOString()).toBe('2026-11-23T15:00:00.000Z');
    expect(businessWindowStart(now, 30, 'Asia/Tokyo').toISOString()).toBe('2026-10-25T15:00:00.000Z');
  });

  it('follows daylight saving time elsewhere', () => {
    const now = new Date('2026-07-10T12:00:00Z');
    expect(businessWindowStart(now, 1, 'Europe/Berlin').toISOString()).toBe('2026-07-09T22:00:00.000Z');
  });
});
