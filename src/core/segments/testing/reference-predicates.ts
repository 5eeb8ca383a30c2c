/**
 * The Definitions of specs/segment-rules.md written plainly in TypeScript over parsed JSON, for
 * the reference evaluator. Deliberately independent of the SQL builders.
 */
import { DAY_MS, parseIsoTime } from '../iso-time.ts';
import type { NumberPredicate, RelativeTime, Scalar, ValuePredicate } from '../rule-schema.ts';

type JsonKind = 'Null' | 'String' | 'Number' | 'Bool' | 'Array' | 'Object';

export function kindOf(v: unknown): JsonKind {
  if (v === undefined || v === null) return 'Null';
  if (typeof v === 'string') return 'String';
  if (typeof v === 'number') return 'Number';
  if (typeof v === 'boolean') return 'Bool';
  return Array.isArray(v) ? 'Array' : 'Object';
}

/** The value at a dotted name; undefined when any level is missing or not an object. */
export function lookup(doc: unknown, name: string): unknown {
  let cur = doc;
  for (const key of name.split('.')) {
    if (kindOf(cur) !== 'Object' || !Object.hasOwn(cur as object, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function isPresent(v: unknown): boolean {
  return kindOf(v) !== 'Null';
}

export function isNonEmpty(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'Null':
      return false;
    case 'String':
      return v !== '';
    case 'Array':
      return (v as unknown[]).length > 0;
    case 'Object':
      return Object.keys(v as object).length > 0;
    default:
      return true;
  }
}

function strictEquals(v: unknown, x: Scalar): boolean {
  return typeof v === typeof x && v === x;
}

function span(r: RelativeTime): number {
  return 'days' in r ? r.days * DAY_MS : r.hours * 3_600_000;
}

/** A time value (ms) tested with before/after/within_last/between. */
export function timeHolds(t: number | undefined, pred: ValuePredicate, now: number): boolean {
  if (t === undefined) return false;
  const point = (v: RelativeTime | string) => (typeof v === 'string' ? parseIsoTime(v)! : now - span(v));
  switch (pred.op) {
    case 'before':
      return t < point(pred.value);
    case 'after':
      return t > point(pred.value);
    case 'within_last':
      return t >= now - span(pred.value) && t <= now;
    case 'between':
      return t >= parseIsoTime(pred.value[0] as string)! && t <= parseIsoTime(pred.value[1] as string)!;
    default:
      return false;
  }
}

function lower(s: string): string {
  return s.toLowerCase();
}

/** `pred` applied to a JSON value (undefined = missing). */
export function valueHolds(v: unknown, pred: ValuePredicate, now: number): boolean {
  const isString = typeof v === 'string';
  const isNumber = typeof v === 'number';
  switch (pred.op) {
    case 'exists':
      return isNonEmpty(v);
    case 'not_exists':
      return !isNonEmpty(v);
    case 'eq':
      return strictEquals(v, pred.value);
    case 'neq':
      return isPresent(v) && !strictEquals(v, pred.value);
    case 'in':
      return pred.value.some((x) => strictEquals(v, x));
    case 'not_in':
      return isPresent(v) && !pred.value.some((x) => strictEquals(v, x));
    case 'gt':
      return isNumber && v > pred.value;
    case 'gte':
      return isNumber && v >= pred.value;
    case 'lt':
      return isNumber && v < pred.value;
    case 'lte':
      return isNumber && v <= pred.value;
    case 'contains':
      return isString && lower(v).includes(lower(pred.value));
    case 'not_contains':
      return isString && !lower(v).includes(lower(pred.value));
    case 'starts_with':
      return isString && lower(v).startsWith(lower(pred.value));
    case 'ends_with':
      return isString && lower(v).endsWith(lower(pred.value));
    case 'between': {
      const [lo, hi] = pred.value;
      if (typeof lo === 'number') return isNumber && v >= lo && v <= (hi as number);
      return timeHolds(isString ? parseIsoTime(v) : undefined, pred, now);
    }
    case 'before':
    case 'after':
    case 'within_last':
      return timeHolds(isString ? parseIsoTime(v) : undefined, pred, now);
  }
}

export function numberHoldsRef(pred: NumberPredicate, x: number): boolean {
  const v = pred.value;
  if (pred.op === 'between') return x >= (v as number[])[0] && x <= (v as number[])[1];
  const n = v as number;
  return { eq: x === n, neq: x !== n, gt: x > n, gte: x >= n, lt: x < n, lte: x <= n }[pred.op];
}
