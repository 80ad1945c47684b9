/**
 * Paired statistics against values computed by hand (and the exact t and binomial functions
 * against tabulated values), then on a real comparison: the pairs must be replicate-aligned.
 */
import { describe, expect, it } from 'vitest';
import { binomialUpperTail, incompleteBeta, tCdf, tQuantile } from '../src/analysis/distributions.ts';
import { pairedStats, verdict, winsText } from '../src/analysis/paired.ts';
import { finalValues, pairedComparison } from '../src/analysis/compare.ts';
import { runReplicates } from '../src/model/engine.ts';
import { builtInScenario } from '../src/scenarios/index.ts';
import { applyRegime } from '../src/scenarios/regimes.ts';

describe('distributions', () => {
  it('Student t quantiles match the printed tables', () => {
    // Two-sided 95% critical values (any statistics textbook's t table).
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(tQuantile(0.975, 4)).toBeCloseTo(2.776445, 5);
    expect(tQuantile(0.975, 19)).toBeCloseTo(2.093024, 5);
    expect(tQuantile(0.975, 1000)).toBeCloseTo(1.962339, 5);
    expect(tQuantile(0.025, 4)).toBeCloseTo(-2.776445, 5);
    // df = 1 is the Cauchy distribution: F(t) = 1/2 + atan(t)/π.
    expect(tCdf(1.5, 1)).toBeCloseTo(0.5 + Math.atan(1.5) / Math.PI, 12);
  });

  it('the incomplete beta and binomial tail agree with direct sums', () => {
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(incompleteBeta(0.3, 2, 1)).toBeCloseTo(0.09, 14); // x^a for b = 1
    // P(X >= 3 | n = 5, p = 1/2) = (10 + 5 + 1) / 32.
    expect(binomialUpperTail(3, 5, 0.5)).toBeCloseTo(0.5, 12);
    // P(X >= 8 | n = 10, p = 0.3) = 45·0.3^8·0.7^2 + 10·0.3^9·0.7 + 0.3^10.
    expect(binomialUpperTail(8, 10, 0.3)).toBeCloseTo(45 * 0.3 ** 8 * 0.49 + 10 * 0.3 ** 9 * 0.7 + 0.3 ** 10, 14);
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
  });
});

describe('pairedStats', () => {
  it('matches a hand computation: differences 1, 2, 3, 4, 5', () => {
    const a = [10, 10, 10, 10, 10];
    const b = [11, 12, 13, 14, 15];
    const s = pairedStats(a, b, 'higher');
    // mean 3; sd = sqrt(((−2)² + (−1)² + 0 + 1 + 2²) / 4) = sqrt(2.5); half-width t(0.975, 4)·sd/√5.
    expect(s.mean).toBeCloseTo(3, 14);
    expect(s.sd).toBeCloseTo(Math.sqrt(2.5), 14);
    expect(s.upper - s.mean).toBeCloseTo((2.776445105 * Math.sqrt(2.5)) / Math.sqrt(5), 6);
    expect(s.lower).toBeCloseTo(3 - 1.963243, 5);
    expect(s.dz).toBeCloseTo(3 / Math.sqrt(2.5), 12);
    expect([s.wins, s.losses, s.ties]).toEqual([5, 0, 0]);
    expect(verdict(s)).toBe('higher');
    expect(winsText(s, 'B')).toBe('B better in 5 of 5');
  });

  it('counts "better" the measure\'s way: lower is better for a cost', () => {
    const s = pairedStats([5, 5, 5, 5], [4, 6, 3, 5], 'lower');
    // differences −1, +1, −2, 0: B is better (lower) in 2 pairs, worse in 1, tied in 1.
    expect([s.wins, s.losses, s.ties]).toEqual([2, 1, 1]);
    expect(s.mean).toBeCloseTo(-0.5, 14);
    expect(verdict(s)).toBe('unclear');
    const undirected = pairedStats([5, 5, 5, 5], [4, 6, 3, 5]);
    expect(winsText(undirected, 'B')).toBe('B higher in 1 of 4');
  });

  it('identical pairs give no difference, a constant shift an infinite d_z (null)', () => {
    expect(pairedStats([1, 2, 3], [1, 2, 3])).toMatchObject({ mean: 0, sd: 0, dz: 0, ties: 3 });
    expect(verdict(pairedStats([1, 2, 3], [1, 2, 3]))).toBe('no difference');
    expect(pairedStats([1, 2, 3], [2, 3, 4])).toMatchObject({ mean: 1, sd: 0, dz: null, lower: 1, upper: 1 });
  });

  it('pairing removes the shared noise that an unpaired view keeps', () => {
    // B = A + 0.1 + tiny wobble: the pairs agree although A varies widely.
    const a = [0.1, 0.9, 0.4, 0.7, 0.2, 0.6];
    const b = a.map((x, k) => x + 0.1 + (k % 2 ? 0.01 : -0.01));
    const s = pairedStats(a, b, 'higher');
    expect(s.lower).toBeGreaterThan(0.08);
    expect(s.upper).toBeLessThan(0.12);
    expect(s.wins).toBe(6);
  });

  it('refuses unpaired lengths', () => {
    expect(() => pairedStats([1, 2], [1])).toThrow(/differ in length/);
  });
});

describe('pairedComparison on a real comparison (gm-2017, 6 replicates, 24 rounds, seed 3)', () => {
  const base = { ...builtInScenario('gm-2017'), rounds: 24 };
  const labels = ['organisational', 'system'].map((regime) => ({
    label: regime, results: runReplicates(applyRegime(base, regime), { seed: '3', replicates: 6 }),
  }));

  it('is label − baseline on replicate-aligned final values', () => {
    const paired = pairedComparison(labels, 'organisational', ['populationOutcome', 'partnershipCost']);
    const s = paired.comparisons.system.populationOutcome;
    const a = finalValues(labels[0].results, 'populationOutcome');
    const b = finalValues(labels[1].results, 'populationOutcome');
    const d = Array.from(b, (x, k) => x - a[k]);
    const mean = d.reduce((x, y) => x + y, 0) / 6;
    expect(s.mean).toBeCloseTo(mean, 5);
    expect(s.wins).toBe(d.filter((x) => x > 0).length);
    expect(s.better).toBe('higher');
    expect(paired.comparisons.system.partnershipCost.better).toBe('lower');
    expect(paired.pairs).toBe(6);
  });

  it('a label against itself shows no difference; an unknown baseline is refused', () => {
    const same = pairedComparison([labels[0], { ...labels[0], label: 'again' }], 'organisational', ['populationOutcome']);
    expect(same.comparisons.again.populationOutcome).toMatchObject({ mean: 0, sd: 0, ties: 6 });
    expect(() => pairedComparison(labels, 'nope')).toThrow(/no label/);
  });

  it('refuses results that are not on the same random streams', () => {
    const other = { label: 'other', results: runReplicates(applyRegime(base, 'system'), { seed: '4', replicates: 6 }) };
    expect(() => pairedComparison([labels[0], other])).toThrow(/random stream/);
  });
});
