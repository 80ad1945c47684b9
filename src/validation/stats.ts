/**
 * Small statistics for pattern tests on paired replicates (common random numbers): mean
 * difference, its 95% confidence interval (t distribution), and the standardised effect size
 * d_z = mean / sd of the paired differences.
 */

export interface PairedSummary {
  n: number;
  mean: number;
  sd: number;
  lower: number;
  upper: number;
  /** Cohen's d_z for paired data (mean difference over the sd of differences). */
  effectSize: number;
}

/** Two-sided 97.5% quantile of Student's t with `df` degrees of freedom (Cornish–Fisher expansion). */
export function tQuantile975(df: number): number {
  const z = 1.959963984540054;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3;
}

export function summarise(values: readonly number[]): PairedSummary {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  const sd = Math.sqrt(variance);
  const half = n > 1 ? (tQuantile975(n - 1) * sd) / Math.sqrt(n) : 0;
  return { n, mean, sd, lower: mean - half, upper: mean + half, effectSize: sd > 0 ? mean / sd : mean === 0 ? 0 : Infinity * Math.sign(mean) };
}

/** Paired differences a[k] − b[k]. */
export function paired(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) throw new RangeError(`paired samples differ in length: ${a.length} vs ${b.length}`);
  return a.map((x, k) => x - b[k]);
}

/** Share of the variance of `values` explained by `groups` (eta squared, one-way). */
export function etaSquared(values: readonly number[], groups: readonly string[]): number {
  const grand = values.reduce((a, b) => a + b, 0) / values.length;
  const byGroup = new Map<string, number[]>();
  values.forEach((v, k) => byGroup.set(groups[k], [...(byGroup.get(groups[k]) ?? []), v]));
  let between = 0;
  for (const members of byGroup.values()) {
    const mean = members.reduce((a, b) => a + b, 0) / members.length;
    between += members.length * (mean - grand) ** 2;
  }
  const total = values.reduce((a, v) => a + (v - grand) ** 2, 0);
  return total > 0 ? between / total : 0;
}
