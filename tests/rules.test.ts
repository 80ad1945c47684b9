import { describe, expect, it } from 'vitest';
import { compileRule, RuleError } from '../src/model/rules.ts';

const VARS = ['shortfall', 'severity', 'accountability'];

describe('sandboxed rules', () => {
  it('evaluates arithmetic, comparisons, conditionals and whitelisted functions', () => {
    const rule = compileRule('max(0, severity * (1 - accountability) * shortfall) + (shortfall > 0.5 ? 0.01 : 0)', VARS, 'test');
    expect(rule.evaluate({ shortfall: 0.6, severity: 0.1, accountability: 0.5 })).toBeCloseTo(0.04);
  });

  it('returns booleans as 0/1', () => {
    expect(compileRule('shortfall >= 0.2 and severity > 0', VARS, 't').evaluate({ shortfall: 0.3, severity: 1, accountability: 0 })).toBe(1);
  });

  it.each([
    ['import({x: 1})', /function "import"/],
    ['evaluate("1+1")', /function "evaluate"|not a number/],
    ['createUnit("foo")', /function "createUnit"|not a number/],
    ['unknownThing * 2', /unknown symbol "unknownThing"/],
    ['x = 3', /assignment/],
    ['f(x) = x', /functionassignment/],
    ['[1, 2]', /array/],
    ['"text"', /not a number/],
    ['5 cm', /unknown symbol "cm"/],
    ['severity.constructor', /accessor|unknown/],
    ['1 +', /cannot parse/],
  ])('rejects %s', (source, message) => {
    expect(() => compileRule(source, VARS, 'regime.rules.orgPenalty')).toThrow(RuleError);
    expect(() => compileRule(source, VARS, 'regime.rules.orgPenalty')).toThrow(message);
  });

  it('names the field in its errors', () => {
    expect(() => compileRule('nope', VARS, 'regime.rules.orgPenalty')).toThrow(/^regime\.rules\.orgPenalty:/);
  });

  it('rejects a division by zero when it is checked, naming the sample values (issue #17)', () => {
    expect(() => compileRule('severity / shortfall', VARS, 't')).toThrow(/^t: .* not a finite number at shortfall=0, severity=0/);
  });

  it('rejects a non-finite result at evaluation', () => {
    const rule = compileRule('1 / (shortfall - 0.3)', VARS, 't');
    expect(() => rule.evaluate({ severity: 1, shortfall: 0.3, accountability: 0 })).toThrow(/not a finite number/);
  });
});
