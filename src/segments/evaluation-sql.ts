/**
 * The member queries of an evaluation: the whole workspace (scheduled and on-demand
 * recomputes), or only some profiles (real-time entry). Both come from the rule compiler.
 */
import { membersQuery, type RuleContext, ruleFilterSql } from '../core/segments/compile-rule.ts';
import type { Rule } from '../core/segments/rule-schema.ts';
import { ident, param, type SqlFragment, sql } from '../core/sql.ts';

/** Segment rules by id, for `resolveSegment` (stored rules; the compiler validates them). */
export type RuleMap = ReadonlyMap<string, unknown>;

export function ruleContext(
  workspaceId: string,
  rules: RuleMap,
  segmentId?: string,
  now = new Date(),
): RuleContext {
  return {
    workspaceId,
    now,
    segmentId,
    resolveSegment: (id) => (rules.get(id) ?? undefined) as Rule | undefined,
  };
}

/** Every member of the workspace: `SELECT profile_id`, and the settings its statement needs. */
export function allMembersSql(rule: Rule, ctx: RuleContext): { members: SqlFragment; settings: string[] } {
  return membersQuery(rule, ctx);
}

/**
 * Members among `profileIds` only. The profile universe is read for those ids alone (by the
 * sort key), and a WITH clause named `events` shadows the events table with the rows of those
 * profiles (materialised columns included), so every event condition of the compiled filter
 * reads a handful of rows instead of the workspace. `profileIds` must include the ids merged into them (their events count too).
 */
export function someMembersSql(
  rule: Rule,
  ctx: RuleContext,
  profileIds: readonly string[],
  database: string,
): { with: SqlFragment; members: SqlFragment } {
  const filter = ruleFilterSql(rule, ctx);
  const ws = () => param(ctx.workspaceId, 'String');
  const ids = () => param(profileIds, 'Array(String)');
  const mergedAway = sql`SELECT profile_id FROM (SELECT profile_id, argMax(survivor_id, version) AS survivor_id FROM profile_aliases WHERE workspace_id = ${ws()} AND profile_id IN ${ids()} GROUP BY profile_id) WHERE survivor_id != '' AND survivor_id != profile_id`;
  const universe = sql`SELECT profile_id, traits, identifier_types, identifiers, first_seen, last_seen FROM profiles FINAL WHERE workspace_id = ${ws()} AND profile_id IN ${ids()} AND deleted = 0 AND profile_id NOT IN (${mergedAway})`;
  return {
    with: sql`WITH events AS (SELECT *, revenue, revenue_is_number FROM ${ident(database)}.events WHERE workspace_id = ${ws()} AND profile_id IN ${ids()})`,
    members: sql`SELECT profile_id FROM (${universe}) WHERE ${filter}`,
  };
}

/** `(profile_id, survivor)` of the ids merged into any of `profileIds` (their events count for them). */
export function mergedIntoSql(workspaceId: string, profileIds: readonly string[]): SqlFragment {
  const ws = () => param(workspaceId, 'String');
  const ids = () => param(profileIds, 'Array(String)');
  return sql`SELECT profile_id, argMax(survivor_id, version) AS survivor FROM profile_aliases WHERE workspace_id = ${ws()} AND profile_id IN (SELECT profile_id FROM profile_aliases WHERE workspace_id = ${ws()} AND survivor_id IN ${ids()}) GROUP BY profile_id HAVING survivor IN ${ids()} AND survivor != profile_id`;
}
