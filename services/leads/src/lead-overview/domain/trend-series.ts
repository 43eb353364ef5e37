/**
 * Series of a "new leads by X" trend (source, activity): one per key, ranked by their total in
 * the range (ties by key), the `top` largest shown by name, the leads without a value as their own
 * `none` series, and every other key summed into one `other` series, so the series always add
 * up to the new leads of each period.
 */
export type SeriesKind = 'value' | 'none' | 'other';

export interface RankedSeries {
  readonly kind: SeriesKind;
  /** The source or activity id; null for `none` and `other`. */
  readonly key: string | null;
  readonly total: number;
  readonly counts: number[];
}

export function rankSeries(perKey: ReadonlyMap<string | null, number[]>, periods: number, top: number): RankedSeries[] {
  const named: RankedSeries[] = [];
  let none: RankedSeries | null = null;
  for (const [key, counts] of perKey) {
    const total = counts.reduce((a, b) => a + b, 0);
    if (total === 0) continue;
    if (key === null) none = { kind: 'none', key: null, total, counts };
    else named.push({ kind: 'value', key, total, counts });
  }
  named.sort((a, b) => b.total - a.total || (a.key! < b.key! ? -1 : a.key! > b.key! ? 1 : 0));
  const shown = named.slice(0, top);
  const rest = named.slice(top);
  const out = [...shown];
  if (none) out.push(none);
  if (rest.length > 0) {
    const counts = new Array<number>(periods).fill(0);
    for (const s of rest) s.counts.forEach((n, i) => (counts[i] = (counts[i] ?? 0) + n));
    out.push({ kind: 'other', key: null, total: rest.reduce((a, s) => a + s.total, 0), counts });
  }
  return out;
}
