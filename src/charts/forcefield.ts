/**
 * Forcefield effects after the thesis's Figures 2–4 (§6.1.6): which factors push an outcome up
 * and which hold it back. Each factor (a registry parameter path) is moved one step from its
 * scenario value and the scenario re-run on common random numbers (same seed, same replicate
 * indices); the effect is the median over replicates of the paired change in the outcome at
 * the final round (optionally the mean over the last `window` rounds), expressed per step
 * *up*: a factor that can only be stepped down (at its upper bound) is stepped down and the
 * sign flipped, and a boolean counts as "switched on". Pure: runs the model, no I/O.
 */
import { getPath, parameterSpec } from '../model/parameters.ts';
import { runReplicates, type ReplicateResult } from '../model/engine.ts';
import { withOverride } from '../model/scenario.ts';
import type { Scenario } from '../model/types.ts';
import { quantileSorted, sortedFinite, tidyNumber } from './data.ts';
import { measureSpec } from './theme.ts';

export interface ForcefieldFactor {
  /** Registry parameter path, e.g. `trust.initial`. */
  path: string;
  /** What the factor means, in the thesis's words where possible. */
  label?: string;
  /** Step size (numbers); default from the registry: 1 for integers, a tenth of the range otherwise. */
  step?: number;
}

/**
 * Default factors, each linked to a force in the thesis's Figures 2–4 (docs/SOURCES.md §8)
 * with a step that is a plausible policy move rather than a fixed share of the range.
 */
export const DEFAULT_FORCEFIELD_FACTORS: readonly ForcefieldFactor[] = [
  { path: 'trust.initial', step: 0.1, label: 'Trusting relationships at the start' },
  { path: 'regime.accountability', step: 0.1, label: 'System rather than organisational regulation' },
  { path: 'regime.pacePressure', step: 0.1, label: 'Pace of change required' },
  { path: 'leaders.turnoverRate', step: 0.1, label: 'Leadership turnover' },
  { path: 'board.costRate', step: 0.002, label: 'Cost of partnership working (senior time)' },
  { path: 'flexibilities.pooledBudgets.cap', step: 0.1, label: 'Room to pool budgets' },
  { path: 'funding.budgetGrowth', step: 0.02, label: 'Budget growth' },
  { path: 'leaders.typeMix.altruist', step: 0.1, label: 'Altruism (share of altruist leaders)' },
  { path: 'board.inequalityPenalty', step: 0.1, label: 'One partner holding sway (power imbalance at the board)' },
];

export interface ForcefieldOptions {
  seed: string | number;
  /** Replicates 0..n−1 per run (default 10). */
  replicates?: number;
  /** Rounds per run (default: the scenario's). */
  rounds?: number;
  /** Factors as paths or objects (default DEFAULT_FORCEFIELD_FACTORS). */
  factors?: readonly (string | ForcefieldFactor)[];
  /** Outcome measures to read from every run (default ['populationOutcome']); extra outcomes cost nothing. */
  outcomes?: readonly string[];
  /** Column: 'system' (default) or a locality name. */
  column?: string;
  /** Mean over the last `window` rounds (default 1: the final round). */
  window?: number;
  /** Baseline results to reuse (must be replicates 0..n−1 of `scenario` with this seed and rounds). */
  baseline?: readonly ReplicateResult[];
  /** Called after each factor's runs with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

export interface ForcefieldEffect {
  outcome: string;
  path: string;
  label: string;
  /** The scenario value and the value it was moved to. */
  from: number | boolean;
  to: number | boolean;
  /** +1 when the factor was stepped up (or switched on), −1 when stepped down (or off). */
  direction: 1 | -1;
  /** Size of one step (1 for booleans). */
  step: number;
  /** Median outcome over replicates in the baseline and the perturbed runs. */
  baseline: number;
  perturbed: number;
  /** Median over replicates of the paired change per step up (positive: pushes the outcome up). */
  effect: number;
  /** 5% and 95% quantiles of the paired changes per step up. */
  q05: number;
  q95: number;
  n: number;
}

export interface ForcefieldResult {
  scenario: string;
  seed: string;
  replicates: number;
  rounds: number;
  window: number;
  column: string;
  outcomes: string[];
  /** One per outcome × factor, in factor order. */
  effects: ForcefieldEffect[];
}

function resolveFactor(scenario: Scenario, factor: string | ForcefieldFactor): Required<ForcefieldFactor> & { from: number | boolean; to: number | boolean; direction: 1 | -1 } {
  const f = typeof factor === 'string' ? { path: factor } : factor;
  const spec = parameterSpec(f.path);
  const from = getPath(scenario, f.path);
  const label = f.label ?? spec?.meaning.split(/[.:(]/)[0].trim() ?? f.path;
  if (typeof from === 'boolean') {
    return { path: f.path, label, step: 1, from, to: !from, direction: from ? -1 : 1 };
  }
  if (typeof from !== 'number' || !Number.isFinite(from)) {
    throw new RangeError(`forcefield factor "${f.path}" is not a number or flag in the scenario (value ${JSON.stringify(from)})`);
  }
  if (!spec && f.step === undefined) throw new RangeError(`forcefield factor "${f.path}" is not a registry parameter; give its step`);
  if (spec && spec.type !== 'number' && spec.type !== 'integer') throw new RangeError(`forcefield factor "${f.path}" is a ${spec.type}, which has no step`);
  const lo = spec?.min ?? -Infinity;
  const hi = spec?.max ?? Infinity;
  let step = f.step ?? (spec!.type === 'integer' ? 1 : (hi - lo) / 10);
  if (!(step > 0) || !Number.isFinite(step)) throw new RangeError(`forcefield factor "${f.path}" needs a positive finite step, not ${step}`);
  if (spec?.type === 'integer') step = Math.max(1, Math.round(step));
  const round = (x: number) => Number(x.toPrecision(12));
  if (from + step <= hi) return { path: f.path, label, step, from, to: round(from + step), direction: 1 };
  if (from - step >= lo) return { path: f.path, label, step, from, to: round(from - step), direction: -1 };
  throw new RangeError(`forcefield factor "${f.path}": a step of ${step} from ${from} leaves [${lo}, ${hi}] both ways`);
}

/** The outcome statistic of one replicate: mean of the last `window` rounds of the column. */
function statistic(result: ReplicateResult, outcome: string, column: string, window: number): number {
  const t = result.trajectories;
  const c = t.columns.indexOf(column);
  if (c < 0) throw new RangeError(`unknown column "${column}"; columns: ${t.columns.join(', ')}`);
  const data = t.data[outcome];
  let sum = 0;
  const first = Math.max(0, t.rounds - window);
  for (let r = first; r < t.rounds; r++) sum += data[r * t.columns.length + c];
  return sum / (t.rounds - first);
}

/** Runs the baseline and one perturbation per factor and returns the effects on each outcome. */
export function forcefield(scenario: Scenario, options: ForcefieldOptions): ForcefieldResult {
  const replicates = options.replicates ?? options.baseline?.length ?? 10;
  const rounds = options.rounds ?? scenario.rounds;
  const outcomes = [...(options.outcomes ?? ['populationOutcome'])];
  for (const o of outcomes) measureSpec(o);
  const column = options.column ?? 'system';
  const window = Math.max(1, Math.floor(options.window ?? 1));
  const factors = (options.factors ?? DEFAULT_FORCEFIELD_FACTORS).map((f) => resolveFactor(scenario, f));
  const seen = new Set<string>();
  for (const f of factors) {
    if (seen.has(f.path)) throw new RangeError(`forcefield factor "${f.path}" is listed twice`);
    seen.add(f.path);
  }
  const run = (s: Scenario) => runReplicates(s, { seed: options.seed, replicates, rounds, recordLocalities: column !== 'system' });
  const baseline = options.baseline && options.baseline.length === replicates ? options.baseline : run(scenario);
  const baseValues = outcomes.map((o) => baseline.map((r) => statistic(r, o, column, window)));
  const effects: ForcefieldEffect[] = [];
  const perturbedValues: number[][][] = [];
  factors.forEach((f, index) => {
    const results = run(withOverride(scenario, f.path, f.to));
    perturbedValues.push(outcomes.map((o) => results.map((r) => statistic(r, o, column, window))));
    options.onProgress?.(index + 1, factors.length);
  });
  outcomes.forEach((outcome, oi) => {
    factors.forEach((f, fi) => {
      const base = baseValues[oi];
      const pert = perturbedValues[fi][oi];
      const diffs = sortedFinite(pert.map((v, k) => f.direction * (v - base[k])));
      effects.push({
        outcome, path: f.path, label: f.label, from: f.from, to: f.to, direction: f.direction, step: f.step,
        baseline: tidyNumber(quantileSorted(sortedFinite(base), 0.5)),
        perturbed: tidyNumber(quantileSorted(sortedFinite(pert), 0.5)),
        effect: tidyNumber(quantileSorted(diffs, 0.5)),
        q05: tidyNumber(quantileSorted(diffs, 0.05)),
        q95: tidyNumber(quantileSorted(diffs, 0.95)),
        n: diffs.length,
      });
    });
  });
  return { scenario: scenario.name, seed: String(options.seed), replicates, rounds, window, column, outcomes, effects };
}
