/**
 * The row sources every rule reads: the profile universe and the events mapped to their
 * surviving profile. Table and column names are constants of the migration
 * (src/storage/clickhouse/migrations/0001_events_profiles.sql).
 */
import { join, param, type SqlFragment, sql } from '../sql.ts';
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

/**
 * Events of the workspace as rows (pid, event, timestamp, properties), pid being the surviving
 * profile. Name and time filters are applied here, next to the table's sort key.
 */
export function eventsSql(state: CompileState, filter: EventFilter = {}): SqlFragment {
  const where = [sql`e.workspace_id = ${workspace(state)}`];
  if (filter.event != null) where.push(sql`e.event = ${param(filter.event, 'String')}`);
  if (filter.within) {
    const [from, to] = windowBounds(filter.within, state.now);
    where.push(sql`e.timestamp >= ${timeParam(from)}`, sql`e.timestamp <= ${timeParam(to)}`);
  }
  if (filter.until !== undefined) where.push(sql`e.timestamp <= ${timeParam(filter.until)}`);
  return sql`SELECT if(a.survivor_id != '', a.survivor_id, e.profile_id) AS pid, e.event AS event, e.timestamp AS timestamp, e.properties AS properties FROM events AS e LEFT JOIN (${aliasesSql(state)}) AS a ON a.profile_id = e.profile_id WHERE ${join(where, ' AND ')}`;
}
