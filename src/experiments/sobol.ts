/**
 * Variance-based (Sobol) sensitivity indices with the Saltelli sampling scheme. Two independent
 * N × k matrices A and B in [0, 1)^k; for each factor i the matrix A_B^(i) is A with column i from
 * B. Estimators (Saltelli et al. 2010, Table 2): first order
 *   S_i  = (1/N) Σ_j f(B)_j (f(A_B^(i))_j − f(A)_j) / V          (Saltelli 2010),
 * total effect
 *   ST_i = (1/2N) Σ_j (f(A)_j − f(A_B^(i))_j)² / V               (Jansen 1999),
 * with V the variance of f over A and B together. Confidence intervals are percentile bootstraps
 * over the N rows, drawn from a seeded stream. Pure functions.
 */
import type { Uniform } from '../model/rng.ts';
import { percentileInterval } from './morris.ts';

/** Points in the order A_j, B_j, A_B^(1)_j … A_B^(k)_j for j = 0 … N−1 (N·(k + 2) points). */
export interface SobolDesign {
  samples: number;
  factors: number;
  points: Float64Array[];
}

export function sobolSample(samples: number, factors: number, uniform: Uniform): SobolDesign {
  const points: Float64Array[] = [];
  for (let j = 0; j < samples; j++) {
    const a = new Float64Array(factors);
    const b = new Float64Array(factors);
    for (let i = 0; i < factors; i++) a[i] = uniform();
    for (let i = 0; i < factors; i++) b[i] = uniform();
    points.push(a, b);
    for (let i = 0; i < factors; i++) {
      const ab = Float64Array.from(a);
      ab[i] = b[i];
      points.push(ab);
    }
  }
  return { samples, factors, points };
}

export interface SobolIndices {
  first: number;
  firstLow: number;
  firstHigh: number;
  total: number;
  totalLow: number;
  totalHigh: number;
}

/** S_i and ST_i over the rows `rows` (indices into 0..N−1; all rows by default). */
function estimate(y: ArrayLike<number>, k: number, rows: ArrayLike<number>, first: Float64Array, total: Float64Array): void {
  const n = rows.length;
  const stride = k + 2;
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const base = rows[r] * stride;
    sum += y[base] + y[base + 1];
  }
  // Outputs are centred on their mean (as SALib does): same expectation, far less noise when
  // the mean is large against the spread.
  const m = sum / (2 * n);
  let sumSq = 0;
  for (let r = 0; r < n; r++) {
    const base = rows[r] * stride;
    sumSq += (y[base] - m) ** 2 + (y[base + 1] - m) ** 2;
  }
  const variance = sumSq / (2 * n);
  for (let i = 0; i < k; i++) {
    let s = 0;
    let t = 0;
    for (let r = 0; r < n; r++) {
      const base = rows[r] * stride;
      const a = y[base] - m;
      const b = y[base + 1] - m;
      const ab = y[base + 2 + i] - m;
      s += b * (ab - a);
      t += (a - ab) ** 2;
    }
    first[i] = variance > 0 ? s / n / variance : NaN;
    total[i] = variance > 0 ? t / (2 * n) / variance : NaN;
  }
}

/** First-order and total indices with percentile-bootstrap intervals. */
export function sobolAnalyse(
  design: Pick<SobolDesign, 'samples' | 'factors'>, y: ArrayLike<number>,
  options: { bootstrap: number; uniform: Uniform; level?: number },
): SobolIndices[] {
  const { samples: n, factors: k } = design;
  if (y.length !== n * (k + 2)) throw new RangeError(`Sobol analysis needs ${n * (k + 2)} outputs, got ${y.length}`);
  const first = new Float64Array(k);
  const total = new Float64Array(k);
  estimate(y, k, Int32Array.from({ length: n }, (_, j) => j), first, total);
  const bootFirst = Array.from({ length: k }, () => new Float64Array(options.bootstrap));
  const bootTotal = Array.from({ length: k }, () => new Float64Array(options.bootstrap));
  const rows = new Int32Array(n);
  const f = new Float64Array(k);
  const t = new Float64Array(k);
  for (let b = 0; b < options.bootstrap; b++) {
    for (let r = 0; r < n; r++) rows[r] = Math.floor(options.uniform() * n);
    estimate(y, k, rows, f, t);
    for (let i = 0; i < k; i++) {
      bootFirst[i][b] = f[i];
      bootTotal[i][b] = t[i];
    }
  }
  const level = options.level ?? 0.95;
  return Array.from({ length: k }, (_, i) => {
    const [firstLow, firstHigh] = percentileInterval(bootFirst[i].filter(Number.isFinite), level);
    const [totalLow, totalHigh] = percentileInterval(bootTotal[i].filter(Number.isFinite), level);
    return { first: first[i], firstLow, firstHigh, total: total[i], totalLow, totalHigh };
  });
}

/** The Ishigami function (a = 7, b = 0.1 by default) on [−π, π]³, a standard test of Sobol estimators. */
export function ishigami(x1: number, x2: number, x3: number, a = 7, b = 0.1): number {
  return Math.sin(x1) + a * Math.sin(x2) ** 2 + b * x3 ** 4 * Math.sin(x1);
}

/** Analytic first-order and total indices of the Ishigami function. */
export function ishigamiIndices(a = 7, b = 0.1): { first: number[]; total: number[] } {
  const pi4 = Math.PI ** 4;
  const pi8 = Math.PI ** 8;
  const v1 = 0.5 * (1 + (b * pi4) / 5) ** 2;
  const v2 = a ** 2 / 8;
  const v13 = (b ** 2 * pi8 * 8) / 225;
  const v = v1 + v2 + v13;
  return { first: [v1 / v, v2 / v, 0], total: [(v1 + v13) / v, v2 / v, v13 / v] };
}
