/**
 * Compares two assignments of the same events to profiles (today's, and one from a simulation):
 * which of today's profiles would come together, and which would fall apart. Pure.
 */
export interface MergeExample {
  /** Today's profiles that would become one, sorted. */
  profileIds: string[];
  events: number;
  /** The proposed profile's identifiers (`kind:value`), highest priority first. */
  identifiers: string[];
}

export interface SplitExample {
  profileId: string;
  /** The proposed profiles today's one would split into, largest first. */
  parts: { events: number; identifiers: string[] }[];
}

export interface AssignmentDiff {
  currentProfiles: number;
  proposedProfiles: number;
  merges: {
    /** Proposed profiles that hold events of more than one of today's profiles. */
    groups: number;
    /** Today's profiles in those groups. */
    profiles: number;
    examples: MergeExample[];
  };
  splits: {
    /** Today's profiles whose events would land in more than one proposed profile. */
    profiles: number;
    examples: SplitExample[];
  };
}

function countBy<K, V>(groups: Map<K, Map<V, number>>, key: K, value: V): void {
  const inner = groups.get(key) ?? new Map<V, number>();
  inner.set(value, (inner.get(value) ?? 0) + 1);
  groups.set(key, inner);
}

const sum = (m: ReadonlyMap<unknown, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/**
 * `current` and `proposed` map event ids to profile ids; events missing from `proposed` are
 * left out. `identifiersOf` describes a proposed profile. Examples: the largest first.
 */
export function compareAssignments(
  current: ReadonlyMap<string, string>,
  proposed: ReadonlyMap<string, string>,
  identifiersOf: (proposedId: string) => string[],
  maxExamples = 10,
): AssignmentDiff {
  const byProposed = new Map<string, Map<string, number>>();
  const byCurrent = new Map<string, Map<string, number>>();
  for (const [event, now] of current) {
    const next = proposed.get(event);
    if (next === undefined) continue;
    countBy(byProposed, next, now);
    countBy(byCurrent, now, next);
  }
  const merged = [...byProposed].filter(([, profiles]) => profiles.size > 1);
  merged.sort(([a, x], [b, y]) => y.size - x.size || sum(y) - sum(x) || (a < b ? -1 : 1));
  const split = [...byCurrent].filter(([, parts]) => parts.size > 1);
  split.sort(([a, x], [b, y]) => y.size - x.size || sum(y) - sum(x) || (a < b ? -1 : 1));
  return {
    currentProfiles: byCurrent.size,
    proposedProfiles: byProposed.size,
    merges: {
      groups: merged.length,
      profiles: merged.reduce((n, [, profiles]) => n + profiles.size, 0),
      examples: merged.slice(0, maxExamples).map(([proposedId, profiles]) => ({
        profileIds: [...profiles.keys()].sort(),
        events: sum(profiles),
        identifiers: identifiersOf(proposedId),
      })),
    },
    splits: {
      profiles: split.length,
      examples: split.slice(0, maxExamples).map(([profileId, parts]) => ({
        profileId,
        parts: [...parts]
          .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
          .map(([proposedId, events]) => ({ events, identifiers: identifiersOf(proposedId) })),
      })),
    },
  };
}
