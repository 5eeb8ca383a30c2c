/**
 * content, from the player's events in [from, to) that name a content item (`contentProperty`,
 * default content_id): `Video Playback Started` opens a view; `Paused`, `Seek Completed` and
 * `Completed` belong to the profile's latest view of that item (at the same millisecond a Started
 * comes after the others).
 * - views = Started events; viewers = profiles with a view;
 * - completionRate = viewers who also have a Completed event of the item / viewers;
 * - avgWatchSeconds = mean over views of the view's largest numeric `watch_seconds` (0 without);
 * - pauses = Paused events; seeks = Seek Completed events.
 */
import { param, type SqlFragment, sql } from '../sql.ts';
import { jsonValue, numericSql } from './filters.ts';
import { byGroup, num, type ReportPlan, type Row, ratio } from './plan.ts';
import type { ResultOf } from './results.ts';
import { profilesSql, type Scope, segmentOrder, withGroups } from './source.ts';
import type { SpecOf } from './spec.ts';
import type { Resolved } from './validate.ts';

/** Player events by their order at equal times: the closing ones first, Started last. */
export const PLAYER_EVENTS = [
  'Video Playback Completed',
  'Video Playback Paused',
  'Video Playback Seek Completed',
  'Video Playback Started',
] as const;
const [COMPLETED, PAUSED, SEEK, STARTED] = [0, 1, 2, 3];

export function contentDefaults(spec: SpecOf<'content'>) {
  return { contentProperty: spec.contentProperty ?? 'content_id', limit: spec.limit ?? 100 };
}

/** Rows (grp, content, n_views, n_viewers, n_completers, watch_seconds, n_pauses, n_seeks), most viewed first. */
export function contentSql(spec: SpecOf<'content'>, scope: Scope): SqlFragment {
  const { contentProperty, limit } = contentDefaults(spec);
  const key = jsonValue(sql`e.properties`, contentProperty).text;
  const kind = sql`toUInt8(indexOf(${param(PLAYER_EVENTS, 'Array(String)')}, e.event) - 1)`;
  const watch = numericSql(sql`e.properties`, 'watch_seconds');
  const profiles = profilesSql(scope, { from: scope.from, to: scope.to, events: PLAYER_EVENTS }, [
    {
      name: 'ev',
      fn: 'array',
      expr: [
        sql`assumeNotNull(${key})`,
        sql`toUnixTimestamp64Milli(e.timestamp)`,
        kind,
        sql`toFloat64(${watch})`,
      ],
      when: sql`${key} IS NOT NULL`,
    },
  ]);
  const is = (k: number) => sql`x.3 = ${param(k, 'UInt8')}`;
  const perItem = sql`SELECT pid, content, evs, arrayCumSum(arrayMap(x -> toUInt32(${is(STARTED)}), evs)) AS vi,
      arrayCount(x -> ${is(STARTED)}, evs) AS views
    FROM (SELECT pid, content, arrayFilter(x -> x.1 = content, ev) AS evs
      FROM (${profiles}) ARRAY JOIN arrayDistinct(arrayMap(x -> x.1, ev)) AS content)`;
  const perProfile = sql`SELECT pid, content, views,
      arrayCount(x -> ${is(PAUSED)}, evs) AS pauses,
      arrayCount(x -> ${is(SEEK)}, evs) AS seeks,
      toUInt8(views > 0 AND arrayExists(x -> ${is(COMPLETED)}, evs)) AS completer,
      arraySum(arrayMap(j -> greatest(0., arrayMax(arrayMap((x, v) -> if(v = j, x.4, 0.), evs, vi))),
        range(1, views + 1))) AS watch
    FROM (${perItem})`;
  return sql`SELECT grp, content, sum(views) AS n_views, countIf(views > 0) AS n_viewers,
      sum(completer) AS n_completers, sum(watch) AS watch_seconds, sum(pauses) AS n_pauses, sum(seeks) AS n_seeks
    FROM (${withGroups(scope, perProfile)})
    GROUP BY grp, content
    ORDER BY grp, n_views DESC, content
    LIMIT ${param(limit, 'UInt32')} BY grp`;
}

function fields(rows: Row[]): ResultOf<'content'> {
  return {
    rows: rows.map((r) => {
      const views = num(r.n_views);
      const viewers = num(r.n_viewers);
      return {
        content: String(r.content),
        views,
        viewers,
        completionRate: ratio(num(r.n_completers), viewers),
        avgWatchSeconds: ratio(num(r.watch_seconds), views),
        pauses: num(r.n_pauses),
        seeks: num(r.n_seeks),
      };
    }),
  };
}

export function contentPlan(r: Resolved<'content'>, scope: Scope): ReportPlan<'content'> {
  return {
    queries: { rows: contentSql(r.spec, scope) },
    shape: (rows) =>
      byGroup<'content'>(rows.rows, !!scope.spec.breakdown, (g) => fields(g), segmentOrder(scope)),
  };
}
