/**
 * The form names are searched in, so that staff find a person however the name was typed:
 * full- and half-width folded (NFKC turns ﾔﾏﾀﾞ into ヤマダ and Ｙａｍａｄａ into Yamada), katakana
 * read as hiragana (ヤマダ and やまだ are the same reading), Latin letters lower-case, no spaces.
 */
export function foldName(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60))
    .toLowerCase()
    .replace(/[\s\u3000・･]/g, '');
}

/** What a customer is found by: the name and its kana reading, folded, in one column. */
export function nameSearchKey(displayName: string, displayNameKana: string | null): string {
  return [displayName, displayNameKana].filter(Boolean).map((part) => foldName(part!)).join('|');
}
