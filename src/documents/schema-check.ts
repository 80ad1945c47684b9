/**
 * Checks a value against the scenario schema and reports every problem with its field path,
 * the bad value and what is allowed, in the same words as the model's `validateScenario`
 * (`regime.accountability: 1.7 is outside [0, 1]`). Unknown keys are problems too, with a
 * "did you mean" suggestion: a near sibling key, or the same key elsewhere in the scenario.
 * Handles exactly the subset of JSON Schema that `schema.ts` emits.
 */
import type { ScenarioProblem } from '../model/scenario.ts';
import { describeValue } from './format.ts';
import { resolveRef, scenarioSchema, schemaLeafPaths, type JsonSchema, type JsonType } from './schema.ts';
import { closest } from './suggest.ts';

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

function jsonTypeOf(value: unknown): JsonType | 'undefined' | 'other' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string': return 'string';
    case 'number': return 'number';
    case 'boolean': return 'boolean';
    case 'object': return 'object';
    case 'undefined': return 'undefined';
    default: return 'other';
  }
}

const TYPE_WORDS: Record<JsonType, string> = {
  object: 'a mapping of fields', array: 'a list', string: 'a string', number: 'a number',
  integer: 'a whole number', boolean: 'true or false', null: 'null',
};

function typeMatches(value: unknown, type: JsonType): boolean {
  const actual = jsonTypeOf(value);
  if (type === 'integer') return actual === 'number';
  return actual === type;
}

/** What a field accepts, in words: "a number in [0, 1]", "one of a, b", "a list". */
export function allowedWords(schema: JsonSchema): string {
  if (schema.enum) return `one of ${schema.enum.join(', ')}`;
  const types = [schema.type ?? []].flat();
  const word = types.map((t) => TYPE_WORDS[t]).join(' or ') || 'a value';
  const { minimum: lo, maximum: hi } = schema;
  if (lo !== undefined && hi !== undefined) return `${word} in [${lo}, ${hi}]`;
  if (lo !== undefined) return `${word} ≥ ${lo}`;
  return word;
}

/** `properties[key]` only when it is the schema's own (never `constructor`, `toString`, … from Object.prototype). */
const ownProperty = (properties: Record<string, JsonSchema> | undefined, key: string): JsonSchema | undefined =>
  properties && Object.hasOwn(properties, key) ? properties[key] : undefined;

const childPath = (path: string, key: string) => (path ? `${path}.${key}` : key);

export class SchemaChecker {
  private readonly leafPaths: string[];

  constructor(private readonly root: JsonSchema = scenarioSchema()) {
    this.leafPaths = schemaLeafPaths(root);
  }

  /** Every problem of `value` against the root schema; empty when it conforms. */
  check(value: unknown): ScenarioProblem[] {
    const problems: ScenarioProblem[] = [];
    if (!isPlainObject(value)) {
      return [{ path: '(scenario)', message: `${describeValue(value)} is not a mapping of fields (such as \`extends: gm-2017\`)` }];
    }
    this.visit(value, this.root, '', problems);
    return problems;
  }

  /** The schema for `path` (`a.b[0].c` style), or undefined when there is no such field. */
  schemaFor(tokens: readonly (string | number)[]): JsonSchema | undefined {
    let node: JsonSchema | undefined = this.root;
    for (const token of tokens) {
      if (!node) return undefined;
      node = resolveRef(node, this.root);
      if (typeof token === 'number') node = node.items;
      else node = ownProperty((node.anyOf?.find((b) => b.type === 'object') ?? node).properties, token);
    }
    return node && resolveRef(node, this.root);
  }

  private visit(value: unknown, schemaIn: JsonSchema, path: string, problems: ScenarioProblem[]): void {
    const schema = resolveRef(schemaIn, this.root);
    const add = (message: string): void => {
      problems.push({ path: path || '(scenario)', message });
    };
    if (schema.anyOf) {
      const branch = schema.anyOf.find((b) => {
        const resolved = resolveRef(b, this.root);
        return resolved.type === undefined || [resolved.type].flat().some((t) => typeMatches(value, t));
      });
      if (!branch) {
        const words = schema.anyOf.flatMap((b) => [resolveRef(b, this.root).type ?? []].flat()).map((t) => TYPE_WORDS[t]);
        add(`${describeValue(value)} is not ${words.join(' or ')}`);
        return;
      }
      this.visit(value, branch, path, problems);
      return;
    }
    const types = schema.type === undefined ? [] : [schema.type].flat();
    if (types.length > 0 && !types.some((t) => typeMatches(value, t))) {
      add(`${describeValue(value)} is not ${allowedWords(schema)}`);
      return;
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return add(`${value} is not ${allowedWords(schema)}`);
      if (types.includes('integer') && !Number.isInteger(value)) return add(`${value} is not ${allowedWords(schema)}`);
      const { minimum: lo, maximum: hi } = schema;
      if (lo !== undefined && hi !== undefined && (value < lo || value > hi)) return add(`${value} is outside [${lo}, ${hi}]`);
      if (lo !== undefined && value < lo) return add(`${value} is below the minimum ${lo}`);
      if (hi !== undefined && value > hi) return add(`${value} is above the maximum ${hi}`);
    }
    if (schema.enum && !schema.enum.includes(value)) {
      const suggestion = typeof value === 'string' ? closest(value, schema.enum.map(String)) : undefined;
      add(`${describeValue(value)} is not one of ${schema.enum.join(', ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`);
      return;
    }
    if (typeof value === 'string' && schema.minLength !== undefined && value.length < schema.minLength) {
      return add('must be a non-empty string');
    }
    if (typeof value === 'string' && schema.maxLength !== undefined && value.length > schema.maxLength) {
      return add(`is ${value.length.toLocaleString('en-GB')} characters long; the limit is ${schema.maxLength.toLocaleString('en-GB')}`);
    }
    if (Array.isArray(value)) {
      if (schema.minItems !== undefined && value.length < schema.minItems) {
        return add(`must list at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`);
      }
      if (schema.maxItems !== undefined && value.length > schema.maxItems) {
        return add(`lists ${value.length.toLocaleString('en-GB')} items; the limit is ${schema.maxItems.toLocaleString('en-GB')} (docs/LIMITS.md)`);
      }
      if (schema.items) value.forEach((item, k) => this.visit(item, schema.items!, `${path}[${k}]`, problems));
      return;
    }
    if (isPlainObject(value) && schema.properties) {
      for (const key of schema.required ?? []) {
        if (value[key] === undefined) {
          const child = resolveRef(schema.properties[key], this.root);
          problems.push({ path: childPath(path, key), message: `is missing: give ${allowedWords(child)}. ${child.description ?? ''}`.trim() });
        }
      }
      for (const [key, child] of Object.entries(value)) {
        const childSchema = ownProperty(schema.properties, key);
        if (childSchema) this.visit(child, childSchema, childPath(path, key), problems);
        else if (schema.additionalProperties === false) {
          problems.push({ path: childPath(path, key), message: this.unknownKeyMessage(key, path, Object.keys(schema.properties)) });
        }
      }
    }
  }

  private unknownKeyMessage(key: string, path: string, siblings: string[]): string {
    const known = siblings.filter((k) => k !== '$schema');
    const sibling = closest(key, known);
    let suggestion = '';
    if (sibling) suggestion = ` (did you mean "${childPath(path, sibling)}"?)`;
    else {
      const generic = path.replace(/\[\d+\]/g, '[]');
      const elsewhere = this.leafPaths.filter((p) => p.split('.').pop() === key && p !== childPath(generic, key));
      if (elsewhere.length > 0) suggestion = ` (did you mean "${elsewhere[0]}"?)`;
    }
    return `is not a known field${suggestion}; allowed ${path ? `in ${path}` : 'at the top level'}: ${known.join(', ')}`;
  }
}

let shared: SchemaChecker | undefined;

/** A checker for the published scenario schema (built once). */
export function scenarioChecker(): SchemaChecker {
  shared ??= new SchemaChecker();
  return shared;
}
