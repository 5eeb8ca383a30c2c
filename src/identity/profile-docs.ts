/**
 * Profile documents: a node-local, derived and rebuildable copy of what a profile read needs,
 * in LMDB under `<dataDir>/profile-docs`, so that GET /profiles/{id} and lookups by identifier
 * cost a synchronous memory-mapped read instead of a PostgreSQL query.
 *
 * - `docs`: [workspace, profile id] → the view (or `{ redirect }` for a merged-away id), tagged
 *   with the workspace's generation; `holders`: [workspace, kind, value] → profile id, trusted
 *   only when the holder's document still lists the identifier.
 * - Values are stored as `<generation>\u0001<JSON>` strings: JSON.parse of a string is cheaper
 *   than decoding msgpack records whose shapes vary (trait keys), which redefine their structure
 *   in every value.
 * - Every write is a synchronous LMDB transaction, so a change is visible to the next read at
 *   once and a fill can never land after the drop that followed it. The environment is opened
 *   with `noSync` (no fsync): the store is marked clean on close, and a store not closed cleanly
 *   (crash, power cut) or of another format is cleared and rebuilt from PostgreSQL.
 * - Dropping a whole workspace (`'*'`) bumps its generation: older documents become misses.
 */
import { rmSync } from 'node:fs';
import { type Database, open, type RootDatabase } from 'lmdb';
import type { Logger } from 'pino';
import type { ProfileView } from './profiles.ts';

export type ProfileEntry = ProfileView | { redirect: string };

/** Bump when the stored shape changes: older stores are cleared and rebuilt. */
const FORMAT = 3;

/** JSON.stringify escapes control characters, so this never occurs inside the JSON. */
const SEP = '\u0001';

/**
 * Values keyed by [workspace, profile id], valid for their workspace's generation. `needsBuild`
 * says whether the workspace was completely built since its generation last moved (then a
 * missing key means "none", otherwise "unknown").
 */
export interface WorkspaceStore<V> {
  get(workspaceId: string, id: string): V | undefined;
  /** The value's JSON text, as stored. */
  getJson(workspaceId: string, id: string): string | undefined;
  /** Stores values read from the source, at the given generation (skipped if it moved on). */
  put(workspaceId: string, entries: Iterable<readonly [string, V]>, gen?: number): void;
  /** Forgets some ids, or every id of the workspace ('*': the generation moves on). */
  drop(workspaceId: string, ids: readonly string[] | '*'): void;
  gen(workspaceId: string): number;
  needsBuild(workspaceId: string): boolean;
  markBuilt(workspaceId: string, gen: number): void;
  count(): number;
}

export interface ProfileDocs extends WorkspaceStore<ProfileEntry> {
  /** The profile id last stored for an identifier (verify it against the holder's document). */
  holder(workspaceId: string, kind: string, value: string): string | undefined;
  /** Segment ids per profile (see segments/profile-segments.ts). */
  segments: WorkspaceStore<string[]>;
  close(): void;
}

export function openProfileDocs(dir: string, log: Logger): ProfileDocs {
  let root: RootDatabase;
  try {
    root = open({ path: dir, noSync: true, maxDbs: 8 });
  } catch (err) {
    log.warn({ err, dir }, 'profile documents unreadable: removing them to rebuild');
    rmSync(dir, { recursive: true, force: true });
    root = open({ path: dir, noSync: true, maxDbs: 8 });
  }
  const holders: Database<string, string[]> = root.openDB({ name: 'holders', encoding: 'string' });
  const meta: Database<unknown, string[]> = root.openDB({ name: 'meta' });
  const names = ['docs', 'segments'] as const;
  const dbs = names.map((name) => root.openDB<string, string[]>({ name, encoding: 'string' }));

  const state = meta.get(['state']) as { format: number; clean: boolean } | undefined;
  if (state?.format !== FORMAT || !state.clean) {
    if (state) log.info({ dir }, 'profile documents were not closed cleanly or are outdated: rebuilding');
    root.transactionSync(() => {
      for (const db of [...dbs, holders, meta]) db.clearSync();
    });
  }
  meta.putSync(['state'], { format: FORMAT, clean: false });
  let closed = false;

  function store<V>(
    name: string,
    db: Database<string, string[]>,
    onPut?: (ws: string, id: string, v: V) => void,
  ): WorkspaceStore<V> {
    const gens = new Map<string, number>();
    const built = new Map<string, number>();
    const gen = (ws: string): number => {
      let g = gens.get(ws);
      if (g === undefined) {
        g = (meta.get(['gen', name, ws]) as number | undefined) ?? 0;
        gens.set(ws, g);
      }
      return g;
    };
    const builtGen = (ws: string): number => {
      let b = built.get(ws);
      if (b === undefined) {
        b = (meta.get(['built', name, ws]) as number | undefined) ?? -1;
        built.set(ws, b);
      }
      return b;
    };
    const getJson = (ws: string, id: string): string | undefined => {
      if (closed) return undefined;
      const s = db.get([ws, id]);
      if (s === undefined) return undefined;
      const at = s.indexOf(SEP);
      return Number(s.slice(0, at)) === gen(ws) ? s.slice(at + 1) : undefined;
    };
    return {
      get(ws, id) {
        const json = getJson(ws, id);
        return json === undefined ? undefined : (JSON.parse(json) as V);
      },
      getJson,
      put(ws, entries, at) {
        const g = gen(ws);
        if (closed || (at !== undefined && at !== g)) return;
        root.transactionSync(() => {
          for (const [id, v] of entries) {
            db.put([ws, id], `${g}${SEP}${JSON.stringify(v)}`);
            onPut?.(ws, id, v);
          }
        });
      },
      drop(ws, ids) {
        if (closed) return;
        if (ids === '*') {
          const g = gen(ws) + 1;
          gens.set(ws, g);
          meta.putSync(['gen', name, ws], g);
          return;
        }
        if (ids.length === 0) return;
        root.transactionSync(() => {
          for (const id of ids) db.remove([ws, id]);
        });
      },
      gen,
      needsBuild: (ws) => !closed && builtGen(ws) !== gen(ws),
      markBuilt(ws, g) {
        if (closed || g !== gen(ws)) return;
        built.set(ws, g);
        meta.putSync(['built', name, ws], g);
      },
      count: () => db.getCount(),
    };
  }

  const profiles = store<ProfileEntry>('docs', dbs[0], (ws, id, e) => {
    if ('redirect' in e) return;
    for (const i of e.identities) holders.put([ws, i.type, i.value], id);
  });
  return {
    ...profiles,
    holder: (ws, kind, value) => (closed ? undefined : holders.get([ws, kind, value])),
    segments: store<string[]>('segments', dbs[1]),
    close() {
      if (closed) return;
      closed = true;
      meta.putSync(['state'], { format: FORMAT, clean: true });
      void root.close();
    },
  };
}
