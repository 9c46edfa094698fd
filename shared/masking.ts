/**
 * Masks for contact details shown to principals whose contactView is MASKED (store staff, marketing):
 * the shape stays (GRAPH.md), the content goes. Every subgraph masks with these, so a person's
 * details (and an address on a customer or an order) read alike wherever they appear.
 */

/** `hanako@example.com` → `h***@example.com`: the shape stays, the address is gone. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 1 ? '***' : `${email[0]}***${email.slice(at)}`;
}

/** `+819012345678` → `+81******5678`: country code and the last four digits stay. */
export function maskPhone(phone: string): string {
  return phone.length < 8 ? '*'.repeat(phone.length) : `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/**
 * `山田 花子` → `山* **`, `神宮前1-2-3` → `神***-*-*`: the first character stays (unless a digit: a house
 * or room number), every other letter and digit becomes `*`, spaces and punctuation stay.
 */
export function maskText(text: string): string {
  const masked = Array.from(text).map((c) => (/[\p{L}\p{M}\p{N}]/u.test(c) ? '*' : c));
  const first = Array.from(text)[0];
  if (first !== undefined && !/\p{N}/u.test(first)) masked[0] = first;
  return masked.join('');
}
