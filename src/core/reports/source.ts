/**
 * The rows every report reads: the workspace's events mapped to their current profile (`pid`,
 * after merges), narrowed by the spec's property filters, trait filters and segment; and the
 * breakdown groups of profiles. Table and column names are constants of the migrations.
 */
import { ident, idIn, join, param, raw, type SqlFragment, sql } from '../sql.ts';
import { jsonValue, propertyFiltersSql, traitFiltersSql } from './filters.ts';
import type { Breakdown, CommonSpec } from './spec.ts';
import { instantParam } from './time.ts';

/** What every report of one request shares. */
export interface Scope {
  workspaceId: string;
  spec: Pick<CommonSpec, 'filters' | 'segmentId' | 'breakdown'>;
  from: number;
  to: number;
  tz: string;
}

/** Group key of the whole population; groups of a breakdown are `v<value>`, `n` = no value. */
export const TOTAL = '';
export const NO_VALUE = 'n';

function ws(scope: Scope): SqlFragment {
  return param(scope.workspaceId, 'String');
}

/** The latest survivor of each aliased profile ('' = not merged away). */
export function aliasesSql(workspaceId: string): SqlFragment {
  return sql`SELECT profile_id, argMax(survivor_id, version) AS survivor_id FROM profile_aliases WHERE workspace_id = ${param(workspaceId, 'String')} GROUP BY profile_id`;
}

/** Members of a segment (latest membership row per profile). */
export function segmentMembersSql(workspaceId: string, segmentIds: readonly string[]): SqlFragment {
  return sql`SELECT profile_id, segment_id FROM segment_members FINAL WHERE workspace_id = ${param(workspaceId, 'String')} AND segment_id IN ${param(segmentIds, 'Array(String)')} AND is_member = 1`;
}

/** Live profiles of the workspace satisfying the trait conditions. */
function traitProfilesSql(scope: Scope, cond: SqlFragment): SqlFragment {
  return sql`SELECT profile_id FROM profiles FINAL WHERE workspace_id = ${ws(scope)} AND deleted = 0 AND ${cond}`;
}

export interface EventRead {
  /** Inclusive lower bound (ms); null = all history. */
  from: number | null;
  /** Exclusive upper bound (ms). */
  to: number;
  /** Only these event names; absent = every event. */
  events?: readonly string[];
  /** Only profiles with at least one event where this holds. */
  keepIf?: SqlFragment;
  /** Only profiles without any event where this holds. */
  dropIf?: SqlFragment;
  /**
   * Like keepIf, but checked first by a cheap scan of its own (when it reads few columns and few
   * profiles pass), so the other profiles' events are never aggregated.
   */
  keepFirst?: SqlFragment;
  /**
   * The read is a small part of the table (one event name, through the by_event projection): each
   * event is mapped to its current profile as it is read and grouped once, instead of grouping
   * per stored profile first. Not with keepFirst.
   */
  perEvent?: boolean;
}

/** An aggregate of one profile's events; expressions read the events row as `e`. */
export interface ProfileAgg {
  name: string;
  /**
   * array: the values, sorted; with several expressions, tuples of them sorted element by
   * element (kept as parallel arrays until the end: groupArray of tuples is several times slower);
   * count, sum; min/max: NULL when there is none.
   */
  fn: 'array' | 'count' | 'sum' | 'min' | 'max';
  expr: SqlFragment | readonly SqlFragment[];
  /** Only events where this holds. */
  when?: SqlFragment;
}

const exprs = (a: ProfileAgg): readonly SqlFragment[] =>
  'parts' in a.expr ? [a.expr as SqlFragment] : a.expr;

/** The aggregates of `a` over a group of events: one per expression (arrays: parallel arrays). */
function ifAggregates(a: ProfileAgg): SqlFragment[] {
  const when = a.when ?? sql`1`;
  return exprs(a).map((x): SqlFragment => {
    if (a.fn === 'array') return sql`groupArrayIf(${x}, ${when})`;
    if (a.fn === 'count') return sql`countIf(${when})`;
    if (a.fn === 'sum') return sql`sumIf(${x}, ${when})`;
    if (a.fn === 'min') return sql`minIf(toNullable(${x}), ${when})`;
    return sql`maxIf(toNullable(${x}), ${when})`;
  });
}

/** Stage 1 (per stored profile): the partial aggregates of `a`, as columns a{i}_{j}. */
function partialSql(a: ProfileAgg, i: number): SqlFragment[] {
  return ifAggregates(a).map((agg, j) => sql`${agg} AS ${raw(`a${i}_${j}`)}`);
}

/** The aggregate `a` of the events grouped by current profile at once (EventRead.perEvent). */
function directSql(a: ProfileAgg): SqlFragment {
  const aggs = ifAggregates(a);
  if (a.fn !== 'array') return aggs[0];
  return aggs.length === 1 ? sql`arraySort(${aggs[0]})` : sql`arraySort(arrayZip(${join(aggs, ', ')}))`;
}

/** Stage 2 (per current profile): the merged aggregate `a` from its partial columns. */
function mergeSql(a: ProfileAgg, i: number): SqlFragment {
  const cols = exprs(a).map((_, j) => raw(`s.a${i}_${j}`));
  const [first] = cols;
  switch (a.fn) {
    case 'array':
      return cols.length === 1
        ? sql`arraySort(groupArrayArray(${first}))`
        : sql`arraySort(arrayZip(${join(
            cols.map((c) => sql`groupArrayArray(${c})`),
            ', ',
          )}))`;
    case 'count':
    case 'sum':
      return sql`sum(${first})`;
    case 'min':
      return sql`min(${first})`;
    case 'max':
      return sql`max(${first})`;
  }
}

/**
 * One row per current profile (`pid`) with the aggregates of its events in [from, to) that pass
 * the property filters, for profiles passing the trait filters and the segment. Events are first
 * aggregated by their stored profile (the table's sort key, no join per event), then the few
 * merged-away profiles are folded into their survivor.
 */
export function profilesSql(
  scope: Scope,
  read: EventRead,
  aggs: readonly ProfileAgg[],
  having?: SqlFragment,
): SqlFragment {
  const where = [sql`e.workspace_id = ${ws(scope)}`, sql`e.timestamp < ${instantParam(read.to)}`];
  if (read.from !== null) where.push(sql`e.timestamp >= ${instantParam(read.from)}`);
  if (read.events) where.push(sql`e.event IN ${param(read.events, 'Array(String)')}`);
  const filters = scope.spec.filters ?? [];
  const props = propertyFiltersSql(sql`e.properties`, filters);
  if (props) where.push(props);
  const partial = aggs.flatMap((a, i) => partialSql(a, i));
  const merged = aggs.map((a, i) => sql`${mergeSql(a, i)} AS ${ident(a.name)}`);
  const profileWhere: SqlFragment[] = [];
  const traits = traitFiltersSql(sql`traits`, filters);
  if (traits) profileWhere.push(idIn(raw('pid'), 'profile_id', traitProfilesSql(scope, traits)));
  if (scope.spec.segmentId !== undefined) {
    profileWhere.push(
      idIn(raw('pid'), 'profile_id', segmentMembersSql(scope.workspaceId, [scope.spec.segmentId])),
    );
  }
  // keepIf/dropIf prune stored profiles before they are merged and sorted: a profile that is not
  // part of a merge is final already; merged ones wait for their survivor.
  const prune: SqlFragment[] = [];
  const final: SqlFragment[] = having ? [having] : [];
  if (read.keepIf) {
    partial.push(sql`countIf(${read.keepIf}) AS keep_n`);
    merged.push(sql`sum(s.keep_n) AS keep_n`);
    prune.push(sql`keep_n > 0`);
    final.push(sql`keep_n > 0`);
  }
  if (read.dropIf) {
    partial.push(sql`countIf(${read.dropIf}) AS drop_n`);
    merged.push(sql`sum(s.drop_n) AS drop_n`);
    prune.push(sql`drop_n = 0`);
    final.push(sql`drop_n = 0`);
  }
  const aliases = aliasesSql(scope.workspaceId);
  if (read.perEvent && !read.keepFirst) {
    const direct = aggs.map((a) => sql`${directSql(a)} AS ${ident(a.name)}`);
    if (read.keepIf) direct.push(sql`countIf(${read.keepIf}) AS keep_n`);
    if (read.dropIf) direct.push(sql`countIf(${read.dropIf}) AS drop_n`);
    return sql`SELECT if(a.survivor_id != '', a.survivor_id, e.profile_id) AS pid, ${join(direct, ', ')}
      FROM events AS e LEFT ANY JOIN (${aliases}) AS a ON a.profile_id = e.profile_id
      WHERE ${join([...where, ...profileWhere], ' AND ')}
      GROUP BY pid
      ${final.length ? sql`HAVING ${join(final, ' AND ')}` : raw('')}`;
  }
  const merging = sql`SELECT arrayJoin([profile_id, survivor_id]) FROM (${aliases}) WHERE survivor_id != ''`;
  if (read.keepFirst) {
    // Stored profiles with such an event, and every profile of a merge (decided after it).
    where.push(
      sql`e.profile_id IN (SELECT e.profile_id FROM events AS e WHERE ${join(where, ' AND ')} AND ${read.keepFirst} UNION ALL ${merging})`,
    );
    partial.push(sql`countIf(${read.keepFirst}) AS first_n`);
    merged.push(sql`sum(s.first_n) AS first_n`);
    final.push(sql`first_n > 0`);
  }
  const stage1Having = prune.length
    ? sql`HAVING (${join(prune, ' AND ')}) OR profile_id IN (${merging})`
    : raw('');
  return sql`SELECT if(a.survivor_id != '', a.survivor_id, s.profile_id) AS pid, ${join(merged, ', ')}
    FROM (SELECT e.profile_id AS profile_id, ${join(partial, ', ')} FROM events AS e WHERE ${join(where, ' AND ')}
      GROUP BY e.profile_id ${stage1Having}) AS s
    LEFT ANY JOIN (${aliases}) AS a ON a.profile_id = s.profile_id
    ${profileWhere.length ? sql`WHERE ${join(profileWhere, ' AND ')}` : raw('')}
    GROUP BY pid
    ${final.length ? sql`HAVING ${join(final, ' AND ')}` : raw('')}`;
}

const DEFAULT_GROUPS = 20;

/** `SELECT pid, gs` (the profile's group keys), one row per profile that has a value. */
function groupsSql(scope: Scope, b: Breakdown): SqlFragment {
  if ('segment' in b) {
    return sql`SELECT profile_id AS pid, groupArray(concat('v', segment_id)) AS gs FROM (${segmentMembersSql(scope.workspaceId, b.segment)}) GROUP BY profile_id`;
  }
  let values: SqlFragment;
  if ('property' in b) {
    const v = jsonValue(sql`e.properties`, b.property);
    const firsts = profilesSql(scope, { from: scope.from, to: scope.to }, [
      {
        name: 'vals',
        fn: 'array',
        expr: [sql`e.timestamp`, sql`assumeNotNull(${v.text})`],
        when: sql`${v.text} IS NOT NULL`,
      },
    ]);
    values = sql`SELECT pid, vals[1].2 AS v FROM (${firsts}) WHERE length(vals) > 0`;
  } else {
    const v = jsonValue(sql`traits`, b.trait);
    values = sql`SELECT pid, assumeNotNull(val) AS v FROM (SELECT profile_id AS pid, ${v.text} AS val FROM profiles FINAL WHERE workspace_id = ${ws(scope)} AND deleted = 0) WHERE val IS NOT NULL`;
  }
  const limit = param(b.limit ?? DEFAULT_GROUPS, 'UInt32');
  const top = sql`SELECT v FROM (${values}) GROUP BY v ORDER BY count() DESC, v LIMIT ${limit}`;
  return sql`SELECT pid, if(v IN (${top}), [concat('v', v)], []) AS gs FROM (${values})`;
}

/**
 * Adds `grp` to a per-profile subquery (it must have a `pid` column): every row once with
 * grp = TOTAL, and once more per breakdown group of its profile. Profiles without a value of a
 * property/trait breakdown fall in NO_VALUE; values beyond the breakdown's limit only in TOTAL.
 */
export function withGroups(scope: Scope, perProfile: SqlFragment): SqlFragment {
  const b = scope.spec.breakdown;
  if (!b) return sql`SELECT *, '' AS grp FROM (${perProfile})`;
  const missing = 'segment' in b ? sql`[]` : sql`[${param(NO_VALUE, 'String')}]`;
  return sql`SELECT * EXCEPT (gs, known), grp FROM (
    SELECT s.*, g.gs AS gs, g.known AS known FROM (${perProfile}) AS s
    LEFT ANY JOIN (SELECT pid, gs, 1 AS known FROM (${groupsSql(scope, b)})) AS g ON g.pid = s.pid
  ) ARRAY JOIN arrayPushFront(if(known = 1, gs, ${missing}), '') AS grp`;
}

/** The breakdown value of a result group key (null for profiles without a value). */
export function groupValue(key: string): string | null {
  return key === NO_VALUE ? null : key.slice(1);
}

/** Groups of a segment breakdown keep the order the ids were given in. */
export function segmentOrder(scope: Scope): readonly string[] | undefined {
  const b = scope.spec.breakdown;
  return b && 'segment' in b ? b.segment : undefined;
}
