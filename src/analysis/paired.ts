/**
 * Paired differences on common random numbers. Replicate k of every label uses random stream
 * (seed, k), so B_k − A_k is the effect of what differs between the labels with the luck held
 * fixed: the right unit is the pair, not two independent samples. For each measure: the mean
 * paired difference, its 95% interval from Student's t on n − 1 degrees of freedom (exact
 * quantile), Cohen's d_z (mean over the sd of the differences) and the count of pairs in which B
 * is better (or higher, for measures without a direction of "better"). Pure functions.
 */
import { tQuantile } from './distributions.ts';

export type Better = 'higher' | 'lower';

export interface PairedStats {
  /** Pairs (replicates). */
  n: number;
  meanA: number;
  meanB: number;
  /** Mean of B_k − A_k. */
  mean: number;
  /** Sample sd of the differences (n − 1 denominator); 0 for a single pair. */
  sd: number;
  /** The interval's bounds (t-based; equal to the mean for fewer than two pairs or sd 0). */
  lower: number;
  upper: number;
  /** mean / sd; 0 when every difference is 0; null when sd is 0 but the mean is not (every pair moves alike). */
  dz: number | null;
  /** Pairs with B better (higher, without a direction), B worse (lower), and equal. */
  wins: number;
  losses: number;
  ties: number;
  /** The direction of "better" the counts used, or absent (counts are then "higher"). */
  better?: Better;
}

/** Paired statistics of b − a (same length: pair k is replicate k of both). */
export function pairedStats(a: ArrayLike<number>, b: ArrayLike<number>, better?: Better, confidence = 0.95): PairedStats {
  if (a.length !== b.length) throw new RangeError(`paired samples differ in length: ${a.length} and ${b.length}`);
  const n = a.length;
  if (n === 0) throw new RangeError('paired statistics need at least one pair');
  let sumA = 0;
  let sumB = 0;
  let up = 0;
  let down = 0;
  const d = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    sumA += a[k];
    sumB += b[k];
    d[k] = b[k] - a[k];
    if (d[k] > 0) up++;
    else if (d[k] < 0) down++;
  }
  let mean = 0;
  for (let k = 0; k < n; k++) mean += d[k];
  mean /= n;
  let ss = 0;
  for (let k = 0; k < n; k++) ss += (d[k] - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const half = n > 1 && sd > 0 ? (tQuantile(1 - (1 - confidence) / 2, n - 1) * sd) / Math.sqrt(n) : 0;
  const lowerIsBetter = better === 'lower';
  return {
    n, meanA: sumA / n, meanB: sumB / n, mean, sd, lower: mean - half, upper: mean + half,
    dz: sd > 0 ? mean / sd : mean === 0 ? 0 : null,
    wins: lowerIsBetter ? down : up, losses: lowerIsBetter ? up : down, ties: n - up - down,
    ...(better ? { better } : {}),
  };
}

/** "system better in 18 of 20 pairs" / "system higher in 18 of 20 pairs". */
export function winsText(stats: PairedStats, label: string): string {
  const word = stats.better ? 'better' : 'higher';
  return `${label} ${word} in ${stats.wins} of ${stats.n}`;
}

/** Whether the interval excludes zero, and on which side: what a reader wants first. */
export function verdict(stats: PairedStats): 'higher' | 'lower' | 'unclear' | 'no difference' {
  if (stats.sd === 0 && stats.mean === 0) return 'no difference';
  if (stats.lower > 0) return 'higher';
  if (stats.upper < 0) return 'lower';
  return 'unclear';
}
