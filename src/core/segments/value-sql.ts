/**
 * SQL for one operator applied to a value inside a JSON column (a trait of `traits`, a property
 * of `properties`). Names reach ClickHouse only as bound JSONExtract path arguments.
 *
 * Semantics (specs/segment-rules.md, Definitions): a missing or null value satisfies only
 * `not_exists`; `exists` = present, non-null and not "", [] or {}; eq/in are type-strict;
 * contains/starts_with/ends_with compare lowerUTF8 of both sides; gt/gte/lt/lte/between need a
 * JSON number; date operators need a string in the ISO format of iso-time.ts.
 *
 * The value test comes before the type test in every AND: ClickHouse evaluates AND lazily, so
 * the second JSON parse (JSONType) runs only on rows whose value matched (−25 % on a two-trait
 * rule over 10M profiles). JSONExtractString/Float also read other types (30 → "30"), so the type
 * test stays.
 */
import { join, param, raw, type SqlFragment, sql } from '../sql.ts';
import { chDateTime64, DAY_MS, ISO_TIME_SOURCE, parseIsoTime } from './iso-time.ts';
import type { NumberPredicate, RelativeTime, Scalar, ValuePredicate } from './rule-schema.ts';

const DT64 = "DateTime64(3, 'UTC')";

export function timeParam(ms: number): SqlFragment {
  return param(chDateTime64(ms), DT64);
}

export function relativeMs(span: RelativeTime): number {
  return 'days' in span ? span.days * DAY_MS : span.hours * 3_600_000;
}

/** The instant `value` names: an ISO date, or `now` minus a span. */
export function timePoint(value: RelativeTime | string, now: number): number {
  return typeof value === 'string' ? parseIsoTime(value)! : now - relativeMs(value);
}

/** A time predicate over a DateTime64 expression (possibly Nullable: NULL never matches). */
export function timeSql(t: SqlFragment, pred: ValuePredicate, now: number): SqlFragment {
  switch (pred.op) {
    case 'before':
      return sql`ifNull(${t} < ${timeParam(timePoint(pred.value, now))}, 0)`;
    case 'after':
      return sql`ifNull(${t} > ${timeParam(timePoint(pred.value, now))}, 0)`;
    case 'within_last':
      return sql`ifNull(${t} >= ${timeParam(timePoint(pred.value, now))} AND ${t} <= ${timeParam(now)}, 0)`;
    case 'between': {
      const [lo, hi] = pred.value as [string, string];
      return sql`ifNull(${t} >= ${timeParam(parseIsoTime(lo)!)} AND ${t} <= ${timeParam(parseIsoTime(hi)!)}, 0)`;
    }
    default:
      throw new Error(`not a time operator: ${pred.op}`);
  }
}

/** Accessors of the value at a dotted `name` inside the JSON text column `doc`. */
export function jsonValue(doc: SqlFragment, name: string) {
  const a = join([doc, ...name.split('.').map((key) => param(key, 'String'))], ', ');
  const str = sql`JSONExtractString(${a})`;
  const num = sql`JSONExtractFloat(${a})`;
  const isString = sql`JSONType(${a}) = 'String'`;
  const isNumber = sql`JSONType(${a}) IN ('Int64', 'UInt64', 'Double')`;
  return {
    args: a,
    str,
    num,
    bool: sql`JSONExtractBool(${a})`,
    isString,
    isNumber,
    isBool: sql`JSONType(${a}) = 'Bool'`,
    present: sql`JSONType(${a}) != 'Null'`,
    nonEmpty: sql`multiIf(${isString}, ${str} != '', JSONType(${a}) IN ('Array', 'Object'), JSONLength(${a}) > 0, JSONType(${a}) != 'Null')`,
    /** Parsed ISO date, NULL when the value is not one. */
    time: sql`if(${isString} AND match(${str}, ${param(ISO_TIME_SOURCE, 'String')}), parseDateTime64BestEffortOrNull(${str}, 3, 'UTC'), NULL)`,
    /** Canonical text of a value for count_distinct: 1 and 1.0 are one value, "1" another. */
    distinctKey: sql`multiIf(${isNumber}, concat('n:', toString(${num})), ${isString}, concat('s:', ${str}), concat(toString(JSONType(${a})), ':', JSONExtractRaw(${a})))`,
  };
}

/**
 * The numeric value of an event property and whether it is a JSON number. The top-level
 * `revenue` property reads the columns materialised at insert (migrations 0001 and 0006: the same
 * JSONExtractFloat and JSONType tests), so sums of revenue parse no JSON.
 */
export function numericProperty(name: string): { num: SqlFragment; isNumber: SqlFragment } {
  if (name === 'revenue') return { num: raw('revenue'), isNumber: raw('revenue_is_number') };
  const v = jsonValue(raw('properties'), name);
  return { num: v.num, isNumber: v.isNumber };
}

type JsonValue = ReturnType<typeof jsonValue>;

function eqSql(v: JsonValue, value: Scalar): SqlFragment {
  if (typeof value === 'string') return sql`(${v.str} = ${param(value, 'String')} AND ${v.isString})`;
  if (typeof value === 'number') return sql`(${v.num} = ${param(value, 'Float64')} AND ${v.isNumber})`;
  return sql`(${v.bool} = ${param(value, 'Bool')} AND ${v.isBool})`;
}

function inSql(v: JsonValue, values: Scalar[]): SqlFragment {
  const strings = values.filter((x) => typeof x === 'string');
  const numbers = values.filter((x) => typeof x === 'number');
  const bools = values.filter((x) => typeof x === 'boolean');
  const parts: SqlFragment[] = [];
  if (strings.length) parts.push(sql`(has(${param(strings, 'Array(String)')}, ${v.str}) AND ${v.isString})`);
  if (numbers.length) parts.push(sql`(has(${param(numbers, 'Array(Float64)')}, ${v.num}) AND ${v.isNumber})`);
  if (bools.length) parts.push(sql`(has(${param(bools, 'Array(Bool)')}, ${v.bool}) AND ${v.isBool})`);
  return sql`(${join(parts, ' OR ')})`;
}

function textSql(v: JsonValue, op: 'contains' | 'starts_with' | 'ends_with', value: string): SqlFragment {
  const needle = sql`lowerUTF8(${param(value, 'String')})`;
  const hay = sql`lowerUTF8(${v.str})`;
  if (op === 'contains') return sql`(position(${hay}, ${needle}) > 0 AND ${v.isString})`;
  if (op === 'starts_with') return sql`(startsWith(${hay}, ${needle}) AND ${v.isString})`;
  return sql`(endsWith(${hay}, ${needle}) AND ${v.isString})`;
}

const COMPARE = { eq: '=', neq: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** A count or aggregate `expr` compared as `pred` says. */
export function numberSql(expr: SqlFragment, pred: NumberPredicate): SqlFragment {
  if (pred.op === 'between') {
    return sql`(${expr} BETWEEN ${param(pred.value[0], 'Float64')} AND ${param(pred.value[1], 'Float64')})`;
  }
  return sql`(${expr} ${raw(COMPARE[pred.op])} ${param(pred.value, 'Float64')})`;
}

/** Whether `x` satisfies `pred`; decides at compile time if profiles without events match. */
export function numberHolds(pred: NumberPredicate, x: number): boolean {
  switch (pred.op) {
    case 'between':
      return x >= pred.value[0] && x <= pred.value[1];
    case 'eq':
      return x === pred.value;
    case 'neq':
      return x !== pred.value;
    case 'gt':
      return x > pred.value;
    case 'gte':
      return x >= pred.value;
    case 'lt':
      return x < pred.value;
    case 'lte':
      return x <= pred.value;
  }
}

/** The operator `pred` applied to `name` in the JSON column `doc`; always 0 or 1, never NULL. */
export function valuePredicateSql(
  doc: SqlFragment,
  name: string,
  pred: ValuePredicate,
  now: number,
): SqlFragment {
  const v = jsonValue(doc, name);
  switch (pred.op) {
    case 'exists':
      return sql`(${v.nonEmpty})`;
    case 'not_exists':
      return sql`(NOT ${v.nonEmpty})`;
    case 'eq':
      return eqSql(v, pred.value);
    case 'neq':
      return sql`(${v.present} AND NOT ${eqSql(v, pred.value)})`;
    case 'in':
      return inSql(v, pred.value);
    case 'not_in':
      return sql`(${v.present} AND NOT ${inSql(v, pred.value)})`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return sql`(${v.num} ${raw(COMPARE[pred.op])} ${param(pred.value, 'Float64')} AND ${v.isNumber})`;
    case 'contains':
    case 'starts_with':
    case 'ends_with':
      return textSql(v, pred.op, pred.value);
    case 'not_contains':
      return sql`(${v.isString} AND NOT ${textSql(v, 'contains', pred.value)})`;
    case 'between': {
      const [lo, hi] = pred.value;
      if (typeof lo === 'string') return timeSql(v.time, pred, now);
      return sql`((${v.num} BETWEEN ${param(lo, 'Float64')} AND ${param(hi, 'Float64')}) AND ${v.isNumber})`;
    }
    case 'before':
    case 'after':
    case 'within_last':
      return timeSql(v.time, pred, now);
  }
}
