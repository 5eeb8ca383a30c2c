/**
 * When a dynamic segment is recomputed: every N minutes (1..10,080, default 15), a cron
 * expression (UTC, see cron.ts), or null (on demand only). Stored as text: "15" or the cron.
 */
import { invalid } from '../core/errors.ts';
import { type Cron, CronError, nextCronTime, parseCron } from './cron.ts';

export const DEFAULT_SCHEDULE_MINUTES = 15;
export const MAX_SCHEDULE_MINUTES = 7 * 24 * 60;
/** How late a scheduled run may finish before the segment is reported stale. */
export const STALE_GRACE_MS = 2 * 60_000;

export type Schedule = { every: number } | { cron: string; parsed: Cron };

/** The API value of a schedule: minutes, a cron expression, or null. */
export type ScheduleValue = number | string | null;

/** Validates an API value; `path` names the field in errors. */
export function parseSchedule(value: ScheduleValue, path: string): Schedule | null {
  if (value === null) return null;
  if (typeof value === 'number' || /^\d+$/.test(value.trim())) {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1 || n > MAX_SCHEDULE_MINUTES) {
      throw invalid(path, `minutes must be a whole number from 1 to ${MAX_SCHEDULE_MINUTES}`);
    }
    return { every: n };
  }
  try {
    return { cron: value.trim(), parsed: parseCron(value) };
  } catch (err) {
    if (err instanceof CronError) throw invalid(path, `not a valid cron expression: ${err.message}`);
    throw err;
  }
}

export function scheduleText(s: Schedule | null): string | null {
  if (s === null) return null;
  return 'every' in s ? String(s.every) : s.cron;
}

/** The stored text back as the API value (minutes as a number). */
export function scheduleValue(text: string | null): ScheduleValue {
  if (text === null) return null;
  return /^\d+$/.test(text) ? Number(text) : text;
}

export function scheduleFromText(text: string | null): Schedule | null {
  return parseSchedule(scheduleValue(text), '/schedule');
}

/** The next run strictly after `after` (ms); null when the schedule never fires again. */
export function nextRun(s: Schedule, after: number): number | null {
  if ('every' in s) return after + s.every * 60_000;
  return nextCronTime(s.parsed, after);
}

export type StaleReason = 'failed' | 'schedule_missed';

/**
 * Freshness of a dynamic segment: stale when its latest evaluation failed, or when the run due
 * after its latest computation (or its creation) has not finished within the grace period.
 */
export function staleness(input: {
  schedule: Schedule | null;
  lastComputedAt: number | null;
  createdAt: number;
  lastError: string | null;
  now: number;
}): StaleReason | null {
  if (input.lastError !== null) return 'failed';
  if (input.schedule === null) return null;
  const due = nextRun(input.schedule, input.lastComputedAt ?? input.createdAt);
  return due !== null && input.now > due + STALE_GRACE_MS ? 'schedule_missed' : null;
}
