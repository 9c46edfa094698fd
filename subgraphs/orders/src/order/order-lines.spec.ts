import { MAX_LINE_QUANTITY } from '../../../../shared/bounds';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import { mergeLines } from './order-lines';

const codeOf = (work: () => unknown) => {
  try {
    work();
  } catch (err) {
    return err instanceof UserErrorException ? err.code : 'THROWN';
  }
  return null;
};

describe('mergeLines', () => {
  it('merges duplicates of a variant, first-seen order kept', () => {
    expect(mergeLines([{ variantId: 'a', quantity: 1 }, { variantId: 'b', quantity: 2 }, { variantId: 'a', quantity: 3 }])).toEqual([
      { variantId: 'a', quantity: 4 },
      { variantId: 'b', quantity: 2 },
    ]);
  });

  it.each([
    ['no lines', [], 'INVALID_LINES'],
    ['51 lines', Array.from({ length: 51 }, (_, i) => ({ variantId: `v${i}`, quantity: 1 })), 'INVALID_LINES'],
    ['a zero quantity', [{ variantId: 'a', quantity: 0 }], 'INVALID_QUANTITY'],
    ['100 units once merged', [{ variantId: 'a', quantity: 60 }, { variantId: 'a', quantity: 40 }], 'INVALID_QUANTITY'],
  ])('refuses %s', (_, lines, code) => {
    expect(codeOf(() => mergeLines(lines))).toBe(code);
  });

  it('takes up to MAX_LINE_QUANTITY units of a variant where a caller says so (returns), and no more', () => {
    expect(mergeLines([{ variantId: 'a', quantity: 500 }, { variantId: 'a', quantity: 499 }], MAX_LINE_QUANTITY)).toEqual([{ variantId: 'a', quantity: 999 }]);
    expect(codeOf(() => mergeLines([{ variantId: 'a', quantity: 1000 }], MAX_LINE_QUANTITY))).toBe('INVALID_QUANTITY');
    expect(codeOf(() => mergeLines([{ variantId: 'a', quantity: 2 ** 31 }, { variantId: 'a', quantity: 2 ** 31 }], MAX_LINE_QUANTITY))).toBe('INVALID_QUANTITY');
  });
});
