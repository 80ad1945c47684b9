/**
 * The published scenario schema and the loading of scenario files: generated from the registry,
 * agrees with the model's validation, and every corrupt file fails naming the corrupt field.
 */
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/documents/errors.ts';
import { describeValue } from '../src/documents/format.ts';
import { checkScenario, parseScenarioText, scenarioFromDocument } from '../src/documents/document.ts';
import { LOCALITY_RANGES, resolveRef, scenarioSchema, schemaLeafPaths, type JsonSchema } from '../src/documents/schema.ts';
import { scenarioChecker } from '../src/documents/schema-check.ts';
import { loadScenarioFile } from '../src/io/scenario-files.ts';
import { getPath, PARAMETERS, setPath, type ParameterSpec } from '../src/model/parameters.ts';
import { validateScenario } from '../src/model/scenario.ts';
import type { Scenario } from '../src/model/types.ts';
import { builtInScenario, builtInScenarioNames } from '../src/scenarios/index.ts';
// Formulas are compiled through the model's own modules here, not the package index: load the compiler.
import '../src/model/rules.ts';

const root = scenarioSchema();

function schemaAt(path: string): JsonSchema {
  let node: JsonSchema = root;
  for (const key of path.split('.')) {
    node = resolveRef(node, root);
    node = (node.anyOf?.find((b) => b.type === 'object') ?? node).properties![key];
    expect(node, `schema has ${path}`).toBeDefined();
  }
  return resolveRef(node, root);
}

/** Loads a document as if it were a file with this name (no disk access unless it extends a file). */
function load(document: unknown, file = '/virtual/test.yaml'): Scenario {
  return scenarioFromDocument(document, file).scenario;
}

function problemsOf(document: unknown, file = '/virtual/test.yaml'): { path: string; message: string }[] {
  try {
    load(document, file);
  } catch (error) {
    if (error instanceof InputError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('schema generated from the parameter registry', () => {
  it('describes every registry parameter at its path with type, bounds, default, meaning and unit', () => {
    for (const spec of PARAMETERS) {
      const node = schemaAt(spec.path);
      expect(node.description).toContain(spec.meaning);
      if (spec.unit) expect(node.description).toContain(spec.unit);
      if (spec.default !== null) expect(node.default).toEqual(spec.default);
      if (spec.type === 'number' || spec.type === 'integer') {
        expect(node.type).toBe(spec.type);
        expect(node.minimum).toBe(spec.min);
        expect(node.maximum).toBe(spec.max);
      }
      if (spec.type === 'boolean') expect(node.type).toBe('boolean');
      if (spec.type === 'enum') expect(node.enum).toEqual(spec.values);
    }
  });

  it('covers the structural parts and forbids unknown keys everywhere', () => {
    expect(root.$schema).toMatch(/draft-07/);
    const locality = resolveRef(resolveRef(root, root).properties!.localities.items!, root);
    expect(locality.required).toEqual(expect.arrayContaining(['name', 'budget', 'organisations']));
    const organisation = resolveRef(locality.properties!.organisations.items!, root);
    expect(organisation.properties!.kind.enum).toContain('participant');
    expect(resolveRef(organisation.properties!.leader, root).properties!.focus.maximum).toBe(1);
    const walk = (node: JsonSchema): void => {
      const n = resolveRef(node, root);
      if (n.properties) expect(n.additionalProperties).toBe(false);
      Object.values(n.properties ?? {}).forEach(walk);
      n.anyOf?.forEach(walk);
      if (n.items) walk(n.items);
    };
    walk(root);
  });

  it('is plain JSON (serialisable without loss)', () => {
    expect(JSON.parse(JSON.stringify(root))).toEqual(root);
  });

  it('lists leaf paths for suggestions', () => {
    const paths = schemaLeafPaths();
    expect(paths).toContain('regime.accountability');
    expect(paths).toContain('localities[].organisations[].leader.focus');
    expect(paths).toContain('leaders.override.followership');
  });

  it('accepts every built-in scenario in full', () => {
    for (const name of builtInScenarioNames()) {
      expect(scenarioChecker().check(builtInScenario(name)), name).toEqual([]);
      expect(checkScenario(builtInScenario(name)), name).toEqual([]);
    }
  });

  it('agrees with validateScenario on the locality ranges', () => {
    for (const [key, range] of Object.entries(LOCALITY_RANGES)) {
      for (const value of [range.min, range.max, range.min - 0.01, range.max + 1]) {
        const scenario = builtInScenario('gm-2017');
        (scenario.localities[0] as unknown as Record<string, unknown>)[key] = value;
        const model = validateScenario(scenario).some((p) => p.path === `localities[0].${key}`);
        const schema = scenarioChecker().check(scenario).some((p) => p.path === `localities[0].${key}`);
        expect(schema, `${key}=${value}`).toBe(model);
      }
    }
  });
});

const CHECKED = PARAMETERS.filter((s) => s.type !== 'expression');

/** A wrong value for `spec` and a word the error message must contain. */
function corruptions(spec: ParameterSpec): fc.Arbitrary<unknown> {
  switch (spec.type) {
    case 'number':
    case 'integer': {
      const options: fc.Arbitrary<unknown>[] = [
        fc.constantFrom('abc', '', true, false, null, [1], { x: 1 }),
      ];
      if (spec.min !== undefined) options.push(fc.double({ min: 1e-3, max: 1e3, noNaN: true }).map((d) => spec.min! - d));
      if (spec.max !== undefined) options.push(fc.double({ min: 1e-3, max: 1e3, noNaN: true }).map((d) => spec.max! + d));
      if (spec.type === 'integer') options.push(fc.constant((spec.min ?? 0) + 0.5));
      return fc.oneof(...options);
    }
    case 'boolean':
      return fc.constantFrom(0, 1, 'yes', 'no', 'true', null, {});
    case 'enum':
      return fc.oneof(fc.constantFrom(3, true, null), fc.string().filter((s) => !spec.values!.includes(s)));
    default:
      throw new Error(spec.type);
  }
}

function validValue(spec: ParameterSpec): fc.Arbitrary<unknown> {
  switch (spec.type) {
    case 'number': return fc.double({ min: spec.min!, max: spec.max!, noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
    case 'integer': return fc.integer({ min: spec.min!, max: Math.min(spec.max!, spec.min! + 1000) });
    case 'boolean': return fc.boolean();
    case 'enum': return fc.constantFrom(...spec.values!);
    default: throw new Error(spec.type);
  }
}

const corruptCase = fc.constantFrom(...CHECKED).chain((spec) =>
  fc.record({
    spec: fc.constant(spec),
    bad: corruptions(spec),
    base: fc.constantFrom(...builtInScenarioNames()),
    format: fc.constantFrom('json', 'yaml'),
  }));

describe('scenario files: generated invalid files fail naming the field', () => {
  it('a valid file with one registry field corrupted fails at that path, naming the value', () => {
    fc.assert(fc.property(corruptCase, ({ spec, bad, base, format }) => {
      const document: Record<string, unknown> = { extends: base };
      setPath(document, spec.path, bad);
      const text = format === 'json' ? JSON.stringify(document) : YAML.stringify(document);
      const file = `/virtual/corrupt.${format}`;
      let error: unknown;
      try {
        scenarioFromDocument(parseScenarioText(text, file), file);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      const problems = (error as InputError).problems;
      const mine = problems.find((p) => p.path === spec.path);
      expect(mine, JSON.stringify(problems)).toBeDefined();
      expect(mine!.message).toContain(describeValue(bad).slice(0, 20));
    }), { numRuns: 300 });
  });

  it('a complete scenario with one field corrupted fails checkScenario at that path', () => {
    fc.assert(fc.property(corruptCase, ({ spec, bad, base }) => {
      const scenario = builtInScenario(base);
      setPath(scenario as unknown as Record<string, unknown>, spec.path, bad);
      expect(checkScenario(scenario).map((p) => p.path)).toContain(spec.path);
    }), { numRuns: 200 });
  });

  it('any in-range value loads and lands at its path', () => {
    // Fall-back thresholds must also stay below the thresholds they fall back from (a cross-field
    // rule tested in parameters.test.ts), so an arbitrary in-range value is not always valid there.
    const crossConstrained = new Set(['board.regressTrust', 'board.normingTrust', 'board.regressUnderstanding', 'board.performingUnderstanding']);
    const validCase = fc.constantFrom(...CHECKED.filter((spec) => !crossConstrained.has(spec.path))).chain((spec) =>
      fc.record({ spec: fc.constant(spec), value: validValue(spec), base: fc.constantFrom(...builtInScenarioNames()) }));
    fc.assert(fc.property(validCase, ({ spec, value, base }) => {
      const document: Record<string, unknown> = { extends: base };
      setPath(document, spec.path, value);
      const scenario = load(YAML.parse(YAML.stringify(document)));
      expect(getPath(scenario, spec.path)).toEqual(value);
    }), { numRuns: 200 });
  });

  it('a misspelt key is an error at that path with a did-you-mean for the real one', () => {
    const known = new Set(schemaLeafPaths());
    const typoCase = fc.record({
      spec: fc.constantFrom(...PARAMETERS.filter((s) => s.path.split('.').pop()!.length >= 6)),
      at: fc.nat(),
      letter: fc.constantFrom('x', 'q', 'z'),
    });
    fc.assert(fc.property(typoCase, ({ spec, at, letter }) => {
      const keys = spec.path.split('.');
      const last = keys[keys.length - 1];
      const k = at % last.length;
      const typo = last.slice(0, k) + letter + last.slice(k + 1);
      const typoPath = [...keys.slice(0, -1), typo].join('.');
      fc.pre(typo !== last && !known.has(typoPath));
      const document: Record<string, unknown> = { extends: 'gm-2017' };
      setPath(document, typoPath, spec.default ?? 'x');
      const problem = problemsOf(document).find((p) => p.path === typoPath);
      expect(problem?.message).toContain('is not a known field');
      expect(problem?.message).toContain(`did you mean "${spec.path}"`);
    }), { numRuns: 150 });
  });
});

describe('scenario files: messages and features', () => {
  it('reports path, bad value and allowed range in the model\'s words', () => {
    expect(problemsOf({ extends: 'gm-2017', regime: { accountability: 1.7 } }))
      .toEqual([{ path: 'regime.accountability', message: '1.7 is outside [0, 1]' }]);
  });

  it('treats keys inherited from Object.prototype as unknown', () => {
    const document = JSON.parse('{"extends": "gm-2017", "constructor": 1, "__proto__": {"x": 1}, "regime": {"toString": 2}}');
    expect(problemsOf(document).map((p) => p.path).sort()).toEqual(['__proto__', 'constructor', 'regime.toString']);
    expect(scenarioChecker().schemaFor(['toString'])).toBeUndefined();
    expect(scenarioChecker().schemaFor(['regime', 'hasOwnProperty'])).toBeUndefined();
  });

  it('suggests where a key belongs when it is in the wrong section', () => {
    const [problem] = problemsOf({ extends: 'gm-2017', budgetGrowth: 0.1 });
    expect(problem.path).toBe('budgetGrowth');
    expect(problem.message).toContain('did you mean "funding.budgetGrowth"');
  });

  it('suggests enum values and lists what is allowed', () => {
    const [problem] = problemsOf({ extends: 'gm-2017', funding: { transformationFund: { condition: 'colective' } } });
    expect(problem.message).toBe('"colective" is not one of collective, none (did you mean "collective"?)');
  });

  it('reports missing locality fields and bad organisation kinds', () => {
    const problems = problemsOf({ localities: [{ name: 'X', budget: 10, organisations: [{ kind: 'hospital' }] }] });
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['localities[0].history', 'localities[0].organisations[0].kind']));
    expect(problems.find((p) => p.path === 'localities[0].history')!.message).toMatch(/is missing: give a number in \[-1, 1\]/);
  });

  it('needs localities when it extends nothing', () => {
    expect(problemsOf({ regime: { accountability: 0.2 } })).toEqual([
      expect.objectContaining({ path: 'localities', message: expect.stringContaining('extends') }),
    ]);
  });

  it('accepts a stand-alone file with its own localities, over the registry defaults', () => {
    const scenario = load({
      rounds: 12,
      localities: [{ name: 'North', history: 0, structuralFriction: 0, baselineOutcome: 0.5, budget: 100, organisations: [{ kind: 'acute' }] }],
    }, '/virtual/north.json');
    expect(scenario.name).toBe('north');
    expect(scenario.rounds).toBe(12);
    expect(scenario.regime.accountability).toBe(PARAMETERS.find((p) => p.path === 'regime.accountability')!.default);
  });

  it('extends a built-in scenario, overriding only what differs, and names the scenario after the file', () => {
    const scenario = load({ extends: 'gm-2017', trust: { initial: 0.3 } }, '/virtual/low-trust.yaml');
    const base = builtInScenario('gm-2017');
    expect(scenario.name).toBe('low-trust');
    expect(scenario.trust.initial).toBe(0.3);
    expect({ ...scenario, name: base.name, description: base.description, trust: base.trust }).toEqual(base);
  });

  it('accepts $schema and the pooledBudgets shorthand', () => {
    const scenario = load({ $schema: './scenario.schema.json', extends: 'gm-2017', flexibilities: { pooledBudgets: false } });
    expect(scenario.flexibilities.pooledBudgets).toEqual({ allowed: false, cap: builtInScenario('gm-2017').flexibilities.pooledBudgets.cap });
    expect(problemsOf({ extends: 'gm-2017', flexibilities: { pooledBudgets: 'no' } })[0].message).toBe('"no" is not true or false or a mapping of fields');
  });

  it('reports formula errors in rules at the rule\'s path', () => {
    const problems = problemsOf({ extends: 'gm-2017', regime: { rules: { orgPenalty: 'import("fs")' } } });
    expect(problems.map((p) => p.path)).toEqual(['regime.rules.orgPenalty']);
  });

  it('rejects a document that is not a mapping, or empty', () => {
    expect(problemsOf([1, 2])[0]).toEqual(expect.objectContaining({ path: '(scenario)' }));
    expect(() => load(null)).toThrow(/is empty/);
  });

  it('reports JSON and YAML syntax errors with a line', () => {
    expect(() => parseScenarioText('{\n "extends": "gm-2017",\n}', '/virtual/a.json')).toThrow(/a\.json is not valid JSON: .*line 3/);
    expect(() => parseScenarioText('a: 1\na: 2\n', '/virtual/a.yaml')).toThrow(/a\.yaml is not valid YAML: .*unique/i);
    expect(parseScenarioText('regime:\n  mandated: yes\n', '/virtual/a.yaml')).toEqual({ regime: { mandated: 'yes' } });
  });

  it('follows extends between files and refuses cycles and unknown bases', () => {
    const dir = mkdtempSync(join(tmpdir(), 'partnersim-schema-'));
    writeFileSync(join(dir, 'base.yaml'), 'extends: speed-of-trust\ntrust:\n  initial: 0.7\n');
    writeFileSync(join(dir, 'child.json'), JSON.stringify({ extends: './base.yaml', regime: { accountability: 1 } }));
    const resolved = loadScenarioFile(join(dir, 'child.json'));
    expect(resolved.bases).toEqual(['./base.yaml', 'speed-of-trust']);
    expect(resolved.scenario.trust.initial).toBe(0.7);
    expect(resolved.scenario.regime.accountability).toBe(1);
    expect(resolved.scenario.localities).toEqual(builtInScenario('speed-of-trust').localities);

    writeFileSync(join(dir, 'a.yaml'), 'extends: b.yaml\n');
    writeFileSync(join(dir, 'b.yaml'), 'extends: a.yaml\n');
    expect(() => loadScenarioFile(join(dir, 'a.yaml'))).toThrow(/cycle: a\.yaml → b\.yaml → a\.yaml/);
    writeFileSync(join(dir, 'typo.yaml'), 'extends: gm2017\n');
    expect(() => loadScenarioFile(join(dir, 'typo.yaml'))).toThrow(/did you mean "gm-2017"/);
    expect(() => loadScenarioFile(join(dir, 'missing.yaml'))).toThrow(/cannot read scenario file .*no such file/);
  });
});
