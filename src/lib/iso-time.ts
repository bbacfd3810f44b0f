const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00Z: later times need a six-digit year, which only Date.toISOString writes. */
const YEAR_10000_MS = 253_402_300_800_000;

const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

// The messages of a page are mostly from one day: its "YYYY-MM-DDT" is formatted once.
let cachedDay = -1;
let cachedPrefix = '';

/**
 * The same string as `date.toISOString()`, from the day's prefix (cached)
 * and digit strings looked up in tables: a page of history holds two hundred
 * timestamps, V8's own formatting is slower, and formatting each number
 * would allocate a string per field.
 */
export function isoTime(date: Date): string {
  const ms = date.getTime();
  if (!(ms >= 0 && ms < YEAR_10000_MS)) return date.toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    cachedDay = day;
  }
  const inDay = ms - day * DAY_MS;
  const seconds = Math.floor(inDay / 1000);
  return (
    cachedPrefix +
    TWO_DIGITS[Math.floor(seconds / 3600)]! +
    ':' +
    TWO_DIGITS[Math.floor(seconds / 60) % 60]! +
    ':' +
    TWO_DIGITS[seconds % 60]! +
    '.' +
    THREE_DIGITS[inDay % 1000]! +
    'Z'
  );
}
