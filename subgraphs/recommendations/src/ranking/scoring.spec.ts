import { rankForCustomer } from './scoring';

describe('rankForCustomer', () => {
  const buyers = new Map([
    ['shirt', 10],
    ['trousers', 5],
    ['belt', 100],
    ['socks', 400],
    ['hat', 50],
  ]);

  it('ranks neighbours by cosine similarity, never what the customer owns, then fills with popular styles', () => {
    const neighbours = new Map([
      [
        'shirt',
        [
          { productId: 'belt', weight: 8 },
          { productId: 'trousers', weight: 4 },
          { productId: 'socks', weight: 9 },
        ],
      ],
    ]);
    const ranked = rankForCustomer(
      { owned: new Set(['shirt', 'socks']), recent: ['shirt'] },
      neighbours,
      buyers,
      ['socks', 'belt', 'hat'],
      4,
    );
    // trousers: 4/sqrt(10*5) = 0.566 beats belt: 8/sqrt(10*100) = 0.253 although belt co-occurs more.
    expect(ranked.map((r) => r.productId)).toEqual(['trousers', 'belt', 'hat']);
    expect(ranked.map((r) => r.reason)).toEqual(['BOUGHT_TOGETHER', 'BOUGHT_TOGETHER', 'POPULAR']);
    expect(ranked[0].becauseOf).toBe('shirt');
    expect(ranked[2].score).toBeLessThan(ranked[1].score);
  });

  it('recommends popular styles to a customer with no history', () => {
    const ranked = rankForCustomer({ owned: new Set(), recent: [] }, new Map(), buyers, ['socks', 'belt'], 5);
    expect(ranked.map((r) => [r.productId, r.reason])).toEqual([
      ['socks', 'POPULAR'],
      ['belt', 'POPULAR'],
    ]);
  });
});
