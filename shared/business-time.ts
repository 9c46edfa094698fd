// Building a formatter costs far more than using one: one per time zone, kept.
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

// Offsets change on whole minutes at most: the last one asked per zone answers the rest of its minute.
const lastOffsets = new Map<string, { minute: number; offset: number }>();

/** Minutes east of UTC of `timeZone` at `at` (e.g. 540 for Asia/Tokyo). */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  const minute = Math.floor(at.getTime() / 60_000);
  const last = lastOffsets.get(timeZone);
  if (last?.minute === minute) return last.offset;
  const offset = readOffsetMinutes(timeZone, at);
  lastOffsets.set(timeZone, { minute, offset });
  return offset;
}

function readOffsetMinutes(timeZone: string, at: Date): number {
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
