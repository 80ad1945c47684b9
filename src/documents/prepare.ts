/**
 * Composes what a run uses, in a fixed order: the scenario (built-in or file) ← the regime
 * (`--regime`) ← each `--set` in order ← `--vary` values (compare) ← `--rounds`, then checks the
 * result as a whole. Everything is validated here, before any directory is created or any
 * replicate runs.
 */
import type { Scenario } from '../model/types.ts';
import { applyRegime, builtInRegimeNames, findRegime } from '../scenarios/regimes.ts';
import { InputError } from './errors.ts';
import { checkScenario } from './document.ts';
import { applyAssignments, parseAssignment, type Assignment } from './overrides.ts';
import { closest } from './suggest.ts';

export interface Adjustments {
  regime?: string;
  sets?: readonly Assignment[];
  varies?: readonly Assignment[];
  /** The option named in messages about `varies` (default `--vary`; `--param` for sweeps). */
  variesOption?: string;
  rounds?: number;
}

/** Checks a regime name, suggesting the nearest one when it is misspelt. */
export function requireRegime(name: string): void {
  if (findRegime(name)) return;
  const suggestion = closest(name, builtInRegimeNames());
  throw new InputError(`unknown regime "${name}"${suggestion ? `; did you mean "${suggestion}"?` : '.'}`, [],
    `Built-in regimes: ${builtInRegimeNames().join(', ')} (\`partnersim regimes\` describes them).`);
}

/** Applies regime, overrides and rounds to `scenario` and validates the result. */
export function adjustScenario(scenario: Scenario, adjustments: Adjustments, what: string): Scenario {
  let out = scenario;
  if (adjustments.regime !== undefined) {
    requireRegime(adjustments.regime);
    out = applyRegime(out, adjustments.regime);
  }
  if (adjustments.sets?.length) out = applyAssignments(out, adjustments.sets, '--set');
  if (adjustments.varies?.length) out = applyAssignments(out, adjustments.varies, adjustments.variesOption ?? '--vary');
  if (adjustments.rounds !== undefined) out = { ...out, rounds: adjustments.rounds };
  const problems = checkScenario(out);
  if (problems.length > 0) {
    throw new InputError(`${what} is not a valid scenario:`, problems,
      'Nothing was run. `partnersim scenarios show NAME` lists each parameter with its allowed range.');
  }
  return out;
}

/** Overrides as `PATH=VALUE` text (`--set` syntax), parsed assignments, or a mapping of paths to values. */
export type Overrides = readonly (string | Assignment)[] | Readonly<Record<string, unknown>>;

/**
 * `scenario` with overrides applied in order, exactly as `--set` applies them, then checked as
 * a whole (for notebooks and the browser). Throws an InputError naming the bad path or field.
 * @example applyOverrides(builtInScenario('gm-2017'), ['trust.initial=0.3', 'regime.accountability=1'])
 * @example applyOverrides(builtInScenario('gm-2017'), { 'trust.initial': 0.3, 'localities[0].history': -1 })
 */
export function applyOverrides(scenario: Scenario, overrides: Overrides): Scenario {
  const sets: Assignment[] = Array.isArray(overrides)
    ? (overrides as readonly (string | Assignment)[]).map((o) => (typeof o === 'string' ? parseAssignment(o) : o))
    : Object.entries(overrides).map(([path, value]) => ({ path, text: typeof value === 'string' ? value : JSON.stringify(value) }));
  return adjustScenario(scenario, { sets }, `${scenario.name} with these overrides`);
}
