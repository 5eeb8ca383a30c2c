/**
 * Segment membership in ClickHouse. An evaluation never leaves ClickHouse: the new member set
 * (a SELECT) is diffed against the current one with INSERT … SELECT into segment_history, and
 * the same rows then go to segment_members. Only changes are written.
 */
import { ident, param, raw, type SqlFragment, sql } from '../core/sql.ts';
import { type ClickHouse, chTime } from '../storage/index.ts';
import type { ChangeSource, MemberChange } from './bus.ts';

const DT64 = "DateTime64(3, 'UTC')";

let lastVersion = 0;
/** Monotonic versions for the ReplacingMergeTree rows this process writes. */
export function nextVersion(): number {
  lastVersion = Math.max(lastVersion + 1, Date.now() * 1000);
  return lastVersion;
}

export interface DiffSpec {
  workspaceId: string;
  segmentId: string;
  /** `SELECT profile_id …`: the members, distinct (within the scope when one is given). */
  members: SqlFragment;
  /** Only these profiles are compared (real-time entry, upload in add mode); absent = all. */
  scope?: SqlFragment;
  /** A WITH clause the members query needs (e.g. events restricted to the scope). */
  with?: SqlFragment;
  /** Settings the members query needs (`membersQuery`), added to the statement's own. */
  settings?: readonly string[];
  source: ChangeSource;
}

export interface AppliedDiff {
  at: Date;
  version: number;
  entered: number;
  exited: number;
}

const ws = (id: string) => param(id, 'String');

/** `workspace_id = … AND segment_id = …`: the sort-key prefix of the membership tables. */
export function segmentKey(w: string, s: string): SqlFragment {
  return sql`workspace_id = ${ws(w)} AND segment_id = ${param(s, 'String')}`;
}

export function membershipStore(ch: ClickHouse) {
  let database: Promise<string> | null = null;
  const key = segmentKey;
  const run = (w: string, s: string, at: Date, version: number) =>
    sql`${key(w, s)} AND at = ${param(chTime(at), DT64)} AND version = ${param(version, 'UInt64')}`;

  /** Current members (FINAL, is_member = 1) as `profile_id` rows. */
  function currentSql(w: string, s: string, scope?: SqlFragment): SqlFragment {
    const within = scope ? sql` AND profile_id IN (${scope})` : raw('');
    return sql`SELECT profile_id FROM segment_members FINAL WHERE ${key(w, s)}${within} AND is_member = 1`;
  }

  return {
    /** The database the tables live in (for WITH clauses that shadow a table name). */
    database(): Promise<string> {
      database ??= ch
        .query<{ db: string }>({ query: 'SELECT currentDatabase() AS db', params: {} }, 'segments-db')
        .then((r) => r[0].db);
      return database;
    },

    currentSql,

    /**
     * Writes the difference between `spec.members` and the current membership. The sort-merge
     * join streams both sides (the current members come sorted by the table key) and cost ~1 s
     * less CPU than a hash join for 2.6M members of 10M profiles.
     */
    async applyDiff(spec: DiffSpec): Promise<AppliedDiff> {
      const at = new Date();
      const version = nextVersion();
      const { workspaceId: w, segmentId: s } = spec;
      const current = currentSql(w, s, spec.scope);
      await ch.command(
        sql`INSERT INTO segment_history (workspace_id, segment_id, profile_id, at, entered, source, version) ${spec.with ?? raw('')} SELECT ${ws(w)}, ${param(s, 'String')}, if(n.profile_id != '', n.profile_id, c.profile_id) AS pid, ${param(chTime(at), DT64)}, n.profile_id != '', ${param(spec.source, 'String')}, ${param(version, 'UInt64')} FROM (${spec.members}) AS n FULL OUTER JOIN (${current}) AS c ON n.profile_id = c.profile_id WHERE n.profile_id = '' OR c.profile_id = '' SETTINGS ${raw(['join_use_nulls = 0', "join_algorithm = 'full_sorting_merge'", ...(spec.settings ?? [])].join(', '))}`,
        'segments-diff',
      );
      await ch.command(
        sql`INSERT INTO segment_members (workspace_id, segment_id, profile_id, entered_at, version, is_member) SELECT workspace_id, segment_id, profile_id, at, version, entered FROM segment_history WHERE ${run(w, s, at, version)}`,
        'segments-apply',
      );
      const [c] = await ch.query<{ enters: string; exits: string }>(
        sql`SELECT countIf(entered = 1) AS enters, countIf(entered = 0) AS exits FROM segment_history WHERE ${run(w, s, at, version)}`,
        'segments-diff-count',
      );
      return { at, version, entered: Number(c.enters), exited: Number(c.exits) };
    },

    /** The rows one applied diff wrote. */
    async changesOf(w: string, s: string, at: Date, version: number): Promise<MemberChange[]> {
      const rows = await ch.query<{ profile_id: string; entered: number }>(
        sql`SELECT profile_id, entered FROM segment_history WHERE ${run(w, s, at, version)} ORDER BY profile_id`,
        'segments-changes',
      );
      return rows.map((r) => ({ profileId: r.profile_id, entered: Number(r.entered) === 1 }));
    },

    async size(w: string, s: string): Promise<number> {
      const [r] = await ch.query<{ n: string }>(
        sql`SELECT count() AS n FROM (${currentSql(w, s)})`,
        'segments-size',
      );
      return Number(r.n);
    },

    /** Segments a profile is a member of now (for profile views). */
    async segmentsOf(w: string, profileId: string): Promise<string[]> {
      const rows = await ch.query<{ segment_id: string }>(
        sql`SELECT segment_id FROM segment_members FINAL WHERE workspace_id = ${ws(w)} AND profile_id = ${param(profileId, 'String')} AND is_member = 1 ORDER BY segment_id`,
        'segments-of-profile',
      );
      return rows.map((r) => r.segment_id);
    },

    /** Profile ids to stage for a diff (uploads), in one insert. */
    async stage(w: string, batchId: string, profileIds: readonly string[]): Promise<void> {
      if (profileIds.length === 0) return;
      const lines = profileIds.map((id) =>
        JSON.stringify({ workspace_id: w, batch_id: batchId, profile_id: id }),
      );
      await ch.insertJsonEachRow('segment_staging', Buffer.from(`${lines.join('\n')}\n`), [
        'workspace_id',
        'batch_id',
        'profile_id',
      ]);
    },

    stagedSql(w: string, batchId: string): SqlFragment {
      return sql`SELECT DISTINCT profile_id FROM segment_staging WHERE workspace_id = ${ws(w)} AND batch_id = ${param(batchId, 'String')}`;
    },

    /** Members of another segment, as a member query (snapshots, copies). */
    membersOfSql(w: string, s: string): SqlFragment {
      return currentSql(w, s);
    },

    /** Forgets a deleted segment's membership and history. */
    async drop(w: string, s: string): Promise<void> {
      for (const table of ['segment_members', 'segment_history']) {
        await ch.command(sql`DELETE FROM ${ident(table)} WHERE ${key(w, s)}`, 'segments-drop');
      }
    },

    /** Counts of profiles per combination of the given segments (bit i = member of ids[i]). */
    async overlapMasks(w: string, ids: readonly string[]): Promise<{ mask: number; n: number }[]> {
      const rows = await ch.query<{ mask: string; n: string }>(
        sql`SELECT mask, count() AS n FROM (SELECT profile_id, groupBitOr(bitShiftLeft(toUInt16(1), toUInt8(indexOf(${param(ids, 'Array(String)')}, segment_id) - 1))) AS mask FROM segment_members FINAL WHERE workspace_id = ${ws(w)} AND segment_id IN ${param(ids, 'Array(String)')} AND is_member = 1 GROUP BY profile_id) GROUP BY mask`,
        'segments-overlap',
      );
      return rows.map((r) => ({ mask: Number(r.mask), n: Number(r.n) }));
    },
  };
}

export type MembershipStore = ReturnType<typeof membershipStore>;
