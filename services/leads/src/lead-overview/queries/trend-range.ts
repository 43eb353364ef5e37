import { DomainError } from '@leadstream/event-sourcing';
import type { ReadStore } from '@leadstream/read-store';
import { stringify } from 'csv-stringify/sync';
import { tenantTimeZone } from '../../tenant/tenant-time-zone';
import { trendPeriods, validateTrendRange, type Granularity, type TrendPeriods } from '../domain/trend-periods';

export interface ResolvedRange extends TrendPeriods {
  readonly timeZone: string;
  readonly granularity: Granularity;
  /** ISO instants of the range: [start, end). */
  readonly start: string;
  readonly end: string;
}

/** Validates a trend range (400 naming from, to, granularity) and cuts it in the enterprise's time zone. */
export async function resolveTrendRange(store: ReadStore, tenantId: string, from: string, to: string, granularity: string): Promise<ResolvedRange> {
  const fields = validateTrendRange(from, to, granularity);
  if (Object.keys(fields).length > 0) throw new DomainError('invalid', 'leads.invalid-range', 'The date range is not valid.', fields);
  const timeZone = await tenantTimeZone(store, tenantId);
  const periods = trendPeriods(from, to, granularity as Granularity, timeZone);
  return {
    ...periods,
    timeZone,
    granularity: granularity as Granularity,
    start: new Date(periods.boundaries[0]!).toISOString(),
    end: new Date(periods.boundaries[periods.boundaries.length - 1]!).toISOString(),
  };
}

/**
 * A trend as CSV for spreadsheet software: UTF-8 with a byte order mark (so Excel reads Chinese
 * names right), CRLF rows, a header row, then one row per period (its first day) and one column
 * per series. A header that a spreadsheet would run as a formula (a source typed as `=…`) is
 * prefixed with an apostrophe.
 */
export function trendCsv(periods: readonly string[], columns: readonly { header: string; counts: readonly number[] }[]): string {
  const rows: (string | number)[][] = [['period', ...columns.map((c) => safeCell(c.header))]];
  periods.forEach((day, i) => rows.push([day, ...columns.map((c) => c.counts[i] ?? 0)]));
  return stringify(rows, { bom: true, record_delimiter: 'windows' });
}

function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** CSV when `format=csv`, or without `format` when the Accept header asks for text/csv. */
export function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  return /(^|,)\s*text\/csv\s*(;|,|$)/i.test(accept ?? '');
}

/** Headers of a CSV download named after the trend and its range. */
export function csvHeaders(trend: string, from: string, to: string, granularity: string): Record<string, string> {
  return {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="lead-overview-${trend}-${from}-${to}-${granularity}.csv"`,
  };
}
