import { type Identifier, identifierKey } from './kinds.ts';
import type { MatchFeature } from './match.ts';
import { type IdentitySettings, ruleFor } from './settings.ts';

/**
 * The deterministic resolution decision for one event, as a pure function of the event's
 * identifiers and the profiles that hold any of them.
 *
 * Rules, in order:
 * 1. The event's identifiers are taken in priority order (settings.identifiers; equal priority
 *    keeps the given order, and extractIdentifiers lists an event's own fields first).
 * 2. Each identifier held by a profile pulls that profile into the event's cluster, unless the
 *    cluster would then break a per-kind limit (`maxValues`): two user_ids never merge, nor do
 *    profiles whose emails together exceed the email limit. A profile left out this way is
 *    `blocked`; its identifier stays where it is. If the limit broken is a person-unique kind
 *    (maxValues 1, e.g. user_id) and the identifier's kind is shareable (anonymous id, device),
 *    the identifier is marked shared: one device, two people.
 * 3. A new value of a person-unique kind (a new user_id) claims its place at its priority, so a
 *    lower-priority identifier cannot pull in a profile with another user_id. New values of other
 *    kinds are added after linking, while the limit allows; the rest are `refused`.
 * 4. Shared identifiers never link or merge. An event whose only known identifiers are shared and
 *    that brings no new identifying value is attached to the owner of the highest-priority one.
 * 5. Cluster of one: attach. Several: merge into the oldest (createdAt, then id). None: create.
 *
 * Order of arrival. When no limit is ever reached, profiles end up as the connected components
 * of "identifiers seen together", whatever the order events arrive in. Limits make the first
 * evidence win: on a shared device the first user_id seen keeps the device, and a profile full of
 * emails keeps the first five. Merges are never undone by later events; unmerging is an explicit
 * operation outside this function.
 */
export interface ProfileIdentifier extends Identifier {
  /** Seen with two people: kept by this profile, never used to link or merge. */
  shared?: boolean;
}

export interface ProfileView {
  id: string;
  /** Creation time in epoch milliseconds; the oldest profile survives a merge. */
  createdAt: number;
  identifiers: readonly ProfileIdentifier[];
}

export interface KindConflict {
  kind: string;
  maxValues: number;
  /** Every value the cluster would hold, sorted. */
  values: string[];
}

export interface BlockedProfile {
  profileId: string;
  /** The event identifier that led to the profile. */
  via: Identifier;
  conflicts: KindConflict[];
}

export interface RefusedIdentifier extends Identifier {
  /** max_values: the target is full; conflict: held by a blocked profile and left with it. */
  reason: 'max_values' | 'conflict';
  profileId?: string;
}

export interface SharedMark extends Identifier {
  profileId: string;
}

interface PlanBase {
  /** Values the target profile gains (none of them is held by another found profile). */
  add: Identifier[];
  markShared: SharedMark[];
  refused: RefusedIdentifier[];
  blocked: BlockedProfile[];
}

export type ResolutionPlan =
  | (PlanBase & { action: 'create' })
  | (PlanBase & { action: 'attach'; profileId: string; via: 'identifier' | 'shared_identifier' })
  | (PlanBase & {
      action: 'merge';
      survivorId: string;
      /** Oldest first. */
      mergedIds: string[];
      reason: 'exact_identifier';
      /** The event identifiers that linked the merged profiles. */
      identifiers: Identifier[];
    });

/** The oldest profile: smallest createdAt, then smallest id. */
export function oldestProfile<P extends Pick<ProfileView, 'id' | 'createdAt'>>(profiles: readonly P[]): P {
  return [...profiles].sort(byAge)[0];
}

function byAge(a: Pick<ProfileView, 'id' | 'createdAt'>, b: Pick<ProfileView, 'id' | 'createdAt'>): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

type ValueSets = Map<string, Set<string>>;

function addValues(sets: ValueSets, ids: readonly Identifier[]): void {
  for (const id of ids) {
    const set = sets.get(id.kind) ?? new Set<string>();
    set.add(id.value);
    sets.set(id.kind, set);
  }
}

/**
 * Kinds (identifying ones only) whose limit joining `extra` to `sets` would break. Joining breaks
 * a limit only if the union holds more values than the limit and than either side alone, so a
 * profile already over a limit (the limit was lowered later) can still be found and attached.
 */
function conflictsWith(
  sets: ValueSets,
  extra: readonly Identifier[],
  settings: IdentitySettings,
): KindConflict[] {
  const added: ValueSets = new Map();
  addValues(added, extra);
  const conflicts: KindConflict[] = [];
  for (const [kind, values] of added) {
    const rule = ruleFor(kind, settings);
    const before = sets.get(kind) ?? new Set<string>();
    const union = new Set([...before, ...values]);
    if (rule.identifies && union.size > rule.maxValues && union.size > Math.max(before.size, values.size)) {
      conflicts.push({ kind, maxValues: rule.maxValues, values: [...union].sort() });
    }
  }
  return conflicts.sort((a, b) => ruleFor(a.kind, settings).rank - ruleFor(b.kind, settings).rank);
}

/** Limits that merging these profiles (in this order) would break; empty when they can merge. */
export function mergeConflicts(profiles: readonly ProfileView[], settings: IdentitySettings): KindConflict[] {
  const sets: ValueSets = new Map();
  const byKind = new Map<string, KindConflict>();
  for (const profile of profiles) {
    for (const c of conflictsWith(sets, profile.identifiers, settings)) byKind.set(c.kind, c);
    addValues(sets, profile.identifiers);
  }
  return [...byKind.values()].sort((a, b) => ruleFor(a.kind, settings).rank - ruleFor(b.kind, settings).rank);
}

/** Identifiers without duplicates, stably sorted by priority. */
function byPriority(identifiers: readonly Identifier[], settings: IdentitySettings): Identifier[] {
  const seen = new Set<string>();
  const unique: Identifier[] = [];
  for (const id of identifiers) {
    const key = identifierKey(id);
    if (!seen.has(key)) {
      seen.add(key);
      unique.push({ kind: id.kind, value: id.value });
    }
  }
  return unique
    .map((id, i) => ({ id, i, rank: ruleFor(id.kind, settings).rank }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((x) => x.id);
}

interface Holder {
  profile: ProfileView;
  shared: boolean;
}

/** Identifier → holding profile. Should two profiles hold one value, the oldest is its holder. */
function holderIndex(found: readonly ProfileView[]): Map<string, Holder> {
  const index = new Map<string, Holder>();
  for (const profile of [...found].sort(byAge)) {
    for (const id of profile.identifiers) {
      const key = identifierKey(id);
      if (!index.has(key)) index.set(key, { profile, shared: id.shared === true });
    }
  }
  return index;
}

/**
 * A returning visitor: the profile holds every identifier of the event, none of them shared, and
 * at least one identifies. Then, with that profile as the only one found, planResolution attaches
 * the event to it and changes nothing (plan.prop.test.ts), so ingestion can skip planning.
 */
export function holdsEvery(
  profile: ProfileView,
  identifiers: readonly Identifier[],
  settings: IdentitySettings,
): boolean {
  let identifies = false;
  for (const id of identifiers) {
    const held = profile.identifiers.find((x) => x.kind === id.kind && x.value === id.value);
    if (!held || held.shared) return false;
    identifies ||= ruleFor(id.kind, settings).identifies;
  }
  return identifies;
}

export function planResolution(
  identifiers: readonly Identifier[],
  found: readonly ProfileView[],
  settings: IdentitySettings,
): ResolutionPlan {
  const holders = holderIndex(found);
  const cluster: ProfileView[] = [];
  const values: ValueSets = new Map();
  const linking: Identifier[] = [];
  const weakOwners: ProfileView[] = [];
  const later: Identifier[] = [];
  const base: PlanBase = { add: [], markShared: [], refused: [], blocked: [] };

  for (const id of byPriority(identifiers, settings)) {
    const rule = ruleFor(id.kind, settings);
    const holder = rule.identifies ? holders.get(identifierKey(id)) : undefined;
    if (!holder) {
      if (rule.identifies && rule.maxValues === 1) {
        // A new person-unique value claims its place now, at its priority.
        if ((values.get(id.kind)?.size ?? 0) === 0) {
          base.add.push(id);
          addValues(values, [id]);
        } else base.refused.push({ ...id, reason: 'max_values' });
      } else later.push(id);
      continue;
    }
    if (cluster.includes(holder.profile)) {
      linking.push(id);
      continue;
    }
    if (holder.shared) {
      weakOwners.push(holder.profile);
      continue;
    }
    const conflicts = conflictsWith(values, holder.profile.identifiers, settings);
    if (conflicts.length === 0) {
      cluster.push(holder.profile);
      addValues(values, holder.profile.identifiers);
      linking.push(id);
      continue;
    }
    const profileId = holder.profile.id;
    base.blocked.push({ profileId, via: id, conflicts });
    if (rule.shareable && conflicts.some((c) => c.maxValues === 1))
      base.markShared.push({ ...id, profileId });
    else base.refused.push({ ...id, reason: 'conflict', profileId });
  }

  const bringsNewIdentity = base.add.length > 0 || later.some((id) => ruleFor(id.kind, settings).identifies);
  let via: 'identifier' | 'shared_identifier' = 'identifier';
  if (cluster.length === 0 && !bringsNewIdentity && weakOwners.length > 0) {
    cluster.push(weakOwners[0]);
    addValues(values, weakOwners[0].identifiers);
    via = 'shared_identifier';
  }

  const held = new Set(cluster.flatMap((p) => p.identifiers.map(identifierKey)));
  for (const id of later) {
    if (held.has(identifierKey(id))) continue;
    const rule = ruleFor(id.kind, settings);
    if ((values.get(id.kind)?.size ?? 0) < rule.maxValues) {
      base.add.push(id);
      addValues(values, [id]);
    } else base.refused.push({ ...id, reason: 'max_values' });
  }

  if (cluster.length === 0) return { action: 'create', ...base };
  const [survivor, ...merged] = [...cluster].sort(byAge);
  if (merged.length === 0) return { action: 'attach', profileId: survivor.id, via, ...base };
  return {
    action: 'merge',
    survivorId: survivor.id,
    mergedIds: merged.map((p) => p.id),
    reason: 'exact_identifier',
    identifiers: linking,
    ...base,
  };
}

/** One merged-away profile, as recorded in the merge log. */
export interface MergeRecord {
  survivorId: string;
  mergedId: string;
  /** When the merge was decided (ISO-8601). */
  at: string;
  reason: 'exact_identifier' | 'probabilistic';
  /** The event identifiers that linked the profiles (exact merges). */
  identifiers: Identifier[];
  /** Probabilistic merges: the score and the features that explain it. */
  score?: number;
  features?: MatchFeature[];
  /** The event that caused an exact merge. */
  messageId?: string;
}

/** The merge log entries of a plan; empty unless it merges. */
export function mergeRecords(plan: ResolutionPlan, event: { messageId?: string; at: string }): MergeRecord[] {
  if (plan.action !== 'merge') return [];
  return plan.mergedIds.map((mergedId) => ({
    survivorId: plan.survivorId,
    mergedId,
    at: event.at,
    reason: plan.reason,
    identifiers: plan.identifiers,
    ...(event.messageId === undefined ? {} : { messageId: event.messageId }),
  }));
}
