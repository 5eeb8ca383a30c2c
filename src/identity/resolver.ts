import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import {
  defaultIdentitySettings,
  extractIdentifiers,
  holdsEvery,
  type Identifier,
  type IdentitySettings,
  identifierKey,
  mergeProfilesTraits,
  mergeTraits,
  planResolution,
  type ResolutionPlan,
  ruleFor,
  validateIdentitySettings,
} from '../core/identity/index.ts';
import { newId } from '../core/ids.ts';
import type { IdentityStage, IngestItem } from '../ingest/index.ts';
import type { IdentityChanges, IdentityRepository, NewIdentity } from '../storage/repositories/identity.ts';
import type { ProfileReplica } from './replica.ts';
import { type HeldIdentifier, heldIdentifier, type ProfileState, profileState } from './state.ts';

/** Seen-time updates are written at most this often per profile/identifier (the events keep exact times). */
const SEEN_GRANULARITY_MS = 3_600_000;
/**
 * A profile whose only change is its first/last-seen time is written with the next flush that
 * writes anyway, or after this long, or on shutdown — not on the acknowledgement path.
 */
const SEEN_DEFER_MS = 5_000;
const SEEN_DEFER_MAX = 20_000;
/** Deferred profiles written per flush, so that catching up never stalls one flush for long. */
const SEEN_WRITE_CHUNK = 2_000;

/** The traits an event brings to its profile: `context.traits`, plus the call's own on identify. */
export function eventTraits(item: IngestItem): Record<string, unknown> | undefined {
  const e = item.event;
  const ctx = e.context?.traits;
  const ctxTraits =
    typeof ctx === 'object' && ctx !== null && !Array.isArray(ctx)
      ? (ctx as Record<string, unknown>)
      : undefined;
  const own = e.type === 'identify' ? e.traits : undefined;
  if (!ctxTraits && !own) return undefined;
  return { ...ctxTraits, ...own };
}

interface WorkspaceCaches {
  settings: IdentitySettings;
  /** identifier key → holder profile id (identifying kinds only). */
  holders: LRUCache<string, string>;
  profiles: LRUCache<string, ProfileState>;
}

/**
 * Deterministic identity resolution as the ingestion stage before storage. Per flush: extract and
 * normalise identifiers, load unknown holders and profiles in two batched queries, decide each
 * event in order with the pure `planResolution`, then write every change in one PostgreSQL
 * transaction and the ClickHouse replica. Caches hold the graph this node has seen (one writer per
 * workspace); on any failure a workspace's caches are dropped and rebuilt from PostgreSQL.
 */
export class IdentityResolver implements IdentityStage {
  private readonly caches = new Map<string, WorkspaceCaches>();
  /** Profiles whose seen times changed but are not written yet, per workspace. */
  private readonly seen = new Map<string, { since: number; profiles: Map<string, ProfileState> }>();
  private lock: Promise<unknown> = Promise.resolve();
  private readonly listeners: ((workspaceId: string, profileIds: readonly string[] | '*') => void)[] = [];
  readonly stats = { events: 0, created: 0, merged: 0, rejectedIdentifiers: 0, cacheHits: 0, cacheMisses: 0 };

  constructor(
    private readonly repo: IdentityRepository,
    private readonly replica: ProfileReplica,
    private readonly log: Logger,
    private readonly opts: { maxHolders?: number; maxProfiles?: number } = {},
  ) {}

  async settings(workspaceId: string): Promise<IdentitySettings> {
    return (await this.cachesOf(workspaceId)).settings;
  }

  /** Called with the ids of profiles that changed ('*': any profile of the workspace may have). */
  onChange(fn: (workspaceId: string, profileIds: readonly string[] | '*') => void): void {
    this.listeners.push(fn);
  }

  private changed(workspaceId: string, ids: readonly string[] | '*'): void {
    for (const fn of this.listeners) fn(workspaceId, ids);
  }

  /**
   * Drops a workspace's caches (settings changed, profile erased or unmerged). Listeners hear of
   * `changedIds` when the caller knows every profile it changed, of '*' otherwise.
   */
  invalidate(workspaceId: string, changedIds?: readonly string[]): void {
    this.caches.delete(workspaceId);
    this.seen.delete(workspaceId);
    this.changed(workspaceId, changedIds ?? '*');
  }

  private async cachesOf(workspaceId: string): Promise<WorkspaceCaches> {
    let c = this.caches.get(workspaceId);
    if (!c) {
      const stored = await this.repo.settings(workspaceId);
      c = {
        settings: stored ? validateIdentitySettings(stored) : defaultIdentitySettings,
        // lru-cache allocates `max` slots up front: sized for a warm working set, not the whole
        // graph (a miss costs one batched PostgreSQL lookup per flush).
        holders: new LRUCache({ max: this.opts.maxHolders ?? 500_000 }),
        profiles: new LRUCache({ max: this.opts.maxProfiles ?? 100_000 }),
      };
      this.caches.set(workspaceId, c);
    }
    return c;
  }

  /**
   * Runs `fn` with no resolution in flight: the caches are this node's authoritative copy of the
   * graph, so erasure, unmerge and probabilistic merges take the same turn as ingestion flushes.
   * Deferred seen times are written first: `fn` changes the graph and drops the caches they are
   * copies of (invalidate).
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.turn(async () => {
      await this.writeSeen();
      return fn();
    });
  }

  private turn<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  resolve(items: readonly IngestItem[]): Promise<string[]> {
    return this.turn(() => this.resolveAll(items));
  }

  /** Writes the deferred seen-time updates of every workspace (on shutdown). */
  flushSeen(): Promise<void> {
    return this.turn(() => this.writeSeen());
  }

  private async writeSeen(): Promise<void> {
    for (const ws of [...this.seen.keys()]) {
      const empty: IdentityChanges = { newProfiles: [], merges: [], identities: [], profileUpdates: [] };
      await this.write(ws, empty, new Map(), new Map(), [], true);
    }
  }

  private async resolveAll(items: readonly IngestItem[]): Promise<string[]> {
    const out = new Array<string>(items.length);
    const byWs = new Map<string, number[]>();
    items.forEach((it, i) => {
      const list = byWs.get(it.workspaceId) ?? [];
      list.push(i);
      byWs.set(it.workspaceId, list);
    });
    for (const [ws, idx] of byWs) {
      try {
        const ids = await this.resolveWorkspace(
          ws,
          idx.map((i) => items[i]),
        );
        idx.forEach((i, k) => {
          out[i] = ids[k];
        });
      } catch (err) {
        this.invalidate(ws);
        throw err;
      }
    }
    this.stats.events += items.length;
    return out;
  }

  private async resolveWorkspace(ws: string, items: readonly IngestItem[]): Promise<string[]> {
    const c = await this.cachesOf(ws);
    const { settings } = c;
    const extracted = items.map((it) => extractIdentifiers(it.event, settings));
    const identifying = (id: Identifier) => ruleFor(id.kind, settings).identifies;

    // 1. Holders of every identifying identifier, from the cache or one query.
    const missing = new Map<string, Identifier>();
    for (const ex of extracted) {
      this.stats.rejectedIdentifiers += ex.rejected.length;
      for (const id of ex.identifiers) {
        if (!identifying(id)) continue;
        const key = identifierKey(id);
        if (c.holders.has(key)) this.stats.cacheHits++;
        else missing.set(key, id);
      }
    }
    const loadedRows = await this.repo.findIdentities(ws, [...missing.values()]);
    this.stats.cacheMisses += missing.size;
    for (const r of loadedRows) c.holders.set(identifierKey(r), r.profile_id);

    // 2. Their profiles.
    const needed = new Set<string>();
    for (const ex of extracted) {
      for (const id of ex.identifiers) {
        const holder = identifying(id) ? c.holders.get(identifierKey(id)) : undefined;
        if (holder && !c.profiles.has(holder)) needed.add(holder);
      }
    }
    if (needed.size) {
      const [rows, idRows] = await Promise.all([
        this.repo.profiles(ws, [...needed]),
        this.repo.identitiesOf(ws, [...needed]),
      ]);
      const byProfile = new Map<string, typeof idRows>();
      for (const r of idRows) byProfile.set(r.profile_id, [...(byProfile.get(r.profile_id) ?? []), r]);
      for (const p of rows) c.profiles.set(p.id, profileState(p, byProfile.get(p.id) ?? []));
    }

    // 3. Decide each event in order, recording the changes.
    const changes: IdentityChanges = { newProfiles: [], merges: [], identities: [], profileUpdates: [] };
    const pendingIds = new Map<string, NewIdentity>();
    const created = new Map<string, ProfileState>();
    const dirty = new Map<string, ProfileState>();
    const removed: string[] = [];
    const result: string[] = [];
    /** merged id → survivor, for events of this flush resolved before their profile merged. */
    const mergedInto = new Map<string, string>();
    const touch = (p: ProfileState) => {
      if (!created.has(p.id)) dirty.set(p.id, p);
    };
    /** Only first/last seen changed: deferred (see SEEN_DEFER_MS). */
    const seenOnly = new Map<string, ProfileState>();
    const touchSeen = (p: ProfileState) => {
      if (!created.has(p.id)) seenOnly.set(p.id, p);
    };
    const putIdentity = (p: ProfileState, id: HeldIdentifier) => {
      pendingIds.set(identifierKey(id), {
        kind: id.kind,
        value: id.value,
        profileId: p.id,
        shared: id.shared === true,
        source: id.source,
        meta: id.meta,
        firstSeen: new Date(id.firstSeen).toISOString(),
        lastSeen: new Date(id.lastSeen).toISOString(),
      });
    };

    items.forEach((item, i) => {
      const { identifiers, deviceType } = extracted[i];
      const at = item.event.timestamp.getTime();
      const foundIds = new Set<string>();
      for (const id of identifiers) {
        const h = identifying(id) ? c.holders.get(identifierKey(id)) : undefined;
        if (h) foundIds.add(h);
      }
      // A returning visitor needs no plan (see holdsEvery).
      const holder = foundIds.size === 1 ? c.profiles.get(foundIds.values().next().value!) : undefined;
      const plan: ResolutionPlan | null =
        holder && holdsEvery(holder, identifiers, settings)
          ? null
          : planResolution(
              identifiers,
              [...foundIds].map((id) => c.profiles.get(id)).filter((p): p is ProfileState => p !== undefined),
              settings,
            );
      let target: ProfileState;
      if (plan === null) target = holder!;
      else if (plan.action === 'create') {
        target = {
          id: newId('prf'),
          createdAt: Date.now(),
          identifiers: [],
          traits: {},
          firstSeen: at,
          lastSeen: at,
        };
        created.set(target.id, target);
        c.profiles.set(target.id, target);
        this.stats.created++;
      } else if (plan.action === 'attach') {
        target = c.profiles.get(plan.profileId)!;
      } else {
        target = c.profiles.get(plan.survivorId)!;
        for (const mergedId of plan.mergedIds) {
          const merged = c.profiles.get(mergedId)!;
          changes.merges.push({
            id: newId('mrg'),
            survivorId: target.id,
            mergedId,
            reason: plan.reason,
            linkedBy: plan.identifiers,
            mergedIdentifiers: merged.identifiers.map(({ kind, value, shared }) => ({
              kind,
              value,
              shared: shared === true,
            })),
            mergedTraits: merged.traits,
            messageId: item.event.messageId,
            score: null,
            at: new Date().toISOString(),
          });
          const have = new Set(target.identifiers.map(identifierKey));
          for (const id of merged.identifiers) {
            if (!have.has(identifierKey(id))) target.identifiers.push(id);
            if (identifying(id)) c.holders.set(identifierKey(id), target.id);
            const pending = pendingIds.get(identifierKey(id));
            if (pending) pending.profileId = target.id;
          }
          target.traits = mergeProfilesTraits(target.traits, merged.traits, settings);
          target.firstSeen = Math.min(target.firstSeen, merged.firstSeen);
          target.lastSeen = Math.max(target.lastSeen, merged.lastSeen);
          c.profiles.delete(mergedId);
          mergedInto.set(mergedId, target.id);
          dirty.delete(mergedId);
          seenOnly.delete(mergedId);
          this.seen.get(ws)?.profiles.delete(mergedId);
          if (created.has(mergedId)) {
            // Created and merged within this flush: never stored on its own.
            created.delete(mergedId);
            changes.merges.pop();
          } else removed.push(mergedId);
          this.stats.merged++;
        }
        touch(target);
      }
      for (const id of plan?.add ?? []) {
        const held: HeldIdentifier = {
          ...id,
          source: item.sourceId,
          meta: deviceMeta(id.kind, deviceType),
          firstSeen: at,
          lastSeen: at,
        };
        target.identifiers.push(held);
        if (identifying(id)) c.holders.set(identifierKey(id), target.id);
        putIdentity(target, held);
        touch(target);
      }
      for (const mark of plan?.markShared ?? []) {
        const owner = mark.profileId === target.id ? target : c.profiles.get(mark.profileId);
        const held = owner?.identifiers.find((x) => x.kind === mark.kind && x.value === mark.value);
        if (owner && held) {
          held.shared = true;
          putIdentity(owner, held);
          touch(owner);
        }
      }
      // Seen times: exact in events; here at most hourly writes.
      for (const id of identifiers) {
        const held = target.identifiers.find((x) => x.kind === id.kind && x.value === id.value);
        if (held && at > held.lastSeen + SEEN_GRANULARITY_MS) {
          held.lastSeen = at;
          putIdentity(target, held);
        }
      }
      if (at < target.firstSeen || at > target.lastSeen + SEEN_GRANULARITY_MS) touchSeen(target);
      target.firstSeen = Math.min(target.firstSeen, at);
      target.lastSeen = Math.max(target.lastSeen, at);
      const traits = eventTraits(item);
      const setOnce = item.event.setOnceTraits;
      if (traits || setOnce) {
        const next = mergeTraits(
          target.traits,
          { traits, setOnce, source: item.sourceId, time: at },
          settings,
        );
        if (JSON.stringify(next) !== JSON.stringify(target.traits)) {
          target.traits = next;
          touch(target);
        }
      }
      result.push(target.id);
    });

    // 4. One transaction, then the replica.
    for (const p of created.values()) {
      changes.newProfiles.push({
        id: p.id,
        createdAt: new Date(p.createdAt).toISOString(),
        firstSeen: new Date(p.firstSeen).toISOString(),
        lastSeen: new Date(p.lastSeen).toISOString(),
        traits: p.traits,
      });
    }
    changes.identities = [...pendingIds.values()];
    await this.write(ws, changes, dirty, seenOnly, removed, false, created);
    return result.map((id) => {
      let cur = id;
      for (let next = mergedInto.get(cur); next !== undefined; next = mergedInto.get(cur)) cur = next;
      return cur;
    });
  }

  /**
   * Writes a flush's changes in one transaction, then the replica. Profiles whose only change is
   * a seen time wait in `this.seen` until a flush writes anyway, SEEN_DEFER_MS pass, or `force`.
   */
  private async write(
    ws: string,
    changes: IdentityChanges,
    dirty: Map<string, ProfileState>,
    seenOnly: Map<string, ProfileState>,
    removed: string[],
    force: boolean,
    created: Map<string, ProfileState> = new Map(),
  ): Promise<void> {
    let deferred = this.seen.get(ws);
    for (const [id, p] of seenOnly) {
      if (dirty.has(id)) continue;
      if (!deferred) {
        deferred = { since: Date.now(), profiles: new Map() };
        this.seen.set(ws, deferred);
      }
      deferred.profiles.set(id, p);
    }
    const writes =
      changes.newProfiles.length || changes.merges.length || changes.identities.length || dirty.size;
    const due =
      deferred &&
      (force ||
        writes ||
        deferred.profiles.size >= SEEN_DEFER_MAX ||
        Date.now() - deferred.since >= SEEN_DEFER_MS);
    const updated = new Map(dirty);
    if (deferred) {
      // A deferred state may be an older copy of a profile written now (evicted and reloaded):
      // keep its seen times, write the current state.
      for (const [id, p] of dirty) {
        const old = deferred.profiles.get(id);
        if (!old) continue;
        p.firstSeen = Math.min(p.firstSeen, old.firstSeen);
        p.lastSeen = Math.max(p.lastSeen, old.lastSeen);
        deferred.profiles.delete(id);
      }
    }
    if (due && deferred) {
      // Oldest first (insertion order); the rest stays due and goes with the next flushes.
      let n = 0;
      for (const [id, p] of deferred.profiles) {
        if (!force && n++ >= SEEN_WRITE_CHUNK) break;
        if (!created.has(id)) updated.set(id, p);
        deferred.profiles.delete(id);
      }
      if (deferred.profiles.size === 0) this.seen.delete(ws);
    }
    for (const p of updated.values()) {
      changes.profileUpdates.push({
        id: p.id,
        traits: p.traits,
        firstSeen: new Date(p.firstSeen).toISOString(),
        lastSeen: new Date(p.lastSeen).toISOString(),
      });
    }
    if (!writes && !changes.profileUpdates.length) return;
    const aliases = await this.repo.apply(ws, changes);
    this.log.debug(
      {
        workspaceId: ws,
        created: changes.newProfiles.length,
        merges: changes.merges.length,
        identities: changes.identities.length,
        updated: changes.profileUpdates.length,
      },
      'identity changes written',
    );
    await this.replica.write(ws, [...created.values(), ...updated.values()], removed, aliases);
    this.changed(ws, [...created.keys(), ...updated.keys(), ...removed, ...aliases.map((a) => a.profileId)]);
  }
}

function deviceMeta(kind: string, deviceType: string | undefined): Record<string, unknown> | null {
  if (!deviceType) return null;
  if (kind === 'device_id') return { type: deviceType };
  if (kind === 'push_token') return { platform: deviceType };
  return null;
}

export { heldIdentifier };
