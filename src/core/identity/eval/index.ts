/** The evaluation harness: synthetic labelled data, a pure reference resolver, pairwise metrics. */
export {
  type Dataset,
  type DatasetStats,
  type GenerateOptions,
  generateDataset,
  type LabelledEvent,
} from './generate.ts';
export { type Clustering, type PairwiseMetrics, pairwiseMetrics } from './metrics.ts';
export { createRng, type Rng } from './prng.ts';
export {
  type ResolvedProfile,
  type ResolveOptions,
  type ResolveResult,
  type ResolverEvent,
  resolveAll,
} from './resolve-all.ts';
export {
  type LabelledPair,
  labelledCandidatePairs,
  type ThresholdPoint,
  thresholdCurve,
  thresholdForPrecision,
} from './tune.ts';
