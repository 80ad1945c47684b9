/**
 * A model calibration spec (what a user writes in calibration/*.yaml) turned into the engine's
 * input: the engine spec (targets, parameters, abc) and a simulate callback that runs the model.
 *
 * The spec names a scenario (resolved by the caller: this module stays pure), arms (the scenario
 * with dotted-path overrides, e.g. sanctions on), the calibrated parameters (applied to every
 * arm) and targets that say which model statistic each figure is: an arm, an observed measure,
 * a column, one round or the mean over a range of rounds, and optionally a baseline arm, in
 * which case the statistic is the paired difference arm − baseline on common random numbers
 * (same seed, same replicate indices). Each target's statistic is the mean over replicates.
 *
 * Validation collects every problem with its path (`targets[1].measure: "contribution" is not a
 * measure …`), after the engine's own checks of the same fields.
 */
import { runReplicates } from '../model/engine.ts';
import { MEASURE_NAMES } from '../model/observe.ts';
import { parameterSpec } from '../model/parameters.ts';
import { measure } from '../model/results.ts';
import { ScenarioError, withOverride } from '../model/scenario.ts';
import type { Scenario } from '../model/types.ts';
import type { Simulate } from './abc-smc.ts';
import {
  validateCalibrationSpec,
  type AbcSettings, type CalibrationParameter, type CalibrationProblem, type CalibrationSpec, type Target,
} from './spec.ts';

/** A target with the model statistic it is compared with. */
export interface ModelTarget extends Target {
  arm: string;
  /** An observed measure (MEASURE_NAMES). */
  measure: string;
  /** `system` (default) or a locality name. */
  column?: string;
  /** One round, 1-based. */
  round?: number;
  /** Mean over rounds from..to, 1-based and inclusive. */
  rounds?: [number, number];
  /** Paired difference arm − baseline on common random numbers. */
  baseline?: string;
}

export interface ModelCalibrationSpec {
  /** Built-in scenario name (or a scenario file the caller resolves). */
  scenario: string;
  /** Replicates per arm in every simulation (default 10). */
  replicates?: number;
  /** Calibration seed (default 1). */
  seed?: string | number;
  /** Arm name → dotted-path overrides of the scenario; `{}` is the scenario as it is. */
  arms: Record<string, Record<string, unknown>>;
  parameters: CalibrationParameter[];
  targets: ModelTarget[];
  abc?: AbcSettings;
}

export interface ModelCalibration {
  spec: ModelCalibrationSpec;
  /** What the engine sees: targets reduced to name/observed/sd/holdOut/source. */
  engine: CalibrationSpec;
  simulate: Simulate;
  seed: string;
  replicates: number;
  /** Rounds simulated per replicate: the last round any target reads (earlier rounds do not depend on later ones). */
  rounds: number;
}

export const DEFAULT_REPLICATES = 10;
const FIELDS = ['scenario', 'replicates', 'seed', 'arms', 'parameters', 'targets', 'abc'];
const TARGET_FIELDS = ['name', 'observed', 'sd', 'holdOut', 'source', 'arm', 'measure', 'column', 'round', 'rounds', 'baseline'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const show = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return JSON.stringify(value);
  if (isObject(value)) return 'an object';
  return String(value);
};
const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);

/** The engine's part of the spec (targets without the model fields). */
function engineSpec(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { targets: input.targets, parameters: input.parameters };
  if (input.abc !== undefined) out.abc = input.abc;
  if (Array.isArray(input.targets)) {
    out.targets = input.targets.map((t) => {
      if (!isObject(t)) return t;
      const { arm: _a, measure: _m, column: _c, round: _r, rounds: _rs, baseline: _b, ...rest } = t;
      return rest;
    });
  }
  return out;
}

/** The arm scenarios, or the problems of their overrides. */
function buildArms(input: unknown, scenario: Scenario, calibrated: ReadonlySet<string>, add: (path: string, message: string) => void): Map<string, Scenario> {
  const arms = new Map<string, Scenario>();
  if (!isObject(input) || Object.keys(input).length === 0) {
    add('arms', `${show(input)} is not a non-empty mapping of arm names to overrides`);
    return arms;
  }
  for (const [name, overrides] of Object.entries(input)) {
    const at = `arms.${name}`;
    if (overrides === null || overrides === undefined) {
      arms.set(name, scenario); // `plain:` with nothing after it: the scenario as it is
      continue;
    }
    if (!isObject(overrides)) {
      add(at, `${show(overrides)} is not a mapping of parameter paths to values`);
      continue;
    }
    let armScenario = scenario;
    let ok = true;
    for (const [path, value] of Object.entries(overrides)) {
      if (!parameterSpec(path)) {
        add(`${at}.${path}`, 'is not a parameter (`partnersim scenarios show <scenario>` lists them)');
        ok = false;
      } else if (calibrated.has(path)) {
        add(`${at}.${path}`, 'is also a calibrated parameter (the fitted value would replace it in every arm)');
        ok = false;
      } else {
        try {
          armScenario = withOverride(armScenario, path, value);
        } catch (error) {
          if (!(error instanceof ScenarioError)) throw error;
          for (const p of error.problems) add(p.path === path ? `${at}.${path}` : `${at} → ${p.path}`, p.message);
          ok = false;
        }
      }
    }
    if (ok) arms.set(name, armScenario);
  }
  return arms;
}

function checkParameters(parameters: unknown, add: (path: string, message: string) => void): void {
  if (!Array.isArray(parameters)) return; // the engine reports it
  parameters.forEach((parameter, i) => {
    if (!isObject(parameter) || typeof parameter.path !== 'string') return;
    const at = `parameters[${i}]`;
    const spec = parameterSpec(parameter.path);
    if (!spec) return add(`${at}.path`, `${show(parameter.path)} is not a parameter (\`partnersim scenarios show <scenario>\` lists them)`);
    if (spec.type !== 'number') return add(`${at}.path`, `${show(parameter.path)} is ${spec.type === 'integer' || spec.type === 'enum' || spec.type === 'expression' ? 'an' : 'a'} ${spec.type} parameter; only continuous (number) parameters can be calibrated`);
    const prior = parameter.prior;
    if (!isObject(prior)) return;
    for (const key of ['min', 'max'] as const) {
      const v = prior[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      if ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max)) {
        add(`${at}.prior.${key}`, `${v} is outside the parameter's range [${spec.min}, ${spec.max}]`);
      }
    }
  });
}

function checkTargets(targets: unknown, arms: ReadonlyMap<string, Scenario>, armNames: readonly string[], add: (path: string, message: string) => void): void {
  if (!Array.isArray(targets)) return; // the engine reports it
  const known = armNames.length > 0 ? ` (arms: ${armNames.join(', ')})` : '';
  targets.forEach((target, i) => {
    if (!isObject(target)) return;
    const at = `targets[${i}]`;
    for (const key of Object.keys(target)) if (!TARGET_FIELDS.includes(key)) add(`${at}.${key}`, `is not a target field (known: ${TARGET_FIELDS.join(', ')})`);
    const armOf = (field: 'arm' | 'baseline'): Scenario | undefined => {
      const value = target[field];
      if (typeof value !== 'string' || !armNames.includes(value)) {
        add(`${at}.${field}`, `${show(value)} is not an arm${known}`);
        return undefined;
      }
      return arms.get(value);
    };
    const arm = armOf('arm');
    const baseline = target.baseline !== undefined ? armOf('baseline') : undefined;
    if (target.baseline !== undefined && target.baseline === target.arm) add(`${at}.baseline`, `${show(target.baseline)} is the target's own arm; a difference needs another arm`);
    if (typeof target.measure !== 'string' || !MEASURE_NAMES.includes(target.measure)) {
      add(`${at}.measure`, `${show(target.measure)} is not a measure (\`partnersim measures\` lists them: ${MEASURE_NAMES.join(', ')})`);
    }
    const scenarios = [arm, baseline].filter((s): s is Scenario => s !== undefined);
    if (target.column !== undefined) {
      const columns = ['system', ...(scenarios[0]?.localities ?? []).map((l) => l.name)];
      if (typeof target.column !== 'string') add(`${at}.column`, `${show(target.column)} is not a column name`);
      else for (const s of scenarios) {
        if (target.column !== 'system' && !s.localities.some((l) => l.name === target.column)) {
          add(`${at}.column`, `${show(target.column)} is not a column (system or a locality: ${columns.join(', ')})`);
          break;
        }
      }
    }
    const last = scenarios.length > 0 ? Math.min(...scenarios.map((s) => s.rounds)) : Infinity;
    const inRange = (v: unknown) => isInteger(v) && v >= 1 && v <= last;
    const range = Number.isFinite(last) ? `1..${last}` : '1..rounds';
    if (target.round !== undefined && target.rounds !== undefined) add(`${at}.rounds`, 'give round or rounds, not both');
    else if (target.round === undefined && target.rounds === undefined) add(`${at}.round`, 'missing: give round (1-based) or rounds: [from, to]');
    else if (target.round !== undefined) {
      if (!inRange(target.round)) add(`${at}.round`, `${show(target.round)} is not a round in ${range}`);
    } else {
      const r = target.rounds;
      if (!Array.isArray(r) || r.length !== 2) add(`${at}.rounds`, `${show(r)} is not [from, to]`);
      else if (!inRange(r[0]) || !inRange(r[1])) add(`${at}.rounds`, `${show(r)} is not a range of rounds in ${range}`);
      else if (r[0] > r[1]) add(`${at}.rounds`, `${show(r)}: from is after to`);
    }
  });
}

/** Every problem of `input` as a model calibration spec over `scenario` (empty when valid). */
export function validateModelCalibration(input: unknown, scenario: Scenario): CalibrationProblem[] {
  if (!isObject(input)) return [{ path: '(calibration)', message: `${show(input)} is not a mapping` }];
  const problems: CalibrationProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  for (const key of Object.keys(input)) if (!FIELDS.includes(key)) add(key, `is not a field (known: ${FIELDS.join(', ')})`);
  if (typeof input.scenario !== 'string' || input.scenario === '') add('scenario', `${show(input.scenario)} is not a scenario name`);
  if (input.replicates !== undefined && !(isInteger(input.replicates) && input.replicates >= 1 && input.replicates <= 100_000)) {
    add('replicates', `${show(input.replicates)} is not a whole number in [1, 100000]`);
  }
  if (input.seed !== undefined && typeof input.seed !== 'string' && !isInteger(input.seed)) add('seed', `${show(input.seed)} is not a string or whole number`);
  problems.push(...validateCalibrationSpec(engineSpec(input)));

  const calibrated = new Set(Array.isArray(input.parameters)
    ? input.parameters.flatMap((p) => (isObject(p) && typeof p.path === 'string' ? [p.path] : []))
    : []);
  checkParameters(input.parameters, add);
  const arms = buildArms(input.arms, scenario, calibrated, add);
  checkTargets(input.targets, arms, isObject(input.arms) ? Object.keys(input.arms) : [], add);

  // The engine checks this only when it starts: report it with the rest.
  if (isObject(input.abc) && isInteger(input.abc.particles) && isInteger(input.abc.maxSimulations) && input.abc.maxSimulations < input.abc.particles) {
    add('abc.maxSimulations', `${input.abc.maxSimulations} is less than abc.particles (${input.abc.particles}): generation 0 alone needs that many`);
  }
  return problems;
}

/** Mean over replicates of a target's per-replicate statistic (difference against the baseline if any). */
function statistic(target: ModelTarget, runs: ReadonlyMap<string, ReturnType<typeof runReplicates>>): number {
  const [from, to] = target.rounds ?? [target.round!, target.round!];
  const column = target.column ?? 'system';
  const value = (arm: string, k: number) => {
    const series = measure(runs.get(arm)![k], target.measure, column);
    let sum = 0;
    for (let r = from - 1; r < to; r++) sum += series[r];
    return sum / (to - from + 1);
  };
  const n = runs.get(target.arm)!.length;
  let total = 0;
  for (let k = 0; k < n; k++) total += value(target.arm, k) - (target.baseline ? value(target.baseline, k) : 0);
  return total / n;
}

/**
 * The engine spec and simulate callback for `input` over `scenario` (already resolved from
 * `input.scenario`). Returns the problems instead when the spec is not valid.
 */
export function modelCalibration(input: unknown, scenario: Scenario): ModelCalibration | { problems: CalibrationProblem[] } {
  const problems = validateModelCalibration(input, scenario);
  if (problems.length > 0) return { problems };
  const spec = input as ModelCalibrationSpec;
  const armScenarios = new Map<string, Scenario>();
  for (const [name, overrides] of Object.entries(spec.arms)) {
    armScenarios.set(name, Object.entries(overrides ?? {}).reduce((s, [path, value]) => withOverride(s, path, value), scenario));
  }
  // Only the arms a target reads are simulated.
  const used = [...new Set(spec.targets.flatMap((t) => (t.baseline ? [t.arm, t.baseline] : [t.arm])))];
  const rounds = Math.max(...spec.targets.map((t) => (t.rounds ? t.rounds[1] : t.round!)));
  const recordLocalities = spec.targets.some((t) => (t.column ?? 'system') !== 'system');
  const replicates = spec.replicates ?? DEFAULT_REPLICATES;

  const simulate: Simulate = (params, seed) => {
    const runs = new Map<string, ReturnType<typeof runReplicates>>();
    for (const arm of used) {
      const fitted = spec.parameters.reduce((s, p) => withOverride(s, p.path, params[p.path]), armScenarios.get(arm)!);
      // Same seed and replicate indices in every arm: common random numbers for the differences.
      runs.set(arm, runReplicates(fitted, { seed, replicates, rounds, recordLocalities }));
    }
    return Object.fromEntries(spec.targets.map((t) => [t.name, statistic(t, runs)]));
  };
  const engine: CalibrationSpec = engineSpec(spec as unknown as Record<string, unknown>) as unknown as CalibrationSpec;
  return { spec, engine, simulate, seed: String(spec.seed ?? 1), replicates, rounds };
}
