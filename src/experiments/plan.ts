/**
 * A sweep plan: the scenario of every design point (validated before anything runs), the seed
 * and replicate indices shared by every point (common random numbers), the run numbering, the
 * table layout, and a fingerprint of everything that determines the numbers — so a resumed or
 * sharded sweep can prove it is continuing the same experiment.
 *
 * Runs are numbered run = point × replicates + replicate; replicate k of every point uses random
 * stream (seed, k), so any run can be re-run alone and any split of runs gives the same numbers.
 */
import { createHash } from 'node:crypto';
import type { Scenario } from '../model/types.ts';
import { InputError } from '../documents/errors.ts';
import type { Assignment } from '../documents/overrides.ts';
import { adjustScenario } from '../documents/prepare.ts';
import { packageVersion } from '../io/version.ts';
import { columnType, typedValue, type DesignPoint, type ParamValue } from './design.ts';
import type { ParamColumn, TableLayout } from './tables.ts';

export interface PlanInput {
  kind: 'sweep' | 'sensitivity';
  /** The scenario as the user named it (built-in name or file path). */
  scenarioRef: string;
  /** The resolved scenario, before --regime, --set and --rounds. */
  base: Scenario;
  regime?: string;
  sets: readonly Assignment[];
  rounds?: number;
  seed: string;
  replicates: number;
  /** Record every locality in rounds.parquet (default: the system column only). */
  localities: boolean;
  /** Parameter paths in column order. */
  paths: readonly string[];
  /** Whether regimes are a factor (adds the `regime` column). */
  regimeFactor: boolean;
  points: readonly DesignPoint[];
  /** The design as recorded in the manifest (type, factors, samples, …). */
  design: Record<string, unknown>;
}

export interface SweepPlan extends PlanInput {
  /**
   * What every point starts from: the scenario after --regime, --set and --rounds, keyed by
   * regime when regimes are a factor (else under '').
   */
  baseScenarios: Record<string, Scenario>;
  /** Each point's scenario, as it runs. */
  scenarios: Scenario[];
  /** Each point's values, in `layout.params` order. */
  values: ParamValue[][];
  layout: TableLayout;
  totalRuns: number;
  /** SHA-256 of everything that determines the results (not the worker count or shard). */
  fingerprint: string;
}

/** Rows of rounds.parquet and runs.parquet aimed at per row group. */
export const ROWS_PER_GROUP = 65536;
/** Upper bound on runs in one sweep (run numbers are 32-bit in the tables). */
export const MAX_RUNS = 2 ** 31 - 1;

export function buildPlan(input: PlanInput): SweepPlan {
  const totalRuns = input.points.length * input.replicates;
  if (input.points.length === 0) throw new InputError('the design has no points.');
  if (totalRuns > MAX_RUNS) throw new InputError(`the sweep would have ${totalRuns} runs; at most ${MAX_RUNS} are supported.`);
  const hash = createHash('sha256');
  const scenarios: Scenario[] = [];
  let maxRows = 1;
  input.points.forEach((point, p) => {
    const label = `design point ${p} (${[point.regime, ...point.assignments.map((a) => `${a.path}=${a.text}`)].filter(Boolean).join(', ')})`;
    const scenario = adjustScenario(input.base, {
      regime: point.regime ?? input.regime, sets: input.sets, varies: point.assignments, variesOption: '--param', rounds: input.rounds,
    }, label);
    scenarios.push(scenario);
    hash.update(JSON.stringify(scenario));
    hash.update('\n');
    maxRows = Math.max(maxRows, scenario.rounds * (input.localities ? scenario.localities.length + 1 : 1));
  });
  const regimes = input.regimeFactor ? [...new Set(input.points.map((p) => p.regime ?? ''))] : [''];
  const baseScenarios = Object.fromEntries(regimes.map((r) => [r, adjustScenario(input.base,
    { regime: input.regimeFactor ? r : input.regime, sets: input.sets, rounds: input.rounds }, input.scenarioRef)]));
  const values = input.points.map((point) => [
    ...(input.regimeFactor ? [point.regime ?? ''] : []),
    ...input.paths.map((path) => {
      const assignment = point.assignments.find((a) => a.path === path);
      if (!assignment) throw new Error(`design point lacks ${path}`);
      return typedValue(path, assignment.text);
    }),
  ]);
  const params: ParamColumn[] = [
    ...(input.regimeFactor ? [{ name: 'regime', type: 'STRING' as const }] : []),
    ...input.paths.map((path, k) => ({ name: path, type: columnType(path, values.map((v) => v[k + (input.regimeFactor ? 1 : 0)])) })),
  ];
  const layout: TableLayout = {
    seed: input.seed,
    params,
    roundsGroupRuns: Math.max(1, Math.floor(ROWS_PER_GROUP / maxRows)),
    runsGroupRuns: ROWS_PER_GROUP,
  };
  hash.update(JSON.stringify({
    version: packageVersion(), kind: input.kind, seed: input.seed, replicates: input.replicates, localities: input.localities,
    points: input.points, layout,
  }));
  return { ...input, baseScenarios, scenarios, values, layout, totalRuns, fingerprint: hash.digest('hex') };
}

/** Point and replicate of a run. */
export function runCoordinates(plan: Pick<SweepPlan, 'replicates'>, run: number): { point: number; replicate: number } {
  return { point: Math.floor(run / plan.replicates), replicate: run % plan.replicates };
}
