/**
 * Interventions: a policy change in the middle of a run, as plain data in the scenario
 * (`interventions: [{ at: 36, set: { 'regime.accountability': 1 } }]`). Before round `at`
 * (0-based: the change holds from the round with that index on, i.e. after `at` rounds have
 * run) the listed parameters take their new values and the round constants are derived again;
 * the state carries on. The schedule is sorted by `at`, so the order it is written in changes
 * nothing; one parameter set twice at the same round is refused as ambiguous. Parameters that
 * act only when the model is set up (the network, the leaders drawn, initial trust's spread and
 * the friction a mandate or structures add at the start) cannot be changed mid-run and are
 * refused by name. `trust.initial` may change: it is the baseline a newcomer starts from.
 */
import { getPath, parameterSpec, setPath } from './parameters.ts';
import type { Intervention, Scenario } from './types.ts';

/** Parameters read only at initialisation: changing them mid-run would have no effect, so it is refused. */
export const SET_UP_ONLY: ReadonlySet<string> = new Set([
  'rounds', 'roundsPerYear',
  'trust.historyWeight', 'trust.noise', 'trust.crossTiesPerLeader', 'trust.crossTieWeight',
  'leaders.heterogeneity', 'leaders.typeMix.conditional', 'leaders.typeMix.freeRider', 'leaders.typeMix.humpShaped',
  'leaders.typeMix.altruist', 'board.mandateFriction', 'board.structureFriction',
]);

export interface InterventionProblem {
  path: string;
  message: string;
}

const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Structural problems of a schedule (where, what): `at` a whole round inside the run, `set` a
 * map of registry paths that may change mid-run. Values are checked by validating the scenario
 * as it would be after each intervention (see `scenarioAfter`).
 */
export function interventionProblems(scenario: Scenario): InterventionProblem[] {
  const list = (scenario as { interventions?: unknown }).interventions;
  if (list === undefined) return [];
  if (!Array.isArray(list)) return [{ path: 'interventions', message: 'is not a list of { at, set } changes' }];
  const problems: InterventionProblem[] = [];
  const seen = new Map<string, number>();
  list.forEach((item: unknown, k) => {
    const at = `interventions[${k}]`;
    if (!isPlainObject(item)) return problems.push({ path: at, message: 'is not an object with `at` and `set`' });
    for (const key of Object.keys(item)) {
      if (key !== 'at' && key !== 'set' && key !== 'label') problems.push({ path: `${at}.${key}`, message: 'is not a field of an intervention (at, set, label)' });
    }
    const round = item.at;
    const rounds = typeof scenario.rounds === 'number' ? scenario.rounds : Infinity;
    if (typeof round !== 'number' || !Number.isInteger(round)) problems.push({ path: `${at}.at`, message: `${JSON.stringify(round)} is not a whole round number` });
    else if (round < 1 || round >= rounds) problems.push({ path: `${at}.at`, message: `${round} is outside [1, ${rounds - 1}] (rounds already run before the change; the run has ${rounds})` });
    if (item.label !== undefined && typeof item.label !== 'string') problems.push({ path: `${at}.label`, message: 'is not a string' });
    if (!isPlainObject(item.set) || Object.keys(item.set).length === 0) {
      return problems.push({ path: `${at}.set`, message: 'must map at least one parameter path to its new value' });
    }
    for (const path of Object.keys(item.set)) {
      const where = `${at}.set.${path}`;
      if (!parameterSpec(path)) problems.push({ path: where, message: 'is not a parameter (`partnersim scenarios show NAME` lists them)' });
      else if (SET_UP_ONLY.has(path)) problems.push({ path: where, message: 'acts only when the model is set up and cannot change in the middle of a run' });
      const key = `${round}\u0000${path}`;
      if (seen.has(key)) problems.push({ path: where, message: `is also set at round ${round} by interventions[${seen.get(key)}]; set it once per round` });
      else seen.set(key, k);
    }
  });
  return problems;
}

/** The schedule sorted by round (stable), so the order it is written in does not matter. */
export function schedule(scenario: Scenario): Intervention[] {
  // A copy by push and a stable sort, not map/sort/map over wrapper objects: this runs once per
  // replicate, hundreds of times in a fresh sweep worker (issue #15, cold start).
  const list = scenario.interventions;
  const sorted: Intervention[] = [];
  if (list !== undefined) for (let k = 0; k < list.length; k++) sorted.push(list[k]);
  // `|| 0`: a round that is not a number sorts as a tie, which the stable sort leaves in place.
  return sorted.sort((a, b) => a.at - b.at || 0);
}

/** The scenario with one intervention's values applied (not validated here). */
export function scenarioAfter(scenario: Scenario, intervention: Intervention): Scenario {
  const copy = structuredClone(scenario) as unknown as Record<string, unknown>;
  for (const [path, value] of Object.entries(intervention.set)) setPath(copy, path, value);
  return copy as unknown as Scenario;
}

/** The value `path` has in the scenario during round `round` (0-based), after every intervention up to it. */
export function valueDuring(scenario: Scenario, path: string, round: number): unknown {
  let value = getPath(scenario, path);
  for (const item of schedule(scenario)) if (item.at <= round && path in item.set) value = item.set[path];
  return value;
}
