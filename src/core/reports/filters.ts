/**
 * Filter conditions of reports as SQL over a JSON text column (`properties` of events, `traits`
 * of profiles), with the semantics of segment-rules.md: a missing or null value satisfies only
 * `not_exists`; `exists` = present, non-null and not "", [] or {}; eq/in are type-strict (34 ≠ "34");
 * gt/gte/lt/lte need a JSON number; `contains` needs a string and ignores case. Names reach SQL only
 * as bound JSONExtract path arguments.
 */
import { join, param, raw, type SqlFragment, sql } from '../sql.ts';
import type { Filter } from './spec.ts';

type Scalar = string | number | boolean;

/** Accessors of the value at dotted `name` inside the JSON text column `doc`. */
export function jsonValue(doc: SqlFragment, name: string) {
  const args = join([doc, ...name.split('.').map((key) => param(key, 'String'))], ', ');
  const type = sql`JSONType(${args})`;
  const str = sql`JSONExtractString(${args})`;
  const num = sql`JSONExtractFloat(${args})`;
  const isString = sql`${type} = 'String'`;
  const isNumber = sql`${type} IN ('Int64', 'UInt64', 'Double')`;
  return {
    args,
    str,
    num,
    bool: sql`JSONExtractBool(${args})`,
    isString,
    isNumber,
    isBool: sql`${type} = 'Bool'`,
    present: sql`${type} != 'Null'`,
    nonEmpty: sql`multiIf(${isString}, ${str} != '', ${type} IN ('Array', 'Object'), JSONLength(${args}) > 0, ${type} != 'Null')`,
    /**
     * The value as text for grouping: strings as they are, numbers in shortest form, booleans
     * as true/false, other JSON as its text; NULL when missing or null.
     */
    text: sql`multiIf(${isString}, ${str}, ${isNumber}, toString(${num}), ${type} = 'Bool', if(JSONExtractBool(${args}), 'true', 'false'), ${type} = 'Null', NULL, JSONExtractRaw(${args}))`,
  };
}

type JsonValue = ReturnType<typeof jsonValue>;

/**
 * A number read the way the `revenue` column is materialised (JSONExtractFloat): JSON numbers and
 * strings holding a plain decimal number; anything else is 0.
 */
export function numericSql(doc: SqlFragment, name: string): SqlFragment {
  return jsonValue(doc, name).num;
}

function eqSql(v: JsonValue, value: Scalar): SqlFragment {
  if (typeof value === 'string') return sql`(${v.isString} AND ${v.str} = ${param(value, 'String')})`;
  if (typeof value === 'number') return sql`(${v.isNumber} AND ${v.num} = ${param(value, 'Float64')})`;
  return sql`(${v.isBool} AND ${v.bool} = ${param(value, 'Bool')})`;
}

function inSql(v: JsonValue, values: Scalar[]): SqlFragment {
  const strings = values.filter((x) => typeof x === 'string');
  const numbers = values.filter((x) => typeof x === 'number');
  const bools = values.filter((x) => typeof x === 'boolean');
  const parts: SqlFragment[] = [];
  if (strings.length) parts.push(sql`(${v.isString} AND has(${param(strings, 'Array(String)')}, ${v.str}))`);
  if (numbers.length) parts.push(sql`(${v.isNumber} AND has(${param(numbers, 'Array(Float64)')}, ${v.num}))`);
  if (bools.length) parts.push(sql`(${v.isBool} AND has(${param(bools, 'Array(Bool)')}, ${v.bool}))`);
  return sql`(${join(parts, ' OR ')})`;
}

const COMPARE = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** One validated filter applied to `name` in `doc`; always 0 or 1. */
export function predicateSql(doc: SqlFragment, name: string, f: Filter): SqlFragment {
  const v = jsonValue(doc, name);
  switch (f.op) {
    case 'exists':
      return sql`(${v.nonEmpty})`;
    case 'not_exists':
      return sql`(NOT ${v.nonEmpty})`;
    case 'eq':
      return eqSql(v, f.value as Scalar);
    case 'neq':
      return sql`(${v.present} AND NOT ${eqSql(v, f.value as Scalar)})`;
    case 'in':
      return inSql(v, f.value as Scalar[]);
    case 'not_in':
      return sql`(${v.present} AND NOT ${inSql(v, f.value as Scalar[])})`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return sql`(${v.isNumber} AND ${v.num} ${raw(COMPARE[f.op])} ${param(f.value, 'Float64')})`;
    case 'contains':
      return sql`(${v.isString} AND position(lowerUTF8(${v.str}), lowerUTF8(${param(f.value, 'String')})) > 0)`;
  }
}

/** All of `filters` (property ones) over the events' `properties` column `doc`; null when none. */
export function propertyFiltersSql(doc: SqlFragment, filters: readonly Filter[]): SqlFragment | null {
  const conds = filters.filter((f) => f.property !== undefined).map((f) => predicateSql(doc, f.property!, f));
  return conds.length ? join(conds, ' AND ') : null;
}

/** All trait conditions of `filters` over the profiles' `traits` column; null when none. */
export function traitFiltersSql(doc: SqlFragment, filters: readonly Filter[]): SqlFragment | null {
  const conds = filters.filter((f) => f.trait !== undefined).map((f) => predicateSql(doc, f.trait!, f));
  return conds.length ? join(conds, ' AND ') : null;
}
