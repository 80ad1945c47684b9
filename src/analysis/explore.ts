/**
 * Sweeps and sensitivity analyses in memory, for notebooks and the browser: the same design
 * points, the same random streams (replicate k of every point on stream (seed, k)) and so the
 * same numbers as `partnersim sweep` / `sensitivity`, without files, workers or journals. Also
 * the split of a sweep's factors into policy levers and uncertainties, which the CLI shares.
 *
 * @example
 * import { builtInScenario, exploreSweep, analysePolicies } from 'partnersim';
 * const table = exploreSweep({ scenario: builtInScenario('gm-2017'), regimes: ['organisational', 'system'],
 *   uncertain: ['trust.initial=0.2:0.6', 'board.difficulty=0.5:3'], design: 'lhs', samples: 20, replicates: 4 });
 * const robustness = analysePolicies(table, 'populationOutcome_final');
 */
import { runReplicate } from '../model/engine.ts';
import type { Scenario } from '../model/types.ts';
import type { Trajectories } from '../model/observe.ts';
import { MEASURE_NAMES } from '../model/observe.ts';
import { InputError } from '../documents/errors.ts';
import { parseAssignment } from '../documents/overrides.ts';
import { adjustScenario } from '../documents/prepare.ts';
import { parseFactors, sweepPoints, typedValue, type Factor } from '../experiments/design.ts';
import {
  analyse as analyseSensitivity, parseOutput, sensitivityParameters, sensitivityPoints,
  type Method, type SensitivityResult, type SensitivitySettings,
} from '../experiments/sensitivity.ts';
import { sweepTable, type SweepTable } from './sweep-table.ts';

export interface ClassifiedFactors {
  /** In design order: levers, then plain parameters, then uncertainties. */
  factors: Factor[];
  levers: string[];
  uncertainties: string[];
}

/**
 * `--lever` (policy levers: listed or grid values), `--param` and `--uncertain` (uncertainties:
 * any spec) as one list of factors. Levers come first so that, after the regimes, policies are
 * the outer loops of the design and every policy meets the same sampled scenarios.
 */
export function classifyFactors(input: { levers?: readonly string[]; params?: readonly string[]; uncertain?: readonly string[] }): ClassifiedFactors {
  const levers = input.levers ?? [];
  const factors = parseFactors([...levers, ...(input.params ?? []), ...(input.uncertain ?? [])]);
  factors.slice(0, levers.length).forEach((f) => {
    if (f.kind === 'range') {
      throw new InputError(`--lever ${f.spec}: a policy lever takes listed values (${f.path}=V1,V2,…) or a grid (${f.path}=LO:HI:N), not a range to sample.`, [],
        'Uncertainties are sampled (--uncertain PATH=LO:HI with --design lhs); levers are the choices compared in every sampled scenario.');
    }
  });
  return { factors, levers: factors.slice(0, levers.length).map((f) => f.path), uncertainties: factors.slice(levers.length).map((f) => f.path) };
}

/** Final value and mean over rounds of every measure's system column (runs.parquet's summary columns). */
export function summaryOf(t: Trajectories): Float64Array {
  const width = t.columns.length;
  const c = t.columns.indexOf('system');
  const out = new Float64Array(2 * MEASURE_NAMES.length);
  MEASURE_NAMES.forEach((m, k) => {
    const data = t.data[m];
    let sum = 0;
    for (let r = 0; r < t.rounds; r++) sum += data[r * width + c];
    out[2 * k] = t.rounds > 0 ? data[(t.rounds - 1) * width + c] : NaN;
    out[2 * k + 1] = t.rounds > 0 ? sum / t.rounds : NaN;
  });
  return out;
}

export interface ExploreOptions {
  scenario: Scenario;
  /** Regimes to compare (policies). */
  regimes?: readonly string[];
  /** Policy levers, `--lever` syntax: PATH=V1,V2 or PATH=LO:HI:N. */
  levers?: readonly string[];
  /** Uncertainties, `--uncertain`/`--param` syntax (PATH=LO:HI:N, PATH=V1,V2, PATH=LO:HI, PATH). */
  uncertain?: readonly string[];
  params?: readonly string[];
  /** Fixed overrides for every point (`--set` syntax). */
  sets?: readonly string[];
  /** One regime for every point (instead of regimes as a factor). */
  regime?: string;
  design?: 'grid' | 'lhs';
  samples?: number;
  seed?: string;
  replicates?: number;
  rounds?: number;
  /** Called after each run with runs done and total. */
  onProgress?: (done: number, total: number) => void;
}

/** Runs a sweep in memory and returns its table of point means (the numbers `partnersim sweep` writes). */
export function exploreSweep(options: ExploreOptions): SweepTable {
  const seed = options.seed ?? '1';
  const replicates = options.replicates ?? 10;
  const classified = classifyFactors(options);
  const regimes = [...(options.regimes ?? [])];
  if (regimes.length && options.regime) throw new InputError('give either regime (every point) or regimes (a factor), not both.');
  const points = sweepPoints({ design: options.design ?? 'grid', factors: classified.factors, regimes, samples: options.samples, seed });
  const sets = (options.sets ?? []).map((raw) => parseAssignment(raw, '--set'));
  const scenarios = points.map((point, p) => adjustScenario(options.scenario, {
    regime: point.regime ?? options.regime, sets, varies: point.assignments, variesOption: '--param', rounds: options.rounds,
  }, `design point ${p}`));
  const lever = new Set(classified.levers);
  const columns = [
    ...(regimes.length ? [{ name: 'regime', role: 'policy' as const }] : []),
    ...classified.factors.map((f) => ({ name: f.path, role: lever.has(f.path) ? 'policy' as const : 'uncertainty' as const })),
  ];
  const total = points.length * replicates;
  let done = 0;
  const runs = function* () {
    for (let p = 0; p < points.length; p++) {
      const params = [
        ...(regimes.length ? [points[p].regime ?? ''] : []),
        ...classified.factors.map((f) => typedValue(f.path, points[p].assignments.find((a) => a.path === f.path)!.text)),
      ];
      for (let k = 0; k < replicates; k++) {
        const result = runReplicate(scenarios[p], { seed, replicate: k });
        options.onProgress?.(++done, total);
        yield { point: p, params, summary: summaryOf(result.trajectories) };
      }
    }
  };
  return sweepTable(columns, runs(), points.length);
}

export interface SensitivityOptions {
  scenario: Scenario;
  /** Ranges, `--param` syntax: PATH=LO:HI or PATH alone (its registry range). */
  params: readonly string[];
  method?: Method;
  /** Morris trajectories (default 20) or Sobol base samples (default 256). */
  samples?: number;
  levels?: number;
  bootstrap?: number;
  /** MEASURE or MEASURE:mean (default populationOutcome). */
  outputs?: readonly string[];
  sets?: readonly string[];
  regime?: string;
  seed?: string;
  replicates?: number;
  rounds?: number;
}

/** Morris or Sobol indices in memory: the numbers `partnersim sensitivity` prints. */
export function exploreSensitivity(options: SensitivityOptions): SensitivityResult {
  const method = options.method ?? 'morris';
  const seed = options.seed ?? '1';
  const replicates = options.replicates ?? 4;
  const settings: SensitivitySettings = {
    method, samples: options.samples ?? (method === 'morris' ? 20 : 256), levels: options.levels ?? 4,
    bootstrap: options.bootstrap ?? 1000, level: 0.95, seed,
    parameters: sensitivityParameters(parseFactors(options.params)),
    outputs: (options.outputs?.length ? options.outputs : ['populationOutcome']).map(parseOutput),
  };
  const sets = (options.sets ?? []).map((raw) => parseAssignment(raw, '--set'));
  const points = sensitivityPoints(settings);
  const runs = function* () {
    for (let p = 0; p < points.length; p++) {
      const scenario = adjustScenario(options.scenario, { regime: options.regime, sets, varies: points[p].assignments, variesOption: '--param', rounds: options.rounds }, `design point ${p}`);
      for (let k = 0; k < replicates; k++) yield { point: p, summary: summaryOf(runReplicate(scenario, { seed, replicate: k }).trajectories) };
    }
  };
  return analyseSensitivity(settings, runs());
}
