/**
 * summary.json, the run's manifest: what was run (tool, version, command, the full scenario
 * after overrides, seed, replicates, rounds) and the final round's system measures over
 * replicates (median and 5th/95th percentiles). No timestamp: same inputs, same bytes.
 */
import type { Integrity } from './manifest.ts';
import { MEASURE_NAMES } from '../model/observe.ts';
import type { Scenario } from '../model/types.ts';
import { round6 } from '../documents/format.ts';
import type { LabelledRun } from './simulate.ts';
import { packageVersion } from '../io/version.ts';
import { pairedComparison, type PairedComparison } from '../analysis/compare.ts';
import { quantileSorted } from '../analysis/quantile.ts';

export interface MeasureSummary {
  median: number | null;
  p5: number | null;
  p95: number | null;
}

export interface Manifest {
  tool: 'partnersim';
  version: string;
  command: string;
  /** `run`: the scenario as run, after regime and overrides. */
  scenario?: Scenario;
  /** `compare`: each label's scenario as run. */
  scenarios?: Record<string, Scenario>;
  labels: string[];
  seed: number | string;
  replicates: number;
  /** Rounds run; per label when the compared scenarios differ. */
  rounds: number | Record<string, number>;
  createdBy: string;
  /** Final round, `system` column, over replicates. */
  measures: Record<string, Record<string, MeasureSummary>>;
  /** `compare`: each label minus the baseline, paired replicate by replicate (src/analysis/compare.ts). */
  paired?: PairedComparison;
  /** Size and SHA-256 of trajectories.csv as written (`partnersim verify` checks them). */
  integrity?: Integrity;
}

/** Quantile of ascending-sorted values (type 7: the one rule, src/analysis/quantile.ts). */
export const quantile = quantileSorted;

/** Median and 5th/95th percentiles of each measure's final-round system value over replicates. */
export function finalRoundSummary(run: LabelledRun): Record<string, MeasureSummary> {
  const out: Record<string, MeasureSummary> = {};
  for (const name of MEASURE_NAMES) {
    const values = run.results.map((result) => {
      const { columns, rounds, data } = result.trajectories;
      const c = columns.indexOf('system');
      return data[name][(rounds - 1) * columns.length + c];
    }).sort((a, b) => a - b);
    out[name] = { median: round6(quantile(values, 0.5)), p5: round6(quantile(values, 0.05)), p95: round6(quantile(values, 0.95)) };
  }
  return out;
}

export interface ManifestInput {
  command: 'run' | 'compare';
  argv: readonly string[];
  seed: string;
  replicates: number;
  runs: readonly LabelledRun[];
  /** `compare`: the label the others are paired against (default the first). */
  baseline?: string;
}

export function buildManifest(input: ManifestInput, commandLine: string): Manifest {
  const { runs } = input;
  const rounds = runs.map((r) => r.scenario.rounds);
  const measures: Manifest['measures'] = {};
  for (const run of runs) measures[run.label] = finalRoundSummary(run);
  const scenarioPart = input.command === 'run'
    ? { scenario: runs[0].scenario }
    : { scenarios: Object.fromEntries(runs.map((r) => [r.label, r.scenario])) };
  return {
    tool: 'partnersim',
    version: packageVersion(),
    command: commandLine,
    ...scenarioPart,
    labels: runs.map((r) => r.label),
    seed: /^\d+$/.test(input.seed) ? Number(input.seed) : input.seed,
    replicates: input.replicates,
    rounds: rounds.every((n) => n === rounds[0]) ? rounds[0] : Object.fromEntries(runs.map((r) => [r.label, r.scenario.rounds])),
    createdBy: `partnersim ${packageVersion()} on Node.js ${process.version}`,
    measures,
    ...(input.command === 'compare' && runs.length > 1 ? { paired: pairedComparison(runs, input.baseline ?? runs[0].label) } : {}),
  };
}

export function manifestJson(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
