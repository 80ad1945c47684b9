/**
 * Policies across scenarios, as exploratory modelling compares them (the EMA Workbench's
 * robustness view): a policy is a combination of the policy factors (regime, levers); a
 * scenario is a combination of the uncertainties. In every scenario each policy's outcome is its
 * mean over the same replicates (same seeds: paired), so the regret of a policy in a scenario —
 * how far it falls short of the best policy in that same scenario — has the luck removed. Per
 * policy: the outcome's distribution over scenarios, its regret (mean, 90th percentile, maximum)
 * and the share of scenarios where it is best (tied winners share the scenario). Pure.
 */
import { labelOf, type SweepTable } from './sweep-table.ts';
import type { Better } from './paired.ts';
import { quantileSorted } from './quantile.ts';

export interface PolicySummary {
  policy: string;
  /** Scenarios (one point of this policy in each). */
  scenarios: number;
  mean: number;
  p5: number;
  median: number;
  p95: number;
  meanRegret: number;
  p90Regret: number;
  maxRegret: number;
  /** Scenarios where this policy is best (a tie of m policies counts 1/m to each). */
  wins: number;
  winShare: number;
}

export interface PolicyAnalysis {
  output: string;
  better: Better;
  policies: PolicySummary[];
  scenarios: number;
  /** Per design point: its policy's label, its scenario's index, and its regret there. */
  pointPolicy: string[];
  pointScenario: number[];
  regret: Float64Array;
}

/** Quantile of ascending-sorted values (type 7: the one rule, src/analysis/quantile.ts). */
export const quantile = quantileSorted;

/** Whether the table has something to compare: at least two policies. */
export function hasPolicies(table: SweepTable): boolean {
  const policy = table.factors.filter((f) => f.role === 'policy');
  if (policy.length === 0) return false;
  return new Set(Array.from({ length: table.points }, (_, p) => labelOf(policy, p))).size > 1;
}

/**
 * Regret and wins of every policy on `output` (a column of the table). Every scenario must hold
 * every policy exactly once (a full cross of policies and scenarios, as sweeps build it).
 */
export function analysePolicies(table: SweepTable, output: string, better: Better = 'higher'): PolicyAnalysis {
  const y = table.outputs[output];
  if (!y) throw new RangeError(`no output column ${output}`);
  const policyFactors = table.factors.filter((f) => f.role === 'policy');
  const scenarioFactors = table.factors.filter((f) => f.role === 'uncertainty');
  const pointPolicy = Array.from({ length: table.points }, (_, p) => labelOf(policyFactors, p));
  const scenarioKeys = Array.from({ length: table.points }, (_, p) => JSON.stringify(scenarioFactors.map((f) => f.values[p])));
  const policies = [...new Set(pointPolicy)];
  const scenarios = [...new Set(scenarioKeys)];
  const scenarioIndex = new Map(scenarios.map((key, s) => [key, s]));
  const pointScenario = scenarioKeys.map((key) => scenarioIndex.get(key)!);
  // cell[s][q]: the point of policy q in scenario s.
  const cell = scenarios.map(() => new Int32Array(policies.length).fill(-1));
  pointPolicy.forEach((policy, p) => {
    const q = policies.indexOf(policy);
    const s = pointScenario[p];
    if (cell[s][q] >= 0) throw new RangeError(`policy ${policy} appears twice in scenario ${scenarios[s]}: the uncertainties do not identify scenarios`);
    cell[s][q] = p;
  });
  cell.forEach((row, s) => {
    const q = row.findIndex((p) => p < 0);
    if (q >= 0) throw new RangeError(`policy ${policies[q]} has no point in scenario ${scenarios[s]}: policies and scenarios are not fully crossed`);
  });
  const sign = better === 'lower' ? -1 : 1;
  const regret = new Float64Array(table.points);
  const wins = new Float64Array(policies.length);
  for (const row of cell) {
    let best = -Infinity;
    for (const p of row) best = Math.max(best, sign * y[p]);
    const winners = Array.from(row).filter((p) => sign * y[p] === best);
    for (const p of row) regret[p] = best - sign * y[p];
    for (const p of winners) wins[policies.indexOf(pointPolicy[p])] += 1 / winners.length;
  }
  const summaries = policies.map((policy, q): PolicySummary => {
    const points = cell.map((row) => row[q]);
    const values = Float64Array.from(points, (p) => y[p]).sort();
    const regrets = Float64Array.from(points, (p) => regret[p]).sort();
    return {
      policy, scenarios: points.length,
      mean: values.reduce((a, b) => a + b, 0) / values.length,
      p5: quantile(values, 0.05), median: quantile(values, 0.5), p95: quantile(values, 0.95),
      meanRegret: regrets.reduce((a, b) => a + b, 0) / regrets.length,
      p90Regret: quantile(regrets, 0.9), maxRegret: regrets[regrets.length - 1],
      wins: wins[q], winShare: wins[q] / scenarios.length,
    };
  });
  return { output, better, policies: summaries, scenarios: scenarios.length, pointPolicy, pointScenario, regret };
}
