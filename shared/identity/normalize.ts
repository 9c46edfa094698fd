import { AppError, ErrorCode } from '../errors';

/**
 * The stored form of an identity value, so that the same key typed differently finds the same
 * customer in every service: full-width characters folded (NFKC), e-mail lower-case, Japanese phone
 * numbers in E.164, membership cards without spaces or hyphens. `type` is an IdentityType name.
 */
export function normalizeIdentityValue(type: string, raw: string): string {
  const value = raw.normalize('NFKC').trim();
  switch (type) {
    case 'EMAIL':
      return normalizeEmail(value);
    case 'PHONE':
      return normalizePhone(value);
    case 'MEMBER_CARD':
      // Cards are printed with spaces or hyphens in groups; the number is what matters.
      return requireNonEmpty(value.replace(/[\s-]/g, '').toUpperCase(), type);
    default:
      return requireNonEmpty(value, type);
  }
}

/** An e-mail address lower-case without spaces; BAD_USER_INPUT when it is not one. */
export function normalizeEmail(value: string): string {
  const email = value.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  if (!/^[^@]+@[^@]+\.[^@]+$/.test(email)) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, 'not an e-mail address', { identityType: 'EMAIL' });
  }
  return email;
}

/** Japanese numbers (090-1234-5678, 03 1234 5678) become +81…; numbers with a + are kept as given. */
export function normalizePhone(value: string): string {
  const compact = value.normalize('NFKC').replace(/[\s\-().]/g, '');
  let e164: string;
  if (/^\+\d{8,15}$/.test(compact)) e164 = compact;
  else if (/^0\d{9,10}$/.test(compact)) e164 = `+81${compact.slice(1)}`;
  else throw new AppError(ErrorCode.BAD_USER_INPUT, 'not a phone number', { identityType: 'PHONE' });
  return e164;
}

function requireNonEmpty(value: string, type: string): string {
  if (!value || value.length > 320) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, 'identity value must be 1-320 characters', { identityType: type });
  }
  return value;
}
