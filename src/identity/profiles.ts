import type { Logger } from 'pino';
import { assertCan, type Principal } from '../auth/index.ts';
import { ConflictError, invalid, NotFoundError } from '../core/errors.ts';
import {
  type IdentitySettings,
  normalizeIdentifier,
  traitValues,
  validateIdentitySettings,
} from '../core/identity/index.ts';
import { DEFAULT_LIMIT, decodeCursor, encodeCursor, type Page } from '../core/paging.ts';
import { param, sql } from '../core/sql.ts';
import type { ClickHouse } from '../storage/index.ts';
import type {
  IdentityAdminRepository,
  IdentityRepository,
  IdentityRow,
  ProfileRow,
} from '../storage/repositories/identity.ts';
import type { ProfileDocs } from './profile-docs.ts';
import { type ProfileJson, profileReads } from './profile-reads.ts';
import type { ProfileReplica } from './replica.ts';
import type { IdentityResolver } from './resolver.ts';

export interface ProfileView {
  id: string;
  traits: Record<string, unknown>;
  traitSources: Record<string, { source: string; time: string }>;
  identities: {
    type: string;
    value: string;
    firstSeen: string;
    lastSeen: string;
    source: string;
    shared: boolean;
  }[];
  devices: { id: string; type: string | null; firstSeen: string; lastSeen: string }[];
  pushTokens: { token: string; platform: string | null; lastUsed: string; invalidated: boolean }[];
  segments: string[];
  mergedFrom: string[];
  firstSeen: string;
  lastSeen: string;
  createdAt: string;
  updatedAt: string;
  redirectedFrom?: string;
}

const iso = (pgTime: string) => new Date(pgTime).toISOString();

export function profileService(deps: {
  repo: IdentityRepository;
  admin: IdentityAdminRepository;
  ch: ClickHouse;
  resolver: IdentityResolver;
  replica: ProfileReplica;
  log: Logger;
  /** Node-local profile documents (embedded mode); null reads PostgreSQL behind an LRU cache. */
  docs?: ProfileDocs | null;
}) {
  const { repo, admin, ch, resolver, replica, log } = deps;

  function toView(p: ProfileRow, ids: readonly IdentityRow[], mergedFrom: string[]): ProfileView {
    const byKind = (k: string) => ids.filter((i) => i.kind === k);
    return {
      id: p.id,
      traits: traitValues(p.traits),
      traitSources: Object.fromEntries(
        Object.entries(p.traits).map(([k, v]) => [k, { source: v.source, time: v.time }]),
      ),
      identities: ids.map((i) => ({
        type: i.kind,
        value: i.value,
        firstSeen: iso(i.first_seen),
        lastSeen: iso(i.last_seen),
        source: i.source,
        shared: i.shared,
      })),
      devices: byKind('device_id').map((i) => ({
        id: i.value,
        type: (i.meta?.type as string | undefined) ?? null,
        firstSeen: iso(i.first_seen),
        lastSeen: iso(i.last_seen),
      })),
      pushTokens: byKind('push_token').map((i) => ({
        token: i.value,
        platform: (i.meta?.platform as string | undefined) ?? null,
        lastUsed: iso(i.last_seen),
        invalidated: i.meta?.invalidated === true,
      })),
      segments: [],
      mergedFrom,
      firstSeen: iso(p.first_seen),
      lastSeen: iso(p.last_seen),
      createdAt: iso(p.created_at),
      updatedAt: iso(p.updated_at),
    };
  }

  /** Live profiles by id, in two queries (merged-away and erased ones are left out; exports). */
  async function views(workspaceId: string, ids: readonly string[]): Promise<ProfileView[]> {
    const [rows, idRows] = await Promise.all([
      repo.profiles(workspaceId, ids),
      repo.identitiesOf(workspaceId, ids),
    ]);
    const byProfile = new Map<string, IdentityRow[]>();
    for (const r of idRows) byProfile.set(r.profile_id, [...(byProfile.get(r.profile_id) ?? []), r]);
    const order = new Map(ids.map((id, i) => [id, i]));
    return rows
      .filter((p) => !p.merged_into && !p.deleted_at)
      .sort((a, b) => order.get(a.id)! - order.get(b.id)!)
      .map((p) => toView(p, byProfile.get(p.id) ?? [], []));
  }

  // The hot read path (by id, by identifier): batched, cached, dropped on every change.
  const reads = profileReads({
    repo,
    resolver,
    toView: (p) => toView(p, p.identities, p.merged_from),
    docs: deps.docs,
    page: (ws, limit, after) => admin.page(ws, limit, after),
    log,
  });
  const { view } = reads;

  /** Writes the replica rows of live profiles from PostgreSQL (after erasure/unmerge). */
  async function syncReplica(workspaceId: string, ids: readonly string[]): Promise<void> {
    const [rows, idRows] = await Promise.all([
      repo.profiles(workspaceId, ids),
      repo.identitiesOf(workspaceId, ids),
    ]);
    const { profileState } = await import('./state.ts');
    const live = rows.filter((r) => !r.merged_into && !r.deleted_at);
    await replica.write(
      workspaceId,
      live.map((r) =>
        profileState(
          r,
          idRows.filter((i) => i.profile_id === r.id),
        ),
      ),
      rows.filter((r) => r.merged_into || r.deleted_at).map((r) => r.id),
    );
  }

  /** `email:a@b.c` → kind and normalised value, or a 400 naming the parameter. */
  async function parseIdentifier(p: Principal, identifier: string) {
    assertCan(p, 'profiles:read');
    const at = identifier.indexOf(':');
    if (at <= 0)
      throw invalid('/identifier', 'use <type>:<value>, e.g. email:ann@example.com or phone:+79161234567');
    const kind = identifier.slice(0, at);
    const settings = await resolver.settings(p.workspaceId);
    const n = normalizeIdentifier(kind, identifier.slice(at + 1), settings);
    if (!n.ok) throw invalid('/identifier', `not a valid ${kind}: ${n.reason}`);
    return { kind, value: n.value };
  }

  return {
    /** A profile; a merged-away id answers with the survivor and `redirectedFrom`. */
    async get(p: Principal, id: string): Promise<ProfileView> {
      assertCan(p, 'profiles:read');
      const v = await view(p.workspaceId, id);
      if (!v) throw new NotFoundError('Profile');
      return v;
    },
    view,
    views,
    /** The profile documents: background build, explicit rebuild (benchmarks), close. */
    documents: {
      backfill: reads.backfill,
      rebuild: reads.rebuild,
      close: reads.close,
      /** The store itself (null in cluster mode). */
      store: deps.docs ?? null,
      /** Segment ids per profile, kept by the segments module (null without documents). */
      segments: deps.docs?.segments ?? null,
    },

    /** Lookup by any identifier (`email:a@b.c`), normalised the way ingestion does. */
    async lookup(p: Principal, identifier: string): Promise<ProfileView> {
      const { kind, value } = await parseIdentifier(p, identifier);
      const v = await reads.byIdentifier(p.workspaceId, kind, value);
      if (!v) throw new NotFoundError('Profile');
      return v;
    },

    /**
     * get() as the JSON text the API sends, served from the profile documents as stored; null
     * when it cannot be (no document yet, documents off): then call get().
     */
    async getJson(p: Principal, id: string): Promise<ProfileJson | null> {
      assertCan(p, 'profiles:read');
      return reads.viewJson(p.workspaceId, id);
    },

    /** lookup() as JSON text, like getJson(); null: call lookup(). */
    async lookupJson(p: Principal, identifier: string): Promise<ProfileJson | null> {
      const { kind, value } = await parseIdentifier(p, identifier);
      return reads.byIdentifierJson(p.workspaceId, kind, value);
    },

    /** Search by name, email or phone prefix. */
    async search(
      p: Principal,
      q: string,
      limit = DEFAULT_LIMIT,
      cursor?: string,
    ): Promise<Page<ProfileView>> {
      assertCan(p, 'profiles:read');
      const text = q.trim();
      if (text.length < 2) throw invalid('/q', 'must be at least 2 characters');
      const settings = await resolver.settings(p.workspaceId);
      const phone = /^[+\d\s()-]{5,}$/.test(text) ? normalizeIdentifier('phone', text, settings) : null;
      const after = decodeCursor(cursor, 1);
      const ids = await admin.search(
        p.workspaceId,
        phone?.ok ? phone.value : text,
        limit + 1,
        after ? String(after[0]) : null,
      );
      const found = await views(p.workspaceId, ids.slice(0, limit));
      return { data: found, nextCursor: ids.length > limit ? encodeCursor([ids[limit - 1]]) : null };
    },

    /** Every live profile, in id order (exports page through this). */
    async pageIds(p: Principal, limit: number, after: string | null): Promise<string[]> {
      assertCan(p, 'profiles:export');
      return admin.page(p.workspaceId, limit, after);
    },
    countLive: (p: Principal) => admin.countLive(p.workspaceId),

    /** The merge history of a profile: when, why, which identifiers, from which event. */
    async merges(p: Principal, id: string) {
      assertCan(p, 'profiles:read');
      const v = await view(p.workspaceId, id);
      if (!v) throw new NotFoundError('Profile');
      const rows = await repo.mergesOf(p.workspaceId, v.id);
      return {
        data: rows.map((m) => ({
          id: m.id,
          survivorId: m.survivorId,
          mergedId: m.mergedId,
          reason: m.reason,
          linkedBy: m.linkedBy,
          messageId: m.messageId,
          score: m.score,
          at: new Date(m.at).toISOString(),
          undoneAt: m.undoneAt ? new Date(m.undoneAt).toISOString() : null,
        })),
        nextCursor: null,
      };
    },

    /** Erasure: the profile, its merged-in profiles, identities and events. Replays stay erased. */
    async erase(p: Principal, id: string): Promise<{ erased: string[] }> {
      assertCan(p, 'profiles:erase');
      return resolver.exclusive(async () => {
        const [row] = await repo.profiles(p.workspaceId, [id]);
        if (!row || row.deleted_at) throw new NotFoundError('Profile');
        const target = row.merged_into ?? row.id;
        const ids = await admin.erase(p.workspaceId, target);
        resolver.invalidate(p.workspaceId, ids);
        const w = param(p.workspaceId, 'String');
        const list = param(ids, 'Array(String)');
        await ch.command(
          sql`INSERT INTO erased_messages (workspace_id, message_id) SELECT workspace_id, message_id FROM events WHERE workspace_id = ${w} AND profile_id IN ${list}`,
          'erase',
        );
        await ch.command(
          sql`DELETE FROM events WHERE workspace_id = ${w} AND profile_id IN ${list}`,
          'erase',
        );
        await ch.command(
          sql`DELETE FROM profiles WHERE workspace_id = ${w} AND profile_id IN ${list}`,
          'erase',
        );
        log.info({ workspaceId: p.workspaceId, profiles: ids.length, by: p.tokenId }, 'profile erased');
        return { erased: ids };
      });
    },

    /** Reverses a wrong merge (by merge id), splitting the profiles by the recorded identifiers. */
    async unmerge(p: Principal, mergeId: string) {
      assertCan(p, 'identity:manage');
      return resolver.exclusive(async () => {
        const m = await admin.merge(p.workspaceId, mergeId);
        if (!m) throw new NotFoundError('Merge');
        if (m.undone_at) throw new ConflictError('This merge was already undone');
        const back = await admin.unmerge(p.workspaceId, {
          id: m.id,
          survivorId: m.survivor_id,
          mergedId: m.merged_id,
          identifiers: m.merged_identifiers,
          linkedBy: m.linked_by,
          traits: m.merged_traits,
        });
        resolver.invalidate(p.workspaceId, [m.survivor_id, m.merged_id, ...back]);
        await syncReplica(p.workspaceId, [m.survivor_id, m.merged_id]);
        await replica.write(
          p.workspaceId,
          [],
          [],
          back.map((id) => ({ profileId: id, survivorId: id === m.merged_id ? id : m.merged_id })),
        );
        log.info({ workspaceId: p.workspaceId, mergeId, by: p.tokenId }, 'merge undone');
        return {
          survivor: await view(p.workspaceId, m.survivor_id),
          restored: await view(p.workspaceId, m.merged_id),
        };
      });
    },

    async settings(p: Principal): Promise<IdentitySettings> {
      assertCan(p, 'profiles:read');
      return resolver.settings(p.workspaceId);
    },

    async saveSettings(p: Principal, input: unknown): Promise<IdentitySettings> {
      assertCan(p, 'identity:manage');
      const settings = validateIdentitySettings(input);
      await resolver.exclusive(async () => {
        await repo.saveSettings(p.workspaceId, settings);
        // Settings shape future resolution; no stored profile changes.
        resolver.invalidate(p.workspaceId, []);
      });
      return settings;
    },
  };
}

export type ProfileService = ReturnType<typeof profileService>;
