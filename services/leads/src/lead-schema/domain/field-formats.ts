/**
 * Value formats shared by field attributes and field values: calendar dates, instants, UUIDs,
 * labels and decimal rounding. Pure functions; no I/O.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function validCalendarDate(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** `YYYY-MM-DD` naming a real calendar day (years 0001-9999), or null. */
export function parseCalendarDate(value: string): string | null {
  const m = DATE.exec(value);
  if (!m) return null;
  return validCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) ? value : null;
}

/**
 * An ISO-8601 date-time with a UTC offset (`Z` or `±hh:mm`), seconds and fractions optional, to its
 * instant as `toISOString()` (UTC, milliseconds); null when it is not one or names no real time.
 * Digits of a fraction beyond milliseconds are dropped (truncated).
 */
export function parseInstant(value: string): string | null {
  const m = DATE_TIME.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
  if (!validCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  const instant = new Date(date.getTime() - offsetMinutes * 60_000);
  const utcYear = instant.getUTCFullYear();
  if (Number.isNaN(instant.getTime()) || utcYear < 1 || utcYear > 9999) return null;
  return instant.toISOString();
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Length in characters (Unicode code points), not UTF-16 code units. */
export function characterLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/** NFC-normalised and trimmed. */
export function cleanText(value: string): string {
  return value.normalize('NFC').trim();
}

/**
 * `value` rounded half away from zero to `precision` digits after the decimal point. Works on the
 * shortest decimal form of the number, so 1.005 rounds to 1.01 (not 1.00 as `toFixed` would).
 */
export function roundToPrecision(value: number, precision: number): number {
  if (value === 0 || !Number.isFinite(value)) return value === 0 ? 0 : value;
  const sign = value < 0 ? -1 : 1;
  const [mantissa, exponent] = Math.abs(value).toExponential().split('e') as [string, string];
  const shifted = Math.round(Number(`${mantissa}e${Number(exponent) + precision}`));
  const [m2, e2] = shifted.toExponential().split('e') as [string, string];
  const rounded = sign * Number(`${m2}e${Number(e2) - precision}`);
  return rounded === 0 ? 0 : rounded;
}
