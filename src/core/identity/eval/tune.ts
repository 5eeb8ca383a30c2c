import { candidatePairs, isMatch, type MatchResult, matchRecordOf, scorePair } from '../match.ts';
import type { IdentitySettings } from '../settings.ts';
import { traitValues } from '../traits.ts';
import type { LabelledEvent } from './generate.ts';
import { resolveAll } from './resolve-all.ts';

/**
 * Threshold tuning for probabilistic matching: label the candidate pairs of a dataset (after
 * exact resolution), then find the lowest threshold whose merges keep the target precision.
 */
export interface LabelledPair {
  result: MatchResult;
  /** Both profiles belong (mostly) to the same person. */
  same: boolean;
}

export interface ThresholdPoint {
  threshold: number;
  merged: number;
  correct: number;
  precision: number;
  /** Share of the same-person candidate pairs that merge. */
  recall: number;
}

/** Candidate pairs of the profiles exact resolution leaves, labelled by each profile's majority person. */
export function labelledCandidatePairs(
  events: readonly LabelledEvent[],
  settings: IdentitySettings,
): LabelledPair[] {
  const exact = resolveAll(
    events.map((e) => e.event),
    { ...settings, probabilistic: { ...settings.probabilistic, enabled: false } },
  );
  const personOf = new Map(events.map((e) => [e.event.messageId, e.personId]));
  const votes = new Map<string, Map<string, number>>();
  for (const [messageId, profileId] of exact.eventProfiles) {
    const person = personOf.get(messageId)!;
    const v = votes.get(profileId) ?? new Map<string, number>();
    v.set(person, (v.get(person) ?? 0) + 1);
    votes.set(profileId, v);
  }
  const majority = new Map(
    [...votes].map(([profileId, v]) => [
      profileId,
      [...v].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0],
    ]),
  );
  const records = new Map(
    [...exact.profiles.values()].map((p) => [
      p.id,
      matchRecordOf(p.id, traitValues(p.traits), p.identifiers),
    ]),
  );
  return candidatePairs(records.values()).pairs.map(([a, b]) => ({
    result: scorePair(records.get(a)!, records.get(b)!),
    same: majority.get(a) === majority.get(b),
  }));
}

/** Precision and recall of `isMatch` at every distinct score, highest threshold first. */
export function thresholdCurve(pairs: readonly LabelledPair[]): ThresholdPoint[] {
  const positives = pairs.filter((p) => p.same).length;
  const thresholds = [...new Set(pairs.map((p) => p.result.score))]
    .filter((t) => t > 0)
    .sort((a, b) => b - a);
  return thresholds.map((threshold) => {
    const merged = pairs.filter((p) => isMatch(p.result, threshold));
    const correct = merged.filter((p) => p.same).length;
    return {
      threshold,
      merged: merged.length,
      correct,
      precision: merged.length === 0 ? 1 : correct / merged.length,
      recall: positives === 0 ? 1 : correct / positives,
    };
  });
}

/** The lowest threshold at which it, and every higher one, keeps `target` precision. */
export function thresholdForPrecision(pairs: readonly LabelledPair[], target: number): number | undefined {
  let best: number | undefined;
  for (const point of thresholdCurve(pairs)) {
    if (point.precision < target) break;
    best = point.threshold;
  }
  return best;
}
