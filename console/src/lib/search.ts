/** How the search page looks a customer up: `auto` guesses from the term. */
export const KINDS = ['auto', 'NAME', 'PHONE', 'EMAIL', 'MEMBER_CARD', 'SEGMENT'] as const;
export type Kind = (typeof KINDS)[number];

/** What a search term most likely is: an e-mail address, a membership card, a phone number, or a name. */
export function detectKind(text: string): Exclude<Kind, 'auto' | 'SEGMENT'> {
  const value = text.trim();
  if (value.includes('@')) return 'EMAIL';
  if (/^mc[-‐ー－]?\d+/i.test(value.normalize('NFKC'))) return 'MEMBER_CARD';
  if (/^[+＋]?[\d０-９][\d０-９\s\-‐－()（）]{6,}$/.test(value)) return 'PHONE';
  return 'NAME';
}
