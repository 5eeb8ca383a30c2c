import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../postgres/client.ts';

const p = (v: unknown) => sql.param(v);

async function rows<T>(db: Db, q: SQL): Promise<T[]> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}

export interface IdentityRow {
  kind: string;
  value: string;
  profile_id: string;
  shared: boolean;
  source: string;
  meta: Record<string, unknown> | null;
  first_seen: string;
  last_seen: string;
}

export interface ProfileRow {
  id: string;
  traits: Record<string, { value: unknown; source: string; time: string; once?: true }>;
  first_seen: string;
  last_seen: string;
  merged_into: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface NewIdentity {
  kind: string;
  value: string;
  profileId: string;
  shared: boolean;
  source: string;
  meta: Record<string, unknown> | null;
  firstSeen: string;
  lastSeen: string;
}

export interface MergeRow {
  id: string;
  survivorId: string;
  mergedId: string;
  reason: string;
  linkedBy: unknown;
  mergedIdentifiers: unknown;
  mergedTraits: unknown;
  messageId: string | null;
  score: number | null;
  at: string;
}

/** One flush's identity changes, written in one transaction. */
export interface IdentityChanges {
  newProfiles: { id: string; createdAt: string; firstSeen: string; lastSeen: string; traits: unknown }[];
  /** merged id → survivor id, in the order the merges happened. */
  merges: MergeRow[];
  /** Insert or move/flag (shared, last seen, meta) identifiers. */
  identities: NewIdentity[];
  /** Profiles whose traits or seen times changed. */
  profileUpdates: { id: string; traits: unknown; firstSeen: string; lastSeen: string }[];
}

/** A profile with its identities and the ids merged into it. */
export type ProfileGraphRow = ProfileRow & { identities: IdentityRow[]; merged_from: string[] };

const PROFILE_COLUMNS = sql.raw(
  'id, traits, first_seen::text, last_seen::text, merged_into, created_at::text, updated_at::text, deleted_at::text',
);

/** The identity graph and profiles in PostgreSQL, read and written in batches. */
export function identityRepository(db: Db) {
  return {
    async settings(workspaceId: string): Promise<unknown | null> {
      const r = await rows<{ settings: unknown }>(
        db,
        sql`select settings from identity_settings where workspace_id = ${workspaceId}`,
      );
      return r[0]?.settings ?? null;
    },
    async saveSettings(workspaceId: string, settings: unknown): Promise<void> {
      await db.execute(sql`insert into identity_settings (workspace_id, settings, updated_at) values (${workspaceId}, ${JSON.stringify(settings)}::jsonb, now())
        on conflict (workspace_id) do update set settings = excluded.settings, updated_at = now()`);
    },

    /** Holders of the given identifiers (one index scan per kind). */
    async findIdentities(
      workspaceId: string,
      keys: readonly { kind: string; value: string }[],
    ): Promise<IdentityRow[]> {
      if (keys.length === 0) return [];
      const byKind = new Map<string, string[]>();
      for (const k of keys) byKind.set(k.kind, [...(byKind.get(k.kind) ?? []), k.value]);
      const parts = [...byKind].map(
        ([kind, values]) =>
          sql`select kind, value, profile_id, shared, source, meta, first_seen::text, last_seen::text
              from identities where workspace_id = ${workspaceId} and kind = ${kind} and value = any(${p(values)}::text[])`,
      );
      return rows<IdentityRow>(db, sql.join(parts, sql` union all `));
    },
    async identitiesOf(workspaceId: string, profileIds: readonly string[]): Promise<IdentityRow[]> {
      if (profileIds.length === 0) return [];
      return rows<IdentityRow>(
        db,
        sql`select kind, value, profile_id, shared, source, meta, first_seen::text, last_seen::text
            from identities where workspace_id = ${workspaceId} and profile_id = any(${p(profileIds)}::text[])
            order by first_seen, kind, value`,
      );
    },
    async profiles(workspaceId: string, ids: readonly string[]): Promise<ProfileRow[]> {
      if (ids.length === 0) return [];
      return rows<ProfileRow>(
        db,
        sql`select ${PROFILE_COLUMNS} from profiles where workspace_id = ${workspaceId} and id = any(${p(ids)}::text[])`,
      );
    },
    /** Profiles with their identities and the ids merged into them, in one query (the read path). */
    async profilesWithGraph(workspaceId: string, ids: readonly string[]): Promise<ProfileGraphRow[]> {
      if (ids.length === 0) return [];
      return rows<ProfileGraphRow>(
        db,
        sql`select ${PROFILE_COLUMNS},
              coalesce((select json_agg(json_build_object('kind', i.kind, 'value', i.value, 'profile_id', i.profile_id,
                  'shared', i.shared, 'source', i.source, 'meta', i.meta, 'first_seen', i.first_seen::text,
                  'last_seen', i.last_seen::text) order by i.first_seen, i.kind, i.value)
                from identities i where i.workspace_id = p.workspace_id and i.profile_id = p.id), '[]'::json) as identities,
              coalesce((select array_agg(m.merged_id order by m.at) from profile_merges m
                where m.workspace_id = p.workspace_id and m.survivor_id = p.id and m.undone_at is null), '{}') as merged_from
            from profiles p where p.workspace_id = ${workspaceId} and p.id = any(${p(ids)}::text[])`,
      );
    },
    async mergesOf(
      workspaceId: string,
      profileId: string,
    ): Promise<(MergeRow & { undoneAt: string | null })[]> {
      return rows(
        db,
        sql`select id, survivor_id as "survivorId", merged_id as "mergedId", reason, linked_by as "linkedBy",
              merged_identifiers as "mergedIdentifiers", merged_traits as "mergedTraits", message_id as "messageId",
              score, at::text as at, undone_at::text as "undoneAt"
            from profile_merges where workspace_id = ${workspaceId} and (survivor_id = ${profileId} or merged_id = ${profileId})
            order by at`,
      );
    },

    /** Writes the changes atomically; returns every profile id now aliased to each survivor. */
    async apply(
      workspaceId: string,
      c: IdentityChanges,
    ): Promise<{ profileId: string; survivorId: string }[]> {
      const aliases: { profileId: string; survivorId: string }[] = [];
      await db.transaction(async (tx) => {
        if (c.newProfiles.length) {
          await tx.execute(sql`insert into profiles (id, workspace_id, traits, first_seen, last_seen, created_at, updated_at)
            select id, ${workspaceId}, t::jsonb, fs::timestamptz, ls::timestamptz, ca::timestamptz, now()
            from unnest(${p(c.newProfiles.map((x) => x.id))}::text[], ${p(c.newProfiles.map((x) => JSON.stringify(x.traits)))}::text[],
                        ${p(c.newProfiles.map((x) => x.firstSeen))}::text[], ${p(c.newProfiles.map((x) => x.lastSeen))}::text[],
                        ${p(c.newProfiles.map((x) => x.createdAt))}::text[]) as u(id, t, fs, ls, ca)`);
        }
        for (const m of c.merges) {
          await tx.execute(sql`update identities set profile_id = ${m.survivorId}
            where workspace_id = ${workspaceId} and profile_id = ${m.mergedId}`);
          const moved = await rows<{ id: string }>(
            tx as unknown as Db,
            sql`update profiles set merged_into = ${m.survivorId}, updated_at = now()
              where workspace_id = ${workspaceId} and (id = ${m.mergedId} or merged_into = ${m.mergedId}) returning id`,
          );
          for (const r of moved) aliases.push({ profileId: r.id, survivorId: m.survivorId });
          await tx.execute(sql`insert into profile_merges (id, workspace_id, survivor_id, merged_id, reason, linked_by,
              merged_identifiers, merged_traits, message_id, score, at)
            values (${m.id}, ${workspaceId}, ${m.survivorId}, ${m.mergedId}, ${m.reason}, ${JSON.stringify(m.linkedBy)}::jsonb,
              ${JSON.stringify(m.mergedIdentifiers)}::jsonb, ${JSON.stringify(m.mergedTraits)}::jsonb, ${m.messageId}, ${m.score}, ${m.at}::timestamptz)`);
        }
        if (c.identities.length) {
          const ids = c.identities;
          await tx.execute(sql`insert into identities (workspace_id, kind, value, profile_id, shared, source, meta, first_seen, last_seen)
            select ${workspaceId}, kind, value, pid, sh, src, nullif(m, 'null')::jsonb, fs::timestamptz, ls::timestamptz
            from unnest(${p(ids.map((x) => x.kind))}::text[], ${p(ids.map((x) => x.value))}::text[], ${p(ids.map((x) => x.profileId))}::text[],
                        ${p(ids.map((x) => x.shared))}::boolean[], ${p(ids.map((x) => x.source))}::text[], ${p(ids.map((x) => JSON.stringify(x.meta)))}::text[],
                        ${p(ids.map((x) => x.firstSeen))}::text[], ${p(ids.map((x) => x.lastSeen))}::text[]) as u(kind, value, pid, sh, src, m, fs, ls)
            on conflict (workspace_id, kind, value) do update set profile_id = excluded.profile_id, shared = excluded.shared,
              meta = coalesce(excluded.meta, identities.meta), last_seen = greatest(identities.last_seen, excluded.last_seen),
              first_seen = least(identities.first_seen, excluded.first_seen)`);
        }
        if (c.profileUpdates.length) {
          const u = c.profileUpdates;
          await tx.execute(sql`update profiles set traits = x.t::jsonb, first_seen = least(profiles.first_seen, x.fs::timestamptz),
              last_seen = greatest(profiles.last_seen, x.ls::timestamptz), updated_at = now()
            from unnest(${p(u.map((x) => x.id))}::text[], ${p(u.map((x) => JSON.stringify(x.traits)))}::text[],
                        ${p(u.map((x) => x.firstSeen))}::text[], ${p(u.map((x) => x.lastSeen))}::text[]) as x(id, t, fs, ls)
            where profiles.workspace_id = ${workspaceId} and profiles.id = x.id`);
        }
      });
      return aliases;
    },
  };
}

export type IdentityRepository = ReturnType<typeof identityRepository>;

/** Maintenance operations on the graph (erasure, unmerge, search). */
export function identityAdminRepository(db: Db) {
  return {
    /** Profiles whose identifier starts with the text, or whose name/email trait contains it. */
    async search(workspaceId: string, q: string, limit: number, after: string | null): Promise<string[]> {
      const prefix = `${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const contains = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const r = await rows<{ id: string }>(
        db,
        sql`select id from (
              select profile_id as id from identities where workspace_id = ${workspaceId} and value like ${prefix}
              union
              select id from profiles where workspace_id = ${workspaceId} and merged_into is null and deleted_at is null
                and (traits->'name'->>'value' ilike ${contains} or traits->'first_name'->>'value' ilike ${contains}
                  or traits->'last_name'->>'value' ilike ${contains} or traits->'email'->>'value' ilike ${contains})
            ) s
            where ${after === null ? sql`true` : sql`id > ${after}`}
            order by id limit ${limit}`,
      );
      return r.map((x) => x.id);
    },
    /** Profile ids in id order (exports), live ones only. */
    async page(workspaceId: string, limit: number, after: string | null): Promise<string[]> {
      const r = await rows<{ id: string }>(
        db,
        sql`select id from profiles where workspace_id = ${workspaceId} and merged_into is null and deleted_at is null
            and ${after === null ? sql`true` : sql`id > ${after}`} order by id limit ${limit}`,
      );
      return r.map((x) => x.id);
    },
    async countLive(workspaceId: string): Promise<number> {
      const r = await rows<{ n: string }>(
        db,
        sql`select count(*)::text as n from profiles where workspace_id = ${workspaceId} and merged_into is null and deleted_at is null`,
      );
      return Number(r[0]?.n ?? 0);
    },
    /** Erases a profile and every profile merged into it; returns their ids. */
    async erase(workspaceId: string, profileId: string): Promise<string[]> {
      return db.transaction(async (tx) => {
        const t = tx as unknown as Db;
        const ids = (
          await rows<{ id: string }>(
            t,
            sql`update profiles set deleted_at = now(), traits = '{}'::jsonb, updated_at = now()
                where workspace_id = ${workspaceId} and (id = ${profileId} or merged_into = ${profileId}) and deleted_at is null
                returning id`,
          )
        ).map((r) => r.id);
        if (ids.length === 0) return [];
        await t.execute(
          sql`delete from identities where workspace_id = ${workspaceId} and profile_id = any(${p(ids)}::text[])`,
        );
        await t.execute(sql`update profile_merges set linked_by = '[]'::jsonb, merged_identifiers = '[]'::jsonb, merged_traits = '{}'::jsonb
          where workspace_id = ${workspaceId} and (survivor_id = any(${p(ids)}::text[]) or merged_id = any(${p(ids)}::text[]))`);
        await t.execute(sql`update match_candidates set status = 'rejected', decided_at = now()
          where workspace_id = ${workspaceId} and status = 'pending' and (profile_a = any(${p(ids)}::text[]) or profile_b = any(${p(ids)}::text[]))`);
        return ids;
      });
    },
    async merge(workspaceId: string, mergeId: string) {
      const r = await rows<{
        id: string;
        survivor_id: string;
        merged_id: string;
        merged_identifiers: { kind: string; value: string; shared: boolean }[];
        merged_traits: Record<string, unknown>;
        linked_by: { kind: string; value: string }[];
        undone_at: string | null;
      }>(db, sql`select * from profile_merges where workspace_id = ${workspaceId} and id = ${mergeId}`);
      return r[0] ?? null;
    },
    /**
     * Splits a merge back: the merged profile's recorded identifiers return to it (the ones that
     * linked the two are flagged shared, so they never link again), its traits come back, and the
     * profiles that had been merged into it point at it again.
     */
    async unmerge(
      workspaceId: string,
      m: {
        id: string;
        survivorId: string;
        mergedId: string;
        identifiers: { kind: string; value: string }[];
        linkedBy: { kind: string; value: string }[];
        traits: unknown;
      },
    ): Promise<string[]> {
      return db.transaction(async (tx) => {
        const t = tx as unknown as Db;
        const kinds = m.identifiers.map((i) => i.kind);
        const values = m.identifiers.map((i) => i.value);
        const linked = new Set(m.linkedBy.map((i) => `${i.kind}\u0000${i.value}`));
        const shared = m.identifiers.map((i) => linked.has(`${i.kind}\u0000${i.value}`));
        await t.execute(sql`update identities set profile_id = ${m.mergedId}, shared = identities.shared or u.sh
          from unnest(${p(kinds)}::text[], ${p(values)}::text[], ${p(shared)}::boolean[]) as u(kind, value, sh)
          where identities.workspace_id = ${workspaceId} and identities.profile_id = ${m.survivorId}
            and identities.kind = u.kind and identities.value = u.value`);
        const back = (
          await rows<{ id: string }>(
            t,
            sql`update profiles set merged_into = case when id = ${m.mergedId} then null else ${m.mergedId} end,
                  traits = case when id = ${m.mergedId} then ${JSON.stringify(m.traits)}::jsonb else traits end, updated_at = now()
                where workspace_id = ${workspaceId} and (id = ${m.mergedId} or (merged_into = ${m.survivorId} and id in (
                  select merged_id from profile_merges where workspace_id = ${workspaceId} and survivor_id = ${m.mergedId} and undone_at is null)))
                returning id`,
          )
        ).map((r) => r.id);
        await t.execute(
          sql`update profile_merges set undone_at = now() where workspace_id = ${workspaceId} and id = ${m.id}`,
        );
        return back;
      });
    },
  };
}

export type IdentityAdminRepository = ReturnType<typeof identityAdminRepository>;
