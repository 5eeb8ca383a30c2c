/**
 * "Per profile, over the matching events, this number satisfies that predicate" — the shape
 * shared by did / did-not, aggregates and $eventCount.
 */
import { idIn, raw, type SqlFragment, sql } from '../sql.ts';
import type { CompileState } from './compile-state.ts';
import type { NumberPredicate, PropertyFilter } from './rule-schema.ts';
import { type EventAggregate, type EventFilter, perProfileSql } from './sql-sources.ts';
import { numberHolds, numberSql, valuePredicateSql } from './value-sql.ts';

/** All `where` filters of events, ANDed, over the `properties` column; empty list = none. */
export function propertyFiltersSql(where: readonly PropertyFilter[] | undefined, now: number): SqlFragment[] {
  return (where ?? []).map((f) => valuePredicateSql(raw('properties'), f.property, f, now));
}

export interface PerProfileNumber {
  filter: EventFilter;
  /** Row conditions over (event, timestamp, properties), ANDed. */
  rows: SqlFragment[];
  /** Aggregate over a profile's matching rows, e.g. `{ fn: 'count', args: [] }`. */
  value: EventAggregate;
  pred: NumberPredicate;
  /**
   * The value of a profile without matching rows (0 for count and sum), or undefined when such
   * a profile has no value and never matches (avg, min, max).
   */
  valueWhenNone?: number;
}

/**
 * `profile_id IN (profiles whose value satisfies pred)`, or — when a profile without matching
 * events satisfies it too (e.g. count = 0) — `profile_id NOT IN (profiles whose value fails)`,
 * so profiles with no events at all are members.
 */
export function perProfileNumberSql(state: CompileState, spec: PerProfileNumber): SqlFragment {
  const includesNone = spec.valueWhenNone !== undefined && numberHolds(spec.pred, spec.valueWhenNone);
  const holds = numberSql(raw('v'), spec.pred);
  const having = includesNone ? sql`NOT ${holds}` : holds;
  const profiles = perProfileSql(state, spec.filter, spec.rows, { v: spec.value }, having);
  return idIn(raw('profile_id'), 'pid', profiles, includesNone);
}
