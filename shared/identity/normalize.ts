import { AppError, ErrorCode } from '../errors';

/**
 * Why an identity value was refused, in `extensions.reason` of the BAD_USER_INPUT error (stable codes):
 * FORBIDDEN_CHARACTER (a control, invisible, combining, bidirectional or NUL character), INVALID_LENGTH,
 * INVALID_EMAIL, INVALID_PHONE.
 */
export type IdentityValueProblem = 'FORBIDDEN_CHARACTER' | 'INVALID_LENGTH' | 'INVALID_EMAIL' | 'INVALID_PHONE';

/**
 * Characters an identity never holds, because they make two values look alike or hide part of one:
 * controls (C0, DEL, C1; NUL among them), format characters (zero-width spaces and joiners, the BOM,
 * soft hyphen, bidirectional marks, embeddings, overrides and isolates), line and paragraph separators,
 * every other default-ignorable code point (variation selectors, the combining grapheme joiner,
 * Mongolian free variation selectors, Hangul fillers U+115F, U+1160, U+3164, U+FFA0, Khmer inherent
 * vowels), and the blank Braille pattern U+2800, which renders as a space but is none.
 */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2028\u2029\u2800\u115f\u1160\u3164\uffa0]/u;
/**
 * Combining marks: typed separately, a mark stacks on the character before it and disguises it (and
 * NFKC leaves it there when no precomposed letter exists, e.g. on a digit). No key is typed with one.
 */
const COMBINING = /\p{M}/u;

/** The BAD_USER_INPUT error of a refused identity value; `extensions.reason` says why. */
export function identityValueError(type: string, reason: IdentityValueProblem, message: string): AppError {
  return new AppError(ErrorCode.BAD_USER_INPUT, message, { identityType: type, reason });
}

/** The reason a normalisation refused a value, or undefined for any other error. */
export function identityProblemOf(err: unknown): IdentityValueProblem | undefined {
  if (!(err instanceof AppError) || err.extensions.code !== ErrorCode.BAD_USER_INPUT) return undefined;
  return err.extensions.reason as IdentityValueProblem | undefined;
}

/**
 * The stored form of an identity value, so that the same key typed differently finds the same
 * customer in every service: full-width characters folded (NFKC), e-mail lower-case, Japanese phone
 * numbers in E.164, membership cards without spaces or hyphens. `type` is an IdentityType name.
 * Values with control, invisible, combining, bidirectional or NUL characters are refused, not
 * cleaned: a value that needs them is not the key a person typed. An EC_ACCOUNT is the identity
 * provider's subject, an opaque case-sensitive string: kept exactly as the token has it (no trimming,
 * no folding of width or case), so that only that exact subject signs in.
 */
export function normalizeIdentityValue(type: string, raw: string): string {
  if (type === 'EC_ACCOUNT') return requireLength(exact(type, raw), type);
  const value = folded(type, raw).trim();
  switch (type) {
    case 'EMAIL':
      return normalizeEmail(value);
    case 'PHONE':
      return normalizePhone(value);
    case 'MEMBER_CARD':
      // Cards are printed with spaces or hyphens in groups; the number is what matters.
      return requireLength(value.replace(/[\s-]/g, '').toUpperCase(), type);
    default:
      return requireLength(value, type);
  }
}

/** An e-mail address lower-case without spaces; BAD_USER_INPUT when it is not one. */
export function normalizeEmail(value: string): string {
  const email = folded('EMAIL', value).replace(/\s+/g, '').toLowerCase();
  if (!/^[^@]+@[^@]+\.[^@]+$/.test(email) || email.length > 320) {
    throw identityValueError('EMAIL', 'INVALID_EMAIL', 'not an e-mail address');
  }
  return email;
}

/** Japanese numbers (090-1234-5678, 03 1234 5678) become +81…; numbers with a + are kept as given. */
export function normalizePhone(value: string): string {
  const compact = folded('PHONE', value).replace(/[\s\-().]/g, '');
  let e164: string;
  if (/^\+\d{8,15}$/.test(compact)) e164 = compact;
  else if (/^0\d{9,10}$/.test(compact)) e164 = `+81${compact.slice(1)}`;
  else throw identityValueError('PHONE', 'INVALID_PHONE', 'not a phone number');
  return e164;
}

/** NFKC, after refusing characters that hide or disguise part of a value (before and after folding). */
function folded(type: string, raw: string): string {
  const value = raw.normalize('NFKC');
  if (FORBIDDEN.test(raw) || COMBINING.test(raw) || FORBIDDEN.test(value) || COMBINING.test(value)) throw forbiddenCharacter(type);
  return value;
}

/** The value as given, refused when it has a character folded() refuses. */
function exact(type: string, raw: string): string {
  if (FORBIDDEN.test(raw) || COMBINING.test(raw)) throw forbiddenCharacter(type);
  return raw;
}

function forbiddenCharacter(type: string): AppError {
  return identityValueError(type, 'FORBIDDEN_CHARACTER', 'identity values may not contain control, invisible, combining, bidirectional or NUL characters');
}

function requireLength(value: string, type: string): string {
  if (!value.trim() || value.length > 320) {
    throw identityValueError(type, 'INVALID_LENGTH', 'identity value must be 1-320 characters');
  }
  return value;
}
