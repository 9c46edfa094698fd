import { z } from 'zod';
import { normalizePhone } from './identity/normalize';

/** The 47 prefectures of Japan, in the order of their JIS X 0401 codes (01 Hokkaido … 47 Okinawa). */
export const PREFECTURES = [
  '北海道', '青森県', '岩手県', '宮城県', '秋田県', '山形県', '福島県', '茨城県', '栃木県', '群馬県',
  '埼玉県', '千葉県', '東京都', '神奈川県', '新潟県', '富山県', '石川県', '福井県', '山梨県', '長野県',
  '岐阜県', '静岡県', '愛知県', '三重県', '滋賀県', '京都府', '大阪府', '兵庫県', '奈良県', '和歌山県',
  '鳥取県', '島根県', '岡山県', '広島県', '山口県', '徳島県', '香川県', '愛媛県', '高知県', '福岡県',
  '佐賀県', '長崎県', '熊本県', '大分県', '宮崎県', '鹿児島県', '沖縄県',
] as const;
export type Prefecture = (typeof PREFECTURES)[number];

/** A postal address in Japan as the graph stores and snapshots it (normalised). */
export interface PostalAddress {
  recipientName: string;
  /** Seven digits, no hyphen: `1500041`. */
  postalCode: string;
  prefecture: Prefecture;
  city: string;
  line1: string;
  line2: string | null;
  /** E.164, as customers' phone identities are kept: `+819012345678`. */
  phone: string;
}

/** Why an address field does not validate (userError codes, one per field). */
export enum AddressErrorCode {
  INVALID_POSTAL_CODE = 'INVALID_POSTAL_CODE',
  INVALID_PREFECTURE = 'INVALID_PREFECTURE',
  INVALID_PHONE = 'INVALID_PHONE',
  INVALID_ADDRESS_FIELD = 'INVALID_ADDRESS_FIELD',
}

export interface AddressProblem {
  field: keyof PostalAddress;
  code: AddressErrorCode;
  message: string;
}

/** Full-width digits and hyphens (as typed on Japanese keyboards) to ASCII, then spaces out. */
function asciiDigits(value: string): string {
  return value
    .normalize('NFKC')
    .replace(/[‐‑‒–—―−ー]/g, '-')
    .replace(/\s+/g, '');
}

/** Prefecture names as written, with or without 都/道/府/県, in kanji or romaji (e.g. "Tokyo"). */
const ROMAJI: Record<string, Prefecture> = {
  hokkaido: '北海道', aomori: '青森県', iwate: '岩手県', miyagi: '宮城県', akita: '秋田県', yamagata: '山形県', fukushima: '福島県',
  ibaraki: '茨城県', tochigi: '栃木県', gunma: '群馬県', saitama: '埼玉県', chiba: '千葉県', tokyo: '東京都', kanagawa: '神奈川県',
  niigata: '新潟県', toyama: '富山県', ishikawa: '石川県', fukui: '福井県', yamanashi: '山梨県', nagano: '長野県', gifu: '岐阜県',
  shizuoka: '静岡県', aichi: '愛知県', mie: '三重県', shiga: '滋賀県', kyoto: '京都府', osaka: '大阪府', hyogo: '兵庫県',
  nara: '奈良県', wakayama: '和歌山県', tottori: '鳥取県', shimane: '島根県', okayama: '岡山県', hiroshima: '広島県',
  yamaguchi: '山口県', tokushima: '徳島県', kagawa: '香川県', ehime: '愛媛県', kochi: '高知県', fukuoka: '福岡県', saga: '佐賀県',
  nagasaki: '長崎県', kumamoto: '熊本県', oita: '大分県', miyazaki: '宮崎県', kagoshima: '鹿児島県', okinawa: '沖縄県',
};

export function prefectureOf(value: string): Prefecture | null {
  const text = value.normalize('NFKC').trim();
  const exact = PREFECTURES.find((p) => p === text || (p !== '北海道' && p.slice(0, -1) === text));
  if (exact) return exact;
  const latin = text.toLowerCase().replace(/[-\s]*(prefecture|to|fu|ken)$/, '').replace(/[^a-z]/g, '');
  return ROMAJI[latin] ?? null;
}

const text = (max: number) => z.string().transform((v) => v.normalize('NFKC').trim()).pipe(z.string().min(1).max(max));

/** The free-text fields, checked with zod: present, not blank, bounded. */
const FIELDS = z.object({
  recipientName: text(100),
  city: text(100),
  line1: text(200),
  line2: z
    .string()
    .nullish()
    .transform((v) => (v ?? '').normalize('NFKC').trim())
    .pipe(z.string().max(200))
    .transform((v) => v || null),
});

/**
 * Validates and normalises an address as a client typed it: a 7-digit postal code (`150-0041`,
 * full-width or not), one of the 47 prefectures (`東京都`, `東京`, `Tokyo`), a city, a first line, an
 * optional second line, the recipient's name and a Japanese phone number (10 or 11 digits, from 0, or
 * +81). Returns the address, or every problem found.
 */
export function validateAddress(input: {
  recipientName: string;
  postalCode: string;
  prefecture: string;
  city: string;
  line1: string;
  line2?: string | null;
  phone: string;
}): { address: PostalAddress } | { problems: AddressProblem[] } {
  const problems: AddressProblem[] = [];
  const postal = asciiDigits(input.postalCode).replace(/^〒/, '');
  const postalCode = /^\d{3}-?\d{4}$/.test(postal) ? postal.replace('-', '') : null;
  if (!postalCode) problems.push({ field: 'postalCode', code: AddressErrorCode.INVALID_POSTAL_CODE, message: 'a postal code has 7 digits (e.g. 150-0041)' });
  const prefecture = prefectureOf(input.prefecture);
  if (!prefecture) problems.push({ field: 'prefecture', code: AddressErrorCode.INVALID_PREFECTURE, message: 'not one of the 47 prefectures' });
  const phone = japanesePhone(input.phone);
  if (!phone) problems.push({ field: 'phone', code: AddressErrorCode.INVALID_PHONE, message: 'a Japanese phone number has 10 or 11 digits starting with 0 (or +81)' });
  const fields = FIELDS.safeParse(input);
  if (!fields.success) {
    for (const issue of fields.error.issues) {
      const field = issue.path[0] as keyof PostalAddress;
      problems.push({ field, code: AddressErrorCode.INVALID_ADDRESS_FIELD, message: `${field}: required, at most ${field === 'line1' || field === 'line2' ? 200 : 100} characters` });
    }
  }
  if (problems.length || !fields.success || !postalCode || !prefecture || !phone) return { problems };
  return { address: { ...fields.data, postalCode, prefecture, phone } };
}

/** A Japanese number (`090-1234-5678`, `+81 90 …`) in E.164, or null. */
function japanesePhone(value: string): string | null {
  try {
    const e164 = normalizePhone(value);
    return /^\+81\d{9,10}$/.test(e164) ? e164 : null;
  } catch {
    return null;
  }
}
