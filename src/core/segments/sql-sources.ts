/**
 * The row sources every rule reads: the profile universe and per-profile aggregates of events,
 * mapped to the surviving profile. Table and column names are constants of the migration
 * (src/storage/clickhouse/migrations/0001_events_profiles.sql).
 */
import { join, param, raw, type SqlFragment, sql } from '../sql.ts';
import type { CompileState } from './compile-state.ts';
import { parseIsoTime } from './iso-time.ts';
import type { TimeWindow } from './rule-schema.ts';
import { relativeMs, timeParam } from './value-sql.ts';

function workspace(state: Pick<CompileState, 'workspaceId'>): SqlFragment {
  return param(state.workspaceId, 'String');
}

/** The latest survivor of each aliased profile of the workspace ('' = none). */
function aliasesSql(state: Pick<CompileState, 'workspaceId'>): SqlFragment {
  return sql`SELECT profile_id, argMax(survivor_id, version) AS survivor_id FROM profile_aliases WHERE workspace_id = ${workspace(state)} GROUP BY profile_id`;
}

/**
 * Every live profile of the workspace, one row each: the latest version (FINAL), not deleted,
 * not merged away into another profile.
 */
export function universeSql(state: Pick<CompileState, 'workspaceId'>): SqlFragment {
  return sql`SELECT profile_id, traits, identifier_types, identifiers, first_seen, last_seen FROM profiles FINAL WHERE workspace_id = ${workspace(state)} AND deleted = 0 AND profile_id NOT IN (SELECT profile_id FROM (${aliasesSql(state)}) WHERE survivor_id != '' AND survivor_id != profile_id)`;
}

/** Inclusive [from, to] in ms of a `within`. */
export function windowBounds(within: TimeWindow, now: number): [number, number] {
  if ('from' in within) return [parseIsoTime(within.from)!, parseIsoTime(within.to)!];
  return [now - relativeMs(within), now];
}

export interface EventFilter {
  /** Only this event name; null or absent = any event. */
  event?: string | null;
  within?: TimeWindow;
  /** Only events at or before this instant (ms). */
  until?: number;
}

/** An aggregate function over a profile's events, e.g. `{ fn: 'sumIf', args: [x, cond] }`. */
export interface EventAggregate {
  /** A ClickHouse aggregate function name (a constant of the compiler, never user input). */
  fn: string;
  args: readonly SqlFragment[];
}

/**
 * One row per surviving profile (`pid`) with the named aggregates of its matching events. Rows
 * conditions read the events' own columns (event, timestamp, properties, revenue, …).
 * - Events of one name (read through the by_event projection, a small part of the table): each
 *   row is mapped to its survivor (profile_aliases) as it is read, and aggregated once. Measured on
 *   100M events, against the two stages below: "did ≥ 3 in 30 days" 1.19 → 0.93 s, "revenue in 90
 *   days" 1.90 → 1.64 s.
 * - Events of any name: aggregated per stored profile first — the table's sort key, no join per
 *   event — as partial states; only those rows are mapped to survivors and the states merged.
 * `having` filters the merged rows and may name the aggregates.
 */
export function perProfileSql(
  state: CompileState,
  filter: EventFilter,
  rows: readonly SqlFragment[],
  aggregates: Readonly<Record<string, EventAggregate>>,
  having?: SqlFragment,
): SqlFragment {
  const where = [sql`workspace_id = ${workspace(state)}`];
  if (filter.event != null) where.push(sql`event = ${param(filter.event, 'String')}`);
  else state.reads.anyEvent = true;
  if (filter.within) {
    const [from, to] = windowBounds(filter.within, state.now);
    where.push(sql`timestamp >= ${timeParam(from)}`, sql`timestamp <= ${timeParam(to)}`);
  }
  if (filter.until !== undefined) where.push(sql`timestamp <= ${timeParam(filter.until)}`);
  where.push(...rows);
  const names = Object.keys(aggregates);
  for (const n of names) if (!/^[a-z_]+$/.test(n)) throw new Error(`bad aggregate name ${n}`);
  const call = (n: string, suffix: string) =>
    sql`${raw(aggregates[n].fn + suffix)}(${join(aggregates[n].args, ', ')})`;
  const tail = having ? sql` HAVING ${having}` : raw('');
  const aliases = aliasesSql(state);
  if (filter.event != null) {
    const direct = names.map((n) => sql`${call(n, '')} AS ${raw(n)}`);
    return sql`SELECT if(a.survivor_id != '', a.survivor_id, e.profile_id) AS pid, ${join(direct, ', ')} FROM events AS e LEFT ANY JOIN (${aliases}) AS a ON a.profile_id = e.profile_id WHERE ${join(where, ' AND ')} GROUP BY pid${tail}`;
  }
  const partial = names.map((n, i) => sql`${call(n, 'State')} AS ${raw(`st${i}`)}`);
  const merged = names.map((n, i) => sql`${raw(aggregates[n].fn)}Merge(s.${raw(`st${i}`)}) AS ${raw(n)}`);
  const stored = sql`SELECT profile_id, ${join(partial, ', ')} FROM events WHERE ${join(where, ' AND ')} GROUP BY profile_id`;
  return sql`SELECT if(a.survivor_id != '', a.survivor_id, s.profile_id) AS pid, ${join(merged, ', ')} FROM (${stored}) AS s LEFT ANY JOIN (${aliases}) AS a ON a.profile_id = s.profile_id GROUP BY pid${tail}`;
}
