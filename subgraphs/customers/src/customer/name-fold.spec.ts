import { foldName, nameSearchKey } from './name-fold';

describe('foldName', () => {
  it.each([
    ['ﾔﾏﾀﾞ', 'やまだ'],
    ['ヤマダ', 'やまだ'],
    ['やまだ', 'やまだ'],
    ['ヤマダ　ハナコ', 'やまだはなこ'],
    ['Ｙａｍａｄａ Hanako', 'yamadahanako'],
    ['山田 花子', '山田花子'],
    ['ヴァン', 'ゔぁん'],
  ])('%j folds to %j', (raw, folded) => {
    expect(foldName(raw)).toBe(folded);
  });

  it('keeps the name and its reading apart, so a search cannot match across the two', () => {
    expect(nameSearchKey('山田 花子', 'ヤマダ ハナコ')).toBe('山田花子|やまだはなこ');
    expect(nameSearchKey('Anna', null)).toBe('anna');
  });
});
