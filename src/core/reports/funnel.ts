/**
 * funnel (windowFunnel semantics, deterministic): a profile's step events in [from, to) are taken
 * in time order; events of the same millisecond by the lowest step they match, then by the set of
 * steps they match (as a bit mask, step 1 = bit 0). A chain starts at a step-1 event; each next
 * step is a later event in that order, at most `window` after the chain's first event
 * (inclusive); other events in between are allowed. One event serves one step of a chain. A
 * profile counts for step k when one of its chains reaches k.
 *
 * The strict order runs windowFunnel's own greedy algorithm as an arrayFold over the profile's
 * sorted events (ClickHouse's aggregate breaks ties of equal timestamps by arrival order). It also
 * yields the time between steps: on the profile's first arrival at step k, the time since the
 * latest arrival at step k − 1 (the chain it extends). `order: "any"`: a profile reaches step k
 * when a window starting at one of its step events holds events of every step 1..k; no times.
 */
import { join, param, raw, type SqlFragment, sql } from '../sql.ts';
import { propertyFiltersSql } from './filters.ts';
import { byGroup, num, type ReportPlan, type Row, ratio } from './plan.ts';
import type { ResultOf } from './results.ts';
import { profilesSql, type Scope, segmentOrder, withGroups } from './source.ts';
import type { SpecOf } from './spec.ts';
import { DAY_MS, HOUR_MS } from './time.ts';
import type { Resolved } from './validate.ts';

export function funnelDefaults(spec: SpecOf<'funnel'>) {
  const window = spec.window ?? { days: 7 };
  return {
    windowMs: 'days' in window ? window.days * DAY_MS : window.hours * HOUR_MS,
    order: spec.order ?? 'strict',
  };
}

/**
 * windowFunnel's greedy as an arrayFold over the times `t` and step masks `m` of the rows.
 * The state is a flat tuple: per step j the start and last time of the latest chain reaching j,
 * then the gap recorded when j was first reached (−1 = not yet). Every step a row matches is
 * updated from the state before the row, which is windowFunnel's "one event, one step" (it
 * visits a row's steps from the highest down).
 */
function foldSql(n: number, window: SqlFragment): SqlFragment {
  const s = (j: number) => `acc.${j}`;
  const l = (j: number) => `acc.${n + j}`;
  const g = (j: number) => `acc.${2 * n + j}`;
  const valid = (j: number) =>
    j === 1 ? 'bitTest(m, 0)' : `bitTest(m, ${j - 1}) AND ${g(j - 1)} >= 0 AND t - ${s(j - 1)} <= {w}`;
  const steps = Array.from({ length: n }, (_, i) => i + 1);
  const starts = steps.map((j) => `if(${valid(j)}, ${j === 1 ? 't' : s(j - 1)}, ${s(j)})`);
  const lasts = steps.map((j) => `if(${valid(j)}, t, ${l(j)})`);
  const gaps = steps.map(
    (j) => `if(${g(j)} < 0 AND ${valid(j)}, ${j === 1 ? 'toInt64(0)' : `t - ${l(j - 1)}`}, ${g(j)})`,
  );
  const lambda = `(acc, t, m) -> (${[...starts, ...lasts, ...gaps].join(', ')})`;
  const init = [
    ...steps.map(() => 'toInt64(0)'),
    ...steps.map(() => 'toInt64(0)'),
    ...steps.map(() => 'toInt64(-1)'),
  ];
  const pieces: SqlFragment[] = [];
  lambda.split('{w}').forEach((text, i) => {
    if (i > 0) pieces.push(window);
    pieces.push(raw(text));
  });
  return sql`arrayFold(${join(pieces, '')}, times, masks, (${raw(init.join(', '))}))`;
}

/** The gaps of a fold state `st` as an array (element j: step j). */
function gapsOf(n: number): SqlFragment {
  return raw(`[${Array.from({ length: n }, (_, i) => `st.${2 * n + i + 1}`).join(', ')}]`);
}

/**
 * The steps an event matches as a bit mask (step 1 = bit 0). Steps without conditions are looked
 * up by event name in one hash probe (`transform`); the others test their conditions.
 */
function maskSql(steps: SpecOf<'funnel'>['steps'], conds: SqlFragment[]): SqlFragment {
  const byName = new Map<string, number>();
  const parts: SqlFragment[] = [];
  steps.forEach((s, i) => {
    if (s.where?.length) parts.push(sql`if(${conds[i]}, ${raw(String(2 ** i))}, 0)`);
    else byName.set(s.event, (byName.get(s.event) ?? 0) | (2 ** i));
  });
  if (byName.size) {
    parts.unshift(
      sql`transform(e.event, ${param([...byName.keys()], 'Array(String)')}, ${param([...byName.values()], 'Array(UInt16)')}, toUInt16(0))`,
    );
  }
  return sql`toUInt16(${join(parts, ' + ')})`;
}

/** Rows (grp, k, users, median_ms): profiles reaching step k and the median time from step k − 1. */
export function funnelSql(spec: SpecOf<'funnel'>, scope: Scope): SqlFragment {
  const { windowMs, order } = funnelDefaults(spec);
  const n = spec.steps.length;
  const window = param(windowMs, 'Int64');
  const conds = spec.steps.map((s) => {
    const where = propertyFiltersSql(sql`e.properties`, s.where ?? []);
    return sql`(e.event = ${param(s.event, 'String')}${where ? sql` AND ${where}` : raw('')})`;
  });
  const mask = maskSql(spec.steps, conds);
  const ms = sql`toUnixTimestamp64Milli(e.timestamp)`;
  const names = [...new Set(spec.steps.map((s) => s.event))];
  // A profile without a step-1 event reaches nothing.
  const read = { from: scope.from, to: scope.to, events: names, keepIf: conds[0] };
  let perProfile: SqlFragment;
  if (order === 'strict') {
    // One Int64 per event sorts as (time, lowest step, mask): ms × 16384 + lowest step index ×
    // 1024 + mask (numbers sort several times faster than tuples); the mask is the low 10 bits.
    const packed = sql`${ms} * 16384 + toInt64(1024 * (bitCount(bitXor(m, m - 1)) - 1) + m)`;
    const profiles = profilesSql(scope, read, [
      { name: 'packed', fn: 'array', expr: packed, when: sql`(${mask} AS m) > 0` },
    ]);
    perProfile = sql`SELECT pid, ${gapsOf(n)} AS gaps, arrayFilter(x -> x.2 >= 0, arrayMap((g, k) -> (k, g), gaps, arrayEnumerate(gaps))) AS reached
      FROM (SELECT pid, ${foldSql(n, window)} AS st
        FROM (SELECT pid, arrayMap(x -> intDiv(x, 16384), packed) AS times, arrayMap(x -> x % 1024, packed) AS masks
          FROM (${profiles})))`;
  } else {
    const profiles = profilesSql(scope, read, [
      { name: 'packed', fn: 'array', expr: sql`${ms} * 1024 + toInt64(${mask})`, when: sql`${mask} > 0` },
    ]);
    perProfile = sql`SELECT pid, arrayMap(k -> (k, toInt64(0)), range(1, toUInt32(level) + 1)) AS reached
      FROM (SELECT pid, arrayMax(arrayMap(m -> bitCount(bitXor(m, m + 1)) - 1, arrayMap(r ->
          arrayReduce('groupBitOr', arrayMap(y -> y.2, arrayFilter(y -> y.1 >= r.1 AND y.1 <= r.1 + ${window}, rows))),
        rows))) AS level
        FROM (SELECT pid, arrayMap(x -> (intDiv(x, 1024), x % 1024), packed) AS rows FROM (${profiles})))`;
  }
  return sql`SELECT grp, r.1 AS k, count() AS users, quantileExactInclusive(0.5)(r.2) AS median_ms
    FROM (${withGroups(scope, perProfile)}) ARRAY JOIN reached AS r
    GROUP BY grp, k`;
}

function fields(rows: Row[], spec: SpecOf<'funnel'>, strict: boolean): ResultOf<'funnel'> {
  const byStep = new Map(rows.map((r) => [num(r.k), r]));
  const users = spec.steps.map((_, i) => num(byStep.get(i + 1)?.users));
  return {
    steps: spec.steps.map((s, i) => ({
      event: s.event,
      users: users[i],
      conversionFromStart: ratio(users[i], users[0]),
      conversionFromPrevious: i === 0 ? ratio(users[0], users[0]) : ratio(users[i], users[i - 1]),
      medianSecondsFromPrevious:
        strict && i > 0 && users[i] > 0 ? num(byStep.get(i + 1)?.median_ms) / 1000 : null,
    })),
  };
}

export function funnelPlan(r: Resolved<'funnel'>, scope: Scope): ReportPlan<'funnel'> {
  const strict = funnelDefaults(r.spec).order === 'strict';
  return {
    queries: { steps: funnelSql(r.spec, scope) },
    shape: (rows) =>
      byGroup<'funnel'>(
        rows.steps,
        !!scope.spec.breakdown,
        (g) => fields(g, r.spec, strict),
        segmentOrder(scope),
      ),
  };
}
