/**
 * From what a user types to a validated scenario: a built-in name, or a JSON/YAML scenario file
 * that may extend a built-in scenario or another file. A file is checked against the published
 * schema before anything is merged (unknown keys, types, ranges), then merged over its base and
 * checked again by the model's `validateScenario` (uniqueness, formulas, completeness).
 */
import { readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import YAML from 'yaml';
import { defaultParameters } from '../model/parameters.ts';
import { mergeDeep, validateScenario, type ScenarioProblem } from '../model/scenario.ts';
import type { Scenario } from '../model/types.ts';
import { builtInScenario, builtInScenarioNames, isBuiltInScenario } from '../scenarios/index.ts';
import { builtInRegimeNames } from '../scenarios/regimes.ts';
import { InputError } from './errors.ts';
import { FLEXIBILITY_PATHS } from './schema.ts';
import { scenarioChecker } from './schema-check.ts';
import { closest } from './suggest.ts';

export interface ResolvedScenario {
  scenario: Scenario;
  /** `built-in` or the absolute path of the file. */
  origin: string;
  /** The chain of bases, nearest first (e.g. `["gm-2017"]` for a file that extends gm-2017). */
  bases: string[];
  /** For a file: the scenario its fields were merged over (what it extends, or the registry defaults). */
  base?: Scenario;
}

const SCENARIO_FILE = /\.(json|ya?ml)$/i;
const MAX_EXTENDS_DEPTH = 16;

/** Whether `ref` should be read as a file path rather than a built-in name. */
export function looksLikeFile(ref: string): boolean {
  return SCENARIO_FILE.test(ref) || ref.includes('/') || ref.includes('\\');
}

/** Resolves a built-in scenario name or a scenario file path (relative to `cwd`). */
export function resolveScenario(ref: string, cwd: string): ResolvedScenario {
  if (isBuiltInScenario(ref)) return { scenario: builtInScenario(ref), origin: 'built-in', bases: [] };
  if (looksLikeFile(ref)) return loadScenarioFile(resolve(cwd, ref));
  throw unknownScenario(ref);
}

function unknownScenario(ref: string, where = ''): InputError {
  const names = builtInScenarioNames();
  if (builtInRegimeNames().includes(ref)) {
    return new InputError(`${where}"${ref}" is a regime, not a scenario.`, [],
      `Apply it to a scenario with \`--regime ${ref}\`, e.g. \`partnersim run gm-2017 --regime ${ref}\`.`);
  }
  const suggestion = closest(ref, names);
  return new InputError(
    `${where}unknown scenario "${ref}"${suggestion ? `; did you mean "${suggestion}"?` : '.'}`, [],
    `Built-in scenarios: ${names.join(', ')}. A scenario file needs a .json, .yaml or .yml name ` +
    '(`partnersim scenarios` lists the built-in ones).',
  );
}

/** Reads, parses, checks and resolves one scenario file (and whatever it extends). */
export function loadScenarioFile(file: string, chain: readonly string[] = []): ResolvedScenario {
  const real = readableRealPath(file, chain);
  if (chain.includes(real)) {
    throw new InputError(`scenario files extend each other in a cycle: ${[...chain, real].map((f) => basename(f)).join(' → ')}`);
  }
  if (chain.length >= MAX_EXTENDS_DEPTH) throw new InputError(`${shown(file)}: more than ${MAX_EXTENDS_DEPTH} levels of extends`);
  const document = parseScenarioText(readText(file), file);
  return scenarioFromDocument(document, file, [...chain, real]);
}

function shown(file: string): string {
  return basename(file);
}

function readableRealPath(file: string, chain: readonly string[]): string {
  try {
    return realpathSync(file);
  } catch (error) {
    const from = chain.length > 0 ? ` (extended by ${shown(chain[chain.length - 1])})` : '';
    throw new InputError(`cannot read scenario file "${file}"${from}: ${systemReason(error)}`);
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read scenario file "${file}": ${systemReason(error)}`);
  }
}

function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EISDIR': return 'it is a directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    default: return (error as Error).message;
  }
}

/** Parses JSON (`.json`) or YAML (anything else; YAML is a superset of JSON). */
export function parseScenarioText(text: string, file: string): unknown {
  const name = shown(file);
  if (extname(file).toLowerCase() === '.json') {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new InputError(`${name} is not valid JSON: ${jsonErrorWithLine((error as Error).message, text)}`);
    }
  }
  try {
    return YAML.parse(text, { prettyErrors: true, uniqueKeys: true, strict: true });
  } catch (error) {
    throw new InputError(`${name} is not valid YAML: ${(error as Error).message}`);
  }
}

function jsonErrorWithLine(message: string, text: string): string {
  const match = /position (\d+)/.exec(message);
  if (!match) return message;
  const before = text.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** Turns `flexibilities.pooledBudgets: false` into `{ allowed: false }` (in a copy). */
export function expandShorthands(document: Record<string, unknown>): Record<string, unknown> {
  const flexibilities = document.flexibilities;
  if (!isPlainObject(flexibilities)) return document;
  const copy = { ...flexibilities };
  for (const path of FLEXIBILITY_PATHS) {
    const key = path.split('.')[1];
    if (typeof copy[key] === 'boolean') copy[key] = { allowed: copy[key] };
  }
  return { ...document, flexibilities: copy };
}

/**
 * Builds the scenario a parsed file describes. `chain` holds the real paths of the files
 * being loaded (this one last), to find cycles of `extends`.
 */
export function scenarioFromDocument(document: unknown, file: string, chain: readonly string[] = [file]): ResolvedScenario {
  const name = shown(file);
  if (document === null || document === undefined) {
    throw new InputError(`${name} is empty.`, [], 'A scenario file is a mapping of fields, e.g. `extends: gm-2017` then the fields that differ.');
  }
  const problems = scenarioChecker().check(document);
  if (problems.length > 0) throw invalidFile(name, problems);
  const doc = expandShorthands(document as Record<string, unknown>);
  const { extends: parent, $schema: _schema, ...fields } = doc;

  let base: Scenario;
  let bases: string[] = [];
  if (typeof parent === 'string') {
    if (isBuiltInScenario(parent)) {
      base = builtInScenario(parent);
      bases = [parent];
    } else if (looksLikeFile(parent)) {
      const resolved = loadScenarioFile(resolve(dirname(file), parent), chain);
      base = resolved.scenario;
      bases = [parent, ...resolved.bases];
    } else {
      const error = unknownScenario(parent, `${name}: extends: `);
      throw new InputError(error.message, [], error.hint);
    }
  } else {
    if (fields.localities === undefined) {
      throw invalidFile(name, [{
        path: 'localities',
        message: 'is missing: a scenario file either extends a scenario that has localities (`extends: gm-2017`) or lists its own',
      }]);
    }
    base = { name: '', description: '', sources: [], ...defaultParameters(), localities: [] };
  }

  const scenario = mergeDeep(base, fields);
  if (fields.name === undefined) scenario.name = basename(file, extname(file));
  if (fields.description === undefined) {
    scenario.description = bases.length > 0 ? `${name}: ${bases[0]} with the changes in this file.` : `Scenario file ${name}.`;
  }
  const modelProblems = validateScenario(scenario);
  if (modelProblems.length > 0) throw invalidFile(name, modelProblems);
  return { scenario, origin: file, bases, base };
}

function invalidFile(name: string, problems: readonly ScenarioProblem[]): InputError {
  return new InputError(`${name} is not a valid scenario (${count(problems.length, 'problem')}):`, problems,
    'Nothing was run. `partnersim schema` describes every field; `partnersim scenarios show gm-2017` shows values and defaults.');
}

export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/**
 * Every problem of a complete scenario (after regimes and overrides): the schema's checks
 * first (types, ranges, unknown keys), then, if those pass, the model's own validation.
 */
export function checkScenario(scenario: Scenario): ScenarioProblem[] {
  const problems = scenarioChecker().check(scenario);
  return problems.length > 0 ? problems : validateScenario(scenario);
}
