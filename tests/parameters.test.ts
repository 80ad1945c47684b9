import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultParameters, getPath, PARAMETERS } from '../src/model/parameters.ts';
import { validateScenario, withOverride } from '../src/model/scenario.ts';
import { gm2017 } from '../src/scenarios/gm-2017.ts';
// Formulas are compiled through the model's own modules here, not the package index: load the compiler.
import '../src/model/rules.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('parameter registry', () => {
  it('documents every parameter: meaning, unit field, source, default inside its range', () => {
    for (const spec of PARAMETERS) {
      expect(spec.meaning.length, spec.path).toBeGreaterThan(20);
      expect(spec.source.length, spec.path).toBeGreaterThan(5);
      if (typeof spec.default === 'number') {
        expect(spec.default, spec.path).toBeGreaterThanOrEqual(spec.min!);
        expect(spec.default, spec.path).toBeLessThanOrEqual(spec.max!);
      }
    }
  });

  it('gives every numeric parameter an exploration range: inside its validity range, around its default, with a reason', () => {
    const numeric = PARAMETERS.filter((spec) => spec.type === 'number' || spec.type === 'integer');
    expect(numeric.length).toBeGreaterThan(80);
    for (const spec of numeric) {
      const band = spec.explore;
      expect(band, `${spec.path} has no exploration range`).toBeDefined();
      expect(band!.low, spec.path).toBeLessThan(band!.high);
      expect(band!.low, spec.path).toBeGreaterThanOrEqual(spec.min!);
      expect(band!.high, spec.path).toBeLessThanOrEqual(spec.max!);
      expect(spec.default as number, spec.path).toBeGreaterThanOrEqual(band!.low);
      expect(spec.default as number, spec.path).toBeLessThanOrEqual(band!.high);
      expect(band!.why.length, spec.path).toBeGreaterThan(15);
      if (spec.type === 'integer') expect(Number.isInteger(band!.low) && Number.isInteger(band!.high), spec.path).toBe(true);
    }
    // The bands that motivated them: the examples are no longer sampled over their validity range.
    const band = (path: string) => PARAMETERS.find((s) => s.path === path)!.explore!;
    expect(band('trust.gain')).toMatchObject({ low: 0.2, high: 0.8 });
    expect(band('board.difficulty').high).toBeLessThan(20);
    expect(band('outcomes.lagMonths').high).toBeLessThan(240);
  });

  it('every corner of the exploration box is a valid gm-2017 scenario (ordered pairs do not overlap)', () => {
    const pairs = [['board.regressTrust', 'board.normingTrust'], ['board.regressUnderstanding', 'board.performingUnderstanding']];
    for (const [low, high] of pairs) {
      const a = PARAMETERS.find((s) => s.path === low)!.explore!;
      const b = PARAMETERS.find((s) => s.path === high)!.explore!;
      expect(a.high, `${low} band must end below ${high}'s`).toBeLessThanOrEqual(b.low);
    }
    for (const corner of ['low', 'high'] as const) {
      let scenario = gm2017();
      for (const spec of PARAMETERS) if (spec.explore) scenario = withOverride(scenario, spec.path, spec.explore[corner]);
      expect(validateScenario(scenario), corner).toEqual([]);
    }
  });

  it('has unique paths', () => {
    expect(new Set(PARAMETERS.map((p) => p.path)).size).toBe(PARAMETERS.length);
  });

  it('every parameter is read by the model code (no dead parameters)', () => {
    const code = ['src/model', 'src/agents']
      .flatMap((d) => sourceFiles(d))
      .filter((f) => !f.endsWith('parameters.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    for (const spec of PARAMETERS) {
      const key = spec.path.split('.').pop()!;
      expect(code.includes(`.${key}`) || code.includes(`${key}:`) || code.includes(`${key},`), spec.path).toBe(true);
    }
  });

  it('defaults fill every path, and the default scenario validates', () => {
    const defaults = defaultParameters();
    for (const spec of PARAMETERS) if (spec.default !== null) expect(getPath(defaults, spec.path), spec.path).toBe(spec.default);
    expect(validateScenario(gm2017())).toEqual([]);
  });

  it('validation names the path, the bad value and what is allowed', () => {
    expect(() => withOverride(gm2017(), 'regime.accountability', 1.7)).toThrow('regime.accountability: 1.7 is outside [0, 1]');
    expect(() => withOverride(gm2017(), 'regime.mandated', 'yes')).toThrow('regime.mandated: "yes" is not true or false');
    expect(() => withOverride(gm2017(), 'funding.transformationFund.condition', 'maybe')).toThrow('is not one of collective, none');
    expect(() => withOverride(gm2017(), 'regime.rules.orgPenalty', 'import(1)')).toThrow(/regime\.rules\.orgPenalty: function "import" is not allowed/);
  });
});

describe('cross-field validation', () => {
  it('rejects two organisations that would end up with the same name', () => {
    const scenario = gm2017();
    scenario.localities[0].organisations = [{ kind: 'acute', name: 'acute-2' }, { kind: 'acute' }, { kind: 'acute' }];
    expect(validateScenario(scenario).map((p) => p.message).join()).toMatch(/both be called "acute-2"/);
  });

  it('rejects fall-back thresholds above the thresholds they fall back from', () => {
    expect(() => withOverride(gm2017(), 'board.regressTrust', 0.9)).toThrow(/board\.regressTrust: 0\.9 is above board\.normingTrust/);
    expect(() => withOverride(gm2017(), 'board.regressUnderstanding', 0.9)).toThrow(/above board\.performingUnderstanding/);
  });
});
