/**
 * paths: each profile's path is its events in [from, to) in time order (same millisecond: by
 * event name, as bytes), anchored at its first `start` event and running `steps` events forward, or at its
 * first `end` event and running back. Steps are numbered 1..steps in time order (an `end` path
 * ends at step `steps`). At each step the `topN` events by profiles are kept and the rest merge
 * into "(other)". Nodes are (step, event) with their profiles; links join consecutive steps of
 * one path, weighted by profiles.
 */
import { param, type SqlFragment, sql } from '../sql.ts';
import { byGroup, num, type ReportPlan, type Row } from './plan.ts';
import type { ResultOf } from './results.ts';
import { profilesSql, type Scope, segmentOrder, withGroups } from './source.ts';
import type { SpecOf } from './spec.ts';
import { instantParam } from './time.ts';
import type { Resolved } from './validate.ts';

export const OTHER = '(other)';

export function pathsDefaults(spec: SpecOf<'paths'>) {
  return { steps: spec.steps ?? 4, topN: spec.topN ?? 10 };
}

/** Rows (grp, step, source, target, users); target NULL where a path ends. */
export function pathsSql(spec: SpecOf<'paths'>, scope: Scope): SqlFragment {
  const { steps } = pathsDefaults(spec);
  const n = param(steps, 'Int64');
  // Events travel as one Int64, ms × 2^20 + the rank of their name among the range's event names
  // (sorted; fewer than 2^20 of them): the arrays stay small and sort as (time, name) numerically.
  const names = sql`(SELECT arraySort(groupUniqArray(event)) FROM events WHERE workspace_id = ${param(scope.workspaceId, 'String')}
    AND timestamp >= ${instantParam(scope.from)} AND timestamp < ${instantParam(scope.to)})`;
  const anchor = sql`toUInt32(indexOf(${names}, ${param(spec.start ?? spec.end, 'String')}))`;
  const profiles = profilesSql(
    scope,
    { from: scope.from, to: scope.to, keepIf: sql`e.event = ${param(spec.start ?? spec.end, 'String')}` },
    [
      {
        name: 'packed',
        fn: 'array',
        expr: sql`toUnixTimestamp64Milli(e.timestamp) * 1048576 + toInt64(indexOf(${names}, e.event))`,
      },
    ],
  );
  // The path: at most `steps` events from the anchor (decoded to names' ranks only there).
  const slice =
    spec.start !== undefined
      ? sql`arrayMap(x -> x % 1048576, arraySlice(packed, i, ${n})) AS p, 0 AS offset`
      : sql`arrayMap(x -> x % 1048576, arraySlice(packed, greatest(1, i - ${n} + 1), i - greatest(1, i - ${n} + 1) + 1)) AS p,
          ${n} - length(p) AS offset`;
  const perProfile = sql`SELECT pid, arrayMap(j -> (toInt64(j + offset), p[j], if(j < length(p), p[j + 1], 0)),
        range(1, length(p) + 1)) AS links
    FROM (SELECT pid, ${slice} FROM (SELECT pid, packed, arrayFirstIndex(x -> x % 1048576 = ${anchor}, packed) AS i
      FROM (${profiles})) WHERE i > 0)`;
  return sql`SELECT grp, step, ${names}[src] AS source, if(dst = 0, NULL, ${names}[dst]) AS target, users
    FROM (SELECT grp, l.1 AS step, l.2 AS src, l.3 AS dst, count() AS users
      FROM (${withGroups(scope, perProfile)}) ARRAY JOIN links AS l
      GROUP BY grp, step, src, dst)`;
}

/** Top-N per step, "(other)" for the rest, nodes and links from raw (step, source, target) counts. */
export function shapePaths(rows: Row[], topN: number): ResultOf<'paths'> {
  const nodeUsers = new Map<string, number>(); // `${step}\u0000${event}`
  const key = (step: number, event: string) => `${step}\u0000${event}`;
  for (const r of rows) {
    const k = key(num(r.step), String(r.source));
    nodeUsers.set(k, (nodeUsers.get(k) ?? 0) + num(r.users));
  }
  const byStep = new Map<number, { event: string; users: number }[]>();
  for (const [k, users] of nodeUsers) {
    const [step, event] = k.split('\u0000');
    const list = byStep.get(Number(step)) ?? [];
    list.push({ event, users });
    byStep.set(Number(step), list);
  }
  const kept = new Set<string>();
  for (const [step, list] of byStep) {
    list.sort((a, b) => b.users - a.users || (a.event < b.event ? -1 : 1));
    for (const { event } of list.slice(0, topN)) kept.add(key(step, event));
  }
  const label = (step: number, event: string) => (kept.has(key(step, event)) ? event : OTHER);
  const nodes = new Map<string, { id: string; step: number; event: string; users: number }>();
  const links = new Map<string, { source: string; target: string; users: number }>();
  for (const r of rows) {
    const step = num(r.step);
    const users = num(r.users);
    const event = label(step, String(r.source));
    const id = `${step}:${event}`;
    const node = nodes.get(id) ?? { id, step, event, users: 0 };
    node.users += users;
    nodes.set(id, node);
    if (r.target === null || r.target === undefined) continue;
    const target = `${step + 1}:${label(step + 1, String(r.target))}`;
    const lk = `${id}\u0000${target}`;
    const link = links.get(lk) ?? { source: id, target, users: 0 };
    link.users += users;
    links.set(lk, link);
  }
  const byUsers = <T extends { users: number }>(a: T, b: T, tie: (x: T) => string) =>
    b.users - a.users || (tie(a) < tie(b) ? -1 : tie(a) > tie(b) ? 1 : 0);
  return {
    nodes: [...nodes.values()].sort((a, b) => a.step - b.step || byUsers(a, b, (x) => x.event)),
    links: [...links.values()].sort((a, b) => byUsers(a, b, (x) => `${x.source}\u0000${x.target}`)),
  };
}

export function pathsPlan(r: Resolved<'paths'>, scope: Scope): ReportPlan<'paths'> {
  const { topN } = pathsDefaults(r.spec);
  return {
    queries: { links: pathsSql(r.spec, scope) },
    shape: (rows) =>
      byGroup<'paths'>(rows.links, !!scope.spec.breakdown, (g) => shapePaths(g, topN), segmentOrder(scope)),
  };
}
