/**
 * Statistics of a weighted sample (normalised weights, as ABC-SMC particles carry): mean, sd,
 * quantiles, effective sample size, and the weighted covariance the perturbation kernel is
 * built from.
 */

/** `weights` scaled to sum to 1 (throws if none is positive). */
export function normalise(weights: ArrayLike<number>): Float64Array {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  if (!(total > 0) || !Number.isFinite(total)) throw new Error(`weights sum to ${total}; cannot normalise`);
  const out = new Float64Array(weights.length);
  for (let i = 0; i < weights.length; i++) out[i] = weights[i] / total;
  return out;
}

/** Kish's effective sample size 1 / Σ w² for normalised weights: N when equal, 1 when one carries all. */
export function effectiveSampleSize(weights: ArrayLike<number>): number {
  let sq = 0;
  for (let i = 0; i < weights.length; i++) sq += weights[i] * weights[i];
  return 1 / sq;
}

export function weightedMean(values: ArrayLike<number>, weights: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += weights[i] * values[i];
  return sum;
}

/** Weighted sd (the plain weighted second moment about the mean; no small-sample correction). */
export function weightedSd(values: ArrayLike<number>, weights: ArrayLike<number>): number {
  const mean = weightedMean(values, weights);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += weights[i] * (values[i] - mean) ** 2;
  return Math.sqrt(sum);
}

/**
 * Weighted quantiles by linear interpolation between the midpoints of each value's weight
 * (Hazen's rule when weights are equal), so a quantile moves smoothly with the weights.
 */
export function weightedQuantiles(values: ArrayLike<number>, weights: ArrayLike<number>, probabilities: readonly number[]): number[] {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  const positions = new Float64Array(order.length);
  let cumulative = 0;
  order.forEach((index, k) => {
    positions[k] = cumulative + weights[index] / 2;
    cumulative += weights[index];
  });
  return probabilities.map((p) => {
    const target = p * cumulative;
    if (target <= positions[0]) return values[order[0]];
    for (let k = 1; k < order.length; k++) {
      if (target <= positions[k]) {
        const span = positions[k] - positions[k - 1];
        const f = span > 0 ? (target - positions[k - 1]) / span : 1;
        return values[order[k - 1]] + f * (values[order[k]] - values[order[k - 1]]);
      }
    }
    return values[order[order.length - 1]];
  });
}

/** Unweighted quantile (same rule as weightedQuantiles with equal weights). */
export function quantile(values: ArrayLike<number>, p: number): number {
  const w = new Float64Array(values.length).fill(1 / values.length);
  return weightedQuantiles(values, w, [p])[0];
}

/** Weighted covariance matrix (row-major k × k) of `points` (each of length k). */
export function weightedCovariance(points: readonly Float64Array[], weights: ArrayLike<number>): Float64Array {
  const k = points[0].length;
  const mean = new Float64Array(k);
  points.forEach((p, i) => {
    for (let a = 0; a < k; a++) mean[a] += weights[i] * p[a];
  });
  const cov = new Float64Array(k * k);
  points.forEach((p, i) => {
    for (let a = 0; a < k; a++) {
      for (let b = 0; b <= a; b++) cov[a * k + b] += weights[i] * (p[a] - mean[a]) * (p[b] - mean[b]);
    }
  });
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) cov[b * k + a] = cov[a * k + b];
  return cov;
}
