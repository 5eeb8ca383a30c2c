/**
 * Calendar arithmetic of reports: instants, local dates in an IANA time zone, and the buckets
 * (days, ISO weeks starting Monday, months) a range is cut into. Local dates are `YYYY-MM-DD`
 * strings; the SQL side cuts with the same rules (`bucketSql`).
 */
import { param, type SqlFragment, sql } from '../sql.ts';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
/** A session ends after this much silence (specs/reports.md). */
export const SESSION_GAP_MS = 30 * MINUTE_MS;

export type Granularity = 'day' | 'week' | 'month';

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds of an ISO-8601 date or date-time (UTC when it has no offset), or undefined. */
export function parseInstant(text: string): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1970 || year > 2105 || month < 1 || month > 12 || day < 1) return undefined;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  let t = Date.UTC(
    year,
    month - 1,
    day,
    Number(h),
    Number(mi),
    Number(s),
    Number(frac.padEnd(3, '0').slice(0, 3)),
  );
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offH = Number(digits.slice(0, 2));
    const offM = Number(digits.slice(2));
    if (offH > 23 || offM > 59) return undefined;
    t -= sign * (offH * HOUR_MS + offM * MINUTE_MS);
  }
  return t;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `tz` is an IANA time zone name this runtime knows. */
export function isTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(tz)) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** The local calendar date of an instant in `tz`, `YYYY-MM-DD`. */
export function localDate(ms: number, tz: string): string {
  const parts = formatter(tz).formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

function dateMs(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

function dateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return dateOf(dateMs(date) + days * DAY_MS);
}

export function addMonths(date: string, months: number): string {
  const d = new Date(dateMs(date));
  return dateOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
}

/** The first day of the bucket holding local date `date`. */
export function bucketOf(date: string, g: Granularity): string {
  if (g === 'day') return date;
  if (g === 'month') return `${date.slice(0, 7)}-01`;
  const weekday = (new Date(dateMs(date)).getUTCDay() + 6) % 7; // Monday = 0
  return addDays(date, -weekday);
}

/** The bucket `n` periods after bucket `start`. */
export function addPeriods(start: string, n: number, g: Granularity): string {
  if (g === 'day') return addDays(start, n);
  if (g === 'week') return addDays(start, 7 * n);
  return addMonths(start, n);
}

/** Whole periods from bucket `a` to bucket `b` (both bucket starts). */
export function periodsBetween(a: string, b: string, g: Granularity): number {
  if (g === 'month') {
    return (
      (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7))
    );
  }
  const days = Math.round((dateMs(b) - dateMs(a)) / DAY_MS);
  return g === 'day' ? days : Math.floor(days / 7);
}

/** The last local date touched by [from, to): the date of the last millisecond before `to`. */
export function lastLocalDate(to: number, tz: string): string {
  return localDate(to - 1, tz);
}

/** Every bucket start of granularity `g` that [from, to) touches in `tz`, in order. */
export function bucketsOf(from: number, to: number, tz: string, g: Granularity): string[] {
  const last = bucketOf(lastLocalDate(to, tz), g);
  const out: string[] = [];
  for (let b = bucketOf(localDate(from, tz), g); b <= last; b = addPeriods(b, 1, g)) out.push(b);
  return out;
}

/** Number of buckets [from, to) touches, without listing them (for limits). */
export function bucketCount(from: number, to: number, tz: string, g: Granularity): number {
  const first = bucketOf(localDate(from, tz), g);
  const last = bucketOf(lastLocalDate(to, tz), g);
  return periodsBetween(first, last, g) + 1;
}

/** ClickHouse text of a DateTime64(3, 'UTC') value. */
export function chInstant(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** An instant as a bound DateTime64(3, 'UTC') parameter. */
export function instantParam(ms: number): SqlFragment {
  return param(chInstant(ms), "DateTime64(3, 'UTC')");
}

/**
 * The local bucket (a Date: its first day) of a DateTime64 expression, cut in time zone `tz`
 * (bound as a parameter; ClickHouse reads it as a constant).
 */
export function bucketSql(ts: SqlFragment, g: Granularity, tz: string): SqlFragment {
  const local = sql`toTimeZone(${ts}, ${param(tz, 'String')})`;
  if (g === 'day') return sql`toDate(${local})`;
  if (g === 'week') return sql`toMonday(${local})`;
  return sql`toStartOfMonth(${local})`;
}

/** The local bucket of an Int64 millisecond expression. */
export function bucketOfMsSql(ms: SqlFragment, g: Granularity, tz: string): SqlFragment {
  return bucketSql(sql`fromUnixTimestamp64Milli(${ms}, 'UTC')`, g, tz);
}

/** Whole periods between two bucket-start Date expressions (`b` − `a`). */
export function periodsBetweenSql(a: SqlFragment, b: SqlFragment, g: Granularity): SqlFragment {
  if (g === 'day') return sql`dateDiff('day', ${a}, ${b})`;
  if (g === 'week') return sql`intDiv(dateDiff('day', ${a}, ${b}), 7)`;
  return sql`dateDiff('month', ${a}, ${b})`;
}
