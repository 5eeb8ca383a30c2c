/**
 * The segments each profile belongs to now, for profile views (GET /profiles/{id}): one
 * ClickHouse query per batch of concurrent reads, cached per profile and dropped when the bus
 * reports a membership change of that profile (or of too many profiles to list: the whole
 * workspace). Evaluations on another node reach this one within the TTL.
 */
import { LRUCache } from 'lru-cache';
import { batchLoader } from '../core/batch.ts';
import { param, sql } from '../core/sql.ts';
import type { ClickHouse } from '../storage/index.ts';
import type { SegmentBus } from './bus.ts';

export const PROFILE_SEGMENTS_TTL_MS = 30_000;

export function profileSegments(deps: { ch: ClickHouse; bus: SegmentBus }, max = 100_000) {
  const { ch, bus } = deps;
  const cache = new LRUCache<string, { epoch: number; segments: string[] }>({
    max,
    ttl: PROFILE_SEGMENTS_TTL_MS,
  });
  /** Bumped when any profile's membership may have changed: older entries are misses. */
  const epochs = new Map<string, number>();
  /** Bumped on every change: a load that overlapped one is answered but not cached. */
  const versions = new Map<string, number>();
  const key = (w: string, profileId: string) => `${w}\u0000${profileId}`;
  const bump = (m: Map<string, number>, w: string) => m.set(w, (m.get(w) ?? 0) + 1);

  bus.on('membership', (e) => {
    bump(versions, e.workspaceId);
    if (e.changes) for (const c of e.changes) cache.delete(key(e.workspaceId, c.profileId));
    else bump(epochs, e.workspaceId);
  });
  bus.on('deleted', (e) => {
    bump(versions, e.workspaceId);
    bump(epochs, e.workspaceId);
  });

  const loader = batchLoader<string, string[]>(async (keys) => {
    const byWs = new Map<string, string[]>();
    for (const k of keys) {
      const [w, id] = k.split('\u0000');
      byWs.set(w, [...(byWs.get(w) ?? []), id]);
    }
    const found = new Map<string, string[]>();
    for (const [w, ids] of byWs) {
      const rows = await ch.query<{ profile_id: string; segments: string[] }>(
        sql`SELECT profile_id, arraySort(groupArray(segment_id)) AS segments FROM segment_members FINAL WHERE workspace_id = ${param(w, 'String')} AND profile_id IN ${param(ids, 'Array(String)')} AND is_member = 1 GROUP BY profile_id`,
        'segments-of-profiles',
      );
      for (const r of rows) found.set(key(w, r.profile_id), r.segments);
    }
    return found;
  });

  return {
    /** Segment ids the profile is a member of, sorted. */
    async of(workspaceId: string, profileId: string): Promise<string[]> {
      const k = key(workspaceId, profileId);
      const epoch = epochs.get(workspaceId) ?? 0;
      const hit = cache.get(k);
      if (hit && hit.epoch === epoch) return hit.segments;
      const version = versions.get(workspaceId) ?? 0;
      const segments = (await loader.load(k)) ?? [];
      if ((versions.get(workspaceId) ?? 0) === version) cache.set(k, { epoch, segments });
      return segments;
    },
  };
}

export type ProfileSegments = ReturnType<typeof profileSegments>;
