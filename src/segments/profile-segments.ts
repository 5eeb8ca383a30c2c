/**
 * The segments each profile belongs to now, for profile views (GET /profiles/{id}).
 *
 * With a node-local index (embedded mode: the profile documents' `segments` store) a read is one
 * LMDB get: the index of a workspace is built from ClickHouse in the background, kept in step by
 * the bus's listed changes, and rebuilt after a change too large to list or a deleted segment;
 * until it is built, reads use the path below.
 *
 * Without it: one ClickHouse query per batch of concurrent reads, cached per profile and dropped
 * when the bus reports a membership change of that profile (or of too many profiles to list: the
 * whole workspace). Evaluations on another node reach this one within the TTL.
 */
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { batchLoader } from '../core/batch.ts';
import { param, sql } from '../core/sql.ts';
import type { WorkspaceStore } from '../identity/profile-docs.ts';
import type { ClickHouse } from '../storage/index.ts';
import type { SegmentBus } from './bus.ts';

export const PROFILE_SEGMENTS_TTL_MS = 30_000;

/** Changes seen while an index build was reading ClickHouse. */
interface Watch {
  ws: string;
  ids: Set<string>;
  all: boolean;
}

export function profileSegments(
  deps: { ch: ClickHouse; bus: SegmentBus; index?: WorkspaceStore<string[]> | null; log?: Logger },
  max = 100_000,
) {
  const { ch, bus, index = null, log } = deps;
  const cache = new LRUCache<string, { epoch: number; segments: string[] }>({
    max,
    ttl: PROFILE_SEGMENTS_TTL_MS,
  });
  /** Bumped when any profile's membership may have changed: older entries are misses. */
  const epochs = new Map<string, number>();
  /** Bumped on every change: a load that overlapped one is answered but not cached. */
  const versions = new Map<string, number>();
  const watches = new Set<Watch>();
  const key = (w: string, profileId: string) => `${w}\u0000${profileId}`;
  const bump = (m: Map<string, number>, w: string) => m.set(w, (m.get(w) ?? 0) + 1);

  const membersOf = async (w: string, ids: readonly string[] | null) =>
    ch.query<{ profile_id: string; segments: string[] }>(
      sql`SELECT profile_id, arraySort(groupArray(segment_id)) AS segments FROM segment_members FINAL WHERE workspace_id = ${param(w, 'String')}${ids ? sql` AND profile_id IN ${param(ids, 'Array(String)')}` : sql``} AND is_member = 1 GROUP BY profile_id`,
      ids ? 'segments-of-profiles' : 'segments-index-build',
    );

  bus.on('membership', (e) => {
    bump(versions, e.workspaceId);
    for (const w of watches) {
      if (w.ws !== e.workspaceId) continue;
      if (e.changes) for (const c of e.changes) w.ids.add(c.profileId);
      else w.all = true;
    }
    if (e.changes) for (const c of e.changes) cache.delete(key(e.workspaceId, c.profileId));
    else bump(epochs, e.workspaceId);
    if (!index) return;
    if (!e.changes) return index.drop(e.workspaceId, '*');
    if (index.needsBuild(e.workspaceId)) return;
    // Listed changes apply to the built index at once (the event follows the stored change).
    index.put(
      e.workspaceId,
      e.changes.map((c) => {
        const now = new Set(index.get(e.workspaceId, c.profileId) ?? []);
        if (c.entered) now.add(e.segmentId);
        else now.delete(e.segmentId);
        return [c.profileId, [...now].sort()] as const;
      }),
    );
  });
  bus.on('deleted', (e) => {
    bump(versions, e.workspaceId);
    bump(epochs, e.workspaceId);
    for (const w of watches) if (w.ws === e.workspaceId) w.all = true;
    index?.drop(e.workspaceId, '*');
  });

  const loader = batchLoader<string, string[]>(async (keys) => {
    const byWs = new Map<string, string[]>();
    for (const k of keys) {
      const [w, id] = k.split('\u0000');
      byWs.set(w, [...(byWs.get(w) ?? []), id]);
    }
    const found = new Map<string, string[]>();
    for (const [w, ids] of byWs) {
      for (const r of await membersOf(w, ids)) found.set(key(w, r.profile_id), r.segments);
    }
    return found;
  });

  const building = new Map<string, Promise<void>>();
  let closing = false;

  /** Reads every member of a workspace into the index; changes during the read are re-read. */
  function build(w: string): Promise<void> {
    const running = building.get(w);
    if (running || !index) return running ?? Promise.resolve();
    const run = (async () => {
      for (let attempt = 0; attempt < 5 && !closing; attempt++) {
        const gen = index.gen(w);
        const watch: Watch = { ws: w, ids: new Set(), all: false };
        watches.add(watch);
        try {
          const rows = await membersOf(w, null);
          index.put(
            w,
            rows.map((r) => [r.profile_id, r.segments] as const),
            gen,
          );
          // Profiles that changed meanwhile: read again until a read overlaps no change.
          for (let round = 0; round < 5 && watch.ids.size > 0 && !watch.all; round++) {
            const ids = [...watch.ids];
            watch.ids.clear();
            const again = new Map((await membersOf(w, ids)).map((r) => [r.profile_id, r.segments]));
            index.put(
              w,
              ids.filter((id) => !watch.ids.has(id)).map((id) => [id, again.get(id) ?? []] as const),
              gen,
            );
          }
          if (watch.all || watch.ids.size > 0 || closing || index.gen(w) !== gen) continue;
          index.markBuilt(w, gen);
          log?.info({ workspaceId: w, profiles: rows.length }, 'segment index of profiles built');
          return;
        } finally {
          watches.delete(watch);
        }
      }
    })()
      .catch((err) => log?.error({ err, workspaceId: w }, 'building the segment index failed'))
      .finally(() => building.delete(w));
    building.set(w, run);
    return run;
  }

  return {
    /** Segment ids the profile is a member of, sorted. */
    async of(workspaceId: string, profileId: string): Promise<string[]> {
      if (index) {
        if (!index.needsBuild(workspaceId)) return index.get(workspaceId, profileId) ?? [];
        void build(workspaceId);
      }
      const k = key(workspaceId, profileId);
      const epoch = epochs.get(workspaceId) ?? 0;
      const hit = cache.get(k);
      if (hit && hit.epoch === epoch) return hit.segments;
      const version = versions.get(workspaceId) ?? 0;
      const segments = (await loader.load(k)) ?? [];
      if ((versions.get(workspaceId) ?? 0) === version) cache.set(k, { epoch, segments });
      return segments;
    },
    /** Builds (or waits for) the index of a workspace. */
    build,
    /** Stops building (before the stores close). */
    async close(): Promise<void> {
      closing = true;
      await Promise.all(building.values());
    },
  };
}

export type ProfileSegments = ReturnType<typeof profileSegments>;
