import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, daysBetweenInclusive, isDay, localDay, slotOf, startOfDayUtc } from './time-zone-days';

describe('time zone days', () => {
  it('finds the start of a day in Shanghai (UTC+8)', () => {
    assert.equal(new Date(startOfDayUtc('2026-03-01', 'Asia/Shanghai')).toISOString(), '2026-02-28T16:00:00.000Z');
  });

  it('handles half- and quarter-hour zones', () => {
    assert.equal(new Date(startOfDayUtc('2026-03-01', 'Asia/Kolkata')).toISOString(), '2026-02-28T18:30:00.000Z');
    assert.equal(new Date(startOfDayUtc('2026-03-01', 'Asia/Kathmandu')).toISOString(), '2026-02-28T18:15:00.000Z');
  });

  it('handles DST days (New York springs forward on 2026-03-08)', () => {
    assert.equal(new Date(startOfDayUtc('2026-03-08', 'America/New_York')).toISOString(), '2026-03-08T05:00:00.000Z');
    assert.equal(new Date(startOfDayUtc('2026-03-09', 'America/New_York')).toISOString(), '2026-03-09T04:00:00.000Z');
  });

  it('maps instants to local days', () => {
    assert.equal(localDay(Date.parse('2026-02-28T16:00:00.000Z'), 'Asia/Shanghai'), '2026-03-01');
    assert.equal(localDay(Date.parse('2026-02-28T15:59:59.999Z'), 'Asia/Shanghai'), '2026-02-28');
  });

  it('slots instants into 15-minute UTC slots', () => {
    assert.equal(slotOf('2026-03-01T08:14:59.999Z'), '2026-03-01T08:00:00.000Z');
    assert.equal(slotOf('2026-03-01T08:15:00.000Z'), '2026-03-01T08:15:00.000Z');
    // asked again, and in turn (the last answer is remembered)
    for (const [instant, slot] of [
      ['2026-03-01T08:15:00.000Z', '2026-03-01T08:15:00.000Z'],
      ['2026-03-01T08:15:00.000Z', '2026-03-01T08:15:00.000Z'],
      ['1969-12-31T23:59:59.999Z', '1969-12-31T23:45:00.000Z'],
      ['2026-03-01T08:14:59.999Z', '2026-03-01T08:00:00.000Z'],
    ]) assert.equal(slotOf(instant!), slot);
    assert.throws(() => slotOf('not a time'), RangeError);
    assert.equal(slotOf('2026-03-01T08:14:59.999Z'), '2026-03-01T08:00:00.000Z');
  });

  it('validates and walks days', () => {
    assert.equal(isDay('2026-02-29'), false);
    assert.equal(isDay('2028-02-29'), true);
    assert.equal(isDay('2026-1-01'), false);
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.deepEqual(daysBetweenInclusive('2026-02-27', '2026-03-01'), ['2026-02-27', '2026-02-28', '2026-03-01']);
  });
});
