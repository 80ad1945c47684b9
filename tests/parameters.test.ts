import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultParameters, getPath, PARAMETERS } from '../src/model/parameters.ts';
import { validateScenario, withOverride } from '../src/model/scenario.ts';
import { gm2017 } from '../src/scenarios/gm-2017.ts';

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
