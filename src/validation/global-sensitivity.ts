/**
 * Global sensitivity of gm-2017 to every behavioural parameter: Morris screening (elementary
 * effects, Morris 1991; μ* of Campolongo, Cariboni & Saltelli 2007) over every numeric parameter
 * of the registry, then Sobol first-order and total indices (Saltelli 2002 estimators, as in
 * `src/experiments/sobol.ts`) on the parameters Morris ranks highest. Each parameter is varied
 * over an exploration band around its gm-2017 value: ±50% of the value within its validity
 * range (a parameter at 0 spans the first tenth of its range), integers rounded. Two ordering
 * constraints of the registry are kept by clamping: board.regressTrust ≤ board.normingTrust and
 * board.regressUnderstanding ≤ board.performingUnderstanding. Every point runs the same seeds
 * (common random numbers). Pure: returns numbers for the report.
 */
import { elementaryEffects, morrisAnalyse, morrisSample, type MorrisIndices } from '../experiments/morris.ts';
import { sobolAnalyse, sobolSample, type SobolIndices } from '../experiments/sobol.ts';
import { runReplicate, type ReplicateResult } from '../model/engine.ts';
import { getPath, PARAMETERS, setPath, type ParameterSpec } from '../model/parameters.ts';
import { measure } from '../model/results.ts';
import { stream } from '../model/rng.ts';
import { assertValidScenario } from '../model/scenario.ts';
import type { Scenario } from '../model/types.ts';

/** Paths that set the time resolution or the horizon, not behaviour. */
const NOT_BEHAVIOURAL = new Set(['rounds', 'roundsPerYear']);

export interface Factor {
  path: string;
  low: number;
  high: number;
  integer: boolean;
}

/** The exploration band of every numeric parameter around its value in `scenario`. */
export function explorationFactors(scenario: Scenario): Factor[] {
  const factors: Factor[] = [];
  for (const spec of PARAMETERS) {
    if ((spec.type !== 'number' && spec.type !== 'integer') || NOT_BEHAVIOURAL.has(spec.path)) continue;
    const value = getPath(scenario, spec.path);
    if (typeof value !== 'number') continue;
    const band = explorationBand(spec, value);
    if (band.high > band.low) factors.push({ path: spec.path, ...band, integer: spec.type === 'integer' });
  }
  return factors;
}

function explorationBand(spec: ParameterSpec, value: number): { low: number; high: number } {
  const min = spec.min ?? -Infinity;
  const max = spec.max ?? Infinity;
  if (value === 0) return { low: Math.max(min, 0), high: Math.min(max, Math.max(min, 0) + 0.1 * (max - min)) };
  const a = value * 0.5;
  const b = value * 1.5;
  return { low: Math.max(min, Math.min(a, b)), high: Math.min(max, Math.max(a, b)) };
}

/** The scenario at unit-cube point `x` (one coordinate per factor). */
export function scenarioAt(base: Scenario, factors: readonly Factor[], x: ArrayLike<number>): Scenario {
  const s = structuredClone(base) as unknown as Record<string, unknown>;
  factors.forEach((f, i) => {
    let v = f.low + x[i] * (f.high - f.low);
    if (f.integer) v = Math.round(v);
    setPath(s, f.path, v);
  });
  const scenario = s as unknown as Scenario;
  scenario.board.regressTrust = Math.min(scenario.board.regressTrust, scenario.board.normingTrust);
  scenario.board.regressUnderstanding = Math.min(scenario.board.regressUnderstanding, scenario.board.performingUnderstanding);
  assertValidScenario(scenario);
  return scenario;
}

export interface SensitivityOutput {
  name: string;
  unit: string;
  of(results: readonly ReplicateResult[]): number;
}

const meanOver = (results: readonly ReplicateResult[], f: (r: ReplicateResult) => number) =>
  results.reduce((a, r) => a + f(r), 0) / results.length;
const last = (r: ReplicateResult, name: string) => measure(r, name, 'system')[r.trajectories.rounds - 1];

export const SENSITIVITY_OUTPUTS: readonly SensitivityOutput[] = [
  { name: 'life expectancy gain at year 10', unit: 'years', of: (rs) => meanOver(rs, (r) => last(r, 'lifeExpectancyGain')) },
  { name: 'pooled share, mean of years 1–10', unit: 'share', of: (rs) => meanOver(rs, (r) => measure(r, 'pooledShare', 'system').reduce((a, b) => a + b, 0) / r.trajectories.rounds) },
  { name: 'mean trust at year 10', unit: 'trust', of: (rs) => meanOver(rs, (r) => last(r, 'trustMean')) },
];

export interface GlobalSensitivity {
  scenario: string;
  factors: Factor[];
  replicates: number;
  morris: { trajectories: number; levels: number; runs: number; indices: MorrisIndices[][] };
  sobol: { samples: number; runs: number; factors: number[]; indices: SobolIndices[][] };
}

export interface GlobalSensitivityOptions {
  seed: number;
  replicates: number;
  trajectories: number;
  sobolSamples: number;
  /** How many of Morris's top parameters (by μ* of the first output) Sobol analyses. */
  sobolTop: number;
  onProgress?: (stage: string, done: number, total: number) => void;
}

function evaluate(base: Scenario, factors: readonly Factor[], points: readonly ArrayLike<number>[], options: GlobalSensitivityOptions, stage: string): Float64Array[] {
  const ys = SENSITIVITY_OUTPUTS.map(() => new Float64Array(points.length));
  points.forEach((x, p) => {
    const scenario = scenarioAt(base, factors, x);
    const results = Array.from({ length: options.replicates }, (_, k) => runReplicate(scenario, { seed: options.seed, replicate: k }));
    SENSITIVITY_OUTPUTS.forEach((out, o) => { ys[o][p] = out.of(results); });
    if (p % 50 === 49 || p === points.length - 1) options.onProgress?.(stage, p + 1, points.length);
  });
  return ys;
}

export function globalSensitivity(base: Scenario, options: GlobalSensitivityOptions): GlobalSensitivity {
  const factors = explorationFactors(base);
  const levels = 4;
  const design = morrisSample(options.trajectories, factors.length, levels, stream(options.seed, 'morris'));
  const morrisY = evaluate(base, factors, design.points, options, 'Morris');
  const morrisIndices = morrisY.map((y, o) => morrisAnalyse(design, y, { bootstrap: 500, uniform: stream(options.seed, 'morris-bootstrap', o) }));
  elementaryEffects(design, morrisY[0]); // checks the output count against the design
  const ranked = morrisIndices[0].map((m, i) => [m.muStar, i] as const).sort((a, b) => b[0] - a[0]);
  const top = ranked.slice(0, options.sobolTop).map(([, i]) => i);
  // Sobol varies only the top factors; every other factor stays at its gm-2017 value.
  const sobol = sobolSample(options.sobolSamples, top.length, stream(options.seed, 'sobol'));
  const atBase = factors.map((f) => {
    const value = getPath(base, f.path) as number;
    return f.high > f.low ? (value - f.low) / (f.high - f.low) : 0;
  });
  const sobolPoints = sobol.points.map((p) => {
    const x = Float64Array.from(atBase);
    top.forEach((factor, j) => { x[factor] = p[j]; });
    return x;
  });
  const sobolY = evaluate(base, factors, sobolPoints, options, 'Sobol');
  const sobolIndices = sobolY.map((y, o) => sobolAnalyse(sobol, y, { bootstrap: 500, uniform: stream(options.seed, 'sobol-bootstrap', o) }));
  return {
    scenario: base.name,
    factors,
    replicates: options.replicates,
    morris: { trajectories: options.trajectories, levels, runs: design.points.length * options.replicates, indices: morrisIndices },
    sobol: { samples: options.sobolSamples, runs: sobolPoints.length * options.replicates, factors: top, indices: sobolIndices },
  };
}
