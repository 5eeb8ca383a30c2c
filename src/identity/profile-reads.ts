import { LRUCache } from 'lru-cache';
import { batchLoader } from '../core/batch.ts';
import type { IdentityRepository, ProfileGraphRow } from '../storage/repositories/identity.ts';
import type { ProfileView } from './profiles.ts';
import type { IdentityResolver } from './resolver.ts';

type Entry = ProfileView | { redirect: string };

/**
 * The read path of profiles by id and by identifier — the hottest REST path.
 *
 * - Concurrent reads share one query (`batchLoader`): on the single-connection embedded store 32
 *   requests cost one `id = any($1)` query instead of 32 queued ones.
 * - Views are cached and dropped whenever the resolver, an erasure, an unmerge or a
 *   probabilistic merge changes a profile (`resolver.onChange`); a load that overlapped a change
 *   of its workspace is answered but not cached, so a stale row never outlives the change.
 * - Identifier → profile id is cached too, and trusted only when the holder's (fresh) view still
 *   lists the identifier: identifiers are unique per workspace, so that view is the answer.
 */
export function profileReads(deps: {
  repo: IdentityRepository;
  resolver: IdentityResolver;
  toView(row: ProfileGraphRow): ProfileView;
  maxViews?: number;
}) {
  const { repo, resolver, toView } = deps;
  const views = new LRUCache<string, { epoch: number; entry: Entry }>({ max: deps.maxViews ?? 100_000 });
  const holders = new LRUCache<string, string>({ max: 2 * (deps.maxViews ?? 100_000) });
  /** Bumped when any profile of a workspace may have changed ('*'): older entries are misses. */
  const epochs = new Map<string, number>();
  /** Bumped on every change of a workspace: a load that saw it change is not cached. */
  const versions = new Map<string, number>();
  const viewKey = (workspaceId: string, id: string) => `${workspaceId}\u0000${id}`;

  resolver.onChange((workspaceId, ids) => {
    versions.set(workspaceId, (versions.get(workspaceId) ?? 0) + 1);
    if (ids === '*') epochs.set(workspaceId, (epochs.get(workspaceId) ?? 0) + 1);
    else for (const id of ids) views.delete(viewKey(workspaceId, id));
  });

  const graphs = batchLoader<string, ProfileGraphRow>(async (keys) => {
    const found = new Map<string, ProfileGraphRow>();
    for (const [ws, ids] of groupByWorkspace(keys.map((k) => k.split('\u0000') as [string, string]))) {
      for (const row of await repo.profilesWithGraph(ws, ids)) found.set(viewKey(ws, row.id), row);
    }
    return found;
  });

  const holderKey = (workspaceId: string, kind: string, value: string) =>
    JSON.stringify([workspaceId, kind, value]);
  const holderOf = batchLoader<string, string>(async (keys) => {
    const found = new Map<string, string>();
    const parsed = keys.map((k) => JSON.parse(k) as [string, string, string]);
    for (const [ws, kvs] of groupByWorkspace(parsed.map(([ws, kind, value]) => [ws, { kind, value }]))) {
      for (const r of await repo.findIdentities(ws, kvs))
        found.set(holderKey(ws, r.kind, r.value), r.profile_id);
    }
    return found;
  });

  async function entryOf(workspaceId: string, id: string): Promise<Entry | null> {
    const key = viewKey(workspaceId, id);
    const epoch = epochs.get(workspaceId) ?? 0;
    const hit = views.get(key);
    if (hit && hit.epoch === epoch) return hit.entry;
    const version = versions.get(workspaceId) ?? 0;
    const row = await graphs.load(key);
    if (!row || row.deleted_at) return null;
    const entry: Entry = row.merged_into ? { redirect: row.merged_into } : toView(row);
    if ((versions.get(workspaceId) ?? 0) === version) views.set(key, { epoch, entry });
    return entry;
  }

  /** A live profile; a merged-away id answers with its survivor and `redirectedFrom`. */
  async function view(workspaceId: string, id: string): Promise<ProfileView | null> {
    const entry = await entryOf(workspaceId, id);
    if (!entry) return null;
    if (!('redirect' in entry)) return entry;
    const survivor = await view(workspaceId, entry.redirect);
    return survivor ? { ...survivor, redirectedFrom: survivor.redirectedFrom ?? id } : null;
  }

  /** The profile holding a normalised identifier. */
  async function byIdentifier(workspaceId: string, kind: string, value: string): Promise<ProfileView | null> {
    const key = holderKey(workspaceId, kind, value);
    const known = holders.get(key);
    if (known) {
      const v = await view(workspaceId, known);
      if (v && !v.redirectedFrom && v.identities.some((i) => i.type === kind && i.value === value)) return v;
      holders.delete(key);
    }
    const id = await holderOf.load(key);
    if (!id) return null;
    holders.set(key, id);
    return view(workspaceId, id);
  }

  return { view, byIdentifier };
}

function groupByWorkspace<T>(pairs: readonly (readonly [string, T])[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const [ws, x] of pairs) {
    const list = out.get(ws);
    if (list) list.push(x);
    else out.set(ws, [x]);
  }
  return out;
}
