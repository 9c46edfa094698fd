import { IdentityType } from '../graphql/identity';
import { normalizeIdentityValue } from './normalize';

describe('normalizeIdentityValue', () => {
  it.each([
    [IdentityType.EMAIL, '  Hanako.Yamada@Example.JP ', 'hanako.yamada@example.jp'],
    [IdentityType.EMAIL, 'ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ', 'hanako@example.jp'],
    [IdentityType.PHONE, '090-1234-5678', '+819012345678'],
    [IdentityType.PHONE, '０９０ １２３４ ５６７８', '+819012345678'],
    [IdentityType.PHONE, '+81 90 1234 5678', '+819012345678'],
    [IdentityType.PHONE, '03-1234-5678', '+81312345678'],
    [IdentityType.MEMBER_CARD, 'mc 0001-2345-67', 'MC0001234567'],
    [IdentityType.EC_ACCOUNT, ' ec-42 ', 'ec-42'],
  ])('%s %j is stored as %j', (type, raw, expected) => {
    expect(normalizeIdentityValue(type, raw)).toBe(expected);
  });

  it.each([
    [IdentityType.EMAIL, 'not-an-email'],
    [IdentityType.PHONE, '12-34'],
    [IdentityType.DEVICE, '   '],
  ])('rejects %s %j with BAD_USER_INPUT', (type, raw) => {
    expect(() => normalizeIdentityValue(type, raw)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    );
  });
});
