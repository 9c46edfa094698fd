// Building a formatter costs far more than using one: one per time zone, kept.
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** Minutes east of UTC of `timeZone` at `at` (e.g. 540 for Asia/Tokyo). */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, format);
  }
  const name = format
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')!.value; // "GMT+09:00" or "GMT"
  const match = /GMT([+-])(\d\d):(\d\d)/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/**
 * The start of a calendar window of `days` business days ending today, in the business time zone:
 * days = 1 is "today since local midnight", days = 30 is "the last 30 days including today".
 */
export function businessWindowStart(now: Date, days: number, timeZone: string): Date {
  const offsetMs = utcOffsetMinutes(timeZone, now) * 60_000;
  const local = new Date(now.getTime() + offsetMs);
  const localMidnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - (days - 1));
  return new Date(localMidnight - offsetMs);
}
