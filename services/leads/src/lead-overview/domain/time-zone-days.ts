/**
 * Calendar days in an IANA time zone, computed with Intl only (no dependencies).
 * New-lead counts are kept per 15-minute UTC slot; every real time zone's offset is a multiple of
 * 15 minutes, so each slot lies wholly inside one local day and slots can be summed into the days
 * of any time zone, even one chosen after the leads arrived.
 */
export const SLOT_MS = 15 * 60 * 1000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallClock(instantMs: number, timeZone: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instantMs))) parts[p.type] = p.value;
  return { y: Number(parts['year']), m: Number(parts['month']), d: Number(parts['day']), h: Number(parts['hour']), min: Number(parts['minute']), s: Number(parts['second']) };
}

/** Offset of the zone from UTC at an instant, in ms (Asia/Shanghai: +8 h). */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const w = wallClock(instantMs, timeZone);
  const asUtc = Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

export function isDay(value: string): boolean {
  const m = DAY_PATTERN.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** The instant a local calendar day starts in the zone (handles DST: the first existing minute). */
export function startOfDayUtc(day: string, timeZone: string): number {
  const m = DAY_PATTERN.exec(day);
  if (!m) throw new Error(`not a day: ${day}`);
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  let instant = guess - zoneOffsetMs(guess, timeZone);
  const second = guess - zoneOffsetMs(instant, timeZone);
  if (second !== instant) instant = second;
  // If midnight does not exist (DST jump at 00:00), the day starts at the first instant that is on it.
  if (localDay(instant, timeZone) !== day) instant += 60 * 60 * 1000;
  return instant;
}

/** The local calendar day (YYYY-MM-DD) of an instant in the zone. */
export function localDay(instantMs: number, timeZone: string): string {
  const w = wallClock(instantMs, timeZone);
  return `${String(w.y).padStart(4, '0')}-${String(w.m).padStart(2, '0')}-${String(w.d).padStart(2, '0')}`;
}

export function addDays(day: string, days: number): string {
  const m = DAY_PATTERN.exec(day);
  if (!m) throw new Error(`not a day: ${day}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days)).toISOString().slice(0, 10);
}

export function daysBetweenInclusive(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The last instant asked for and its slot: the leads of one import chunk share their creation time. */
let lastInstant = '';
let lastSlot = '';

/** Start of the 15-minute UTC slot holding an instant, as ISO-8601. */
export function slotOf(instantIso: string): string {
  if (instantIso === lastInstant && lastSlot !== '') return lastSlot;
  const ms = Date.parse(instantIso);
  const slot = new Date(ms - (((ms % SLOT_MS) + SLOT_MS) % SLOT_MS)).toISOString();
  lastInstant = instantIso;
  lastSlot = slot;
  return slot;
}
