/**
 * Command-line overrides: `--set PATH=VALUE` (repeatable) and `--vary PATH=V1,V2,…`. A path is
 * any field of the scenario schema, dotted, with `[n]` for list items
 * (`regime.accountability`, `localities[0].history`). Values are parsed by the field's type
 * (registry parameters through the model's `parseValueForPath`); object-valued fields take a
 * YAML flow mapping (`leaders.typeMix={conditional: 1, freeRider: 0}`). `flexibilities.X=true|false`
 * is shorthand for `.allowed`, and `flexibilities.X=<number>` for `.cap`.
 */
import { parameterSpec } from '../model/parameters.ts';
import { parseValueForPath } from '../model/scenario.ts';
import type { Scenario } from '../model/types.ts';
import { InputError } from './errors.ts';
import { FLEXIBILITY_PATHS, schemaLeafPaths, type JsonSchema } from './schema.ts';
import { scenarioChecker } from './schema-check.ts';
import { closest } from './suggest.ts';
import { parseYamlText } from './document.ts';
import { checkDocumentSize, checkTextNesting, checkValueNesting, safeText } from './limits.ts';

export interface Assignment {
  /** The path as typed. */
  path: string;
  /** The value text as typed. */
  text: string;
}

/** Splits `PATH=VALUE` at the first `=`. */
export function parseAssignment(raw: string, option = '--set'): Assignment {
  const at = raw.indexOf('=');
  const path = at < 0 ? '' : raw.slice(0, at).trim();
  if (at < 0 || path === '') {
    throw new InputError(`${option} expects PATH=VALUE, got "${raw}".`, [],
      `For example: ${option} regime.accountability=1 (\`partnersim scenarios show gm-2017\` lists every path).`);
  }
  return { path, text: raw.slice(at + 1).trim() };
}

/** `--vary PATH=V1,V2,…` as one assignment per value. */
export function parseVary(raw: string): Assignment[] {
  const { path, text } = parseAssignment(raw, '--vary');
  const values = text.split(',').map((v) => v.trim());
  if (values.some((v) => v === '')) {
    throw new InputError(`--vary expects PATH=V1,V2,…, got "${raw}".`, [], 'For example: --vary trust.initial=0.3,0.5,0.7');
  }
  return values.map((v) => ({ path, text: v }));
}

type Token = string | number;

/** `localities[0].organisations[1].leader.focus` → ['localities', 0, 'organisations', 1, 'leader', 'focus']. */
export function tokenisePath(path: string): Token[] | undefined {
  const tokens: Token[] = [];
  const pattern = /([A-Za-z_$][\w$-]*)|\[(\d+)\]|(\.)/gy;
  let expectKey = true;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(path)) !== null) {
    consumed = pattern.lastIndex;
    if (match[1] !== undefined) {
      if (!expectKey) return undefined;
      tokens.push(match[1]);
      expectKey = false;
    } else if (match[2] !== undefined) {
      if (expectKey) return undefined;
      tokens.push(Number(match[2]));
    } else {
      if (expectKey) return undefined;
      expectKey = true;
    }
  }
  return consumed === path.length && !expectKey && tokens.length > 0 ? tokens : undefined;
}

const formatTokens = (tokens: readonly Token[]) =>
  tokens.map((t, k) => (typeof t === 'number' ? `[${t}]` : k === 0 ? t : `.${t}`)).join('');

let knownPaths: string[] | undefined;

function unknownPath(path: string, option: string): InputError {
  knownPaths ??= schemaLeafPaths();
  const generic = path.replace(/\[\d+\]/g, '[]');
  const suggestion = closest(generic, knownPaths) ?? knownPaths.find((p) => p.split('.').pop() === generic.split('.').pop());
  return new InputError(
    `${option} ${path}: there is no such field${suggestion ? `; did you mean "${suggestion.replace(/\[\]/g, '[0]')}"?` : '.'}`, [],
    '`partnersim scenarios show NAME` lists every parameter path; `partnersim schema` describes every field.');
}

/** Parses `text` as a value for the field described by `schema`. */
function parseForSchema(schema: JsonSchema, tokens: readonly Token[], text: string, option: string): unknown {
  const path = formatTokens(tokens);
  const types = [schema.type ?? []].flat();
  if (types.includes('null') && (text === '' || text === 'null')) return null;
  if (tokens.every((t) => typeof t === 'string') && parameterSpec(path)) return parseValueForPath(path, text);
  if (types.includes('object') || types.includes('array')) {
    const what = `${option} ${path}: cannot read "${safeText(text)}" as a ${types.includes('array') ? 'list' : 'mapping'}`;
    checkDocumentSize(text, `${option} ${path}`);
    checkTextNesting(text, `${option} ${path}`);
    const value = parseYamlText(text, what);
    checkValueNesting(value, `${option} ${path}`);
    return value;
  }
  if (types.includes('number') || types.includes('integer')) {
    const number = Number(text);
    return text !== '' && Number.isFinite(number) ? number : text;
  }
  if (types.includes('boolean')) return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

/** Resolves one assignment to a concrete path and value against `scenario`. */
function resolveAssignment(scenario: Scenario, assignment: Assignment, option: string): { tokens: Token[]; value: unknown } {
  const tokens = tokenisePath(assignment.path);
  if (!tokens) {
    throw new InputError(`${option} ${assignment.path}: not a field path.`, [],
      'Paths are dotted field names with [n] for list items, e.g. regime.accountability or localities[0].history.');
  }
  const path = formatTokens(tokens);
  if (FLEXIBILITY_PATHS.includes(path)) {
    const value = parseValueForPath(`${path}.allowed`, assignment.text);
    if (typeof value === 'boolean') return { tokens: [...tokens, 'allowed'], value };
    const cap = parseValueForPath(`${path}.cap`, assignment.text);
    if (typeof cap === 'number') return { tokens: [...tokens, 'cap'], value: cap };
    throw new InputError(`${option} ${path}: "${assignment.text}" is neither true/false (shorthand for ${path}.allowed) nor a number (shorthand for ${path}.cap).`);
  }
  const schema = scenarioChecker().schemaFor(tokens);
  if (!schema) throw unknownPath(path, option);
  let node: unknown = scenario;
  for (let k = 0; k < tokens.length - 1; k++) {
    const token = tokens[k];
    const next = (node as Record<string | number, unknown> | undefined)?.[token];
    if (typeof tokens[k + 1] === 'number' && !Array.isArray(next)) throw unknownPath(path, option);
    if (typeof token === 'number' && next === undefined) {
      const list = formatTokens(tokens.slice(0, k));
      const length = Array.isArray(node) ? node.length : 0;
      throw new InputError(`${option} ${path}: ${list} has ${length} item${length === 1 ? '' : 's'} (indices 0 to ${length - 1}); there is no [${token}].`);
    }
    node = next;
  }
  const last = tokens[tokens.length - 1];
  if (typeof last === 'number' && (!Array.isArray(node) || last >= node.length)) {
    const length = Array.isArray(node) ? node.length : 0;
    throw new InputError(`${option} ${path}: the list has ${length} item${length === 1 ? '' : 's'}; there is no [${last}].`);
  }
  return { tokens, value: parseForSchema(schema, tokens, assignment.text, option) };
}

function setAt(target: Record<string | number, unknown>, tokens: readonly Token[], value: unknown): void {
  let node = target;
  for (let k = 0; k < tokens.length - 1; k++) {
    const token = tokens[k];
    if (typeof node[token] !== 'object' || node[token] === null) node[token] = typeof tokens[k + 1] === 'number' ? [] : {};
    node = node[token] as Record<string | number, unknown>;
  }
  node[tokens[tokens.length - 1]] = value;
}

/** A copy of `scenario` with every assignment applied in order (not yet validated). */
export function applyAssignments(scenario: Scenario, assignments: readonly Assignment[], option = '--set'): Scenario {
  const copy = structuredClone(scenario);
  for (const assignment of assignments) {
    const { tokens, value } = resolveAssignment(copy, assignment, option);
    setAt(copy as unknown as Record<string, unknown>, tokens, value);
  }
  return copy;
}

/** Parses a positive whole number option (`--replicates`, `--rounds`). */
export function parseCount(text: string | undefined, option: string, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new InputError(`${option}: "${text}" is not a whole number in [1, ${max}].`);
  }
  return value;
}

/** Normalises `--seed`: whole numbers lose leading zeros; anything else is used as a string. */
export function parseSeed(text: string | undefined): string {
  const seed = (text ?? '1').trim();
  if (seed === '') throw new InputError('--seed: give a number or a word, e.g. --seed 42.');
  return /^\d+$/.test(seed) && Number.isSafeInteger(Number(seed)) ? String(Number(seed)) : seed;
}
