/** Reading membership: members with their profiles, enter/exit history by entry or by day. */
import { invalid } from '../core/errors.ts';
import { DEFAULT_LIMIT, decodeCursor, encodeCursor, type Page } from '../core/paging.ts';
import { param, raw, sql } from '../core/sql.ts';
import { type ClickHouse, chTime } from '../storage/index.ts';
import {
  check,
  type HistoryDay,
  type HistoryEntry,
  HistoryQuery,
  type Member,
  type ProfileSample,
} from './contract.ts';
import { segmentKey } from './membership.ts';

const DT64 = "DateTime64(3, 'UTC')";
const DAY_MS = 86_400_000;
/** Days a bucketed history may span. */
const MAX_DAYS = 3660;

/** ClickHouse DateTime64 text (UTC) → ISO-8601. */
export const isoOf = (chText: string) => `${chText.replace(' ', 'T')}Z`;

export interface SampleRow {
  profile_id: string;
  traits: string;
  identifiers: string;
  first_seen: string;
  last_seen: string;
}

function json<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function profileSample(r: SampleRow): ProfileSample {
  return {
    profileId: r.profile_id,
    traits: json(r.traits, {}),
    identifiers: json(r.identifiers, {}),
    firstSeen: isoOf(r.first_seen),
    lastSeen: isoOf(r.last_seen),
  };
}

function time(value: string | undefined, path: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw invalid(path, 'must be an ISO-8601 date-time');
  return t;
}

export function membershipReads(ch: ClickHouse) {
  return {
    /** Current members by profile id, with their traits and identifiers. */
    async members(
      ws: string,
      segmentId: string,
      limit = DEFAULT_LIMIT,
      cursor?: string,
    ): Promise<Page<Member>> {
      const after = decodeCursor(cursor, 1);
      const from = after ? sql` AND profile_id > ${param(String(after[0]), 'String')}` : raw('');
      const page = await ch.query<{ profile_id: string; entered_at: string }>(
        sql`SELECT profile_id, entered_at FROM segment_members FINAL WHERE ${segmentKey(ws, segmentId)}${from} AND is_member = 1 ORDER BY profile_id LIMIT ${param(limit + 1, 'UInt32')}`,
        'segments-members',
      );
      const rows = page.slice(0, limit);
      const ids = rows.map((r) => r.profile_id);
      const profiles = new Map(
        ids.length === 0
          ? []
          : (
              await ch.query<{ profile_id: string; traits: string; identifiers: string }>(
                sql`SELECT profile_id, traits, identifiers FROM profiles FINAL WHERE workspace_id = ${param(ws, 'String')} AND profile_id IN ${param(ids, 'Array(String)')} AND deleted = 0`,
                'segments-members-profiles',
              )
            ).map((p) => [p.profile_id, p]),
      );
      return {
        data: rows.map((r) => ({
          profileId: r.profile_id,
          enteredAt: isoOf(r.entered_at),
          traits: json(profiles.get(r.profile_id)?.traits, {}),
          identifiers: json(profiles.get(r.profile_id)?.identifiers, {}),
        })),
        nextCursor: page.length > limit ? encodeCursor([ids[ids.length - 1]]) : null,
      };
    },

    /** Enters and exits, newest first. */
    async entries(ws: string, segmentId: string, query: HistoryQuery): Promise<Page<HistoryEntry>> {
      const q = check(HistoryQuery, query);
      const limit = q.limit ?? DEFAULT_LIMIT;
      const to = time(q.to, '/to', Date.now() + 1);
      const from = time(q.from, '/from', 0);
      const after = decodeCursor(q.cursor, 2);
      const before = after
        ? sql` AND (at, profile_id) < (${param(String(after[0]), DT64)}, ${param(String(after[1]), 'String')})`
        : raw('');
      const rows = await ch.query<{ profile_id: string; entered: number; at: string; source: string }>(
        sql`SELECT profile_id, entered, at, source FROM segment_history WHERE ${segmentKey(ws, segmentId)} AND at >= ${param(chTime(new Date(from)), DT64)} AND at < ${param(chTime(new Date(to)), DT64)}${before} ORDER BY at DESC, profile_id DESC LIMIT ${param(limit + 1, 'UInt32')}`,
        'segments-history',
      );
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        data: page.map((r) => ({
          profileId: r.profile_id,
          change: Number(r.entered) === 1 ? 'enter' : 'exit',
          at: isoOf(r.at),
          source: r.source,
        })),
        nextCursor: rows.length > limit ? encodeCursor([last.at, last.profile_id]) : null,
      };
    },

    /** Enters, exits and the size at the end of each UTC day of [from, to) (default: 30 days). */
    async days(ws: string, segmentId: string, query: HistoryQuery): Promise<HistoryDay[]> {
      const q = check(HistoryQuery, query);
      const to = time(q.to, '/to', Date.now() + 1);
      const firstDay = Math.floor(time(q.from, '/from', to - 30 * DAY_MS) / DAY_MS);
      const lastDay = Math.floor((to - 1) / DAY_MS);
      if (lastDay < firstDay) throw invalid('/to', 'must be after from');
      if (lastDay - firstDay >= MAX_DAYS) throw invalid('/from', `at most ${MAX_DAYS} days at once`);
      const rows = await ch.query<{ day: string; enters: string; exits: string }>(
        sql`SELECT toDate(at) AS day, countIf(entered = 1) AS enters, countIf(entered = 0) AS exits FROM segment_history WHERE ${segmentKey(ws, segmentId)} AND at < ${param(chTime(new Date(to)), DT64)} GROUP BY day ORDER BY day`,
        'segments-history-days',
      );
      const byDay = new Map(rows.map((r) => [Math.floor(Date.parse(`${r.day}T00:00:00Z`) / DAY_MS), r]));
      let size = 0;
      for (const r of rows) {
        if (Math.floor(Date.parse(`${r.day}T00:00:00Z`) / DAY_MS) < firstDay)
          size += Number(r.enters) - Number(r.exits);
      }
      const out: HistoryDay[] = [];
      for (let d = firstDay; d <= lastDay; d++) {
        const r = byDay.get(d);
        const entered = Number(r?.enters ?? 0);
        const exited = Number(r?.exits ?? 0);
        size += entered - exited;
        out.push({ date: new Date(d * DAY_MS).toISOString().slice(0, 10), entered, exited, size });
      }
      return out;
    },
  };
}

export type MembershipReads = ReturnType<typeof membershipReads>;
