/**
 * Five-field cron expressions in UTC: `minute hour day-of-month month day-of-week`, each field a
 * list of `*`, `N`, `A-B`, with an optional `/step`; names for months (JAN..DEC) and weekdays
 * (SUN..SAT, 0 and 7 = Sunday); macros @hourly @daily @weekly @monthly @yearly. As in Vixie
 * cron, when both day fields are restricted a day matching either one fires.
 */

export interface Cron {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  weekdays: ReadonlySet<number>;
  dayRestricted: boolean;
  weekdayRestricted: boolean;
}

const MACROS: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Value of names[0]. */
  nameBase?: number;
}

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { name: 'day of week', min: 0, max: 7, names: WEEKDAYS, nameBase: 0 },
];

export class CronError extends Error {}

function value(text: string, spec: FieldSpec): number {
  const upper = text.toUpperCase();
  const named = spec.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + (spec.nameBase ?? 0);
  if (!/^\d{1,2}$/.test(text)) throw new CronError(`${spec.name}: "${text}" is not a number`);
  const n = Number(text);
  if (n < spec.min || n > spec.max) {
    throw new CronError(`${spec.name}: ${n} is outside ${spec.min}-${spec.max}`);
  }
  return n;
}

function field(text: string, spec: FieldSpec): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined || range === '') throw new CronError(`${spec.name}: "${part}" is malformed`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,2}$/.test(stepText) || Number(stepText) < 1) {
        throw new CronError(`${spec.name}: step "${stepText}" must be a whole number ≥ 1`);
      }
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = spec.min;
      hi = spec.max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      lo = value(a, spec);
      hi = value(b, spec);
      if (lo > hi) throw new CronError(`${spec.name}: range "${range}" runs backwards`);
    } else {
      lo = value(range, spec);
      hi = stepText === undefined ? lo : spec.max;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Parses a cron expression; throws CronError naming the faulty field. */
export function parseCron(expression: string): Cron {
  const text = MACROS[expression.trim().toLowerCase()] ?? expression.trim();
  const parts = text.split(/\s+/);
  if (parts.length !== 5) {
    throw new CronError('must have five fields: minute hour day-of-month month day-of-week');
  }
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => field(p, FIELDS[i]));
  if (weekdays.has(7)) {
    weekdays.delete(7);
    weekdays.add(0);
  }
  const cron: Cron = {
    minutes,
    hours,
    days,
    months,
    weekdays,
    dayRestricted: !parts[2].startsWith('*'),
    weekdayRestricted: !parts[4].startsWith('*'),
  };
  if (nextCronTime(cron, Date.UTC(2000, 0, 1)) === null) throw new CronError('never fires');
  return cron;
}

function dayMatches(c: Cron, d: Date): boolean {
  const byDay = c.days.has(d.getUTCDate());
  const byWeekday = c.weekdays.has(d.getUTCDay());
  if (c.dayRestricted && c.weekdayRestricted) return byDay || byWeekday;
  if (c.dayRestricted) return byDay;
  if (c.weekdayRestricted) return byWeekday;
  return true;
}

/** Search horizon: every valid expression fires within 8 years (29 February included). */
const HORIZON_MS = 8 * 366 * 86_400_000;

/** The first whole minute strictly after `after` (ms) that the expression matches, or null. */
export function nextCronTime(c: Cron, after: number): number | null {
  const d = new Date(Math.floor(after / 60_000) * 60_000 + 60_000);
  const limit = after + HORIZON_MS;
  while (d.getTime() <= limit) {
    if (!c.months.has(d.getUTCMonth() + 1)) {
      d.setUTCMonth(d.getUTCMonth() + 1, 1);
      d.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(c, d)) {
      d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(0, 0, 0, 0);
    } else if (!c.hours.has(d.getUTCHours())) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
    } else if (!c.minutes.has(d.getUTCMinutes())) {
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
    } else {
      return d.getTime();
    }
  }
  return null;
}
