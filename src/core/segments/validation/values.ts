import { parseIsoTime } from '../iso-time.ts';
import {
  MAX_DAYS,
  MAX_EVENT_NAME_LENGTH,
  MAX_HOURS,
  MAX_NAME_LENGTH,
  MAX_NAME_LEVELS,
  MAX_STRING_VALUE_LENGTH,
  NAME_PATTERN,
  NUMBER_OPS,
} from '../rule-constants.ts';
import type { NumberPredicate, RelativeTime, TimeWindow } from '../rule-schema.ts';
import { at, checkKeys, describe, isObject, type Obj, type Problems } from './problems.ts';

/** A trait or property name: dotted identifiers, at most MAX_NAME_LEVELS levels. */
export function checkName(v: unknown, path: string, p: Problems): string | undefined {
  if (typeof v !== 'string') return p.add(path, `must be a name (a string), got ${describe(v)}`);
  if (v.length > MAX_NAME_LENGTH) return p.add(path, `name longer than ${MAX_NAME_LENGTH} characters`);
  if (!NAME_PATTERN.test(v)) {
    return p.add(
      path,
      'name must be identifiers (letters, digits, _ or $, not starting with a digit) joined by dots',
    );
  }
  if (v.split('.').length > MAX_NAME_LEVELS)
    return p.add(path, `name nests deeper than ${MAX_NAME_LEVELS} levels`);
  return v;
}

/** An event name (any non-empty string up to 200 characters) or null for "any event". */
export function checkEventName(v: unknown, path: string, p: Problems): string | null | undefined {
  if (v === null) return null;
  if (typeof v !== 'string') return p.add(path, `must be an event name or null, got ${describe(v)}`);
  const length = [...v].length;
  if (length === 0) return p.add(path, 'event name must not be empty (use null for any event)');
  if (length > MAX_EVENT_NAME_LENGTH)
    return p.add(path, `event name longer than ${MAX_EVENT_NAME_LENGTH} characters`);
  return v;
}

export function checkString(v: unknown, path: string, p: Problems, what = 'a string'): string | undefined {
  if (typeof v !== 'string') return p.add(path, `must be ${what}, got ${describe(v)}`);
  if (v.length > MAX_STRING_VALUE_LENGTH)
    return p.add(path, `string longer than ${MAX_STRING_VALUE_LENGTH} characters`);
  return v;
}

export function checkNumber(v: unknown, path: string, p: Problems): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v))
    return p.add(path, `must be a finite number, got ${describe(v)}`);
  return v;
}

export function checkCount(v: unknown, path: string, p: Problems): number | undefined {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    return p.add(path, 'must be a whole number ≥ 0');
  }
  return v;
}

export function checkIso(v: unknown, path: string, p: Problems): string | undefined {
  if (typeof v !== 'string' || parseIsoTime(v) === undefined) {
    return p.add(path, 'must be an ISO date such as 2024-05-01 or 2024-05-01T10:00:00Z (years 1900..2299)');
  }
  return v;
}

/** `{days:N}` or `{hours:N}`, N a whole number. */
export function checkRelative(v: unknown, path: string, p: Problems): RelativeTime | undefined {
  if (!isObject(v)) return p.add(path, 'must be {"days":N} or {"hours":N}');
  const keys = Object.keys(v);
  if (keys.length !== 1 || (keys[0] !== 'days' && keys[0] !== 'hours')) {
    return p.add(path, 'must have exactly one key, "days" or "hours"');
  }
  const unit = keys[0] as 'days' | 'hours';
  const n = v[unit];
  const max = unit === 'days' ? MAX_DAYS : MAX_HOURS;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n > max) {
    return p.add(at(path, unit), `must be a whole number from 0 to ${max}`);
  }
  return unit === 'days' ? { days: n } : { hours: n };
}

/** A relative time or an ISO date (before/after). */
export function checkTimePoint(v: unknown, path: string, p: Problems): RelativeTime | string | undefined {
  if (typeof v === 'string') return checkIso(v, path, p);
  if (isObject(v)) return checkRelative(v, path, p);
  return p.add(path, `must be {"days":N}, {"hours":N} or an ISO date, got ${describe(v)}`);
}

/** `within`: a rolling span or `{from, to}`. */
export function checkWindow(v: unknown, path: string, p: Problems): TimeWindow | undefined {
  if (isObject(v) && ('from' in v || 'to' in v)) {
    if (!checkKeys(v, ['from', 'to'], path, p)) return undefined;
    const from = checkIso(v.from, at(path, 'from'), p);
    const to = checkIso(v.to, at(path, 'to'), p);
    if (from === undefined || to === undefined) return undefined;
    if (parseIsoTime(from)! > parseIsoTime(to)!) return p.add(at(path, 'from'), '"from" is after "to"');
    return { from, to };
  }
  return checkRelative(v, path, p);
}

/** `[lo, hi]` with lo ≤ hi, both numbers or both ISO dates (when dates are allowed). */
export function checkRange(
  v: unknown,
  path: string,
  p: Problems,
  allow: { numbers: boolean; dates: boolean },
): [number, number] | [string, string] | undefined {
  const wanted = [allow.numbers && 'two numbers', allow.dates && 'two ISO dates']
    .filter(Boolean)
    .join(' or ');
  if (!Array.isArray(v) || v.length !== 2) return p.add(path, `between takes [low, high]: ${wanted}`);
  const [lo, hi] = v;
  if (allow.numbers && typeof lo === 'number' && typeof hi === 'number') {
    const a = checkNumber(lo, at(path, 0), p);
    const b = checkNumber(hi, at(path, 1), p);
    if (a === undefined || b === undefined) return undefined;
    if (a > b) return p.add(path, 'low is greater than high');
    return [a, b];
  }
  if (allow.dates && typeof lo === 'string' && typeof hi === 'string') {
    const a = checkIso(lo, at(path, 0), p);
    const b = checkIso(hi, at(path, 1), p);
    if (a === undefined || b === undefined) return undefined;
    if (parseIsoTime(a)! > parseIsoTime(b)!) return p.add(path, 'low is later than high');
    return [a, b];
  }
  return p.add(path, `between takes [low, high]: ${wanted}`);
}

/** `{op, value}` over numbers: counts (whole numbers) and aggregates (any finite number). */
export function checkNumberPredicate(
  obj: Obj,
  path: string,
  p: Problems,
  wholeNumbers: boolean,
): NumberPredicate | undefined {
  const { op, value } = obj;
  if (typeof op !== 'string' || !(NUMBER_OPS as readonly string[]).includes(op)) {
    return p.add(at(path, 'op'), `must be one of ${NUMBER_OPS.join(', ')}`);
  }
  const num = wholeNumbers ? checkCount : checkNumber;
  if (op === 'between') {
    if (!Array.isArray(value) || value.length !== 2)
      return p.add(at(path, 'value'), 'between takes [low, high]');
    const lo = num(value[0], at(at(path, 'value'), 0), p);
    const hi = num(value[1], at(at(path, 'value'), 1), p);
    if (lo === undefined || hi === undefined) return undefined;
    if (lo > hi) return p.add(at(path, 'value'), 'low is greater than high');
    return { op, value: [lo, hi] };
  }
  const n = num(value, at(path, 'value'), p);
  return n === undefined ? undefined : { op: op as Exclude<NumberPredicate['op'], 'between'>, value: n };
}
