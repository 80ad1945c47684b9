/**
 * The one quantile rule of every summary partnersim prints, charts or tests (run and compare
 * summaries, policies' outcome distributions and regret, chart bands, the studio, Morris
 * intervals): linear interpolation between order statistics, R's type 7 and numpy's default.
 * The calibration's weighted quantiles (src/calibration/weighted.ts) are a different rule, for
 * weighted particles.
 */

/** Quantile `p` (clamped to [0,1]) of ascending-sorted values; NaN when there are none. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (n === 1) return sorted[0];
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
