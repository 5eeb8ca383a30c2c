/**
 * Pairwise clustering metrics. Every pair of items is a decision: "same person" or not.
 * precision = correct same-cluster pairs / predicted same-cluster pairs,
 * recall    = correct same-cluster pairs / true same-person pairs.
 * Computed from cluster sizes (Σ n·(n−1)/2), so large datasets cost O(items).
 */
export interface PairwiseMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Same-person pairs in the truth. */
  truePairs: number;
  /** Same-cluster pairs in the prediction. */
  predictedPairs: number;
  /** Pairs in both. */
  correctPairs: number;
}

/** item → cluster label, or a list of clusters of items. */
export type Clustering = ReadonlyMap<string, string> | readonly (readonly string[])[];

function asLabels(clusters: Clustering): ReadonlyMap<string, string> {
  if (!Array.isArray(clusters)) return clusters as ReadonlyMap<string, string>;
  const labels = new Map<string, string>();
  (clusters as readonly (readonly string[])[]).forEach((items, i) => {
    for (const item of items) labels.set(item, String(i));
  });
  return labels;
}

function pairsIn(counts: Iterable<number>): number {
  let pairs = 0;
  for (const n of counts) pairs += (n * (n - 1)) / 2;
  return pairs;
}

/**
 * Scores `predicted` against `truth` over the items of `truth`. An item missing from the
 * prediction is a cluster of its own. With no predicted pairs precision is 1; with no true
 * pairs recall is 1.
 */
export function pairwiseMetrics(predicted: Clustering, truth: Clustering): PairwiseMetrics {
  const pred = asLabels(predicted);
  const real = asLabels(truth);
  const trueSizes = new Map<string, number>();
  const predSizes = new Map<string, number>();
  const cells = new Map<string, Map<string, number>>();
  for (const [item, person] of real) {
    trueSizes.set(person, (trueSizes.get(person) ?? 0) + 1);
    const cluster = pred.get(item);
    if (cluster === undefined) continue;
    predSizes.set(cluster, (predSizes.get(cluster) ?? 0) + 1);
    const cell = cells.get(cluster) ?? new Map<string, number>();
    cell.set(person, (cell.get(person) ?? 0) + 1);
    cells.set(cluster, cell);
  }
  const truePairs = pairsIn(trueSizes.values());
  const predictedPairs = pairsIn(predSizes.values());
  let correctPairs = 0;
  for (const cell of cells.values()) correctPairs += pairsIn(cell.values());
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, truePairs, predictedPairs, correctPairs };
}
