/** Values and local dates for the reference side of the report tests (see reference-scope.ts). */
import type { Json } from './dataset.ts';

export type Scalar = string | number | boolean;

export interface RefFilter {
  property?: string;
  trait?: string;
  op: string;
  value?: Scalar | Scalar[];
}

export function valueAt(doc: Json, path: string): unknown {
  let v: unknown = doc;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Json)[key];
  }
  return v;
}

function nonEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v !== '';
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function same(v: unknown, x: Scalar): boolean {
  return typeof v === typeof x && v === x;
}

/** segment-rules.md semantics of one condition on the value `v`. */
export function holds(v: unknown, f: RefFilter): boolean {
  const present = v !== undefined && v !== null;
  switch (f.op) {
    case 'exists':
      return nonEmpty(v);
    case 'not_exists':
      return !nonEmpty(v);
    case 'eq':
      return same(v, f.value as Scalar);
    case 'neq':
      return present && !same(v, f.value as Scalar);
    case 'in':
      return (f.value as Scalar[]).some((x) => same(v, x));
    case 'not_in':
      return present && !(f.value as Scalar[]).some((x) => same(v, x));
    case 'gt':
      return typeof v === 'number' && v > (f.value as number);
    case 'gte':
      return typeof v === 'number' && v >= (f.value as number);
    case 'lt':
      return typeof v === 'number' && v < (f.value as number);
    case 'lte':
      return typeof v === 'number' && v <= (f.value as number);
    case 'contains':
      return typeof v === 'string' && v.toLowerCase().includes(String(f.value).toLowerCase());
  }
  throw new Error(`reference: unknown op ${f.op}`);
}

/** A number the way ClickHouse's JSONExtractFloat reads it (numbers, numeric strings; else 0). */
export function numeric(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) return Number(v);
  return 0;
}

/** A value as group/content text: strings as they are, numbers and booleans printed; null when absent. */
export function text(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Local calendar date `YYYY-MM-DD` of an instant in `tz`. */
export function day(ms: number, tz: string): string {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(tz, f);
  }
  return f.format(new Date(ms));
}

const utc = (d: string) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10));
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function plusDays(d: string, n: number): string {
  return iso(utc(d) + n * 86_400_000);
}

export type Period = 'day' | 'week' | 'month';

/** First day of the period holding local date `d`. */
export function periodStart(d: string, p: Period): string {
  if (p === 'day') return d;
  if (p === 'month') return `${d.slice(0, 8)}01`;
  const dow = new Date(utc(d)).getUTCDay(); // 0 = Sunday
  return plusDays(d, -((dow + 6) % 7));
}

export function nextPeriod(start: string, p: Period): string {
  if (p === 'day') return plusDays(start, 1);
  if (p === 'week') return plusDays(start, 7);
  const y = +start.slice(0, 4);
  const m = +start.slice(5, 7);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** Periods from period start `a` to period start `b`. */
export function periodIndex(a: string, b: string, p: Period): number {
  let k = 0;
  if (b >= a) {
    for (let x = a; x < b; x = nextPeriod(x, p)) k++;
    return k;
  }
  for (let x = b; x < a; x = nextPeriod(x, p)) k--;
  return k;
}

/** Period starts touched by [from, to) in `tz`. */
export function periodsOf(from: number, to: number, tz: string, p: Period): string[] {
  const out: string[] = [];
  const last = periodStart(day(to - 1, tz), p);
  for (let x = periodStart(day(from, tz), p); x <= last; x = nextPeriod(x, p)) out.push(x);
  return out;
}

export function instant(text: string): number {
  const t = Date.parse(/[Zz]|[+-]\d\d:?\d\d$/.test(text) || text.length === 10 ? text : `${text}Z`);
  if (Number.isNaN(t)) throw new Error(`reference: bad instant ${text}`);
  return t;
}
