/**
 * Segment rule → one parameterised ClickHouse SELECT of member profile ids, evaluated entirely
 * inside ClickHouse over events, profiles and profile_aliases. Every value and every name is a
 * bound parameter; the SQL text depends only on the rule's structure.
 */
import { invalid } from '../errors.ts';
import { param, raw, type SqlFragment, sql } from '../sql.ts';
import type { CompileState } from './compile-state.ts';
import { compileNode } from './conditions/index.ts';
import { DEFAULT_PURCHASE_EVENT, DEFAULT_REVENUE_PROPERTY } from './rule-constants.ts';
import type { Rule } from './rule-schema.ts';
import { universeSql } from './sql-sources.ts';
import { validateRule } from './validate-rule.ts';
import { Problems } from './validation/problems.ts';
import { checkEventName, checkName } from './validation/values.ts';

export interface RuleContext {
  workspaceId: string;
  /** The evaluation instant: `within {days:N}` is [now − N×24 h, now]. */
  now: Date;
  /** Rule of a referenced segment, or undefined when there is none with that id. */
  resolveSegment?: (id: string) => Rule | undefined;
  /** Id of the segment this rule belongs to, when saved: a reference back to it is a cycle. */
  segmentId?: string;
  /** RFM inputs (defaults: event "Order Completed", property "revenue"). */
  rfm?: { purchaseEvent?: string; revenueProperty?: string };
}

export const MAX_SAMPLE = 10_000;

function stateOf(ctx: RuleContext): CompileState {
  if (typeof ctx.workspaceId !== 'string' || ctx.workspaceId === '')
    throw new Error('workspaceId is required');
  const now = ctx.now instanceof Date ? ctx.now.getTime() : Number.NaN;
  if (!Number.isFinite(now)) throw new Error('now must be a valid Date');
  const p = new Problems();
  const purchaseEvent = checkEventName(
    ctx.rfm?.purchaseEvent ?? DEFAULT_PURCHASE_EVENT,
    '/rfm/purchaseEvent',
    p,
  );
  const revenueProperty = checkName(
    ctx.rfm?.revenueProperty ?? DEFAULT_REVENUE_PROPERTY,
    '/rfm/revenueProperty',
    p,
  );
  if (purchaseEvent == null || revenueProperty === undefined) {
    const first = p.details[0] ?? { path: '/rfm/purchaseEvent', message: 'must be an event name' };
    throw invalid(first.path, first.message);
  }
  return {
    workspaceId: ctx.workspaceId,
    now,
    purchaseEvent,
    revenueProperty,
    resolveSegment: ctx.resolveSegment,
    chain: ctx.segmentId ? [ctx.segmentId] : [],
    budget: { conditions: 0 },
    reads: { anyEvent: false },
    compile: compileNode,
  };
}

/**
 * Query-level settings the compiled rule needs, for the SETTINGS clause of the outermost query
 * (ClickHouse ignores one on a subquery). Events are also stored by name and time (projection
 * `by_event`); a condition on events of any name would be read through it when it prunes more
 * (a time window), in name order rather than profile order, and aggregating per profile loses its
 * locality: 1.3–1.8× slower, measured on the reports that read most events.
 */
function settingsOf(state: CompileState): string[] {
  return state.reads.anyEvent ? ['optimize_use_projections = 0'] : [];
}

/** The universe and the member filter over its rows (validates the rule first). */
function members(
  rule: Rule,
  ctx: RuleContext,
): { universe: SqlFragment; where: SqlFragment; settings: string[] } {
  const valid = validateRule(rule);
  const state = stateOf(ctx);
  const where = compileNode(valid, '/rule', state);
  return { universe: universeSql(state), where, settings: settingsOf(state) };
}

function withSettings(query: SqlFragment, settings: readonly string[]): SqlFragment {
  return settings.length ? sql`${query} SETTINGS ${raw(settings.join(', '))}` : query;
}

/**
 * The member filter alone: a 0/1 expression over a row of the universe (columns profile_id,
 * traits, identifier_types, identifiers, first_seen, last_seen).
 */
export function ruleFilterSql(rule: Rule, ctx: RuleContext): SqlFragment {
  return members(rule, ctx).where;
}

/** `SELECT profile_id` of the members: distinct surviving profile ids. */
export function compileRule(rule: Rule, ctx: RuleContext): SqlFragment {
  return membersQuery(rule, ctx).members;
}

/**
 * compileRule() for embedding in a larger query, with the settings the outermost query must
 * carry (`SETTINGS a = 1, b = 2`).
 */
export function membersQuery(rule: Rule, ctx: RuleContext): { members: SqlFragment; settings: string[] } {
  const { universe, where, settings } = members(rule, ctx);
  return { members: sql`SELECT profile_id FROM (${universe}) WHERE ${where}`, settings };
}

/** `SELECT count() AS count` of the members. */
export function countSql(rule: Rule, ctx: RuleContext): SqlFragment {
  const { universe, where, settings } = members(rule, ctx);
  return withSettings(sql`SELECT count() AS count FROM (${universe}) WHERE ${where}`, settings);
}

/** Up to `limit` members (ordered by id) with their traits, identifiers and first/last seen. */
export function sampleSql(rule: Rule, ctx: RuleContext, limit: number): SqlFragment {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_SAMPLE) {
    throw invalid('/limit', `must be a whole number from 1 to ${MAX_SAMPLE}`);
  }
  const { universe, where, settings } = members(rule, ctx);
  return withSettings(
    sql`SELECT profile_id, traits, identifiers, first_seen, last_seen FROM (${universe}) WHERE ${where} ORDER BY profile_id LIMIT ${param(limit, 'UInt32')}`,
    settings,
  );
}
