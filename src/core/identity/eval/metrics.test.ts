import { describe, expect, it } from 'vitest';
import { pairwiseMetrics } from './metrics.ts';

const truth = new Map([
  ['e1', 'alice'],
  ['e2', 'alice'],
  ['e3', 'alice'],
  ['e4', 'bob'],
  ['e5', 'bob'],
]);

describe('pairwiseMetrics', () => {
  it('is perfect for the true clustering', () => {
    expect(pairwiseMetrics(truth, truth)).toEqual({
      precision: 1,
      recall: 1,
      f1: 1,
      truePairs: 4,
      predictedPairs: 4,
      correctPairs: 4,
    });
  });

  it('counts a split as lost recall', () => {
    const m = pairwiseMetrics([['e1', 'e2'], ['e3'], ['e4', 'e5']], truth);
    expect(m).toMatchObject({ precision: 1, recall: 0.5, truePairs: 4, predictedPairs: 2, correctPairs: 2 });
    expect(m.f1).toBeCloseTo(2 / 3);
  });

  it('counts a wrong merge as lost precision', () => {
    const m = pairwiseMetrics([['e1', 'e2', 'e3', 'e4', 'e5']], truth);
    expect(m).toMatchObject({ recall: 1, predictedPairs: 10, correctPairs: 4 });
    expect(m.precision).toBeCloseTo(0.4);
  });

  it('treats items missing from the prediction as singletons', () => {
    const m = pairwiseMetrics(
      new Map([
        ['e1', 'p1'],
        ['e2', 'p1'],
      ]),
      truth,
    );
    expect(m).toMatchObject({ precision: 1, predictedPairs: 1, correctPairs: 1, recall: 0.25 });
  });

  it('is vacuously perfect without pairs', () => {
    expect(pairwiseMetrics([], new Map([['e1', 'a']]))).toMatchObject({ precision: 1, recall: 1, f1: 1 });
  });
});
