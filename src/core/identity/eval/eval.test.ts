import { beforeAll, describe, expect, it } from 'vitest';
import { defaultIdentitySettings, type IdentitySettings } from '../settings.ts';
import { type Dataset, generateDataset } from './generate.ts';
import { type PairwiseMetrics, pairwiseMetrics } from './metrics.ts';
import { createRng } from './prng.ts';
import { resolveAll } from './resolve-all.ts';
import { type LabelledPair, labelledCandidatePairs, thresholdCurve, thresholdForPrecision } from './tune.ts';

/**
 * The harness: a seeded synthetic dataset of 3,000 people, resolved by the pure in-memory
 * resolver, scored pairwise over events against the ground truth.
 */
const SEED = 20241207;
const exactOnly: IdentitySettings = {
  ...defaultIdentitySettings,
  probabilistic: { enabled: false, threshold: 9 },
};

let dataset: Dataset;
let truth: Map<string, string>;

function score(events: Dataset['events'], settings: IdentitySettings): PairwiseMetrics {
  return pairwiseMetrics(
    resolveAll(
      events.map((e) => e.event),
      settings,
    ).eventProfiles,
    truth,
  );
}

function report(label: string, m: PairwiseMetrics): void {
  const f = (x: number) => x.toFixed(4);
  console.info(`identity eval (${label}): precision ${f(m.precision)} recall ${f(m.recall)} F1 ${f(m.f1)}`);
}

beforeAll(() => {
  dataset = generateDataset({ seed: SEED, people: 3000 });
  truth = new Map(dataset.events.map((e) => [e.event.messageId, e.personId]));
});

describe('identity resolution on the synthetic dataset', () => {
  it('covers the hard cases', () => {
    const s = dataset.stats;
    expect(s.people).toBe(3000);
    for (const key of [
      'namesakes',
      'sharedDevices',
      'ambiguousSharedEvents',
      'anonymousOnlyDevices',
      'crmExact',
      'crmFuzzy',
      'crmWeak',
      'junkValues',
      'lateEvents',
    ] as const) {
      expect(s[key], key).toBeGreaterThan(0);
    }
    console.info(`identity eval dataset: ${JSON.stringify(s)}`);
  });

  it('reaches F1 ≥ 0.97 with precision ≥ 0.99 in arrival order', () => {
    const m = score(dataset.events, defaultIdentitySettings);
    report('arrival order', m);
    expect(m.precision).toBeGreaterThanOrEqual(0.99);
    expect(m.f1).toBeGreaterThanOrEqual(0.97);
  });

  it('keeps F1 ≥ 0.97 and precision ≥ 0.99 when events arrive in random order', () => {
    const shuffled = createRng(SEED).shuffle(dataset.events);
    const m = score(shuffled, defaultIdentitySettings);
    report('random order', m);
    expect(m.precision).toBeGreaterThanOrEqual(0.99);
    expect(m.f1).toBeGreaterThanOrEqual(0.97);
  });

  it('probabilistic matching adds recall without costing precision', () => {
    const exact = score(dataset.events, exactOnly);
    const both = score(dataset.events, defaultIdentitySettings);
    report('exact only', exact);
    expect(both.recall).toBeGreaterThan(exact.recall);
    expect(both.precision).toBeGreaterThanOrEqual(exact.precision - 0.001);
  });
});

describe('probabilistic threshold', () => {
  let pairs: LabelledPair[];
  beforeAll(() => {
    pairs = labelledCandidatePairs(dataset.events, defaultIdentitySettings);
  });

  it('the default threshold is at or above the lowest one that keeps precision ≥ 0.99', () => {
    const tuned = thresholdForPrecision(pairs, 0.99);
    expect(tuned).toBeDefined();
    expect(defaultIdentitySettings.probabilistic.threshold).toBeGreaterThanOrEqual(tuned!);
    const atDefault = thresholdCurve(pairs).find(
      (p) => p.threshold <= defaultIdentitySettings.probabilistic.threshold,
    )!;
    console.info(`identity eval threshold: tuned ${tuned}, default ${JSON.stringify(atDefault)}`);
    expect(atDefault.precision).toBeGreaterThanOrEqual(0.99);
    expect(atDefault.correct).toBeGreaterThan(0);
  });

  it('different people do reach the candidate pairs (the test is not vacuous)', () => {
    expect(pairs.filter((p) => !p.same).length).toBeGreaterThan(1000);
    expect(
      pairs.some((p) => !p.same && p.result.features.some((f) => f.name === 'name' && f.value === 'exact')),
    ).toBe(true);
  });
});
