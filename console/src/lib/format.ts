/** Money and time as people read them: yen without decimals, times in the business calendar (Asia/Tokyo). */
export const BUSINESS_TIME_ZONE = 'Asia/Tokyo';

export function formatMoney(money: { amount: number; currencyCode: string } | null | undefined, locale: string): string {
  if (!money) return '—';
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currencyCode });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 0;
  return format.format(money.amount / 10 ** digits);
}

export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, { timeZone: BUSINESS_TIME_ZONE, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatDate(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, { timeZone: BUSINESS_TIME_ZONE, dateStyle: 'medium' }).format(new Date(iso));
}

export function formatPercent(share: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

/** Whether a contact value is as the graph masks it for the role (`h***@example.com`, `+81******5678`). */
export function isMasked(value: string | null | undefined): boolean {
  return !!value && value.includes('*');
}

/** An idempotency key, also where crypto.randomUUID is missing (a tablet on plain http in the store network). */
export function newKey(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Axis labels: ¥12万, £1.2K. */
export function compactMoney(amount: number, currencyCode: string, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: currencyCode, notation: 'compact', maximumFractionDigits: 1 });
  const digits = new Intl.NumberFormat(locale, { style: 'currency', currency: currencyCode }).resolvedOptions().maximumFractionDigits ?? 0;
  return format.format(amount / 10 ** digits);
}
