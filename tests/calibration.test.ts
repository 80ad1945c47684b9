/**
 * ABC-SMC calibration engine against problems whose answer is known analytically: a conjugate
 * normal mean (inside the prior and piled against its bound), an unidentified parameter whose
 * posterior must stay the prior, hold-out targets from the right and a wrong parameter value,
 * determinism, input validation, and a fast-check property of the weights.
 *
 * Tolerances are about three times the error's sd measured over 20 seeds (100–119) with the
 * same settings (400 particles, ESS ≈ 370): conjugate case, mean 0.0135 (theory s/√ESS = 0.012),
 * sd ratio 0.038, 2.5% and 97.5% quantiles 0.043 and 0.034, 90% predictive width 0.052; bound
 * case, mean 0.0072, sd 0.0094. The final ABC tolerance (< 0.1 target sd) widens a posterior by
 * well under 1%, so no allowance is made for it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  calibrate, CalibrationError, parseCalibrationSpec, validateCalibrationSpec,
  type CalibrationSpec, type Simulate,
} from '../src/calibration/index.ts';
import { cholesky, logKernel, makeKernel, perturb } from '../src/calibration/kernel.ts';
import {
  effectiveSampleSize, normalise, weightedCovariance, weightedMean, weightedQuantiles, weightedSd,
} from '../src/calibration/weighted.ts';
import { normal, stream } from '../src/model/rng.ts';

/** Mean of `n` draws from N(theta, 1) on the stream keyed by `seed`. */
const meanOfDraws = (theta: number, n: number, seed: string): number => {
  const u = stream(seed);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += theta + normal(u);
  return sum / n;
};

describe('ABC-SMC: conjugate normal mean (n = 20 draws from N(θ, 1), uniform prior)', () => {
  const n = 20;
  const se = 1 / Math.sqrt(n); // 0.2236: the analytic posterior sd
  const simulate: Simulate = (p, seed) => ({ ybar: meanOfDraws(p.theta, n, seed) });

  it('posterior mean and sd match N(ȳ, 1/n) (prior U[−5, 5], 400 particles, 10 generations)', () => {
    const ybar = meanOfDraws(0.7, n, 'observed data'); // the "observed" sample mean
    const result = calibrate({
      targets: [{ name: 'ybar', observed: ybar, sd: se }],
      parameters: [{ path: 'theta', prior: { min: -5, max: 5 } }],
      abc: { particles: 400, maxGenerations: 10 },
    }, simulate, { seed: 7 });
    const theta = result.parameters[0];
    // Prior bounds are 20 posterior sds away: truncation is negligible, posterior = N(ȳ, 1/n).
    expect(Math.abs(theta.mean - ybar)).toBeLessThan(0.04);
    expect(Math.abs(theta.sd / se - 1)).toBeLessThan(0.12);
    expect(Math.abs(theta.q025 - (ybar - 1.96 * se))).toBeLessThan(0.13);
    expect(Math.abs(theta.q975 - (ybar + 1.96 * se))).toBeLessThan(0.13);
    expect(result.ess).toBeGreaterThan(200);
    expect(result.tolerance).toBeLessThan(0.1);
    expect(result.stopReason).toBe('max-generations');
    expect(result.generations).toHaveLength(10);
    // The posterior-predictive of ȳ has sd √2·se (parameter + sampling): 90% interval ≈ ±0.52.
    const fit = result.fit[0];
    expect(fit.inside).toBe(true);
    expect(Math.abs(fit.high - fit.low - 2 * 1.645 * Math.SQRT2 * se)).toBeLessThan(0.16);
    expect(result.simulations.total).toBe(result.simulations.fit + 400);
    expect(result.simulations.fit).toBe(result.generations.reduce((s, g) => s + g.simulations, 0));
  });

  it('a posterior piled against the prior bound matches the truncated normal (ȳ = 0, prior U[0, 1])', () => {
    // Half-normal: mean se·√(2/π) = 0.1784, sd se·√(1 − 2/π) = 0.1348. Proposals outside [0, 1]
    // must be rejected and the weights must account for it, or the mean drifts.
    const result = calibrate({
      targets: [{ name: 'ybar', observed: 0, sd: se }],
      parameters: [{ path: 'theta', prior: { min: 0, max: 1 } }],
      abc: { particles: 400, maxGenerations: 9 },
    }, simulate, { seed: 11, predictive: false });
    const theta = result.parameters[0];
    expect(Math.abs(theta.mean - se * Math.sqrt(2 / Math.PI))).toBeLessThan(0.025);
    expect(Math.abs(theta.sd - se * Math.sqrt(1 - 2 / Math.PI))).toBeLessThan(0.03);
    expect(result.particles.every((p) => p.params.theta >= 0 && p.params.theta <= 1)).toBe(true);
    expect(result.generations.slice(1).some((g) => g.outsidePrior > 0)).toBe(true);
  });
});

describe('ABC-SMC: one identified and one unidentified parameter', () => {
  it('the identified one concentrates; the unidentified log-uniform one keeps its prior', () => {
    // level = mean of 50 draws from N(a, 1): identifies a (posterior sd 0.14 against a prior sd of
    // 2.9). b ∈ [0.01, 100] log-uniform enters no statistic, so log10 b stays U[−2, 2]: mean 0,
    // sd 4/√12 = 1.155, median b = 1, 2.5% and 97.5% quantiles 10^±1.9 = 0.0126 and 79.4.
    const spec: CalibrationSpec = {
      targets: [{ name: 'level', observed: 3.2, sd: 1 / Math.sqrt(50) }],
      parameters: [
        { path: 'a', prior: { min: 0, max: 10 } },
        { path: 'b', prior: { min: 0.01, max: 100, log: true } },
      ],
      abc: { particles: 400, maxGenerations: 8 },
    };
    const result = calibrate(spec, (p, seed) => ({ level: meanOfDraws(p.a, 50, seed) }), { seed: 3, predictive: false });
    const [a, b] = result.parameters;
    expect(Math.abs(a.mean - 3.2)).toBeLessThan(0.05);
    expect(a.sd).toBeLessThan(0.2);
    const weights = result.particles.map((p) => p.weight);
    const log10b = result.particles.map((p) => Math.log10(p.params.b));
    expect(Math.abs(weightedMean(log10b, weights))).toBeLessThan(0.2); // ≈ 3 MC se (1.155/√ESS)
    expect(Math.abs(weightedSd(log10b, weights) - 4 / Math.sqrt(12))).toBeLessThan(0.12);
    expect(Math.abs(Math.log10(b.q50))).toBeLessThan(0.3);
    expect(b.q025).toBeLessThan(0.05);
    expect(b.q975).toBeGreaterThan(20);
    expect(b.sd / b.mean).toBeGreaterThan(1); // a log-uniform over 4 decades: cv ≈ 2.2
  });
});

describe('ABC-SMC: determinism and progress', () => {
  const spec: CalibrationSpec = {
    targets: [{ name: 'm', observed: 1, sd: 0.2 }, { name: 'h', observed: 1, sd: 0.2, holdOut: true }],
    parameters: [{ path: 'x', prior: { min: -3, max: 3 } }, { path: 'y', prior: { min: 0.1, max: 10, log: true } }],
    abc: { particles: 60, maxGenerations: 4 },
  };
  const simulate: Simulate = (p, seed) => ({ m: meanOfDraws(p.x * Math.log(p.y), 25, seed), h: meanOfDraws(p.x, 25, `${seed}h`) });

  it('the same seed gives identical bytes; another seed does not', () => {
    const a = JSON.stringify(calibrate(spec, simulate, { seed: 'same' }));
    const b = JSON.stringify(calibrate(spec, simulate, { seed: 'same' }));
    const c = JSON.stringify(calibrate(spec, simulate, { seed: 'other' }));
    expect(a).toBe(b); // JSON numbers round-trip doubles exactly
    expect(a).not.toBe(c);
  });

  it('the simulate seeds are all distinct, and progress reports every generation with running totals', () => {
    const seeds = new Set<string>();
    let calls = 0;
    const calls2: number[][] = [];
    const result = calibrate(spec, (p, seed) => (calls++, seeds.add(seed), simulate(p, seed)), {
      seed: 5,
      onProgress: (g, e, rate, sims) => calls2.push([g, e, rate, sims]),
    });
    expect(seeds.size).toBe(calls);
    expect(calls).toBe(result.simulations.total);
    let running = 0;
    expect(calls2).toEqual(result.generations.map((g) => [g.generation, g.tolerance, g.acceptanceRate, (running += g.simulations)]));
    const tolerances = result.generations.map((g) => g.tolerance);
    expect(tolerances.every((e, i) => i === 0 || e < tolerances[i - 1])).toBe(true);
  });
});

describe('ABC-SMC: hold-out targets', () => {
  it('flags a hold-out generated from a different parameter value and passes one from the true value', () => {
    // Fitted: mean of 100 draws at θ = 0.7 (se 0.1). Hold-outs: means of 25 new draws (se 0.2),
    // one at θ = 0.7, one at θ = 2.0. Predictive sd ≈ √(0.1² + 0.2²) = 0.22, so the 90% interval is
    // ≈ ±0.37 and θ = 2.0 lies ≈ 1.3 (6 predictive sd) above it. Over 5 seeds the shifted target
    // must be flagged every time; the true one is inside with probability ≈ 0.87 each, so ≥ 3 of 5.
    let insideTrue = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const truth = `truth ${seed}`;
      const result = calibrate({
        targets: [
          { name: 'fitted', observed: meanOfDraws(0.7, 100, `${truth} fitted`), sd: 0.1 },
          { name: 'same', observed: meanOfDraws(0.7, 25, `${truth} same`), sd: 0.2, holdOut: true },
          { name: 'shifted', observed: meanOfDraws(2.0, 25, `${truth} shifted`), sd: 0.2, holdOut: true, source: 'θ = 2' },
        ],
        parameters: [{ path: 'theta', prior: { min: -5, max: 5 } }],
        abc: { particles: 200, maxGenerations: 7 },
      }, (p, s) => ({
        fitted: meanOfDraws(p.theta, 100, `${s} fitted`),
        same: meanOfDraws(p.theta, 25, `${s} same`),
        shifted: meanOfDraws(p.theta, 25, `${s} shifted`),
      }), { seed });
      expect(result.fit.map((f) => f.name)).toEqual(['fitted']);
      const [same, shifted] = result.holdOut;
      expect(shifted).toMatchObject({ name: 'shifted', holdOut: true, inside: false, source: 'θ = 2' });
      expect(shifted.residual).toBeGreaterThan(4); // (observed − median) / sd ≈ 1.3 / 0.2
      if (same.inside) insideTrue++;
    }
    expect(insideTrue).toBeGreaterThanOrEqual(3);
  });

  it('hold-out targets do not enter the distance', () => {
    const base: CalibrationSpec = {
      targets: [{ name: 'm', observed: 0.5, sd: 0.2 }, { name: 'h', observed: 9, sd: 0.2, holdOut: true }],
      parameters: [{ path: 'x', prior: { min: -2, max: 2 } }],
      abc: { particles: 50, maxGenerations: 3 },
    };
    const simulate: Simulate = (p, seed) => ({ m: meanOfDraws(p.x, 25, seed), h: meanOfDraws(p.x, 25, `${seed}h`) });
    const withHold = calibrate(base, simulate, { seed: 1, predictive: false });
    const moved = calibrate({ ...base, targets: [base.targets[0], { ...base.targets[1], observed: -9 }] }, simulate, { seed: 1, predictive: false });
    expect(JSON.stringify(withHold.particles)).toBe(JSON.stringify(moved.particles));
  });
});

describe('ABC-SMC: stopping rules', () => {
  // A statistic with noise of 2 target sds cannot be matched much closer than that: the acceptance
  // rate falls as the tolerance shrinks until the floor abandons a generation.
  const spec: CalibrationSpec = {
    targets: [{ name: 'm', observed: 0, sd: 0.1 }],
    parameters: [{ path: 'x', prior: { min: -1, max: 1 } }],
  };
  const noisy: Simulate = (p, seed) => ({ m: p.x + 0.2 * normal(stream(seed)) });

  it('the acceptance-rate floor abandons a generation and keeps the previous one', () => {
    const result = calibrate({ ...spec, abc: { particles: 50, maxGenerations: 30, minAcceptanceRate: 0.1 } }, noisy, { seed: 2, predictive: false });
    expect(result.stopReason).toBe('acceptance-rate');
    expect(result.abandoned!.accepted).toBeLessThan(50);
    expect(result.abandoned!.simulations).toBeLessThanOrEqual(500);
    expect(result.generations.length).toBeLessThan(30);
    expect(result.generations.every((g) => g.acceptanceRate >= 0.1)).toBe(true);
    expect(result.tolerance).toBe(result.generations.at(-1)!.tolerance);
    expect(result.particles.every((p) => p.distance <= result.tolerance)).toBe(true);
    // The budget counts the abandoned generation's simulations too.
    expect(result.simulations.fit).toBe(result.generations.reduce((s, g) => s + g.simulations, 0) + result.abandoned!.simulations);
  });

  it('minimum tolerance and the simulation budget stop the run', () => {
    const floor = calibrate({ ...spec, abc: { particles: 50, maxGenerations: 30, minTolerance: 3 } }, noisy, { seed: 2, predictive: false });
    expect(floor.stopReason).toBe('min-tolerance');
    expect(floor.tolerance).toBe(3);
    const budget = calibrate({ ...spec, abc: { particles: 50, maxGenerations: 30, maxSimulations: 400 } }, noisy, { seed: 2, predictive: false });
    expect(budget.stopReason).toBe('max-simulations');
    expect(budget.simulations.fit).toBeLessThanOrEqual(400);
  });
});

describe('calibration input validation', () => {
  const good = {
    targets: [{ name: 'a', observed: 1, sd: 0.1 }, { name: 'b', observed: 2, sd: 0.1 }, { name: 'c', observed: 3, sd: 0.5, holdOut: true }],
    parameters: [{ path: 'x.y', prior: { min: 0, max: 1 } }, { path: 'z', prior: { min: 0.1, max: 10, log: true } }],
  };
  const messages = (input: unknown) => validateCalibrationSpec(input).map((p) => `${p.path}: ${p.message}`);

  it('a YAML file reads straight into a valid spec (illustrative figures, not data)', () => {
    const text = [
      'targets:',
      '  - { name: contribution.period10, observed: 0.15, sd: 0.03, source: "illustrative" }',
      '  - { name: contribution.period20, observed: 0.10, sd: 0.03, holdOut: true }',
      'parameters:',
      '  - { path: lab.trustGain, prior: { min: 0, max: 1 } }',
      '  - { path: lab.noise, prior: { min: 0.001, max: 1, log: true } }',
      'abc: { particles: 300, maxGenerations: 6 }',
    ].join('\n');
    const spec = parseCalibrationSpec(parseYaml(text));
    expect(spec.targets[1].holdOut).toBe(true);
    expect(spec.parameters[1].prior.log).toBe(true);
  });

  it('a valid spec has no problems', () => {
    expect(messages(good)).toEqual([]);
    expect(messages({ ...good, abc: { particles: 100, quantile: 0.3, kernel: 'diagonal' } })).toEqual([]);
  });

  it('names the field and the value of each problem', () => {
    const bad = {
      targets: [
        { name: 'a', observed: 1, sd: 0.1 },
        { name: 'a', observed: 'x', sd: 0.1 },
        { name: 'c', observed: 3, sd: -1, holdOut: 'yes' },
      ],
      parameters: [
        { path: '', prior: { min: 0, max: 1 } },
        { path: 'z', prior: { min: 0, max: 10, log: true } },
        { path: 'w', prior: { min: 2, max: 1 } },
        { path: 'v' },
      ],
      abc: { particles: 1.5, quantile: 1, kernel: 'gaussian', generations: 3 },
      extra: true,
    };
    expect(messages(bad)).toEqual([
      'targets[1].name: "a" repeats targets[0].name',
      'targets[1].observed: "x" is not a finite number',
      'targets[2].sd: -1 is not > 0',
      'targets[2].holdOut: "yes" is not true or false',
      'parameters[0].path: "" is not a non-empty string',
      'parameters[1].prior.min: 0 is not > 0 (log prior)',
      'parameters[2].prior.max: 1 is not > prior.min (2)',
      'parameters[3].prior: missing is not an object with min and max',
      'abc.generations: is not a setting (known: particles, maxGenerations, quantile, minTolerance, minAcceptanceRate, maxSimulations, kernel)',
      'abc.particles: 1.5 is not an integer >= 2',
      'abc.quantile: 1 is not in (0, 1)',
      'abc.kernel: "gaussian" is not "multivariate" or "diagonal"',
      'extra: is not a field (known: targets, parameters, abc)',
    ]);
  });

  it('rejects empty lists, all targets held out, and a non-object', () => {
    expect(messages({ targets: [], parameters: [] })).toEqual([
      'targets: an array is not a non-empty list',
      'parameters: an array is not a non-empty list',
    ]);
    expect(messages({ ...good, targets: [{ name: 'a', observed: 1, sd: 1, holdOut: true }] }))
      .toEqual(['targets: every target is held out; at least one must be fitted']);
    expect(messages(null)).toEqual(['(calibration): null is not an object']);
  });

  it('parse and calibrate throw CalibrationError with every problem; a simulate result missing a target is named', () => {
    expect(() => parseCalibrationSpec({ ...good, targets: [{ name: 'a', observed: 1, sd: 0 }] })).toThrow('targets[0].sd: 0 is not > 0');
    expect(() => calibrate({ ...good, abc: { particles: 10, maxSimulations: 5 } }, () => ({ a: 1, b: 2, c: 3 })))
      .toThrow('abc.maxSimulations: 5 is less than abc.particles (10)');
    expect(() => calibrate({ ...good, abc: { particles: 10 } }, () => ({ a: 1, b: 2 }))).toThrow(CalibrationError);
    expect(() => calibrate({ ...good, abc: { particles: 10 } }, () => ({ a: 1, b: NaN, c: 3 }))).toThrow(/simulate → b: NaN is not a finite number/);
  });
});

describe('ABC-SMC weights (property)', () => {
  it('weights are non-negative and sum to 1, ESS is in [1, N], particles lie inside the prior and the tolerance', () => {
    const problem = fc.record({
      k: fc.integer({ min: 1, max: 3 }),
      logs: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      particles: fc.integer({ min: 5, max: 30 }),
      generations: fc.integer({ min: 1, max: 4 }),
      quantile: fc.double({ min: 0.2, max: 0.8, noNaN: true }),
      kernel: fc.constantFrom('multivariate' as const, 'diagonal' as const),
      observed: fc.double({ min: -2, max: 2, noNaN: true }),
      noise: fc.double({ min: 0, max: 1, noNaN: true }),
      seed: fc.integer({ min: 0, max: 1000 }),
    });
    fc.assert(fc.property(problem, (c) => {
      const parameters = Array.from({ length: c.k }, (_, a) => ({
        path: `p${a}`, prior: c.logs[a] ? { min: 0.1, max: 10, log: true } : { min: -1, max: 1 },
      }));
      const simulate: Simulate = (p, seed) => {
        const u = stream(seed);
        let s = 0;
        for (let a = 0; a < c.k; a++) s += (a + 1) * (c.logs[a] ? Math.log(p[`p${a}`]) : p[`p${a}`]);
        return { s: s + c.noise * normal(u) };
      };
      const result = calibrate({
        targets: [{ name: 's', observed: c.observed, sd: 0.3 }],
        parameters,
        abc: { particles: c.particles, maxGenerations: c.generations, quantile: c.quantile, kernel: c.kernel },
      }, simulate, { seed: c.seed, predictive: false });
      const weights = result.particles.map((p) => p.weight);
      expect(weights.every((w) => w >= 0 && Number.isFinite(w))).toBe(true);
      expect(Math.abs(weights.reduce((s, w) => s + w, 0) - 1)).toBeLessThan(1e-12);
      for (const g of result.generations) {
        expect(g.ess).toBeGreaterThanOrEqual(1 - 1e-9);
        expect(g.ess).toBeLessThanOrEqual(c.particles * (1 + 1e-9));
      }
      expect(result.particles).toHaveLength(c.particles);
      for (const p of result.particles) {
        expect(p.distance).toBeLessThanOrEqual(result.tolerance);
        parameters.forEach(({ path, prior }) => {
          expect(p.params[path]).toBeGreaterThanOrEqual(prior.min);
          expect(p.params[path]).toBeLessThanOrEqual(prior.max);
        });
      }
    }), { seed: 14, numRuns: 60 });
  });
});

describe('calibration building blocks (exact values)', () => {
  it('weighted mean, sd, ESS and quantiles on a hand-computed sample', () => {
    const values = [1, 2, 4];
    const weights = normalise([1, 2, 1]); // 0.25, 0.5, 0.25
    expect(weightedMean(values, weights)).toBe(2.25);
    // Σ w (x − 2.25)² = 0.25·1.5625 + 0.5·0.0625 + 0.25·3.0625 = 1.1875
    expect(weightedSd(values, weights)).toBeCloseTo(Math.sqrt(1.1875), 14);
    expect(effectiveSampleSize(weights)).toBeCloseTo(1 / 0.375, 12);
    expect(effectiveSampleSize(normalise([1, 1, 1, 1]))).toBe(4);
    // Weight midpoints 0.125, 0.5, 0.875: the median is the middle value, 0.6875 is halfway 2 → 4.
    expect(weightedQuantiles(values, weights, [0, 0.125, 0.5, 0.6875, 1])).toEqual([1, 1, 2, 3, 4]);
    // Equal weights: Hazen's rule, p = (i − 0.5) / n at the i-th value.
    expect(weightedQuantiles([3, 1, 2, 4], normalise([1, 1, 1, 1]), [0.125, 0.5, 0.875])).toEqual([1, 2.5, 4]);
    expect(() => normalise([0, 0])).toThrow('weights sum to 0');
  });

  it('weighted covariance, Cholesky and the kernel density against direct formulas', () => {
    const points = [[0, 0], [1, 2], [2, 1], [3, 5]].map((p) => Float64Array.from(p));
    const weights = normalise([1, 1, 1, 1]);
    // Means 1.5 and 2; Σ = [[1.25, 1.75], [1.75, 3.5]] (divisor N).
    expect(Array.from(weightedCovariance(points, weights))).toEqual([1.25, 1.75, 1.75, 3.5]);
    const m = Float64Array.from([4, 2, 2, 3]);
    const l = cholesky(m, 2)!;
    [l[0] * l[0], l[2] * l[0], l[2] * l[2] + l[3] * l[3]].forEach((v, i) => expect(v).toBeCloseTo([4, 2, 3][i], 14));
    expect(l[1]).toBe(0);
    expect(cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toBeNull();
    // Kernel covariance 2Σ = [[2.5, 3.5], [3.5, 7]], det 5.25, inverse [[7, −3.5], [−3.5, 2.5]] / 5.25.
    const kernel = makeKernel(weightedCovariance(points, weights), 2, 'multivariate', new Float64Array(2));
    const d = [0.7, -1.1];
    const quad = (7 * d[0] * d[0] - 7 * d[0] * d[1] + 2.5 * d[1] * d[1]) / 5.25;
    expect(logKernel(kernel, Float64Array.from(d), new Float64Array(2))).toBeCloseTo(-0.5 * quad, 12);
    const diagonal = makeKernel(weightedCovariance(points, weights), 2, 'diagonal', new Float64Array(2));
    expect(logKernel(diagonal, Float64Array.from(d), new Float64Array(2))).toBeCloseTo(-0.5 * (d[0] ** 2 / 2.5 + d[1] ** 2 / 7), 12);
  });

  it('kernel draws have covariance 2Σ (20,000 draws, tolerance 4%), and a singular Σ is regularised', () => {
    const kernel = makeKernel(Float64Array.from([1.25, 1.5, 1.5, 3.5]), 2, 'multivariate', new Float64Array(2));
    const u = stream('kernel draws');
    const draws = Array.from({ length: 20000 }, () => perturb(kernel, new Float64Array(2), u));
    const cov = weightedCovariance(draws, new Float64Array(draws.length).fill(1 / draws.length));
    [2.5, 3, 3, 7].forEach((expected, i) => expect(Math.abs(cov[i] / expected - 1)).toBeLessThan(0.04));
    const collapsed = makeKernel(new Float64Array(4), 2, 'multivariate', Float64Array.from([1e-6, 1e-6]));
    expect(Number.isFinite(logKernel(collapsed, Float64Array.from([1e-3, 0]), new Float64Array(2)))).toBe(true);
  });
});
