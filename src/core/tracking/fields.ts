/** Small pure helpers shared by the dialect parsers: type checks, coercion, dates, headers. */
import { invalid } from '../errors.ts';
import type { HeaderMap } from './types.ts';

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An optional object field: `{}` when absent or null, the object itself, else a validation error. */
export function optionalRecord(value: unknown, path: string): Json {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw invalid(path, 'must be an object');
  return value;
}

/**
 * An identifier as a string. SDKs send numbers (`userId: 42`), so finite numbers become their
 * decimal text. Absent, null and '' mean "none".
 */
export function coerceId(value: unknown, path: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw invalid(path, 'must be a string or a number');
}

/** A non-empty string, or null when absent; anything else is a validation error. */
export function optionalString(value: unknown, path: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw invalid(path, 'must be a string');
  return value;
}

// ISO 8601 date or date-time, as SDKs send it. Stricter than Date.parse, which reads "1" as 2001.
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** ClickHouse DateTime64(3) holds 1900-01-01 .. 2299-12-31. */
const MIN_TIME = Date.UTC(1900, 0, 1);
const MAX_TIME = Date.UTC(2300, 0, 1) - 1;

/** Epoch numbers below this are seconds, not milliseconds (1e11 ms is March 1973). */
const SECONDS_BELOW = 1e11;

/**
 * A time field: an ISO 8601 string (no zone means UTC) or epoch milliseconds (seconds when
 * below 1e11). Absent or null → null; anything else, or out of ClickHouse's range → error.
 */
export function parseTime(value: unknown, path: string): Date | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(path, 'must be a date');
    return checkRange(Math.abs(value) < SECONDS_BELOW ? value * 1000 : value, path);
  }
  if (typeof value !== 'string') throw invalid(path, 'must be an ISO 8601 string or epoch milliseconds');
  const ms = isoToMillis(value.trim());
  if (ms === null) throw invalid(path, `must be an ISO 8601 date, got ${JSON.stringify(value.slice(0, 40))}`);
  return checkRange(ms, path);
}

function isoToMillis(text: string): number | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const [y, mo, d, h = 0, mi = 0, s = 0] = m
    .slice(1, 7)
    .map((part) => (part === undefined ? undefined : +part));
  const fraction = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  if ((y as number) < 1000 || h > 23 || mi > 59 || s > 59) return null;
  const local = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s, fraction);
  const check = new Date(local);
  // Date.UTC rolls Feb 30 over to March: such dates are invalid, not silently moved.
  if (check.getUTCMonth() !== (mo as number) - 1 || check.getUTCDate() !== d) return null;
  return local - zoneOffsetMinutes(m[8]) * 60_000;
}

function zoneOffsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z' || zone === 'z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
  return zone[0] === '-' ? -minutes : minutes;
}

export function checkRange(ms: number, path: string): Date {
  if (!(ms >= MIN_TIME && ms <= MAX_TIME)) throw invalid(path, 'must be between 1900 and 2299');
  return new Date(ms);
}

/** A header by name, case-insensitive; the first value when repeated. */
export function headerValue(headers: HeaderMap | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const lower = name.toLowerCase();
  let value = headers[lower];
  if (value === undefined) {
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === lower) {
        value = headers[key];
        break;
      }
    }
  }
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Batch-level `context` under the item's: the item wins, and objects present in both (e.g.
 * `library`, `page`) are merged one level deep. Spread, not assignment, so a `__proto__` key
 * stays a plain key.
 */
export function mergeContext(outer: Json, inner: Json): Json {
  const merged: Json = { ...outer, ...inner };
  for (const key of Object.keys(inner)) {
    const a = outer[key];
    const b = inner[key];
    if (Object.hasOwn(outer, key) && isRecord(a) && isRecord(b)) {
      Object.defineProperty(merged, key, {
        value: { ...a, ...b },
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return merged;
}

/** `record` without the given keys. */
export function omitKeys(record: Json, keys: readonly string[]): Json {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}

/** Adds `key: value` unless the record already has a value there or `value` is absent. */
export function withDefault(record: Json, key: string, value: unknown): Json {
  if (value === undefined || value === null || (Object.hasOwn(record, key) && record[key] != null))
    return record;
  return { ...record, [key]: value };
}

/** Own keys with an undefined value removed (so they do not read as "sent"). */
export function compact(record: Json): Json {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}
