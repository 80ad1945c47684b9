/**
 * The Gaussian perturbation kernel N(0, 2Σ) of ABC population Monte Carlo: Beaumont et al. (2009)
 * derive twice the weighted covariance by minimising a Kullback–Leibler divergence between
 * successive populations; Filippi et al. (2013) compare it with local alternatives. Held as its
 * Cholesky factor: one factor serves every draw and every density evaluation of a generation.
 */
import { inverseNormal, type Uniform } from '../model/rng.ts';

export interface Kernel {
  k: number;
  /** Lower-triangular Cholesky factor of the kernel covariance, row-major. */
  chol: Float64Array;
}

/**
 * Kernel with covariance 2·cov (or 2·diag(cov) for 'diagonal'). `floor` is a per-coordinate
 * variance added before factorising if the matrix is not positive definite (a collapsed or
 * perfectly correlated population), so the kernel can always move.
 */
export function makeKernel(cov: Float64Array, k: number, kind: 'multivariate' | 'diagonal', floor: Float64Array): Kernel {
  const m = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) if (kind === 'multivariate' || a === b) m[a * k + b] = 2 * cov[a * k + b];
  }
  for (let attempt = 0; attempt < 60; attempt++) {
    const chol = cholesky(m, k);
    if (chol) return { k, chol };
    const scale = 2 ** attempt;
    for (let a = 0; a < k; a++) m[a * k + a] += floor[a] * scale;
  }
  throw new Error('perturbation kernel: covariance is not positive definite even after regularisation');
}

/** Lower Cholesky factor of the symmetric k × k matrix `m`, or null if it is not positive definite. */
export function cholesky(m: Float64Array, k: number): Float64Array | null {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = m[i * k + j];
      for (let p = 0; p < j; p++) sum -= l[i * k + p] * l[j * k + p];
      if (i === j) {
        if (!(sum > 0) || !Number.isFinite(sum)) return null;
        l[i * k + i] = Math.sqrt(sum);
      } else l[i * k + j] = sum / l[j * k + j];
    }
  }
  return l;
}

/** `centre` plus a kernel draw, using k uniforms from `uniform`. */
export function perturb(kernel: Kernel, centre: Float64Array, uniform: Uniform): Float64Array {
  const { k, chol } = kernel;
  const n = new Float64Array(k);
  for (let a = 0; a < k; a++) n[a] = inverseNormal(uniform());
  const out = Float64Array.from(centre);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) out[a] += chol[a * k + b] * n[b];
  }
  return out;
}

/** log K(x | centre) up to the normalising constant (which cancels in the importance weights). */
export function logKernel(kernel: Kernel, x: Float64Array, centre: Float64Array): number {
  const { k, chol } = kernel;
  // Forward substitution L y = x − centre; the quadratic form is |y|².
  const y = new Float64Array(k);
  let q = 0;
  for (let a = 0; a < k; a++) {
    let sum = x[a] - centre[a];
    for (let b = 0; b < a; b++) sum -= chol[a * k + b] * y[b];
    y[a] = sum / chol[a * k + a];
    q += y[a] * y[a];
  }
  return -0.5 * q;
}
