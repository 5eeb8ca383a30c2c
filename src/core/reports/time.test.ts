import { describe, expect, it } from 'vitest';
import {
  addPeriods,
  bucketCount,
  bucketOf,
  bucketsOf,
  isTimeZone,
  lastLocalDate,
  localDate,
  parseInstant,
  periodsBetween,
} from './time.ts';

describe('report time', () => {
  it('parses ISO dates and date-times, UTC without an offset', () => {
    expect(parseInstant('2026-03-01')).toBe(Date.UTC(2026, 2, 1));
    expect(parseInstant('2026-03-01T10:00')).toBe(Date.UTC(2026, 2, 1, 10));
    expect(parseInstant('2026-03-01T10:00:00.5+03:00')).toBe(Date.UTC(2026, 2, 1, 7, 0, 0, 500));
    expect(parseInstant('2026-03-01 10:00:00Z')).toBe(Date.UTC(2026, 2, 1, 10));
    for (const bad of [
      '2026-02-30',
      '2026-13-01',
      '26-01-01',
      '2026-01-01T25:00',
      'now',
      '2026-01-01T10:00+24:00',
    ])
      expect(parseInstant(bad), bad).toBeUndefined();
  });

  it('knows IANA zones and refuses anything else', () => {
    expect(isTimeZone('Europe/Moscow')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone("UTC'; DROP")).toBe(false);
  });

  it('cuts local days, Monday weeks and months', () => {
    const lateUtc = Date.UTC(2026, 0, 4, 22, 30); // Sunday 22:30 UTC = Monday 01:30 in Moscow
    expect(localDate(lateUtc, 'UTC')).toBe('2026-01-04');
    expect(localDate(lateUtc, 'Europe/Moscow')).toBe('2026-01-05');
    expect(bucketOf('2026-01-04', 'week')).toBe('2025-12-29');
    expect(bucketOf('2026-01-05', 'week')).toBe('2026-01-05');
    expect(bucketOf('2026-02-17', 'month')).toBe('2026-02-01');
    expect(addPeriods('2026-01-31', 1, 'day')).toBe('2026-02-01');
    expect(addPeriods('2025-12-01', 3, 'month')).toBe('2026-03-01');
    expect(periodsBetween('2025-12-29', '2026-01-19', 'week')).toBe(3);
    expect(periodsBetween('2025-11-01', '2026-02-01', 'month')).toBe(3);
  });

  it('lists the buckets a range touches; `to` is exclusive', () => {
    const from = Date.UTC(2026, 2, 7, 12);
    const to = Date.UTC(2026, 2, 10); // midnight UTC: the 10th is not touched
    expect(bucketsOf(from, to, 'UTC', 'day')).toEqual(['2026-03-07', '2026-03-08', '2026-03-09']);
    expect(lastLocalDate(to, 'UTC')).toBe('2026-03-09');
    // New York changes to summer time on 2026-03-08: days still come one per date.
    expect(bucketsOf(from, to, 'America/New_York', 'day')).toEqual([
      '2026-03-07',
      '2026-03-08',
      '2026-03-09',
    ]);
    expect(bucketsOf(from, to, 'Asia/Tokyo', 'day')).toEqual([
      '2026-03-07',
      '2026-03-08',
      '2026-03-09',
      '2026-03-10',
    ]);
    expect(bucketsOf(from, Date.UTC(2026, 4, 1), 'UTC', 'month')).toEqual(['2026-03-01', '2026-04-01']);
    expect(bucketCount(Date.UTC(2020, 0, 1), Date.UTC(2026, 0, 1), 'UTC', 'day')).toBe(2192);
  });
});
