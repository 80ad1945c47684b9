/**
 * Pattern-oriented validation (MODEL-BRIEF §6 and the laboratory facts): one test per pattern.
 * Each runs its experiment on common random numbers (seed 2026, replicates as stated in the
 * pattern: 40 for the gm-2017 patterns, 200 for the laboratory game), asserts every check
 * (effect sizes and 95% confidence intervals are in src/validation/patterns.ts), and then
 * runs the same experiment with the responsible mechanism knocked out and asserts that the
 * pattern FAILS — so each test is shown to be able to fail.
 */
import { describe, expect, it } from 'vitest';
import { PATTERNS, validatePattern } from '../src/validation/patterns.ts';

describe('patterns', () => {
  for (const pattern of PATTERNS) {
    it(`${pattern.id}: ${pattern.title} (${pattern.replicates} replicates; fails with ${pattern.knockout.description.split(' (')[0]})`, () => {
      const { result, knockedOut } = validatePattern(pattern);
      const failed = result.checks.filter((c) => !c.pass).map((c) => `${c.label}: mean ${c.summary.mean.toFixed(4)} [${c.summary.lower.toFixed(4)}, ${c.summary.upper.toFixed(4)}], needs ${c.criterion}`);
      expect(failed, 'checks that failed').toEqual([]);
      expect(knockedOut.pass, 'the pattern must fail with its mechanism knocked out').toBe(false);
    });
  }
});
