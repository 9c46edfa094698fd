import { maskPhone, maskText } from './masking';

describe('masks', () => {
  it('keeps the shape of a phone number: country code and last four digits', () => {
    expect(maskPhone('+819012345678')).toBe('+81******5678');
    expect(maskPhone('+81312345678')).toBe('+81*****5678');
    expect(maskPhone('1234')).toBe('****');
  });

  it('keeps the shape of a name or a street line: its first character (not a number), spaces and punctuation', () => {
    expect(maskText('山田 花子')).toBe('山* **');
    expect(maskText('神宮前1-2-3')).toBe('神***-*-*');
    expect(maskText('101号室')).toBe('*****');
    expect(maskText('𠮷野家ビル 2F')).toBe('𠮷**** **');
    expect(maskText('')).toBe('');
  });
});
