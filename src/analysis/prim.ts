/**
 * PRIM scenario discovery (Friedman & Fisher 1999, "Bump hunting in high-dimensional data"), in
 * the form the EMA Workbench uses for scenario discovery (Bryant & Lempert 2010): given cases x
 * (one row per case, numeric dimensions) and which of them are of interest (y = 1), find a box
 * of simple limits on few dimensions holding many cases of interest (coverage) and few others
 * (density).
 *
 * Peeling: from the box holding every case, each step tries, for every dimension, cutting off the
 * lowest or the highest `peelAlpha` share of the cases left in the box (at a quantile that never
 * splits tied values), and keeps the cut with the best "lenient" objective — the gain in mean y
 * per case removed (EMA's default LENIENT1) — preferring, at equal gain, boxes restricting fewer
 * dimensions. Peeling stops when no cut raises the mean or the box would hold less than
 * `massMin` of the cases. Pasting then widens the final box back along each restricted
 * dimension by a `pasteAlpha` quantile step while that raises the mean. Every box of the way is
 * kept: the peeling trajectory is the coverage/density trade-off a reader chooses from.
 *
 * Quasi-p-values (Bryant & Lempert 2010, as EMA computes them): for each limit of a box, drop
 * that one limit and take the share p of cases of interest in the widened box; the limit's
 * quasi-p-value is P(X ≥ H) for X ~ Binomial(T, p), T and H the cases and cases of interest in
 * the box itself — how likely so dense a box would be by chance if the limit did nothing.
 * Pure; deterministic (no random draws).
 */
import { binomialUpperTail } from './distributions.ts';

export interface PrimOptions {
  /** Share of the box's cases cut off by one peel (default 0.05). */
  peelAlpha?: number;
  /** Share added back by one paste (default 0.05). */
  pasteAlpha?: number;
  /** Smallest box, as a share of all cases (default 0.05). */
  massMin?: number;
}

/** Lower and upper limit of each dimension, in dimension order. */
export type Limits = [number, number][];

export interface PrimBox {
  /** Position on the trajectory (0: every case). */
  index: number;
  /** How the box was reached. */
  step: 'start' | 'peel' | 'paste';
  limits: Limits;
  /** Cases in the box, and cases of interest among them. */
  n: number;
  k: number;
  /** k / all cases of interest. */
  coverage: number;
  /** k / n. */
  density: number;
  /** n / all cases. */
  mass: number;
  /** Dimensions whose limits differ from the start box. */
  restricted: number[];
}

export interface PrimResult {
  names: string[];
  cases: number;
  casesOfInterest: number;
  /** The box holding every case: each dimension's minimum and maximum. */
  initial: Limits;
  trajectory: PrimBox[];
}

export interface PrimInput {
  /** Dimension names. */
  names: readonly string[];
  /** columns[d][i]: case i's value on dimension d. */
  columns: readonly ArrayLike<number>[];
  /** 1 (or true) for a case of interest. */
  interest: ArrayLike<number | boolean>;
}

/**
 * The quantile EMA takes over from sdtoolkit: between order statistics, moved past ties so the
 * cut falls midway between two distinct values (a peel never splits a tied value).
 */
export function primQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  const h = (n - 1) * q;
  let lo = Math.floor(h);
  let hi = Math.ceil(h);
  if (q > 0.5) {
    while (sorted[lo] === sorted[hi] && lo > 0) lo--;
  } else {
    while (sorted[lo] === sorted[hi] && hi < n - 1) hi++;
  }
  return (sorted[lo] + sorted[hi]) / 2;
}

const inBox = (columns: readonly ArrayLike<number>[], limits: Limits, i: number) => {
  for (let d = 0; d < limits.length; d++) {
    const v = columns[d][i];
    if (v < limits[d][0] || v > limits[d][1]) return false;
  }
  return true;
};

function restrictedOf(limits: Limits, initial: Limits): number[] {
  const out: number[] = [];
  limits.forEach(([lo, hi], d) => {
    if (lo !== initial[d][0] || hi !== initial[d][1]) out.push(d);
  });
  return out;
}

/** EMA's LENIENT1: change in mean y per case removed (peel) or added (paste). */
function lenient(meanOld: number, nOld: number, meanNew: number, nNew: number): number {
  if (meanOld === meanNew || nOld === nNew) return 0;
  return (meanNew - meanOld) / Math.abs(nOld - nNew);
}

export function prim(input: PrimInput, options: PrimOptions = {}): PrimResult {
  const peelAlpha = options.peelAlpha ?? 0.05;
  const pasteAlpha = options.pasteAlpha ?? 0.05;
  const massMin = options.massMin ?? 0.05;
  const { columns } = input;
  const dims = columns.length;
  const n = input.interest.length;
  if (input.names.length !== dims) throw new RangeError('one name per dimension');
  if (columns.some((c) => c.length !== n)) throw new RangeError('every dimension needs one value per case');
  if (n === 0) throw new RangeError('PRIM needs cases');
  const y = Float64Array.from({ length: n }, (_, i) => (input.interest[i] ? 1 : 0));
  const totalInterest = y.reduce((a, b) => a + b, 0);
  const initial: Limits = columns.map((c) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, c[i]);
      hi = Math.max(hi, c[i]);
    }
    return [lo, hi];
  });
  const trajectory: PrimBox[] = [];
  const record = (step: PrimBox['step'], limits: Limits, members: number[]) => {
    let k = 0;
    for (const i of members) k += y[i];
    trajectory.push({
      index: trajectory.length, step, limits: limits.map(([lo, hi]) => [lo, hi]), n: members.length, k,
      coverage: totalInterest > 0 ? k / totalInterest : 0, density: members.length > 0 ? k / members.length : 0,
      mass: members.length / n, restricted: restrictedOf(limits, initial),
    });
  };
  const meanOf = (members: readonly number[]) => {
    let s = 0;
    for (const i of members) s += y[i];
    return members.length > 0 ? s / members.length : 0;
  };

  let limits: Limits = initial.map(([lo, hi]) => [lo, hi]);
  let members = Array.from({ length: n }, (_, i) => i);
  record('start', limits, members);

  // Peeling.
  for (;;) {
    const meanOld = meanOf(members);
    let best: { obj: number; free: number; limits: Limits; members: number[] } | undefined;
    for (let d = 0; d < dims; d++) {
      const values = Float64Array.from(members, (i) => columns[d][i]).sort();
      for (const side of [1, 0] as const) { // upper first, then lower, as EMA lists them
        const cut = primQuantile(values, side === 1 ? 1 - peelAlpha : peelAlpha);
        const kept = members.filter((i) => (side === 1 ? columns[d][i] <= cut : columns[d][i] >= cut));
        const candidate = limits.map(([lo, hi]) => [lo, hi]) as Limits;
        candidate[d][side] = cut;
        const obj = lenient(meanOld, members.length, meanOf(kept), kept.length);
        const free = dims - restrictedOf(candidate, initial).length;
        if (!best || obj > best.obj || (obj === best.obj && free > best.free)) best = { obj, free, limits: candidate, members: kept };
      }
    }
    if (!best || !(best.obj > 0) || best.members.length / n < massMin || best.members.length >= members.length) break;
    limits = best.limits;
    members = best.members;
    record('peel', limits, members);
  }

  // Pasting: widen one restricted limit at a time by a quantile step of the cases just outside it.
  for (;;) {
    const meanOld = meanOf(members);
    const restricted = restrictedOf(limits, initial);
    let best: { obj: number; free: number; limits: Limits; members: number[] } | undefined;
    for (const d of restricted) {
      for (const side of [0, 1] as const) {
        const widened = limits.map(([lo, hi]) => [lo, hi]) as Limits;
        widened[d] = side === 0 ? [initial[d][0], limits[d][0]] : [limits[d][1], initial[d][1]];
        const outside: number[] = [];
        for (let i = 0; i < n; i++) if (inBox(columns, widened, i)) outside.push(columns[d][i]);
        const sorted = Float64Array.from(outside).sort();
        const value = sorted.length === 0 ? initial[d][side]
          : primQuantile(sorted, side === 0 ? 1 - pasteAlpha : pasteAlpha);
        const candidate = limits.map(([lo, hi]) => [lo, hi]) as Limits;
        candidate[d][side] = side === 0 ? Math.min(value, limits[d][0]) : Math.max(value, limits[d][1]);
        const kept: number[] = [];
        for (let i = 0; i < n; i++) if (inBox(columns, candidate, i)) kept.push(i);
        const obj = lenient(meanOld, members.length, meanOf(kept), kept.length);
        const free = dims - restrictedOf(candidate, initial).length;
        if (!best || obj > best.obj || (obj === best.obj && free > best.free)) best = { obj, free, limits: candidate, members: kept };
      }
    }
    if (!best || !(best.obj > 0) || best.members.length <= members.length || best.members.length / n < massMin) break;
    limits = best.limits;
    members = best.members;
    record('paste', limits, members);
  }
  return { names: [...input.names], cases: n, casesOfInterest: totalInterest, initial, trajectory };
}

export interface LimitReport {
  dimension: string;
  lower: number;
  upper: number;
  /** Quasi-p-value of each limit; null where the limit is the start box's (not a restriction). */
  pLower: number | null;
  pUpper: number | null;
}

/** The restricted limits of `box` with their quasi-p-values (one-sided binomial test, as EMA). */
export function quasiP(input: PrimInput, result: PrimResult, box: PrimBox): LimitReport[] {
  const n = input.interest.length;
  const y = (i: number) => (input.interest[i] ? 1 : 0);
  return box.restricted.map((d) => {
    const p = (side: 0 | 1): number | null => {
      if (box.limits[d][side] === result.initial[d][side]) return null;
      const widened = box.limits.map(([lo, hi]) => [lo, hi]) as Limits;
      widened[d][side] = result.initial[d][side];
      let t = 0;
      let h = 0;
      for (let i = 0; i < n; i++) {
        if (inBox(input.columns, widened, i)) {
          t++;
          h += y(i);
        }
      }
      return binomialUpperTail(box.k, box.n, t > 0 ? h / t : 0);
    };
    return { dimension: result.names[d], lower: box.limits[d][0], upper: box.limits[d][1], pLower: p(0), pUpper: p(1) };
  });
}

/**
 * A default choice on the trade-off: the densest box that still covers at least `minCoverage` of
 * the cases of interest (ties: the higher coverage, then the earlier box). The reader can pick
 * another box by its index; the whole trajectory is reported.
 */
export function chooseBox(result: PrimResult, minCoverage = 0.5): PrimBox {
  let chosen = result.trajectory[0];
  for (const box of result.trajectory) {
    if (box.coverage + 1e-12 < minCoverage) continue;
    if (box.density > chosen.density + 1e-12 || (Math.abs(box.density - chosen.density) <= 1e-12 && box.coverage > chosen.coverage + 1e-12)) {
      chosen = box;
    }
  }
  return chosen;
}
