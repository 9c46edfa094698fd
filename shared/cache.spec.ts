import { MemoryCache } from './cache';

describe('MemoryCache', () => {
  it('sweeps out expired entries nobody reads again, so that keys written once do not pile up', async () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    try {
      const cache = new MemoryCache();
      for (let i = 0; i < 9_999; i++) await cache.set(`once:${i}`, i, 1);
      now.mockReturnValue(1_000_000 + 2_000);
      await cache.set('fresh', 'kept', 60);
      const size = (cache as unknown as { entries: Map<string, unknown> }).entries.size;
      expect(size).toBe(1);
      expect(await cache.get('fresh')).toBe('kept');
    } finally {
      now.mockRestore();
    }
  });
});
