import { describe, expect, it } from 'vitest';
import type { MatchResult } from '../match.ts';
import { type LabelledPair, thresholdCurve, thresholdForPrecision } from './tune.ts';

/** A pair with the given score and two agreeing features (so only the threshold decides). */
function pair(score: number, same: boolean): LabelledPair {
  const result: MatchResult = {
    score,
    features: [
      { name: 'name', weight: score / 2, value: 'exact' },
      { name: 'birth_date', weight: score / 2, value: 'equal' },
    ],
  };
  return { result, same };
}

describe('threshold tuning', () => {
  const pairs = [
    pair(12, true),
    pair(10, true),
    pair(10, true),
    pair(9, false),
    pair(9, true),
    pair(7, false),
    pair(7, true),
  ];

  it('traces precision and recall from the highest threshold down', () => {
    expect(thresholdCurve(pairs)).toEqual([
      { threshold: 12, merged: 1, correct: 1, precision: 1, recall: 0.2 },
      { threshold: 10, merged: 3, correct: 3, precision: 1, recall: 0.6 },
      { threshold: 9, merged: 5, correct: 4, precision: 0.8, recall: 0.8 },
      { threshold: 7, merged: 7, correct: 5, precision: 5 / 7, recall: 1 },
    ]);
  });

  it('picks the lowest threshold that keeps the target precision all the way up', () => {
    expect(thresholdForPrecision(pairs, 0.99)).toBe(10);
    expect(thresholdForPrecision(pairs, 0.8)).toBe(9);
    expect(thresholdForPrecision([pair(5, false)], 0.99)).toBeUndefined();
  });
});
