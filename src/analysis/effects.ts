/**
 * Which factor moves which output, over a sweep's design points (replicate means): Spearman's
 * rank correlation for numeric factors (monotone effects, robust to scale), eta squared (share
 * of variance between the factor's levels) for categories such as the regime, and main effects —
 * the output's mean and 5–95% spread at each level of a factor (or each of up to `bins` quantile
 * bins of a sampled one), over every other factor. Pure.
 */
import { quantile } from './policies.ts';
import type { FactorValue, SweepFactor, SweepTable } from './sweep-table.ts';

/** Ranks 1..n, ties given their average rank. */
export function ranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const out = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k]] = rank;
    i = j + 1;
  }
  return out;
}

/** Pearson correlation; NaN when either side is constant. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Spearman's rank correlation (Pearson on average ranks). */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearson(ranks(x), ranks(y));
}

/** Share of the variance of `y` between the groups of `groups` (one-way eta squared). */
export function etaSquared(y: ArrayLike<number>, groups: readonly FactorValue[]): number {
  const n = y.length;
  let grand = 0;
  for (let i = 0; i < n; i++) grand += y[i];
  grand /= n;
  const sums = new Map<FactorValue, { sum: number; n: number }>();
  let total = 0;
  for (let i = 0; i < n; i++) {
    const g = sums.get(groups[i]) ?? { sum: 0, n: 0 };
    g.sum += y[i];
    g.n++;
    sums.set(groups[i], g);
    total += (y[i] - grand) ** 2;
  }
  let between = 0;
  for (const g of sums.values()) between += g.n * (g.sum / g.n - grand) ** 2;
  return total > 0 ? between / total : NaN;
}

export interface EffectLevel {
  /** The level (a factor value, or a bin's "lo–hi"). */
  level: string;
  /** Numeric position (the value or the bin's mean), absent for categories. */
  x?: number;
  n: number;
  mean: number;
  p5: number;
  p95: number;
}

/** Levels of a factor: its distinct values (up to `bins`), or quantile bins of a sampled factor. */
export function levelsOf(factor: SweepFactor, bins = 8): { label: string; x?: number; points: number[] }[] {
  const distinct = [...new Set(factor.values)];
  if (!factor.numeric || distinct.length <= Math.max(bins, 12)) {
    const sorted = factor.numeric ? (distinct as number[]).sort((a, b) => a - b) : distinct;
    return sorted.map((v) => ({
      label: String(v), ...(factor.numeric ? { x: v as number } : {}),
      points: factor.values.flatMap((w, p) => (w === v ? [p] : [])),
    }));
  }
  const order = factor.values.map((_, p) => p).sort((a, b) => (factor.values[a] as number) - (factor.values[b] as number));
  return Array.from({ length: bins }, (_, b) => {
    const points = order.slice(Math.floor((b * order.length) / bins), Math.floor(((b + 1) * order.length) / bins));
    const xs = points.map((p) => factor.values[p] as number);
    const fmt = (v: number) => String(Number(v.toPrecision(3)));
    return { label: `${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}`, x: xs.reduce((a, c) => a + c, 0) / xs.length, points };
  }).filter((l) => l.points.length > 0);
}

/** The output's mean and 5–95% spread over the points at each level of `factor`. */
export function mainEffect(table: SweepTable, factor: SweepFactor, output: string, bins = 8, within?: readonly number[]): EffectLevel[] {
  const y = table.outputs[output];
  const keep = within ? new Set(within) : undefined;
  return levelsOf(factor, bins).map((level) => {
    const points = keep ? level.points.filter((p) => keep.has(p)) : level.points;
    const values = Float64Array.from(points, (p) => y[p]).sort();
    return {
      level: level.label, ...(level.x !== undefined ? { x: level.x } : {}), n: values.length,
      mean: values.reduce((a, b) => a + b, 0) / values.length, p5: quantile(values, 0.05), p95: quantile(values, 0.95),
    };
  }).filter((l) => l.n > 0);
}

export interface FactorEffect {
  factor: string;
  role: SweepFactor['role'];
  output: string;
  /** Spearman's rho (numeric factors) or eta squared (categories). */
  statistic: 'spearman' | 'eta2';
  value: number | null;
  /** Largest minus smallest level mean (the main effect's reach, in the output's unit). */
  spread: number;
}

/** Every factor's effect on every output. */
export function factorEffects(table: SweepTable, outputs: readonly string[]): FactorEffect[] {
  return table.factors.filter((f) => new Set(f.values).size > 1).flatMap((factor) => outputs.map((output): FactorEffect => {
    const y = table.outputs[output];
    const value = factor.numeric ? spearman(factor.values as number[], y) : etaSquared(y, factor.values);
    const means = mainEffect(table, factor, output).map((l) => l.mean);
    return {
      factor: factor.name, role: factor.role, output, statistic: factor.numeric ? 'spearman' : 'eta2',
      value: Number.isFinite(value) ? value : null, spread: Math.max(...means) - Math.min(...means),
    };
  }));
}
