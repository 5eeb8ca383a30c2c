import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../postgres/client.ts';

const p = (v: unknown) => sql.param(v);

async function rows<T>(db: Db, q: SQL): Promise<T[]> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}

export type CandidateStatus = 'pending' | 'accepted' | 'rejected' | 'merged';

/** The merge reasons of probabilistic matching (an undone one is never made again). */
export const PROBABILISTIC_REASONS = ['probabilistic', 'candidate_accepted'] as const;

export interface MatchProfileRow {
  id: string;
  traits: Record<string, { value: unknown; source: string; time: string; once?: true }>;
  /** The profile's email and phone identifiers. */
  identifiers: { kind: string; value: string }[];
}

export interface CandidateRow {
  id: string;
  profile_a: string;
  profile_b: string;
  score: number;
  features: unknown;
  status: CandidateStatus;
  created_at: string;
  decided_at: string | null;
}

export interface ScoredPair {
  a: string;
  b: string;
  score: number;
  features: unknown;
}

const CANDIDATE_COLUMNS = sql.raw(
  'id, profile_a, profile_b, score, features, status, created_at::text, decided_at::text',
);

/** Probabilistic matching: profile pages to score, match candidates, the schedule's due workspaces. */
export function identityMatchRepository(db: Db) {
  return {
    /** Live profiles in id order with their emails and phones. */
    async liveProfilesPage(
      workspaceId: string,
      after: string | null,
      limit: number,
    ): Promise<MatchProfileRow[]> {
      return rows<MatchProfileRow>(
        db,
        sql`select p.id, p.traits,
              coalesce(json_agg(json_build_object('kind', i.kind, 'value', i.value)) filter (where i.kind is not null), '[]') as identifiers
            from profiles p
            left join identities i on i.workspace_id = p.workspace_id and i.profile_id = p.id and i.kind in ('email', 'phone')
            where p.workspace_id = ${workspaceId} and p.merged_into is null and p.deleted_at is null
              and ${after === null ? sql`true` : sql`p.id > ${after}`}
            group by p.id order by p.id limit ${limit}`,
      );
    },

    /** Where each profile lives now: itself, its survivor, or null (erased or unknown). */
    async currentIds(workspaceId: string, ids: readonly string[]): Promise<Map<string, string | null>> {
      const out = new Map<string, string | null>(ids.map((id) => [id, null]));
      if (ids.length === 0) return out;
      const r = await rows<{ id: string; current: string | null }>(
        db,
        sql`select p.id, case when s.id is null or s.deleted_at is not null or s.merged_into is not null then null else s.id end as current
            from profiles p left join profiles s on s.workspace_id = p.workspace_id and s.id = coalesce(p.merged_into, p.id)
            where p.workspace_id = ${workspaceId} and p.id = any(${p(ids)}::text[])`,
      );
      for (const x of r) out.set(x.id, x.current);
      return out;
    },

    /**
     * Pairs that must never be proposed or merged again, as the live profiles they are now:
     * rejected candidates and undone probabilistic merges.
     */
    async blockedPairs(workspaceId: string): Promise<[string, string][]> {
      const r = await rows<{ a: string; b: string }>(
        db,
        sql`select coalesce(pa.merged_into, pa.id) as a, coalesce(pb.merged_into, pb.id) as b from (
              select profile_a as a, profile_b as b from match_candidates where workspace_id = ${workspaceId} and status = 'rejected'
              union
              select survivor_id, merged_id from profile_merges where workspace_id = ${workspaceId} and undone_at is not null
                and reason = any(${p([...PROBABILISTIC_REASONS])}::text[])
            ) x
            join profiles pa on pa.workspace_id = ${workspaceId} and pa.id = x.a
            join profiles pb on pb.workspace_id = ${workspaceId} and pb.id = x.b`,
      );
      return r.map((x) => [x.a, x.b]);
    },

    /**
     * Makes `pairs` the workspace's pending candidates: new pairs are inserted, known pending ones
     * re-scored, decided ones left as they are, and pending ones not in `pairs` removed.
     */
    async replacePending(
      workspaceId: string,
      pairs: readonly (ScoredPair & { id: string })[],
    ): Promise<void> {
      await db.transaction(async (tx) => {
        const t = tx as unknown as Db;
        const a = pairs.map((x) => x.a);
        const b = pairs.map((x) => x.b);
        await t.execute(sql`delete from match_candidates m where m.workspace_id = ${workspaceId} and m.status = 'pending'
          and not exists (select 1 from unnest(${p(a)}::text[], ${p(b)}::text[]) as u(a, b) where u.a = m.profile_a and u.b = m.profile_b)`);
        if (pairs.length === 0) return;
        await t.execute(sql`insert into match_candidates (id, workspace_id, profile_a, profile_b, score, features, status, created_at)
          select id, ${workspaceId}, a, b, s, f::jsonb, 'pending', now()
          from unnest(${p(pairs.map((x) => x.id))}::text[], ${p(a)}::text[], ${p(b)}::text[],
                      ${p(pairs.map((x) => x.score))}::real[], ${p(pairs.map((x) => JSON.stringify(x.features)))}::text[]) as u(id, a, b, s, f)
          on conflict (workspace_id, profile_a, profile_b) do update set score = excluded.score, features = excluded.features
            where match_candidates.status = 'pending'`);
      });
    },

    /** Records decided pairs (merged automatically, or accepted): inserted or moved to `status`. */
    async recordDecided(
      workspaceId: string,
      pairs: readonly (ScoredPair & { id: string })[],
      status: Exclude<CandidateStatus, 'pending'>,
    ): Promise<void> {
      if (pairs.length === 0) return;
      await db.execute(sql`insert into match_candidates (id, workspace_id, profile_a, profile_b, score, features, status, created_at, decided_at)
        select id, ${workspaceId}, a, b, s, f::jsonb, ${status}, now(), now()
        from unnest(${p(pairs.map((x) => x.id))}::text[], ${p(pairs.map((x) => x.a))}::text[], ${p(pairs.map((x) => x.b))}::text[],
                    ${p(pairs.map((x) => x.score))}::real[], ${p(pairs.map((x) => JSON.stringify(x.features)))}::text[]) as u(id, a, b, s, f)
        on conflict (workspace_id, profile_a, profile_b) do update set status = excluded.status, score = excluded.score,
          features = excluded.features, decided_at = now()`);
    },

    async candidate(workspaceId: string, id: string): Promise<CandidateRow | null> {
      const r = await rows<CandidateRow>(
        db,
        sql`select ${CANDIDATE_COLUMNS} from match_candidates where workspace_id = ${workspaceId} and id = ${id}`,
      );
      return r[0] ?? null;
    },

    /** Candidates with a status, best score first, paged by (score, id). */
    async candidates(
      workspaceId: string,
      status: CandidateStatus,
      limit: number,
      after: { score: number; id: string } | null,
    ): Promise<CandidateRow[]> {
      const page =
        after === null
          ? sql`true`
          : sql`(score < ${after.score}::real or (score = ${after.score}::real and id > ${after.id}))`;
      return rows<CandidateRow>(
        db,
        sql`select ${CANDIDATE_COLUMNS} from match_candidates
            where workspace_id = ${workspaceId} and status = ${status} and ${page}
            order by score desc, id limit ${limit}`,
      );
    },

    /** Moves a pending candidate to `status`; false when it is not pending (any more). */
    async decide(workspaceId: string, id: string, status: 'accepted' | 'rejected'): Promise<boolean> {
      const r = await rows<{ id: string }>(
        db,
        sql`update match_candidates set status = ${status}, decided_at = now()
            where workspace_id = ${workspaceId} and id = ${id} and status = 'pending' returning id`,
      );
      return r.length > 0;
    },

    /** A queued or running job of this kind for the workspace, if any. */
    async activeJob(workspaceId: string, kind: string): Promise<string | null> {
      const r = await rows<{ id: string }>(
        db,
        sql`select id from jobs where workspace_id = ${workspaceId} and kind = ${kind} and status in ('queued', 'running')
            order by created_at limit 1`,
      );
      return r[0]?.id ?? null;
    },

    /** Workspaces with no job of this kind created in the last `intervalMs` and none in flight. */
    async dueWorkspaces(kind: string, intervalMs: number): Promise<string[]> {
      const r = await rows<{ id: string }>(
        db,
        sql`select w.id from workspaces w where not exists (
              select 1 from jobs j where j.workspace_id = w.id and j.kind = ${kind}
                and (j.status in ('queued', 'running') or j.created_at > now() - make_interval(secs => ${intervalMs / 1000})))
            order by w.created_at`,
      );
      return r.map((x) => x.id);
    },
  };
}

export type IdentityMatchRepository = ReturnType<typeof identityMatchRepository>;
