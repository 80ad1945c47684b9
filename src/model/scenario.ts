/**
 * Building scenarios: extend a base with a partial override (deep merge; arrays are replaced
 * whole), set single values by dotted path, and validate every field against the parameter
 * registry and the structural rules, reporting each problem with its path, the bad value and
 * what is allowed. Pure functions over plain data.
 */
import { ORGANISATION_KIND_NAMES } from '../agents/organisation-kinds.ts';
import { resolveOrganisations } from './initialise.ts';
import { interventionProblems, scenarioAfter } from './interventions.ts';
import { MEASURE_NAMES } from './observe.ts';
import { ruleCompiler, COLLECTIVE_DELIVERY_VARIABLES, ORG_PENALTY_VARIABLES, RuleError } from './formulas.ts';
import { getPath, PARAMETERS, parameterSpec, setPath, type ParameterSpec } from './parameters.ts';
import type { DeepPartial, Scenario } from './types.ts';

/** Input bounds that keep memory finite (docs/LIMITS.md); the schema publishes them too. */
export const MAX_LOCALITIES = 10_000;
export const MAX_ORGANISATIONS = 1_000;
export const MAX_LEADERS_PER_ORGANISATION = 1_000;
export const MAX_BUDGET = 1e9;
export const MAX_NAME_CHARS = 200;
export const MAX_DESCRIPTION_CHARS = 10_000;
/** The column name of the whole-system rows in every table; a locality cannot take it. */
export const RESERVED_LOCALITY_NAME = 'system';

// Control characters (and bidi overrides) in a name would reach terminals, CSV, Parquet and charts.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** The problem with a name, or null: non-empty, at most MAX_NAME_CHARS, no control characters. */
function nameProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return 'must be a non-empty string';
  if (value.length > MAX_NAME_CHARS) return `is ${value.length} characters long; the limit is ${MAX_NAME_CHARS}`;
  if (CONTROL.test(value)) return 'holds a control character (such as a terminal escape); use printable characters only';
  return null;
}

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** Deep-merges `override` into a copy of `base`. Arrays and scalars in `override` replace. */
export function mergeDeep<T>(base: T, override: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(override)) {
    return (override === undefined ? structuredClone(base) : structuredClone(override)) as T;
  }
  const out: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(override)) {
    out[key] = key in out ? mergeDeep(out[key], value) : structuredClone(value);
  }
  return out as T;
}

/** Extends `base` with `override` and validates the result; throws ScenarioError on problems. */
export function extendScenario(base: Scenario, override: DeepPartial<Scenario>): Scenario {
  const scenario = mergeDeep(base, override);
  assertValidScenario(scenario);
  return scenario;
}

export interface ScenarioProblem {
  path: string;
  message: string;
}

export class ScenarioError extends Error {
  constructor(readonly problems: ScenarioProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  }
}

/** Parses a command-line value for `path` (numbers, booleans, enums, expressions). */
export function parseValueForPath(path: string, text: string): unknown {
  const spec = parameterSpec(path);
  if (!spec) {
    if (text === 'true' || text === 'false') return text === 'true';
    const number = Number(text);
    return text.trim() !== '' && Number.isFinite(number) ? number : text;
  }
  switch (spec.type) {
    case 'boolean':
      if (text === 'true' || text === 'false') return text === 'true';
      return text;
    case 'number':
    case 'integer': {
      const number = Number(text);
      return text.trim() !== '' && Number.isFinite(number) ? number : text;
    }
    default:
      return text;
  }
}

/** Returns a copy of `scenario` with `path` set to `value` (validated). */
export function withOverride(scenario: Scenario, path: string, value: unknown): Scenario {
  const copy = structuredClone(scenario) as unknown as Record<string, unknown>;
  setPath(copy, path, value);
  const result = copy as unknown as Scenario;
  assertValidScenario(result);
  return result;
}

export function assertValidScenario(scenario: Scenario): void {
  const problems = validateScenario(scenario);
  if (problems.length > 0) throw new ScenarioError(problems);
}

/** A value as shown in a message: strings quoted, cut to 80 characters, control characters escaped by JSON. */
const describe = (value: unknown) => {
  if (typeof value !== 'string') return String(value);
  const json = JSON.stringify(value.length > 80 ? `${value.slice(0, 79)}…` : value);
  // eslint-disable-next-line no-control-regex
  return json.replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
};

function checkParameter(spec: ParameterSpec, value: unknown): string | null {
  if (value === undefined || value === null) {
    return spec.type === 'expression' ? null : `is missing (${spec.meaning})`;
  }
  switch (spec.type) {
    case 'boolean':
      return typeof value === 'boolean' ? null : `${describe(value)} is not true or false`;
    case 'enum':
      return spec.values!.includes(value as string) ? null : `${describe(value)} is not one of ${spec.values!.join(', ')}`;
    case 'expression':
      return typeof value === 'string' ? null : `${describe(value)} is not a formula string`;
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${describe(value)} is not a number`;
      if (spec.type === 'integer' && !Number.isInteger(value)) return `${value} is not a whole number`;
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
        return `${value} is outside [${spec.min}, ${spec.max}]`;
      }
      return null;
    }
  }
}

const LEADER_ATTRIBUTES = ['control', 'focus', 'altruism', 'ambition', 'followership', 'riskAppetite'];

/** Every problem with `scenario`, each with its field path; empty when valid. */
export function validateScenario(scenario: Scenario): ScenarioProblem[] {
  const problems = validateWithoutSchedule(scenario);
  if (!isPlainObject(scenario) || scenario.interventions === undefined) return problems;
  const structural = interventionProblems(scenario);
  if (structural.length > 0) return [...problems, ...structural];
  // Each change is checked as the scenario will be once it holds (changes accumulate in round order).
  const order = scenario.interventions.map((item, k) => ({ item, k })).sort((a, b) => a.item.at - b.item.at || a.k - b.k);
  let current: Scenario = { ...scenario, interventions: undefined };
  for (const { item, k } of order) {
    current = scenarioAfter(current, item);
    for (const problem of validateWithoutSchedule(current)) {
      const changed = Object.keys(item.set).find((path) => problem.path === path || problem.path.startsWith(`${path}.`));
      const ordering = problem.path === 'board.regressTrust' || problem.path === 'board.regressUnderstanding';
      if (changed || ordering) problems.push({ path: `interventions[${k}].set.${changed ?? problem.path}`, message: problem.message });
    }
  }
  return problems;
}

function validateWithoutSchedule(scenario: Scenario): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (!isPlainObject(scenario)) return [{ path: '(scenario)', message: 'is not an object' }];
  for (const spec of PARAMETERS) {
    const problem = checkParameter(spec, getPath(scenario, spec.path));
    if (problem) add(spec.path, problem);
  }
  const scenarioName = nameProblem(scenario.name);
  if (scenarioName) add('name', scenarioName);
  if (typeof scenario.description === 'string' && scenario.description.length > MAX_DESCRIPTION_CHARS) {
    add('description', `is ${scenario.description.length} characters long; the limit is ${MAX_DESCRIPTION_CHARS}`);
  }
  const rules = scenario.regime?.rules ?? {};
  const ruleVariables = { orgPenalty: ORG_PENALTY_VARIABLES, collectiveDelivery: COLLECTIVE_DELIVERY_VARIABLES };
  for (const [name, variables] of Object.entries(ruleVariables)) {
    const source = (rules as Record<string, unknown>)[name];
    if (typeof source !== 'string') continue;
    try {
      ruleCompiler()(source, variables, `regime.rules.${name}`);
    } catch (error) {
      if (error instanceof RuleError) add(`regime.rules.${name}`, error.message.replace(/^regime\.rules\.\w+: /, ''));
      else throw error;
    }
  }
  const override = scenario.leaders?.override ?? {};
  for (const [key, value] of Object.entries(override)) {
    if (!LEADER_ATTRIBUTES.includes(key)) add(`leaders.override.${key}`, `is not a leader attribute (${LEADER_ATTRIBUTES.join(', ')})`);
    else if (typeof value !== 'number' || value < 0 || value > 1) add(`leaders.override.${key}`, `${describe(value)} is outside [0, 1]`);
  }
  const board = scenario.board;
  if (board && typeof board.regressTrust === 'number' && typeof board.normingTrust === 'number' && board.regressTrust > board.normingTrust) {
    add('board.regressTrust', `${board.regressTrust} is above board.normingTrust (${board.normingTrust}); a board would fall back as soon as it advanced`);
  }
  if (board && typeof board.regressUnderstanding === 'number' && typeof board.performingUnderstanding === 'number' &&
      board.regressUnderstanding > board.performingUnderstanding) {
    add('board.regressUnderstanding', `${board.regressUnderstanding} is above board.performingUnderstanding (${board.performingUnderstanding})`);
  }
  if (scenario.lessonMeasures !== undefined) {
    if (!Array.isArray(scenario.lessonMeasures)) add('lessonMeasures', 'must be a list of measure names');
    else scenario.lessonMeasures.forEach((name, k) => {
      if (!MEASURE_NAMES.includes(name)) add(`lessonMeasures[${k}]`, `"${name}" is not a measure (\`partnersim measures\` lists them)`);
    });
  }
  const localities = scenario.localities;
  if (!Array.isArray(localities) || localities.length === 0) {
    add('localities', 'must list at least one locality');
    return problems;
  }
  if (localities.length > MAX_LOCALITIES) {
    add('localities', `lists ${localities.length} localities; the limit is ${MAX_LOCALITIES} (docs/LIMITS.md)`);
    return problems;
  }
  const names = new Set<string>();
  localities.forEach((loc, c) => {
    const at = `localities[${c}]`;
    if (!isPlainObject(loc)) return add(at, 'is not an object');
    const locName = nameProblem(loc.name);
    if (locName) add(`${at}.name`, locName);
    else if (loc.name === RESERVED_LOCALITY_NAME) add(`${at}.name`, `"${RESERVED_LOCALITY_NAME}" is reserved: it names the whole-system rows of every table; choose another name`);
    else if (names.has(loc.name)) add(`${at}.name`, `${describe(loc.name)} is used by another locality`);
    else names.add(loc.name);
    const ranges: [string, number, number][] = [['history', -1, 1], ['structuralFriction', 0, 1], ['baselineOutcome', 0, 0.999], ['budget', 0, MAX_BUDGET]];
    for (const [key, lo, hi] of ranges) {
      const v = (loc as unknown as Record<string, unknown>)[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) add(`${at}.${key}`, `${describe(v)} is not a number`);
      else if (v < lo || v > hi) add(`${at}.${key}`, `${v} is outside [${lo}, ${hi}]`);
    }
    if (!Array.isArray(loc.organisations) || loc.organisations.length === 0) {
      return add(`${at}.organisations`, 'must list at least one organisation');
    }
    if (loc.organisations.length > MAX_ORGANISATIONS) {
      return add(`${at}.organisations`, `lists ${loc.organisations.length} organisations; the limit is ${MAX_ORGANISATIONS} per locality (docs/LIMITS.md)`);
    }
    const orgNames = new Set<string>();
    if (loc.organisations.every((org) => isPlainObject(org) && ORGANISATION_KIND_NAMES.includes(org.kind))) {
      const resolved = resolveOrganisations(loc).map((org) => org.name);
      const seen = new Set<string>();
      const clash = resolved.find((name) => seen.size === seen.add(name).size);
      if (clash) add(`${at}.organisations`, `two organisations would both be called ${describe(clash)}; give them distinct names`);
    }
    loc.organisations.forEach((org, o) => {
      const oat = `${at}.organisations[${o}]`;
      if (!isPlainObject(org)) return add(oat, 'is not an object');
      if (!ORGANISATION_KIND_NAMES.includes(org.kind)) {
        add(`${oat}.kind`, `${describe(org.kind)} is not one of ${ORGANISATION_KIND_NAMES.join(', ')}`);
      }
      if (org.name !== undefined) {
        const orgName = nameProblem(org.name);
        if (orgName) add(`${oat}.name`, orgName);
        else if (orgNames.has(org.name)) add(`${oat}.name`, `${describe(org.name)} is used twice in ${loc.name}`);
        else orgNames.add(org.name);
      }
      if (org.budget !== undefined && (typeof org.budget !== 'number' || !(org.budget >= 0) || org.budget > MAX_BUDGET)) {
        add(`${oat}.budget`, `${describe(org.budget)} is outside [0, ${MAX_BUDGET}]`);
      }
      if (org.power !== undefined && (typeof org.power !== 'number' || org.power < 0 || org.power > 1)) add(`${oat}.power`, `${describe(org.power)} is outside [0, 1]`);
      if (org.leaders !== undefined && (!Number.isInteger(org.leaders) || org.leaders < 1 || org.leaders > MAX_LEADERS_PER_ORGANISATION)) {
        add(`${oat}.leaders`, `${describe(org.leaders)} is not a whole number in [1, ${MAX_LEADERS_PER_ORGANISATION}]`);
      }
      for (const [key, value] of Object.entries(org.leader ?? {})) {
        if (!LEADER_ATTRIBUTES.includes(key)) add(`${oat}.leader.${key}`, `is not a leader attribute (${LEADER_ATTRIBUTES.join(', ')})`);
        else if (typeof value !== 'number' || value < 0 || value > 1) add(`${oat}.leader.${key}`, `${describe(value)} is outside [0, 1]`);
      }
    });
  });
  return problems;
}
