/**
 * Pattern-oriented validation (MODEL-BRIEF §6 and the laboratory facts): one test per pattern.
 * Each runs its experiment on common random numbers (seed 2026, replicates as stated in the
 * pattern: 40 for the gm-2017 patterns, 200 for the laboratory game), asserts every check
 * (effect sizes and 95% confidence intervals are in src/validation/patterns.ts), and then
 * runs the same experiment with the responsible mechanism knocked out and asserts that the
 * pattern FAILS — so each test is shown to be able to fail.
 */
import { describe, expect, it } from 'vitest';
import { LEVER_PATTERNS, LEVERS } from '../src/validation/levers.ts';
import { PATTERNS, validatePattern } from '../src/validation/patterns.ts';

describe('patterns', () => {
  for (const pattern of [...PATTERNS, ...LEVER_PATTERNS]) {
    it(`${pattern.id}: ${pattern.title} (${pattern.replicates} replicates; fails with ${pattern.knockout.description.split(' (')[0]})`, () => {
      const { result, knockedOut } = validatePattern(pattern);
      const failed = result.checks.filter((c) => !c.pass).map((c) => `${c.label}: mean ${c.summary.mean.toFixed(4)} [${c.summary.lower.toFixed(4)}, ${c.summary.upper.toFixed(4)}], needs ${c.criterion}`);
      expect(failed, 'checks that failed').toEqual([]);
      expect(knockedOut.pass, 'the pattern must fail with its mechanism knocked out').toBe(false);
    });
  }
});

describe('roles', () => {
  it('says of every pattern whether it is a calibration target, an independent test or a lever, and why', () => {
    for (const pattern of [...PATTERNS, ...LEVER_PATTERNS]) {
      expect(['calibration target', 'independent test', 'lever']).toContain(pattern.role);
      expect(pattern.roleNote.length, pattern.id).toBeGreaterThan(20);
    }
    expect(PATTERNS.filter((p) => p.role === 'calibration target').map((p) => p.id).sort()).toEqual(['gm-spread', 'public-goods-lab', 'time']);
  });

  it('every lever pattern names a lever the registry knows and reports effects in policy units', () => {
    for (const spec of LEVERS) {
      for (const [path] of [...spec.low, ...spec.high]) expect(path, spec.id).toMatch(/^(regime|funding|flexibilities|leaders|outcomes|board|trust)\./);
    }
    const outcome = LEVER_PATTERNS[0].evaluate({ replicates: 4, seed: 1 });
    expect(outcome.policy?.map((e) => e.unit)).toEqual(['£m a year', 'years']);
  });
});
