import {
  type IdentitySettings,
  identifierKey,
  type KindConflict,
  mergeConflicts,
  mergeProfilesTraits,
  oldestProfile,
} from '../core/identity/index.ts';
import { newId } from '../core/ids.ts';
import type { IdentityChanges, IdentityRepository, IdentityRow } from '../storage/repositories/identity.ts';
import type { IdentityMatchRepository, ScoredPair } from '../storage/repositories/identity-match.ts';
import type { ProfileReplica } from './replica.ts';
import type { IdentityResolver } from './resolver.ts';
import { type ProfileState, profileState } from './state.ts';

export type MergeReason = 'probabilistic' | 'candidate_accepted';

export type MergeOutcome =
  | { pair: ScoredPair; result: 'merged'; survivorId: string; mergedId: string }
  /** Both profiles are one already (merged since the pair was scored). */
  | { pair: ScoredPair; result: 'same'; profileId: string }
  /** A profile was erased. */
  | { pair: ScoredPair; result: 'gone' }
  /** Merging would break a limit, e.g. two user_ids in one profile. */
  | { pair: ScoredPair; result: 'conflict'; conflicts: KindConflict[] };

/**
 * Merges scored pairs of profiles the way ingestion merges (into the older profile, never past a
 * limit), re-reading both profiles first: they may have merged, grown or been erased since the
 * pair was scored. Must run inside `resolver.exclusive` — ingestion's caches are the graph.
 */
export function pairMerger(deps: {
  repo: IdentityRepository;
  matchRepo: IdentityMatchRepository;
  resolver: IdentityResolver;
  replica: ProfileReplica;
}) {
  const { repo, matchRepo, resolver, replica } = deps;

  async function load(workspaceId: string, ids: readonly string[]) {
    const current = await matchRepo.currentIds(workspaceId, ids);
    const roots = [...new Set([...current.values()].filter((id): id is string => id !== null))];
    const [rows, idRows] = await Promise.all([
      repo.profiles(workspaceId, roots),
      repo.identitiesOf(workspaceId, roots),
    ]);
    const byProfile = new Map<string, IdentityRow[]>();
    for (const r of idRows) byProfile.set(r.profile_id, [...(byProfile.get(r.profile_id) ?? []), r]);
    const states = new Map(rows.map((r) => [r.id, profileState(r, byProfile.get(r.id) ?? [])]));
    return { current, states };
  }

  /** Pairs best first: a later pair sees the profiles the earlier ones produced. */
  async function mergeInTurn(
    workspaceId: string,
    settings: IdentitySettings,
    pairs: readonly ScoredPair[],
    reason: MergeReason,
  ): Promise<MergeOutcome[]> {
    const { current, states } = await load(
      workspaceId,
      pairs.flatMap((x) => [x.a, x.b]),
    );
    const owner = new Map<string, string>();
    const live = (id: string | null | undefined): ProfileState | undefined => {
      let cur = id;
      for (let next = cur ? owner.get(cur) : undefined; next !== undefined; next = owner.get(next))
        cur = next;
      return cur ? states.get(cur) : undefined;
    };
    const changes: IdentityChanges = { newProfiles: [], merges: [], identities: [], profileUpdates: [] };
    const removed: string[] = [];
    const outcomes: MergeOutcome[] = [];
    const at = new Date().toISOString();

    for (const pair of pairs) {
      const pa = live(current.get(pair.a));
      const pb = live(current.get(pair.b));
      if (!pa || !pb) {
        outcomes.push({ pair, result: 'gone' });
        continue;
      }
      if (pa === pb) {
        outcomes.push({ pair, result: 'same', profileId: pa.id });
        continue;
      }
      const conflicts = mergeConflicts([pa, pb], settings);
      if (conflicts.length > 0) {
        outcomes.push({ pair, result: 'conflict', conflicts });
        continue;
      }
      const survivor = oldestProfile([pa, pb]);
      const merged = survivor === pa ? pb : pa;
      changes.merges.push({
        id: newId('mrg'),
        survivorId: survivor.id,
        mergedId: merged.id,
        reason,
        // No identifier linked them: the explanation is the scored features.
        linkedBy: pair.features,
        mergedIdentifiers: merged.identifiers.map(({ kind, value, shared }) => ({
          kind,
          value,
          shared: shared === true,
        })),
        mergedTraits: merged.traits,
        messageId: null,
        score: pair.score,
        at,
      });
      const have = new Set(survivor.identifiers.map(identifierKey));
      for (const id of merged.identifiers) if (!have.has(identifierKey(id))) survivor.identifiers.push(id);
      survivor.traits = mergeProfilesTraits(survivor.traits, merged.traits, settings);
      survivor.firstSeen = Math.min(survivor.firstSeen, merged.firstSeen);
      survivor.lastSeen = Math.max(survivor.lastSeen, merged.lastSeen);
      states.delete(merged.id);
      owner.set(merged.id, survivor.id);
      removed.push(merged.id);
      outcomes.push({ pair, result: 'merged', survivorId: survivor.id, mergedId: merged.id });
    }

    if (changes.merges.length > 0) {
      const survivors = [...new Set(changes.merges.map((m) => live(m.survivorId)!))];
      changes.profileUpdates = survivors.map((s) => ({
        id: s.id,
        traits: s.traits,
        firstSeen: new Date(s.firstSeen).toISOString(),
        lastSeen: new Date(s.lastSeen).toISOString(),
      }));
      let aliases: Awaited<ReturnType<typeof repo.apply>> = [];
      try {
        aliases = await repo.apply(workspaceId, changes);
        await replica.write(workspaceId, survivors, removed, aliases);
      } finally {
        resolver.invalidate(workspaceId, [
          ...survivors.map((s) => s.id),
          ...removed,
          ...aliases.map((a) => a.profileId),
        ]);
      }
    }
    return outcomes;
  }

  /** The pairs whose profiles are live, distinct and could merge within every limit (nothing written). */
  async function check(
    workspaceId: string,
    settings: IdentitySettings,
    pairs: readonly ScoredPair[],
  ): Promise<ScoredPair[]> {
    const { current, states } = await load(
      workspaceId,
      pairs.flatMap((x) => [x.a, x.b]),
    );
    return pairs.filter((pair) => {
      const pa = states.get(current.get(pair.a) ?? '');
      const pb = states.get(current.get(pair.b) ?? '');
      return (
        pa !== undefined && pb !== undefined && pa !== pb && mergeConflicts([pa, pb], settings).length === 0
      );
    });
  }

  return { mergeInTurn, check };
}

export type PairMerger = ReturnType<typeof pairMerger>;
