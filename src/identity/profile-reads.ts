import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { batchLoader } from '../core/batch.ts';
import type { IdentityRepository, ProfileGraphRow } from '../storage/repositories/identity.ts';
import type { ProfileDocs, ProfileEntry } from './profile-docs.ts';
import { listsIdentifier, redirectOf, withRedirectedFrom } from './profile-json.ts';
import type { ProfileView } from './profiles.ts';
import type { IdentityResolver } from './resolver.ts';

type Entry = ProfileEntry;

/** A profile view as the JSON text the API sends, and the id of the profile it shows. */
export interface ProfileJson {
  id: string;
  json: string;
}

/** Changes seen while a load from PostgreSQL was in flight: what it read may be older. */
interface Watch {
  ws: string;
  ids: Set<string>;
  all: boolean;
}

/** Live profiles per backfill page. */
const BACKFILL_PAGE = 1_000;

/**
 * The read path of profiles by id and by identifier — the hottest REST path.
 *
 * - With profile documents (`docs`, embedded single-node mode) a read is one synchronous LMDB
 *   get; documents are dropped whenever the resolver, an erasure, an unmerge or a probabilistic
 *   merge changes a profile (`resolver.onChange`), refilled by the next read from PostgreSQL, and
 *   built for a whole workspace by a background backfill when missing or dropped ('*').
 * - Without them, views are cached in memory (LRU) with the same invalidation.
 * - Concurrent PostgreSQL reads share one query (`batchLoader`). A load that overlapped a change
 *   of one of its profiles is answered but not stored, so a stale copy never outlives the change.
 * - Identifier → profile id is cached too, and trusted only when the holder's (fresh) view still
 *   lists the identifier: identifiers are unique per workspace, so that view is the answer.
 */
export function profileReads(deps: {
  repo: IdentityRepository;
  resolver: IdentityResolver;
  toView(row: ProfileGraphRow): ProfileView;
  docs?: ProfileDocs | null;
  /** Live profile ids of a workspace in id order, for the backfill. */
  page?(workspaceId: string, limit: number, after: string | null): Promise<string[]>;
  log?: Logger;
  maxViews?: number;
}) {
  const { repo, resolver, toView, docs = null, log } = deps;
  const views = new LRUCache<string, { epoch: number; entry: Entry }>({ max: deps.maxViews ?? 100_000 });
  const holders = new LRUCache<string, string>({ max: 2 * (deps.maxViews ?? 100_000) });
  /** Bumped when any profile of a workspace may have changed ('*'): older entries are misses. */
  const epochs = new Map<string, number>();
  const watches = new Set<Watch>();
  const viewKey = (workspaceId: string, id: string) => `${workspaceId}\u0000${id}`;

  resolver.onChange((workspaceId, ids) => {
    for (const w of watches) {
      if (w.ws !== workspaceId) continue;
      if (ids === '*') w.all = true;
      else for (const id of ids) w.ids.add(id);
    }
    docs?.drop(workspaceId, ids);
    if (ids === '*') epochs.set(workspaceId, (epochs.get(workspaceId) ?? 0) + 1);
    else for (const id of ids) views.delete(viewKey(workspaceId, id));
  });

  /** Runs a PostgreSQL read, noting the changes of its workspace that completed meanwhile. */
  async function watched<T>(ws: string, load: () => Promise<T>): Promise<[T, Watch]> {
    const w: Watch = { ws, ids: new Set(), all: false };
    watches.add(w);
    try {
      return [await load(), w];
    } finally {
      watches.delete(w);
    }
  }

  const entryOfRow = (row: ProfileGraphRow): Entry =>
    row.merged_into ? { redirect: row.merged_into } : toView(row);

  const graphs = batchLoader<string, { row: ProfileGraphRow; fresh: boolean }>(async (keys) => {
    const found = new Map<string, { row: ProfileGraphRow; fresh: boolean }>();
    for (const [ws, ids] of groupByWorkspace(keys.map((k) => k.split('\u0000') as [string, string]))) {
      const gen = docs?.gen(ws);
      const [rows, w] = await watched(ws, () => repo.profilesWithGraph(ws, ids));
      const fill: [string, Entry][] = [];
      for (const row of rows) {
        const fresh = !w.all && !w.ids.has(row.id);
        found.set(viewKey(ws, row.id), { row, fresh });
        if (fresh && !row.deleted_at) fill.push([row.id, entryOfRow(row)]);
      }
      docs?.put(ws, fill, gen);
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

  const building = new Map<string, Promise<void>>();
  let closing = false;

  /** Builds every document of a workspace from PostgreSQL (reads fall back meanwhile). */
  function backfill(ws: string): Promise<void> {
    const running = building.get(ws);
    if (running || !docs || !deps.page) return running ?? Promise.resolve();
    const page = deps.page;
    const run = (async () => {
      for (;;) {
        const gen = docs.gen(ws);
        const started = performance.now();
        let after: string | null = null;
        let done = 0;
        let restart = false;
        for (;;) {
          if (closing) return;
          const ids = await page(ws, BACKFILL_PAGE, after);
          if (ids.length === 0) break;
          const [rows, w] = await watched(ws, () => repo.profilesWithGraph(ws, ids));
          if (closing) return;
          if (w.all || docs.gen(ws) !== gen) {
            restart = true;
            break;
          }
          docs.put(
            ws,
            rows.filter((r) => !w.ids.has(r.id) && !r.deleted_at).map((r) => [r.id, entryOfRow(r)] as const),
            gen,
          );
          done += ids.length;
          after = ids[ids.length - 1];
          if (done % 100_000 === 0)
            log?.info({ workspaceId: ws, profiles: done }, 'building profile documents');
        }
        if (!restart && docs.gen(ws) === gen) {
          docs.markBuilt(ws, gen);
          const seconds = Math.round((performance.now() - started) / 100) / 10;
          if (done > 0) log?.info({ workspaceId: ws, profiles: done, seconds }, 'profile documents built');
          return;
        }
      }
    })()
      .catch((err) => log?.error({ err, workspaceId: ws }, 'building profile documents failed'))
      .finally(() => building.delete(ws));
    building.set(ws, run);
    return run;
  }

  async function entryOf(workspaceId: string, id: string): Promise<Entry | null> {
    const key = viewKey(workspaceId, id);
    const epoch = epochs.get(workspaceId) ?? 0;
    if (docs) {
      const doc = docs.get(workspaceId, id);
      if (doc) return doc;
      if (docs.needsBuild(workspaceId)) void backfill(workspaceId);
    } else {
      const hit = views.get(key);
      if (hit && hit.epoch === epoch) return hit.entry;
    }
    const loaded = await graphs.load(key);
    if (!loaded || loaded.row.deleted_at) return null;
    const entry = entryOfRow(loaded.row);
    if (!docs && loaded.fresh) views.set(key, { epoch, entry });
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
    const known = docs ? docs.holder(workspaceId, kind, value) : holders.get(key);
    if (known) {
      const v = await view(workspaceId, known);
      if (v && !v.redirectedFrom && v.identities.some((i) => i.type === kind && i.value === value)) return v;
      holders.delete(key);
    }
    const id = await holderOf.load(key);
    if (!id) return null;
    if (!docs) holders.set(key, id);
    return view(workspaceId, id);
  }

  /**
   * What view() answers, as JSON text straight from the documents (no decoding), or null when
   * documents are off or one on the way is missing: then view() reads and fills it.
   */
  function viewJson(workspaceId: string, id: string): ProfileJson | null {
    if (!docs) return null;
    let at = id;
    let from: string | null = null;
    // As view(): `redirectedFrom` names the last merged-away id before the survivor.
    for (let hops = 0; hops < 32; hops++) {
      const json = docs.getJson(workspaceId, at);
      if (json === undefined) return null;
      const next = redirectOf(json);
      if (next === null) return { id: at, json: from === null ? json : withRedirectedFrom(json, from) };
      from = at;
      at = next;
    }
    return null;
  }

  /** What byIdentifier() answers, as JSON text, when the documents know the holder; else null. */
  function byIdentifierJson(workspaceId: string, kind: string, value: string): ProfileJson | null {
    const id = docs?.holder(workspaceId, kind, value);
    if (!docs || !id) return null;
    const json = docs.getJson(workspaceId, id);
    if (json === undefined || redirectOf(json) !== null || !listsIdentifier(json, kind, value)) return null;
    return { id, json };
  }

  return {
    view,
    byIdentifier,
    viewJson,
    byIdentifierJson,
    /** Drops and rebuilds a workspace's documents; resolves when built. */
    rebuild(workspaceId: string): Promise<void> {
      docs?.drop(workspaceId, '*');
      epochs.set(workspaceId, (epochs.get(workspaceId) ?? 0) + 1);
      // A backfill in progress notices the new generation and starts over.
      return building.get(workspaceId) ?? backfill(workspaceId);
    },
    /** Starts building the documents of workspaces that need it, in the background. */
    backfill(workspaceIds: readonly string[]): void {
      if (!docs) return;
      for (const ws of workspaceIds) if (docs.needsBuild(ws)) void backfill(ws);
    },
    /** Stops the backfill and closes the documents. */
    async close(): Promise<void> {
      closing = true;
      await Promise.all(building.values());
      docs?.close();
    },
  };
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
