/**
 * PRIM on synthetic data with a known box (it must recover the box, leave the irrelevant
 * dimension free and give its limits small quasi-p-values), on hand-sized cases whose peels can
 * be followed on paper, and the trajectory's bookkeeping (coverage, density, mass) checked by
 * counting. Fixed seeds throughout.
 */
import { describe, expect, it } from 'vitest';
import { chooseBox, prim, primQuantile, quasiP, type PrimInput } from '../src/analysis/prim.ts';
import { binomialUpperTail } from '../src/analysis/distributions.ts';
import { stream } from '../src/model/rng.ts';

/** n uniform cases in [0, 1]^3; of interest inside x0 ∈ [0.2, 0.5] × x1 ∈ [0.6, 0.9] (x2 irrelevant). */
function knownBox(n: number, seed: string, noise = 0): PrimInput {
  const u = stream(seed, 'prim-test');
  const columns = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const interest = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (const c of columns) c[i] = u();
    const inside = columns[0][i] >= 0.2 && columns[0][i] <= 0.5 && columns[1][i] >= 0.6 && columns[1][i] <= 0.9;
    interest[i] = (u() < noise ? !inside : inside) ? 1 : 0;
  }
  return { names: ['x0', 'x1', 'x2'], columns, interest };
}

const count = (input: PrimInput, limits: [number, number][]) => {
  let n = 0;
  let k = 0;
  for (let i = 0; i < input.interest.length; i++) {
    if (limits.every(([lo, hi], d) => input.columns[d][i] >= lo && input.columns[d][i] <= hi)) {
      n++;
      k += input.interest[i] ? 1 : 0;
    }
  }
  return { n, k };
};

describe('primQuantile', () => {
  it('falls midway between distinct values and never splits ties', () => {
    // h = (5 − 1)·0.25 = 1 falls on a value: the cut moves to midway between it and the next one.
    expect(primQuantile([1, 2, 3, 4, 5], 0.25)).toBe(2.5);
    expect(primQuantile([1, 2, 3, 4, 5], 0.3)).toBe(2.5); // h = 1.2: between values 2 and 3
    expect(primQuantile([1, 1, 1, 2, 3], 0.05)).toBe(1.5); // lowest value tied three times: cut between 1 and 2
    expect(primQuantile([1, 2, 3, 3, 3], 0.95)).toBe(2.5);
  });
});

describe('PRIM on a known box', () => {
  const input = knownBox(3000, '11');
  const result = prim(input);
  const box = chooseBox(result, 0.8);

  it('recovers the box within a peel step and leaves x2 free', () => {
    expect(box.restricted).toEqual([0, 1]);
    expect(box.limits[0][0]).toBeCloseTo(0.2, 1);
    expect(box.limits[0][1]).toBeCloseTo(0.5, 1);
    expect(box.limits[1][0]).toBeCloseTo(0.6, 1);
    expect(box.limits[1][1]).toBeCloseTo(0.9, 1);
    expect(Math.abs(box.limits[0][0] - 0.2)).toBeLessThan(0.03);
    expect(Math.abs(box.limits[1][1] - 0.9)).toBeLessThan(0.03);
    expect(box.density).toBeGreaterThan(0.9);
    expect(box.coverage).toBeGreaterThan(0.8);
  });

  it('keeps a trajectory whose numbers can be counted again', () => {
    expect(result.trajectory[0]).toMatchObject({ step: 'start', mass: 1, coverage: 1, restricted: [] });
    for (const b of result.trajectory) {
      const { n, k } = count(input, b.limits);
      expect([b.n, b.k]).toEqual([n, k]);
      expect(b.coverage).toBeCloseTo(k / result.casesOfInterest, 12);
      expect(b.density).toBeCloseTo(k / n, 12);
      expect(b.mass).toBeGreaterThanOrEqual(0.05);
    }
    // Peeling raises density step by step (each accepted peel raises the mean).
    const peels = result.trajectory.filter((b) => b.step !== 'paste');
    for (let s = 1; s < peels.length; s++) expect(peels[s].density).toBeGreaterThan(peels[s - 1].density);
  });

  it('gives the real limits tiny quasi-p-values, computed as a one-sided binomial test', () => {
    const limits = quasiP(input, result, box);
    expect(limits.map((l) => l.dimension)).toEqual(['x0', 'x1']);
    for (const l of limits) {
      for (const p of [l.pLower, l.pUpper]) if (p !== null) expect(p).toBeLessThan(1e-6);
    }
    // By hand for x0's lower limit: drop it, count, and test.
    const widened = box.limits.map(([lo, hi]) => [lo, hi]) as [number, number][];
    widened[0][0] = result.initial[0][0];
    const { n, k } = count(input, widened);
    expect(limits[0].pLower).toBeCloseTo(binomialUpperTail(box.k, box.n, k / n), 12);
  });

  it('still finds the box with 10% of the labels flipped at random', () => {
    const noisy = knownBox(3000, '12', 0.1);
    const found = chooseBox(prim(noisy), 0.5);
    expect(found.restricted).toContain(0);
    expect(found.restricted).toContain(1);
    expect(Math.abs(found.limits[0][0] - 0.2)).toBeLessThan(0.1);
    expect(Math.abs(found.limits[1][0] - 0.6)).toBeLessThan(0.1);
  });
});

describe('PRIM on a hand-sized case', () => {
  // Ten cases on one dimension 1..10; the two highest are of interest. Peel by peel: 5% of 10
  // cases rounds to the end value, so each peel removes one case from one end. Removing the
  // lowest raises the mean; removing the highest lowers it. So the box peels from below until
  // mass_min: with massMin 0.2, it stops at [8.5, 10] holding cases 9 and 10 only... as computed:
  it('peels from the low end until the box is pure', () => {
    const input: PrimInput = { names: ['x'], columns: [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]], interest: [0, 0, 0, 0, 0, 0, 0, 0, 1, 1] };
    const result = prim(input, { massMin: 0.2 });
    const last = result.trajectory[result.trajectory.length - 1];
    // Lower cut at each step is midway between the lowest and next value: 1.5, 2.5, …, 8.5.
    expect(result.trajectory.map((b) => b.limits[0][0])).toEqual([1, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5]);
    expect(last).toMatchObject({ n: 2, k: 2, density: 1, coverage: 1, mass: 0.2 });
    expect(quasiP(input, result, last)[0].pUpper).toBeNull(); // the upper limit was never moved
    // Dropping the lower limit: 2 of 10 are of interest, so qp = P(X ≥ 2 | 2, 0.2) = 0.04.
    expect(quasiP(input, result, last)[0].pLower).toBeCloseTo(0.04, 12);
  });

  it('is greedy: it stops where every single peel lowers the mean', () => {
    // Of interest: 2, 9, 10. Peeling 1 raises the mean (3/9 > 3/10); then cutting 2 or 10 both
    // give 2/8 < 3/9, so PRIM stops at [1.5, 10] although [8.5, 10] would be pure.
    const input: PrimInput = { names: ['x'], columns: [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]], interest: [0, 1, 0, 0, 0, 0, 0, 0, 1, 1] };
    const result = prim(input, { massMin: 0.2 });
    expect(result.trajectory.map((b) => b.limits[0])).toEqual([[1, 10], [1.5, 10]]);
    const chosen = chooseBox(result, 0.6);
    expect(chosen).toMatchObject({ index: 1, n: 9, k: 3, coverage: 1 });
    expect(chosen.density).toBeCloseTo(1 / 3, 14);
  });

  it('chooses the densest box that keeps the coverage asked for', () => {
    const input = knownBox(1000, '13');
    const result = prim(input);
    for (const min of [0.3, 0.6, 0.9]) {
      const chosen = chooseBox(result, min);
      expect(chosen.coverage).toBeGreaterThanOrEqual(min);
      for (const b of result.trajectory) if (b.coverage >= min) expect(b.density).toBeLessThanOrEqual(chosen.density + 1e-12);
    }
  });
});
