/**
 * The calibration input as plain data (it comes from a JSON or YAML file): the target statistics,
 * the parameters with their priors, and the ABC-SMC settings. Model-agnostic: a parameter path
 * is only a name here; the caller's simulate callback gives it meaning. Validation collects
 * every problem, each named by its path (`targets[2].sd: -1 is not > 0`), so a user fixes a
 * file in one pass.
 */

/** One summary statistic to match. */
export interface Target {
  /** Key of the statistic in the simulate callback's result. */
  name: string;
  observed: number;
  /** Standard error of the observed value (or an acceptable tolerance): the distance's scale. */
  sd: number;
  /** Kept out of the fit and reported afterwards as an out-of-sample check. */
  holdOut?: boolean;
  /** Where the figure comes from (paper, table, figure); carried through to the report. */
  source?: string;
}

/** Uniform prior on [min, max], or uniform on [log min, log max] when `log` is true. */
export interface Prior {
  min: number;
  max: number;
  log?: boolean;
}

export interface CalibrationParameter {
  path: string;
  prior: Prior;
}

export interface AbcSettings {
  /** Particles per generation (N). */
  particles?: number;
  /** Stop after this many generations (generation 0, the prior sample, counts). */
  maxGenerations?: number;
  /** Next tolerance = this quantile of the previous generation's distances. */
  quantile?: number;
  /** Stop once the tolerance reaches this value (it is never set below it). */
  minTolerance?: number;
  /** Abandon a generation (keep the previous one) once its acceptance rate must fall below this. */
  minAcceptanceRate?: number;
  /** Abandon the current generation once this many simulations have been spent in total. */
  maxSimulations?: number;
  /** 'multivariate': N(0, 2Σ) with Σ the weighted covariance; 'diagonal': per-parameter variances. */
  kernel?: 'multivariate' | 'diagonal';
}

export interface CalibrationSpec {
  targets: Target[];
  parameters: CalibrationParameter[];
  abc?: AbcSettings;
}

export const DEFAULT_SETTINGS: Required<AbcSettings> = {
  particles: 500,
  maxGenerations: 8,
  quantile: 0.5,
  minTolerance: 0,
  minAcceptanceRate: 0.01,
  maxSimulations: Number.MAX_SAFE_INTEGER,
  kernel: 'multivariate',
};

export interface CalibrationProblem {
  path: string;
  message: string;
}

export class CalibrationError extends Error {
  constructor(readonly problems: CalibrationProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
    this.name = 'CalibrationError';
  }
}

const show = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
};
const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** Every problem in `input` read as a CalibrationSpec (empty when it is valid). */
export function validateCalibrationSpec(input: unknown): CalibrationProblem[] {
  const problems: CalibrationProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (!isObject(input)) return [{ path: '(calibration)', message: `${show(input)} is not an object` }];

  const number = (path: string, value: unknown, check?: (v: number) => string | null) => {
    if (!isFiniteNumber(value)) add(path, `${show(value)} is not a finite number`);
    else if (check) {
      const failed = check(value);
      if (failed) add(path, `${value} ${failed}`);
    }
  };
  const optionalBoolean = (path: string, value: unknown) => {
    if (value !== undefined && typeof value !== 'boolean') add(path, `${show(value)} is not true or false`);
  };
  const nameOf = (path: string, value: unknown, seen: Map<string, string>) => {
    if (typeof value !== 'string' || value.trim() === '') add(path, `${show(value)} is not a non-empty string`);
    else if (seen.has(value)) add(path, `${show(value)} repeats ${seen.get(value)}`);
    else seen.set(value, path);
  };

  const targets = input.targets;
  if (!Array.isArray(targets) || targets.length === 0) add('targets', `${show(targets)} is not a non-empty list`);
  else {
    const names = new Map<string, string>();
    targets.forEach((target, i) => {
      const at = `targets[${i}]`;
      if (!isObject(target)) return add(at, `${show(target)} is not an object`);
      nameOf(`${at}.name`, target.name, names);
      number(`${at}.observed`, target.observed);
      number(`${at}.sd`, target.sd, (v) => (v > 0 ? null : 'is not > 0'));
      optionalBoolean(`${at}.holdOut`, target.holdOut);
      if (target.source !== undefined && typeof target.source !== 'string') add(`${at}.source`, `${show(target.source)} is not a string`);
    });
    if (targets.every((t) => isObject(t) && t.holdOut === true)) add('targets', 'every target is held out; at least one must be fitted');
  }

  const parameters = input.parameters;
  if (!Array.isArray(parameters) || parameters.length === 0) add('parameters', `${show(parameters)} is not a non-empty list`);
  else {
    const paths = new Map<string, string>();
    parameters.forEach((parameter, i) => {
      const at = `parameters[${i}]`;
      if (!isObject(parameter)) return add(at, `${show(parameter)} is not an object`);
      nameOf(`${at}.path`, parameter.path, paths);
      const prior = parameter.prior;
      if (!isObject(prior)) return add(`${at}.prior`, `${show(prior)} is not an object with min and max`);
      optionalBoolean(`${at}.prior.log`, prior.log);
      const positive = prior.log === true ? (v: number) => (v > 0 ? null : 'is not > 0 (log prior)') : undefined;
      number(`${at}.prior.min`, prior.min, positive);
      number(`${at}.prior.max`, prior.max, positive);
      if (isFiniteNumber(prior.min) && isFiniteNumber(prior.max) && !(prior.min < prior.max)) {
        add(`${at}.prior.max`, `${prior.max} is not > prior.min (${prior.min})`);
      }
    });
  }

  const abc = input.abc;
  if (abc !== undefined) {
    if (!isObject(abc)) add('abc', `${show(abc)} is not an object`);
    else {
      const known = new Set(Object.keys(DEFAULT_SETTINGS));
      for (const key of Object.keys(abc)) if (!known.has(key)) add(`abc.${key}`, `is not a setting (known: ${[...known].join(', ')})`);
      const integer = (min: number) => (v: number) => (Number.isInteger(v) && v >= min ? null : `is not an integer >= ${min}`);
      if (abc.particles !== undefined) number('abc.particles', abc.particles, integer(2));
      if (abc.maxGenerations !== undefined) number('abc.maxGenerations', abc.maxGenerations, integer(1));
      if (abc.maxSimulations !== undefined) number('abc.maxSimulations', abc.maxSimulations, integer(1));
      if (abc.quantile !== undefined) number('abc.quantile', abc.quantile, (v) => (v > 0 && v < 1 ? null : 'is not in (0, 1)'));
      if (abc.minTolerance !== undefined) number('abc.minTolerance', abc.minTolerance, (v) => (v >= 0 ? null : 'is not >= 0'));
      if (abc.minAcceptanceRate !== undefined) {
        number('abc.minAcceptanceRate', abc.minAcceptanceRate, (v) => (v >= 0 && v < 1 ? null : 'is not in [0, 1)'));
      }
      if (abc.kernel !== undefined && abc.kernel !== 'multivariate' && abc.kernel !== 'diagonal') {
        add('abc.kernel', `${show(abc.kernel)} is not "multivariate" or "diagonal"`);
      }
    }
  }

  for (const key of Object.keys(input)) {
    if (!['targets', 'parameters', 'abc'].includes(key)) add(key, 'is not a field (known: targets, parameters, abc)');
  }
  return problems;
}

/** `input` as a CalibrationSpec; throws CalibrationError listing every problem. */
export function parseCalibrationSpec(input: unknown): CalibrationSpec {
  const problems = validateCalibrationSpec(input);
  if (problems.length > 0) throw new CalibrationError(problems);
  return input as CalibrationSpec;
}

/** The settings with defaults filled in. */
export function resolveSettings(spec: CalibrationSpec): Required<AbcSettings> {
  return { ...DEFAULT_SETTINGS, ...spec.abc };
}
