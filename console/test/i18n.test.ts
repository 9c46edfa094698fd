import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en';
import { ja } from '../src/i18n/ja';
import { detectKind } from '../src/lib/search';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the words', () => {
  it('say the same things in Japanese and English: every key in both, with the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ja).sort());
    for (const key of Object.keys(ja) as Array<keyof typeof ja>) expect({ key, placeholders: placeholders(en[key]) }).toEqual({ key, placeholders: placeholders(ja[key]) });
  });
});

describe('the search term', () => {
  it.each([
    ['hanako@example.com', 'EMAIL'],
    ['MC-1234567890', 'MEMBER_CARD'],
    ['MC1234567890', 'MEMBER_CARD'],
    ['ＭＣ－１２３４５６７８９０', 'MEMBER_CARD'],
    ['090-1234-5678', 'PHONE'],
    ['+81 90 1234 5678', 'PHONE'],
    ['０９０１２３４５６７８', 'PHONE'],
    ['やまだ はなこ', 'NAME'],
    ['ﾔﾏﾀﾞ', 'NAME'],
    ['Yamada', 'NAME'],
  ])('%s is looked up by %s', (term, kind) => {
    expect(detectKind(term)).toBe(kind);
  });
});
