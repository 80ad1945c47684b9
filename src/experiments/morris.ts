/**
 * Morris elementary effects (Morris 1991; mu* from Campolongo, Cariboni & Saltelli 2007).
 * Sampling: r trajectories of k + 1 points on a p-level grid in [0, 1]^k, each moving one
 * factor at a time by Δ = p / (2(p − 1)), in random order and direction. Analysis: for factor i
 * the elementary effect of each trajectory is EE = (y(x + Δe_i) − y(x)) / Δ, in output units
 * per full range of the factor; mu is their mean, mu* the mean of |EE| and sigma their standard
 * deviation (n − 1), with a seeded percentile-bootstrap interval for mu*. Pure functions.
 */
import type { Uniform } from '../model/rng.ts';
import { quantileSorted } from '../analysis/quantile.ts';

export interface MorrisDesign {
  trajectories: number;
  factors: number;
  levels: number;
  delta: number;
  /** r·(k + 1) points in [0, 1]^k, trajectory by trajectory. */
  points: Float64Array[];
  /** For each trajectory, the factor moved at each step (k entries) and its direction (±1). */
  steps: { factor: Int32Array; sign: Int8Array }[];
}

/** Samples `trajectories` Morris trajectories over `factors` factors on a `levels`-level grid (levels even, ≥ 2). */
export function morrisSample(trajectories: number, factors: number, levels: number, uniform: Uniform): MorrisDesign {
  if (!(levels >= 2 && levels % 2 === 0)) throw new RangeError(`Morris levels must be an even number ≥ 2, not ${levels}`);
  const delta = levels / (2 * (levels - 1));
  const bases = levels / 2; // start levels 0 .. p/2 − 1, so x + Δ stays within [0, 1]
  const points: Float64Array[] = [];
  const steps: MorrisDesign['steps'] = [];
  for (let t = 0; t < trajectories; t++) {
    const x = new Float64Array(factors);
    const sign = new Int8Array(factors);
    for (let i = 0; i < factors; i++) {
      const base = Math.floor(uniform() * bases) / (levels - 1);
      sign[i] = uniform() < 0.5 ? -1 : 1;
      x[i] = sign[i] === 1 ? base : base + delta;
    }
    const order = Int32Array.from({ length: factors }, (_, i) => i);
    for (let i = factors - 1; i > 0; i--) {
      const s = Math.floor(uniform() * (i + 1));
      [order[i], order[s]] = [order[s], order[i]];
    }
    points.push(Float64Array.from(x));
    const moved = new Int8Array(factors);
    for (let m = 0; m < factors; m++) {
      const i = order[m];
      x[i] = clampUnit(x[i] + sign[i] * delta);
      moved[m] = sign[i];
      points.push(Float64Array.from(x));
    }
    steps.push({ factor: order, sign: moved });
  }
  return { trajectories, factors, levels, delta, points, steps };
}

const clampUnit = (x: number) => Math.min(1, Math.max(0, Math.round(x * 1e12) / 1e12));

export interface MorrisIndices {
  mu: number;
  muStar: number;
  sigma: number;
  /** Percentile-bootstrap interval of mu* (over trajectories). */
  muStarLow: number;
  muStarHigh: number;
}

/** Elementary effects per factor: ee[i][t] for trajectory t. */
export function elementaryEffects(design: MorrisDesign, y: ArrayLike<number>): Float64Array[] {
  const { trajectories: r, factors: k, delta } = design;
  if (y.length !== r * (k + 1)) throw new RangeError(`Morris analysis needs ${r * (k + 1)} outputs, got ${y.length}`);
  const ee = Array.from({ length: k }, () => new Float64Array(r));
  for (let t = 0; t < r; t++) {
    const { factor, sign } = design.steps[t];
    const base = t * (k + 1);
    for (let m = 0; m < k; m++) ee[factor[m]][t] = (y[base + m + 1] - y[base + m]) / (sign[m] * delta);
  }
  return ee;
}

/** mu, mu*, sigma and a bootstrap interval of mu* for each factor. */
export function morrisAnalyse(
  design: MorrisDesign, y: ArrayLike<number>, options: { bootstrap: number; uniform: Uniform; level?: number },
): MorrisIndices[] {
  const ee = elementaryEffects(design, y);
  const r = design.trajectories;
  const level = options.level ?? 0.95;
  return ee.map((effects) => {
    const mu = mean(effects);
    const abs = effects.map(Math.abs);
    const muStar = mean(abs);
    const sigma = r > 1 ? Math.sqrt(effects.reduce((a, e) => a + (e - mu) ** 2, 0) / (r - 1)) : 0;
    const boot = new Float64Array(options.bootstrap);
    for (let b = 0; b < options.bootstrap; b++) {
      let sum = 0;
      for (let t = 0; t < r; t++) sum += abs[Math.floor(options.uniform() * r)];
      boot[b] = sum / r;
    }
    const [muStarLow, muStarHigh] = percentileInterval(boot, level);
    return { mu, muStar, sigma, muStarLow, muStarHigh };
  });
}

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return values.length > 0 ? sum / values.length : NaN;
}

/** The central `level` percentile interval of `values` (type-7 quantiles); NaN when empty. */
export function percentileInterval(values: Float64Array, level: number): [number, number] {
  if (values.length === 0) return [NaN, NaN];
  const sorted = Float64Array.from(values).sort();
  return [quantileSorted(sorted, (1 - level) / 2), quantileSorted(sorted, (1 + level) / 2)];
}
