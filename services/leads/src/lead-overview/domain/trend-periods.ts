import { addDays, isDay, startOfDayUtc } from './time-zone-days';

/**
 * Trend periods (LEAD-11): days, ISO weeks (Monday to Sunday) or calendar months of the
 * enterprise's time zone, cut at its local midnight (so a DST day is 23 or 25 hours long). A
 * range rarely starts on a Monday or the 1st: its first and last periods are clipped to it, and
 * every period is labelled by the first day it covers inside the range.
 */
export const GRANULARITIES = ['day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** At most this many periods in one answer, whatever the granularity. */
export const MAX_TREND_PERIODS = 1000;

export interface TrendPeriods {
  /** First local day of each period (YYYY-MM-DD), clipped to the range. */
  readonly starts: readonly string[];
  /**
   * `starts.length + 1` instants (ms since the epoch, ascending): period i holds the instants in
   * [boundaries[i], boundaries[i + 1]); the last one is the local midnight after `to`.
   */
  readonly boundaries: readonly number[];
}

/** ISO day of the week of a calendar day: Monday 1 … Sunday 7. */
export function isoWeekday(day: string): number {
  const dow = new Date(`${day}T00:00:00.000Z`).getUTCDay();
  return dow === 0 ? 7 : dow;
}

/** The first day of the period after the one holding `day` (not clipped). */
export function nextPeriodStart(day: string, granularity: Granularity): string {
  if (granularity === 'day') return addDays(day, 1);
  if (granularity === 'week') return addDays(day, 8 - isoWeekday(day));
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  return m === 12 ? `${String(y + 1).padStart(4, '0')}-01-01` : `${day.slice(0, 4)}-${String(m + 1).padStart(2, '0')}-01`;
}

/** The local days starting each period of [from, to]; `null` when there would be more than `max`. */
export function periodStarts(from: string, to: string, granularity: Granularity, max = MAX_TREND_PERIODS): string[] | null {
  const starts: string[] = [];
  for (let day = from; day <= to; day = nextPeriodStart(day, granularity)) {
    if (starts.length === max) return null;
    starts.push(day);
  }
  return starts;
}

/** Why a trend range is not valid, by field; empty when it is. */
export function validateTrendRange(from: string, to: string, granularity: string): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!isDay(from)) fields['from'] = 'is not a calendar day (YYYY-MM-DD)';
  if (!isDay(to)) fields['to'] = 'is not a calendar day (YYYY-MM-DD)';
  if (!(GRANULARITIES as readonly string[]).includes(granularity)) fields['granularity'] = `must be one of ${GRANULARITIES.join(', ')}`;
  if (Object.keys(fields).length > 0) return fields;
  if (to < from) fields['to'] = 'must not be before from';
  else if (periodStarts(from, to, granularity as Granularity) === null) {
    fields['to'] = `gives more than ${MAX_TREND_PERIODS} periods of one ${granularity}: choose a shorter range or a coarser granularity`;
  }
  return fields;
}

/** The periods of a valid range in a time zone. */
export function trendPeriods(from: string, to: string, granularity: Granularity, timeZone: string): TrendPeriods {
  const starts = periodStarts(from, to, granularity);
  if (starts === null) throw new Error(`more than ${MAX_TREND_PERIODS} periods`);
  const boundaries = starts.map((day) => startOfDayUtc(day, timeZone));
  boundaries.push(startOfDayUtc(addDays(to, 1), timeZone));
  return { starts, boundaries };
}

/** Index of the period holding an instant, or -1 outside the range (binary search). */
export function periodIndex(boundaries: readonly number[], instantMs: number): number {
  if (boundaries.length < 2 || instantMs < boundaries[0]! || instantMs >= boundaries[boundaries.length - 1]!) return -1;
  let lo = 0;
  let hi = boundaries.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (boundaries[mid]! <= instantMs) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
