/**
 * How robust is each pattern? Every parameter in SENSITIVITY_PARAMETERS is moved 25% down and
 * 25% up from its value in the pattern's base scenario (clamped to its registry range), the
 * pattern is re-run with fewer replicates, and the result records whether it still passes and
 * how its first check's effect moved. Pure: returns data for the report.
 */
import { getPath, parameterSpec } from '../model/parameters.ts';
import { withOverride } from '../model/scenario.ts';
import type { Scenario } from '../model/types.ts';
import type { Pattern } from './patterns.ts';

export const SENSITIVITY_PARAMETERS: readonly string[] = [
  'trust.gain', 'trust.asymmetry', 'trust.reciprocityTolerance', 'board.difficulty', 'board.inequalityPenalty',
  'leaders.conditionalSlope', 'leaders.beliefUpdate', 'leaders.focusSensitivity', 'leaders.budgetRetreat',
  'leaders.turnoverRate', 'board.visionGain', 'board.understandingGain', 'outcomes.lagMonths', 'outcomes.halfSaturation',
  'board.costRate',
];

export interface SensitivityCell {
  parameter: string;
  factor: number;
  pass: boolean;
  /** Mean of the pattern's first check under the perturbation. */
  effect: number;
}

export interface PatternSensitivity {
  patternId: string;
  replicates: number;
  /** Whether the unperturbed pattern passes at this (smaller) number of replicates. */
  baselinePass: boolean;
  baselineEffect: number;
  cells: SensitivityCell[];
}

/** Moves `path` by `factor` from its current value, within the registry's range. */
export function perturbParameter(scenario: Scenario, path: string, factor: number): Scenario {
  const spec = parameterSpec(path);
  const current = getPath(scenario, path);
  if (!spec || typeof current !== 'number') throw new RangeError(`${path} is not a numeric parameter`);
  let value = current * factor;
  if (spec.min !== undefined) value = Math.max(spec.min, value);
  if (spec.max !== undefined) value = Math.min(spec.max, value);
  if (spec.type === 'integer') value = Math.round(value);
  return withOverride(scenario, path, value);
}

export function patternSensitivity(
  pattern: Pattern, options: { replicates: number; seed: number; parameters?: readonly string[]; factors?: readonly number[] },
  onProgress?: (done: number, total: number) => void,
): PatternSensitivity {
  const parameters = options.parameters ?? SENSITIVITY_PARAMETERS;
  const factors = options.factors ?? [0.75, 1.25];
  const baseline = pattern.evaluate({ replicates: options.replicates, seed: options.seed });
  const cells: SensitivityCell[] = [];
  let done = 0;
  for (const parameter of parameters) {
    for (const factor of factors) {
      const result = pattern.evaluate({
        replicates: options.replicates, seed: options.seed, perturb: (s) => perturbParameter(s, parameter, factor),
      });
      cells.push({ parameter, factor, pass: result.pass, effect: result.checks[0].summary.mean });
      onProgress?.(++done, parameters.length * factors.length);
    }
  }
  return {
    patternId: pattern.id, replicates: options.replicates, baselinePass: baseline.pass,
    baselineEffect: baseline.checks[0].summary.mean, cells,
  };
}
