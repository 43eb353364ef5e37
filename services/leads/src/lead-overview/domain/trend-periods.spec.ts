import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TREND_PERIODS, isoWeekday, periodIndex, periodStarts, trendPeriods, validateTrendRange } from './trend-periods';
import { rankSeries } from './trend-series';

const iso = (ms: number): string => new Date(ms).toISOString();

describe('trend periods', () => {
  it('starts ISO weeks on Monday and clips the first and last week to the range', () => {
    assert.equal(isoWeekday('2026-03-01'), 7);
    assert.equal(isoWeekday('2026-03-02'), 1);
    assert.deepEqual(periodStarts('2026-03-01', '2026-03-17', 'week'), ['2026-03-01', '2026-03-02', '2026-03-09', '2026-03-16']);
  });

  it('cuts months at month ends, including February of a leap year and December', () => {
    assert.deepEqual(periodStarts('2028-01-31', '2028-03-01', 'month'), ['2028-01-31', '2028-02-01', '2028-03-01']);
    assert.deepEqual(periodStarts('2026-12-15', '2027-01-02', 'month'), ['2026-12-15', '2027-01-01']);
  });

  it('cuts periods at local midnight in Asia/Shanghai', () => {
    const { starts, boundaries } = trendPeriods('2026-03-01', '2026-03-03', 'day', 'Asia/Shanghai');
    assert.deepEqual(starts, ['2026-03-01', '2026-03-02', '2026-03-03']);
    assert.deepEqual(boundaries.map(iso), [
      '2026-02-28T16:00:00.000Z',
      '2026-03-01T16:00:00.000Z',
      '2026-03-02T16:00:00.000Z',
      '2026-03-03T16:00:00.000Z',
    ]);
  });

  it('gives the DST days of America/New_York 23 and 25 hours', () => {
    const spring = trendPeriods('2026-03-08', '2026-03-08', 'day', 'America/New_York').boundaries;
    assert.equal((spring[1]! - spring[0]!) / 3_600_000, 23);
    const autumn = trendPeriods('2026-11-01', '2026-11-01', 'day', 'America/New_York').boundaries;
    assert.equal((autumn[1]! - autumn[0]!) / 3_600_000, 25);
    const week = trendPeriods('2026-03-02', '2026-03-15', 'week', 'America/New_York');
    assert.deepEqual(week.boundaries.map(iso), ['2026-03-02T05:00:00.000Z', '2026-03-09T04:00:00.000Z', '2026-03-16T04:00:00.000Z']);
  });

  it('finds the period of an instant and -1 outside the range', () => {
    const { boundaries } = trendPeriods('2026-03-01', '2026-03-31', 'week', 'Asia/Shanghai');
    assert.equal(periodIndex(boundaries, Date.parse('2026-02-28T15:59:59.999Z')), -1);
    assert.equal(periodIndex(boundaries, Date.parse('2026-02-28T16:00:00.000Z')), 0);
    assert.equal(periodIndex(boundaries, Date.parse('2026-03-01T16:00:00.000Z')), 1);
    assert.equal(periodIndex(boundaries, Date.parse('2026-03-31T15:59:59.999Z')), boundaries.length - 2);
    assert.equal(periodIndex(boundaries, Date.parse('2026-03-31T16:00:00.000Z')), -1);
  });

  it('names from, to and granularity in validation errors and caps the number of periods', () => {
    assert.deepEqual(Object.keys(validateTrendRange('2026-13-01', 'x', 'hour')).sort(), ['from', 'granularity', 'to']);
    assert.deepEqual(Object.keys(validateTrendRange('2026-03-02', '2026-03-01', 'day')), ['to']);
    assert.deepEqual(validateTrendRange('2000-01-01', '2030-01-01', 'month'), {});
    assert.match(validateTrendRange('2000-01-01', '2030-01-01', 'day')['to'] ?? '', new RegExp(String(MAX_TREND_PERIODS)));
  });
});

describe('trend series', () => {
  it('ranks named series, keeps none apart and sums the rest into other', () => {
    const perKey = new Map<string | null, number[]>([
      ['web', [3, 1]],
      ['fair', [1, 1]],
      ['ads', [0, 1]],
      [null, [2, 0]],
      ['empty', [0, 0]],
    ]);
    const series = rankSeries(perKey, 2, 1);
    assert.deepEqual(
      series.map((s) => [s.kind, s.key, s.total, s.counts]),
      [
        ['value', 'web', 4, [3, 1]],
        ['none', null, 2, [2, 0]],
        ['other', null, 3, [1, 2]],
      ],
    );
  });
});
