import { extractIdentifiers, type IdentityEvent } from '../extract.ts';
import { type Identifier, identifierKey } from '../kinds.ts';
import { candidatePairs, isMatch, type MatchResult, matchRecordOf, scorePair } from '../match.ts';
import {
  type MergeRecord,
  mergeConflicts,
  mergeRecords,
  oldestProfile,
  type ProfileIdentifier,
  type ProfileView,
  planResolution,
} from '../plan.ts';
import { type IdentitySettings, ruleFor } from '../settings.ts';
import { mergeProfilesTraits, mergeTraits, type TraitState, traitValues } from '../traits.ts';

/**
 * A pure in-memory resolver built only from the identity functions: an index from identifier to
 * profile, `planResolution` applied event by event in the given (arrival) order, then, when the
 * settings enable it, one probabilistic pass over the resulting profiles. It is the reference
 * the evaluation harness scores; the real service does the same against its stores.
 */
export interface ResolverEvent extends IdentityEvent {
  messageId: string;
  /** identify, track, page, ... (informational here). */
  type?: string;
  /** Event time, ISO-8601. */
  timestamp: string;
  /** Where the traits come from (`web`, `ios`, `crm`); default `web`. */
  source?: string;
  /** PostHog `$set_once` traits. */
  setOnce?: Record<string, unknown>;
}

export interface ResolvedProfile extends ProfileView {
  identifiers: ProfileIdentifier[];
  traits: TraitState;
}

export interface ResolveResult {
  /** messageId → the profile the event belongs to after every merge. */
  eventProfiles: Map<string, string>;
  /** Surviving profiles by id. */
  profiles: Map<string, ResolvedProfile>;
  merges: MergeRecord[];
  counts: {
    /** Identifier values that did not normalise (kept as traits, never matched). */
    rejected: number;
    /** Identifiers not added because of limits or conflicts. */
    refused: number;
    /** Identifiers marked shared. */
    shared: number;
    /** Probabilistic pass: pairs scored, pairs merged, blocks skipped as too large. */
    candidatePairs: number;
    probabilisticMerges: number;
    skippedBlocks: number;
  };
}

export interface ResolveOptions {
  /** Blocks larger than this are skipped in the probabilistic pass (too common a key). */
  maxBlockSize?: number;
}

function traitsOf(event: ResolverEvent): Record<string, unknown> {
  const obj = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {});
  return { ...obj(event.context?.traits), ...obj(event.traits) };
}

export function resolveAll(
  events: readonly ResolverEvent[],
  settings: IdentitySettings,
  options: ResolveOptions = {},
): ResolveResult {
  const profiles = new Map<string, ResolvedProfile>();
  const index = new Map<string, string>();
  const alias = new Map<string, string>();
  const eventProfile = new Map<string, string>();
  const merges: MergeRecord[] = [];
  const counts = {
    rejected: 0,
    refused: 0,
    shared: 0,
    candidatePairs: 0,
    probabilisticMerges: 0,
    skippedBlocks: 0,
  };
  let created = 0;

  const indexIdentifiers = (profileId: string, ids: readonly Identifier[]) => {
    for (const id of ids) if (ruleFor(id.kind, settings).identifies) index.set(identifierKey(id), profileId);
  };
  const absorb = (survivor: ResolvedProfile, mergedId: string) => {
    const merged = profiles.get(mergedId)!;
    const have = new Set(survivor.identifiers.map(identifierKey));
    for (const id of merged.identifiers) if (!have.has(identifierKey(id))) survivor.identifiers.push(id);
    indexIdentifiers(survivor.id, merged.identifiers);
    survivor.traits = mergeProfilesTraits(survivor.traits, merged.traits, settings);
    profiles.delete(mergedId);
    alias.set(mergedId, survivor.id);
  };

  for (const event of events) {
    const { identifiers, rejected } = extractIdentifiers(event, settings);
    counts.rejected += rejected.length;
    const foundIds = new Set<string>();
    for (const id of identifiers) {
      const holder = index.get(identifierKey(id));
      if (holder) foundIds.add(holder);
    }
    const found = [...foundIds].map((id) => profiles.get(id)!);
    const plan = planResolution(identifiers, found, settings);
    let target: ResolvedProfile;
    if (plan.action === 'create') {
      target = { id: `p${++created}`, createdAt: created, identifiers: [], traits: {} };
      profiles.set(target.id, target);
    } else if (plan.action === 'attach') {
      target = profiles.get(plan.profileId)!;
    } else {
      target = profiles.get(plan.survivorId)!;
      for (const mergedId of plan.mergedIds) absorb(target, mergedId);
      merges.push(...mergeRecords(plan, { messageId: event.messageId, at: event.timestamp }));
    }
    target.identifiers.push(...plan.add);
    indexIdentifiers(target.id, plan.add);
    for (const mark of plan.markShared) {
      const holder = profiles.get(mark.profileId)!;
      holder.identifiers = holder.identifiers.map((id) =>
        id.kind === mark.kind && id.value === mark.value ? { ...id, shared: true } : id,
      );
    }
    counts.refused += plan.refused.length;
    counts.shared += plan.markShared.length;
    target.traits = mergeTraits(
      target.traits,
      {
        traits: traitsOf(event),
        setOnce: event.setOnce,
        source: event.source ?? 'web',
        time: event.timestamp,
      },
      settings,
    );
    eventProfile.set(event.messageId, target.id);
  }

  if (settings.probabilistic.enabled) {
    // The pass runs "after" the stream: merges are dated at the latest event time.
    const latest = events.reduce((max, e) => Math.max(max, Date.parse(e.timestamp)), 0);
    const lastTime = new Date(latest).toISOString();
    probabilisticPass(profiles, settings, options.maxBlockSize ?? 50, counts, (survivor, mergedId, match) => {
      absorb(survivor, mergedId);
      merges.push({
        survivorId: survivor.id,
        mergedId,
        at: lastTime,
        reason: 'probabilistic',
        identifiers: [],
        score: match.score,
        features: match.features,
      });
    });
  }

  const finalId = (id: string): string => {
    let cur = id;
    for (let next = alias.get(cur); next !== undefined; next = alias.get(cur)) cur = next;
    return cur;
  };
  const eventProfiles = new Map([...eventProfile].map(([m, p]) => [m, finalId(p)]));
  return { eventProfiles, profiles, merges, counts };
}

/**
 * Candidate pairs from shared blocking keys, scored, merged best-first when `isMatch` says so and
 * the two current profiles can merge without breaking a limit (never two user_ids).
 */
function probabilisticPass(
  profiles: Map<string, ResolvedProfile>,
  settings: IdentitySettings,
  maxBlockSize: number,
  counts: ResolveResult['counts'],
  merge: (survivor: ResolvedProfile, mergedId: string, match: MatchResult) => void,
): void {
  const records = new Map(
    [...profiles.values()].map((p) => [p.id, matchRecordOf(p.id, traitValues(p.traits), p.identifiers)]),
  );
  const { pairs, skippedBlocks } = candidatePairs(records.values(), maxBlockSize);
  counts.candidatePairs = pairs.length;
  counts.skippedBlocks = skippedBlocks;
  const matches: { a: string; b: string; match: MatchResult }[] = [];
  for (const [a, b] of pairs) {
    const match = scorePair(records.get(a)!, records.get(b)!);
    if (isMatch(match, settings.probabilistic.threshold)) matches.push({ a, b, match });
  }
  // Best first; the sort is stable, so equal scores keep the pairs' id order.
  matches.sort((x, y) => y.match.score - x.match.score);

  const owner = new Map<string, string>();
  const current = (id: string): string => {
    let cur = id;
    for (let next = owner.get(cur); next !== undefined; next = owner.get(cur)) cur = next;
    return cur;
  };
  for (const { a, b, match } of matches) {
    const pa = profiles.get(current(a))!;
    const pb = profiles.get(current(b))!;
    if (pa === pb || mergeConflicts([pa, pb], settings).length > 0) continue;
    const survivor = oldestProfile([pa, pb]);
    const mergedId = survivor === pa ? pb.id : pa.id;
    merge(survivor, mergedId, match);
    owner.set(mergedId, survivor.id);
    counts.probabilisticMerges++;
  }
}
