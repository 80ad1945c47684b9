/**
 * From a scenario document's text to a validated scenario, with no file system: JSON or YAML
 * that may extend a built-in scenario or (through a resolver the I/O layer passes in) another
 * file. A document is checked against the published schema before anything is merged (unknown
 * keys, types, ranges), then merged over its base and checked again by the model's
 * `validateScenario` (uniqueness, formulas, completeness). The CLI, notebooks and the browser
 * share this, so a file gets the same path-named messages wherever it is checked.
 */
import YAML from 'yaml';
import { defaultParameters } from '../model/parameters.ts';
import { mergeDeep, validateScenario, type ScenarioProblem } from '../model/scenario.ts';
import type { Scenario } from '../model/types.ts';
import { builtInScenario, builtInScenarioNames, isBuiltInScenario } from '../scenarios/index.ts';
import { builtInRegimeNames } from '../scenarios/regimes.ts';
import { InputError } from './errors.ts';
import { FLEXIBILITY_PATHS } from './schema.ts';
import { scenarioChecker } from './schema-check.ts';
import { extension, fileName, stem } from './paths.ts';
import { closest } from './suggest.ts';
import { checkDocumentSize, checkTextNesting, checkValueNesting, MAX_NESTING, safeMessage, safeText } from './limits.ts';

export interface ResolvedScenario {
  scenario: Scenario;
  /** `built-in`, or the document's name (for a file read by the CLI, its absolute path). */
  origin: string;
  /** The chain of bases, nearest first (e.g. `["gm-2017"]` for a file that extends gm-2017). */
  bases: string[];
  /** For a file: the scenario its fields were merged over (what it extends, or the registry defaults). */
  base?: Scenario;
}

const SCENARIO_FILE = /\.(json|ya?ml)$/i;
export const MAX_EXTENDS_DEPTH = 16;

/**
 * Loads a scenario file that a document extends: `ref` as written after `extends`, `from` the
 * extending document's name, `chain` the files being loaded (the I/O layer reads files; a
 * browser passes none or its own).
 */
export type FileResolver = (ref: string, from: string, chain: readonly string[]) => ResolvedScenario;

export interface DocumentOptions {
  /** How `extends: other.yaml` is read; without it a document extends built-in scenarios only. */
  resolveFile?: FileResolver;
}

/**
 * Refuses to load a file that is already being loaded (files extending each other in a cycle)
 * or one more than MAX_EXTENDS_DEPTH levels down. `id` identifies the file (a real path on disk,
 * a name in memory), `chain` holds the ids being loaded, `name` is how the file was asked for.
 */
export function checkExtendsChain(id: string, chain: readonly string[], name: string): void {
  if (chain.includes(id)) {
    throw new InputError(`scenario files extend each other in a cycle: ${[...chain, id].map((f) => shown(f)).join(' → ')}`);
  }
  if (chain.length >= MAX_EXTENDS_DEPTH) throw new InputError(`${shown(name)}: more than ${MAX_EXTENDS_DEPTH} levels of extends`);
}

/**
 * A resolver over documents held in memory, by file name (`extends: ./base.yaml` finds
 * `base.yaml`), e.g. several files dropped on a page; cycles are refused as on disk.
 */
export function documentsResolver(texts: Readonly<Record<string, string>>): FileResolver {
  const resolveFile: FileResolver = (ref, from, chain) => {
    const name = fileName(ref);
    if (!Object.hasOwn(texts, name)) {
      throw new InputError(`cannot read scenario file "${ref}" (extended by ${shown(from)}): no such file among ${Object.keys(texts).join(', ') || 'none'}`);
    }
    checkExtendsChain(name, chain, name);
    return scenarioFromDocument(parseScenarioText(texts[name], name), name, [...chain, name], { resolveFile });
  };
  return resolveFile;
}

/** Whether `ref` should be read as a file path rather than a built-in name. */
export function looksLikeFile(ref: string): boolean {
  return SCENARIO_FILE.test(ref) || ref.includes('/') || ref.includes('\\');
}

/** The error for a name that is neither a built-in scenario nor a file, with the nearest built-in name. */
export function unknownScenario(ref: string, where = ''): InputError {
  const names = builtInScenarioNames();
  if (builtInRegimeNames().includes(ref)) {
    return new InputError(`${where}"${ref}" is a regime, not a scenario.`, [],
      `Apply it to a scenario with \`--regime ${ref}\`, e.g. \`partnersim run gm-2017 --regime ${ref}\`.`);
  }
  const suggestion = closest(ref, names);
  return new InputError(
    `${where}unknown scenario "${safeText(ref)}"${suggestion ? `; did you mean "${suggestion}"?` : '.'}`, [],
    `Built-in scenarios: ${names.join(', ')}. A scenario file needs a .json, .yaml or .yml name ` +
    '(`partnersim scenarios` lists the built-in ones).',
  );
}

/** How a document is named in messages: its file name, without folders. */
export function shown(file: string): string {
  return fileName(file);
}

/**
 * Parses JSON (`.json`) or YAML (anything else; YAML is a superset of JSON). The size and the
 * nesting are checked on the text first, and the value's nesting again after parsing, so no
 * recursive step (parser, schema check, merge, clone) can run out of stack.
 */
export function parseScenarioText(text: string, file: string): unknown {
  const name = safeText(shown(file));
  checkDocumentSize(text, name);
  checkTextNesting(text, name);
  let value: unknown;
  if (extension(file).toLowerCase() === '.json') {
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new InputError(`${name} is not valid JSON: ${jsonErrorWithLine(firstLine(error), text)}`);
    }
  } else {
    value = parseYamlText(text, `${name} is not valid YAML`);
  }
  checkValueNesting(value, name);
  return value;
}

/**
 * YAML text to a value, or an InputError starting with `what`. Tags are data the schema has no
 * use for: any tag beyond the core schema's (`!!js/function`, `!custom`) is refused as an input
 * error instead of a warning on stderr and a run that goes on. Shared by scenario files and the
 * `--set` values that take a mapping.
 */
export function parseYamlText(text: string, what: string): unknown {
  // YAML allows no C0 control characters but tab and line breaks; a NUL means a binary or UTF-16
  // file, whose thousands of parse errors would take seconds to describe.
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.exec(text);
  if (control) {
    const { line, col } = lineAndColumn(text, control.index);
    throw new InputError(`${what}: it holds a control character (code ${control[0].charCodeAt(0)}) at line ${line}, column ${col}; ` +
      'a scenario file is UTF-8 text (is it UTF-16 or binary?).');
  }
  let document: YAML.Document.Parsed;
  try {
    // Plain errors: pretty ones cost time quadratic in their number; the line and column are added below.
    document = YAML.parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true, logLevel: 'silent' });
  } catch (error) {
    throw new InputError(`${what}: ${firstLine(error)}`);
  }
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) {
    const { line, col } = lineAndColumn(text, problem.pos[0]);
    const tag = /^Unresolved tag: (.*?)(?: at line|$)/.exec(problem.message);
    if (tag) {
      throw new InputError(`${what}: the tag ${safeText(tag[1])} (line ${line}, column ${col}) is not allowed.`, [],
        'Scenario files hold plain values (numbers, strings, true/false, lists and mappings) without YAML tags such as !!js/function.');
    }
    throw new InputError(`${what}: ${safeText(problem.message.split('\n')[0], 200)} at line ${line}, column ${col}`);
  }
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new InputError(`${what}: ${firstLine(error)}`);
  }
}

function lineAndColumn(text: string, at: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, at));
  return { line: before.split('\n').length, col: before.length - before.lastIndexOf('\n') };
}

/** The first line of an error's message, cleaned for printing (a stack overflow reads as too deep). */
function firstLine(error: unknown): string {
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return `nested too deeply to read (more than ${MAX_NESTING} levels of lists or mappings)`;
  }
  return safeText(String((error as Error)?.message ?? error).split('\n')[0], 200);
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
export function scenarioFromDocument(
  document: unknown, file: string, chain: readonly string[] = [file], options: DocumentOptions = {},
): ResolvedScenario {
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
      if (!options.resolveFile) throw cannotExtendFile(name, parent);
      const resolved = options.resolveFile(parent, file, chain);
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
  if (fields.name === undefined) scenario.name = stem(file);
  if (fields.description === undefined) {
    scenario.description = bases.length > 0 ? `${name}: ${bases[0]} with the changes in this file.` : `Scenario file ${name}.`;
  }
  const modelProblems = validateScenario(scenario);
  if (modelProblems.length > 0) throw invalidFile(name, modelProblems);
  return { scenario, origin: file, bases, base };
}

function cannotExtendFile(name: string, parent: string): InputError {
  return new InputError(`${name}: extends: "${parent}" is a file, and this document was not read from a folder, ` +
    'so it can extend a built-in scenario only.', [],
  `Built-in scenarios: ${builtInScenarioNames().join(', ')}. Or copy the fields of "${parent}" into this document.`);
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

/**
 * A scenario from a document's text: parsed as JSON (a `.json` name) or YAML, checked against
 * the schema, merged over what it extends and validated. `name` is the file name shown in
 * messages (and the scenario's name unless the document gives one). Throws an InputError whose
 * problems name each bad field; `formatUserError` prints it as `partnersim validate` does.
 */
export function parseScenarioDocument(text: string, name: string, options: DocumentOptions = {}): ResolvedScenario {
  return scenarioFromDocument(parseScenarioText(text, fileName(name)), fileName(name), [fileName(name)], options);
}

/** The schema's problems with a parsed document (unknown keys, types, ranges), each with its path; empty when it conforms. */
export function checkScenarioDocument(document: unknown): ScenarioProblem[] {
  return scenarioChecker().check(document);
}
