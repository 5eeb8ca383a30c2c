import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.ts';
import {
  nextRun,
  parseSchedule,
  STALE_GRACE_MS,
  scheduleText,
  scheduleValue,
  staleness,
} from './schedule.ts';

const MIN = 60_000;

describe('segment schedules', () => {
  it('reads minutes and cron expressions, and round-trips them through storage', () => {
    expect(parseSchedule(15, '/schedule')).toEqual({ every: 15 });
    expect(scheduleValue(scheduleText(parseSchedule(1, '/schedule')))).toBe(1);
    expect(scheduleValue(scheduleText(parseSchedule('0 6 * * *', '/schedule')))).toBe('0 6 * * *');
    expect(parseSchedule(null, '/schedule')).toBeNull();
  });

  it('names the field of a bad schedule', () => {
    for (const bad of [0, 10_081, 1.5, '61 * * * *', 'soon']) {
      try {
        parseSchedule(bad, '/schedule');
        expect.unreachable(String(bad));
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        expect((err as ValidationError).details[0].path).toBe('/schedule');
      }
    }
  });

  it('computes the next run', () => {
    const t = Date.parse('2025-05-01T10:07:00Z');
    expect(nextRun({ every: 15 }, t)).toBe(t + 15 * MIN);
    expect(nextRun(parseSchedule('0 * * * *', '/s')!, t)).toBe(Date.parse('2025-05-01T11:00:00Z'));
  });

  it('reports stale when the last run failed or a scheduled run is overdue', () => {
    const now = Date.parse('2025-05-01T12:00:00Z');
    const base = { schedule: { every: 15 }, createdAt: now - 60 * MIN, lastError: null, now };
    expect(staleness({ ...base, lastComputedAt: now - 10 * MIN })).toBeNull();
    expect(staleness({ ...base, lastComputedAt: now - 15 * MIN - STALE_GRACE_MS + 1 })).toBeNull();
    expect(staleness({ ...base, lastComputedAt: now - 15 * MIN - STALE_GRACE_MS - 1 })).toBe(
      'schedule_missed',
    );
    expect(staleness({ ...base, lastComputedAt: null })).toBe('schedule_missed');
    expect(staleness({ ...base, lastComputedAt: now - MIN, lastError: 'boom' })).toBe('failed');
    expect(staleness({ ...base, schedule: null, lastComputedAt: null })).toBeNull();
  });
});
