import { IdentityType } from '../graphql/identity';
import { normalizeEmail, normalizeIdentityValue, normalizePhone } from './normalize';

describe('normalizeIdentityValue', () => {
  it.each([
    [IdentityType.EMAIL, '  Hanako.Yamada@Example.JP ', 'hanako.yamada@example.jp'],
    [IdentityType.EMAIL, 'ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ', 'hanako@example.jp'],
    [IdentityType.PHONE, '090-1234-5678', '+819012345678'],
    [IdentityType.PHONE, '０９０ １２３４ ５６７８', '+819012345678'],
    [IdentityType.PHONE, '+81 90 1234 5678', '+819012345678'],
    [IdentityType.PHONE, '03-1234-5678', '+81312345678'],
    [IdentityType.MEMBER_CARD, 'mc 0001-2345-67', 'MC0001234567'],
    [IdentityType.DEVICE, ' dev-42 ', 'dev-42'],
    // NFKC folds compatibility forms: ligatures, circled and full-width letters.
    [IdentityType.APP_INSTALL, 'ﬁ-①', 'fi-1'],
    [IdentityType.DEVICE, 'ＤＥＶ－１', 'DEV-1'],
    // Half-width kana with its voiced mark fold into one letter (no combining mark typed or left).
    [IdentityType.DEVICE, 'dev-ｶﾞ', 'dev-ガ'],
  ])('%s %j is stored as %j', (type, raw, expected) => {
    expect(normalizeIdentityValue(type, raw)).toBe(expected);
  });

  it.each([
    ['idp-victim-x', 'idp-victim-x'],
    [' idp-victim-x', ' idp-victim-x'],
    ['idp-victim-x ', 'idp-victim-x '],
    ['idp-victim-x\u00a0', 'idp-victim-x\u00a0'],
    ['idp-ｖictim-x', 'idp-ｖictim-x'],
    ['IDP-Victim-X', 'IDP-Victim-X'],
    ['ﬁ-①', 'ﬁ-①'],
  ])('keeps an EC_ACCOUNT (a JWT subject: opaque, case-sensitive) exactly as given: %j', (raw, expected) => {
    expect(normalizeIdentityValue(IdentityType.EC_ACCOUNT, raw)).toBe(expected);
  });

  it.each([
    [IdentityType.EMAIL, 'not-an-email', 'INVALID_EMAIL'],
    [IdentityType.PHONE, '12-34', 'INVALID_PHONE'],
    [IdentityType.DEVICE, '   ', 'INVALID_LENGTH'],
    [IdentityType.EC_ACCOUNT, '', 'INVALID_LENGTH'],
    [IdentityType.EC_ACCOUNT, '  ', 'INVALID_LENGTH'],
    [IdentityType.EC_ACCOUNT, 'x'.repeat(321), 'INVALID_LENGTH'],
    [IdentityType.DEVICE, 'x'.repeat(321), 'INVALID_LENGTH'],
  ])('rejects %s %j with BAD_USER_INPUT (%s)', (type, raw, reason) => {
    expect(() => normalizeIdentityValue(type, raw)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', reason, identityType: type }) }),
    );
  });

  it.each([
    ['NUL', 'ec\u0000admin'],
    ['a C0 control', 'ec\u0007-1'],
    ['DEL', 'ec\u007f-1'],
    ['a C1 control', 'ec\u0085-1'],
    ['a zero-width space', 'ec\u200b-1'],
    ['a zero-width joiner', 'ec\u200d-1'],
    ['a word joiner', 'ec\u2060-1'],
    ['a byte order mark', '\ufeffec-1'],
    ['a soft hyphen', 'ec\u00ad-1'],
    ['a left-to-right mark', 'ec\u200e-1'],
    ['a right-to-left override', 'ec-\u202e1-'],
    ['a first-strong isolate', 'ec-\u20681'],
    ['an Arabic letter mark', 'ec-\u061c1'],
    ['a line separator', 'ec\u2028-1'],
    ['a combining grapheme joiner', 'ec\u034f-1'],
    ['a variation selector', 'ec\ufe0f-1'],
    ['a supplementary variation selector', 'ec\u{e0100}-1'],
    ['a Mongolian free variation selector', 'ec\u180b-1'],
    ['a Hangul filler', 'ec\u3164-1'],
    ['a Hangul choseong filler', 'ec\u115f-1'],
    ['a Hangul jungseong filler', 'ec\u1160-1'],
    ['a half-width Hangul filler', 'ec\uffa0-1'],
    ['a blank Braille pattern', 'ec\u2800-1'],
    ['a Khmer inherent vowel', 'ec\u17b4-1'],
    ['a combining dot above NFKC leaves alone', 'ec-1\u0307'],
    ['a combining mark on a digit', 'ec-1\u0301'],
    ['a combining mark NFKC would compose into a letter', 'ec-c\u0307'],
    ['a tag character', 'ec\u{e0041}-1'],
  ])('refuses a value with %s (FORBIDDEN_CHARACTER), for every type', (_what, raw) => {
    for (const [type, value] of [
      [IdentityType.EC_ACCOUNT, raw],
      [IdentityType.MEMBER_CARD, `MC${raw}`],
      [IdentityType.EMAIL, `${raw}@example.jp`],
      [IdentityType.PHONE, `090${raw}12345678`],
      [IdentityType.DEVICE, `dev-${raw}`],
    ] as const) {
      expect(() => normalizeIdentityValue(type, value)).toThrow(
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'FORBIDDEN_CHARACTER' }) }),
      );
    }
  });

  it('refuses every default-ignorable code point and every combining mark, typed or left by NFKC', () => {
    const survivors: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      if (!/[\p{Default_Ignorable_Code_Point}\p{M}]/u.test(c) && !/\p{M}/u.test(`a${c}`.normalize('NFKC'))) continue;
      try {
        normalizeIdentityValue(IdentityType.DEVICE, `dev-a${c}1`);
        survivors.push(cp.toString(16));
      } catch {
        // refused, as it should be
      }
    }
    expect(survivors).toEqual([]);
  });

  it('refuses hidden characters in contact details given outside identities too', () => {
    expect(() => normalizeEmail('hanako\u200b@example.jp')).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ reason: 'FORBIDDEN_CHARACTER' }) }));
    expect(() => normalizePhone('090-1234-5678\u0000')).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ reason: 'FORBIDDEN_CHARACTER' }) }));
  });
});
