/**
 * Calibration by approximate Bayesian computation with sequential Monte Carlo (ABC-SMC: Toni et
 * al. 2009, J R Soc Interface 6:187; in the population Monte Carlo form of Beaumont et al. 2009,
 * Biometrika 96:983, with tolerances set adaptively as a quantile of the previous generation's
 * distances, as in Drovandi & Pettitt 2011, Biometrics 67:225, and Lenormand et al. 2013,
 * Comput Stat 28:2777).
 *
 * Why ABC-SMC. The simulator is stochastic with no tractable likelihood, only a few parameters
 * are fitted at a time, and the question is a posterior — fitted values with their uncertainty —
 * not a single best fit. ABC gives that from simulations alone. Rejection ABC from the prior
 * would too, but it wastes nearly every run once the tolerance is tight; SMC moves a population
 * of particles through shrinking tolerances, spending runs where the posterior is. History
 * matching (Craig et al. 1997; Andrianakis et al. 2015) is the alternative: it rules out
 * implausible regions in waves and scales to many parameters, but needs a statistical emulator
 * per output fitted and checked at each wave, and returns a non-implausible region rather than
 * a posterior. With few parameters and a model fast enough to run thousands of times, ABC-SMC
 * is the simpler method with the more useful output.
 *
 * The algorithm. Parameters live in "prior coordinates": x itself for a uniform prior, log x for a
 * log-uniform one, so every prior is uniform on a box and its density cancels in the weights.
 *   Generation 0: N draws from the prior, all kept, equal weights.
 *   Generation t: tolerance ε_t = max(q-quantile of generation t−1's distances, minTolerance).
 *   Propose: pick a parent with probability equal to its weight, add N(0, 2Σ) with Σ the weighted
 *   covariance (or variances) of generation t−1; a proposal outside the prior box is discarded
 *   without a simulation and another drawn, parent included. Simulate; keep the particle if
 *   distance ≤ ε_t.
 *   Weight: w_i ∝ π(θ_i) / Σ_j w_j K(θ_i | θ_j), normalised; ESS = 1 / Σ w_i².
 * Distance: Euclidean over the fitted targets of (simulated − observed) / sd.
 * Stops after maxGenerations, after the generation run at minTolerance, when the tolerance stops
 * falling, or abandons a generation (keeping the previous one) as soon as its acceptance rate
 * can no longer reach minAcceptanceRate or the total would exceed maxSimulations.
 *
 * Determinism. Every proposal's draws come from its own stream keyed (seed, generation,
 * attempt), and simulation seeds are built from the same key, so a result depends on the seed
 * only — and would not change if proposals were later simulated in parallel batches, provided
 * the accepted ones are taken in attempt order.
 */
import { stream, type Uniform } from '../model/rng.ts';
import { logKernel, makeKernel, perturb, type Kernel } from './kernel.ts';
import {
  CalibrationError, parseCalibrationSpec, resolveSettings,
  type AbcSettings, type CalibrationSpec, type Target,
} from './spec.ts';
import { fitTarget, summariseParameter, type ParameterSummary, type TargetFit } from './summary.ts';
import { effectiveSampleSize, normalise, quantile, weightedCovariance } from './weighted.ts';

/** Runs the model at `params` (keyed by parameter path) and returns every target's statistic. */
export type Simulate = (params: Record<string, number>, seed: string) => Record<string, number>;

export type ProgressCallback = (generation: number, tolerance: number, acceptanceRate: number, simulations: number) => void;

export interface CalibrateOptions {
  seed?: string | number;
  /** Called after each completed generation; `simulations` is the running total. */
  onProgress?: ProgressCallback;
  /** Run the posterior-predictive simulations (one per particle) for the fit and hold-out check. */
  predictive?: boolean;
}

export interface Particle {
  params: Record<string, number>;
  weight: number;
  distance: number;
}

export interface GenerationRecord {
  generation: number;
  tolerance: number;
  acceptanceRate: number;
  /** Simulations spent in this generation. */
  simulations: number;
  /** Proposals discarded for falling outside the prior (no simulation spent). */
  outsidePrior: number;
  ess: number;
}

export type StopReason = 'max-generations' | 'min-tolerance' | 'tolerance-stalled' | 'acceptance-rate' | 'max-simulations';

export interface CalibrationResult {
  method: 'abc-smc';
  seed: string;
  settings: Required<AbcSettings>;
  stopReason: StopReason;
  /** Completed generations; the posterior is the last one. */
  generations: GenerationRecord[];
  /** A generation stopped part-way (acceptance-rate floor or budget), if any. */
  abandoned?: { generation: number; tolerance: number; accepted: number; simulations: number };
  tolerance: number;
  ess: number;
  simulations: { fit: number; predictive: number; total: number };
  particles: Particle[];
  parameters: ParameterSummary[];
  fit: TargetFit[];
  holdOut: TargetFit[];
}

interface Population {
  points: Float64Array[];
  weights: Float64Array;
  distances: Float64Array;
}

/** The spec turned into what the sampler needs: prior box, parameter mapping, distance. */
interface Problem {
  k: number;
  lo: Float64Array;
  hi: Float64Array;
  /** Per-coordinate variance that regularises a singular kernel covariance. */
  floor: Float64Array;
  toParams(z: Float64Array): Record<string, number>;
  /** Simulated statistics at prior coordinates `z`, checked for every target. */
  run(z: Float64Array, runSeed: string): Record<string, number>;
  distance(stats: Record<string, number>): number;
  inside(z: Float64Array): boolean;
}

function makeProblem(spec: CalibrationSpec, simulate: Simulate): Problem {
  const k = spec.parameters.length;
  const lo = Float64Array.from(spec.parameters, (p) => (p.prior.log ? Math.log(p.prior.min) : p.prior.min));
  const hi = Float64Array.from(spec.parameters, (p) => (p.prior.log ? Math.log(p.prior.max) : p.prior.max));
  const fitted = spec.targets.filter((t) => t.holdOut !== true);
  const toParams = (z: Float64Array) => {
    const params: Record<string, number> = {};
    // exp(log min) can round below min: clamp so a value never leaves its prior.
    spec.parameters.forEach((p, a) => (params[p.path] = p.prior.log ? Math.min(p.prior.max, Math.max(p.prior.min, Math.exp(z[a]))) : z[a]));
    return params;
  };
  return {
    k,
    lo,
    hi,
    floor: Float64Array.from(lo, (l, a) => ((hi[a] - l) * 1e-9) ** 2),
    toParams,
    run: (z, runSeed) => {
      const params = toParams(z);
      return checkedStats(simulate(params, runSeed), spec.targets, params);
    },
    distance: (stats) => {
      let sum = 0;
      for (const t of fitted) sum += ((stats[t.name] - t.observed) / t.sd) ** 2;
      return Math.sqrt(sum);
    },
    inside: (z) => {
      for (let a = 0; a < k; a++) if (!(z[a] >= lo[a] && z[a] <= hi[a])) return false;
      return true;
    },
  };
}

/** ABC-SMC calibration of `spec` (validated here) against `simulate`. */
export function calibrate(spec: CalibrationSpec, simulate: Simulate, options: CalibrateOptions = {}): CalibrationResult {
  parseCalibrationSpec(spec);
  const settings = resolveSettings(spec);
  if (settings.maxSimulations < settings.particles) {
    throw new CalibrationError([{
      path: 'abc.maxSimulations',
      message: `${settings.maxSimulations} is less than abc.particles (${settings.particles}): generation 0 alone needs that many`,
    }]);
  }
  const seed = String(options.seed ?? 1);
  const n = settings.particles;
  const problem = makeProblem(spec, simulate);

  let population = priorGeneration(problem, n, seed);
  let total = n;
  let tolerance = max(population.distances);
  const generations: GenerationRecord[] = [{ generation: 0, tolerance, acceptanceRate: 1, simulations: n, outsidePrior: 0, ess: n }];
  options.onProgress?.(0, tolerance, 1, total);

  let stopReason: StopReason = 'max-generations';
  let abandoned: CalibrationResult['abandoned'];
  for (let t = 1; t < settings.maxGenerations; t++) {
    const next = Math.max(quantile(population.distances, settings.quantile), settings.minTolerance);
    if (!(next < tolerance)) {
      stopReason = 'tolerance-stalled';
      break;
    }
    const step = nextGeneration(problem, population, settings, next, total, seed, t);
    total += step.simulations;
    if (step.stopped) {
      stopReason = step.stopped;
      abandoned = { generation: t, tolerance: next, accepted: step.population.points.length, simulations: step.simulations };
      break;
    }
    population = step.population;
    tolerance = next;
    const acceptanceRate = n / step.simulations;
    generations.push({
      generation: t, tolerance, acceptanceRate, simulations: step.simulations, outsidePrior: step.outsidePrior,
      ess: effectiveSampleSize(population.weights),
    });
    options.onProgress?.(t, tolerance, acceptanceRate, total);
    if (tolerance <= settings.minTolerance) {
      stopReason = 'min-tolerance';
      break;
    }
  }

  const particles = population.points.map((z, i) => ({
    params: problem.toParams(z), weight: population.weights[i], distance: population.distances[i],
  }));
  const parameters = spec.parameters.map((p) => summariseParameter(
    p.path, particles.map((q) => q.params[p.path]), population.weights,
    { min: p.prior.min, max: p.prior.max, log: p.prior.log === true },
  ));
  const fits = options.predictive === false ? [] : predictiveFit(problem, population, spec.targets, seed);
  const predictive = options.predictive === false ? 0 : n;

  const result: CalibrationResult = {
    method: 'abc-smc',
    seed,
    settings,
    stopReason,
    generations,
    tolerance,
    ess: generations[generations.length - 1].ess,
    simulations: { fit: total, predictive, total: total + predictive },
    particles,
    parameters,
    fit: fits.filter((f) => !f.holdOut),
    holdOut: fits.filter((f) => f.holdOut),
  };
  if (abandoned) result.abandoned = abandoned;
  return result;
}

/** Generation 0: N draws from the prior, all kept, equal weights. */
function priorGeneration(problem: Problem, n: number, seed: string): Population {
  const { lo, hi } = problem;
  const points: Float64Array[] = [];
  const distances = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = stream(seed, 'abc-smc', 0, i);
    const z = Float64Array.from(lo, (l, a) => l + u() * (hi[a] - l));
    points.push(z);
    distances[i] = problem.distance(problem.run(z, `${seed}/abc/0/${i}`));
  }
  return { points, weights: new Float64Array(n).fill(1 / n), distances };
}

interface GenerationStep {
  /** The new population (complete unless `stopped`). */
  population: Population;
  simulations: number;
  outsidePrior: number;
  /** Why the generation was abandoned, if it was. */
  stopped?: 'acceptance-rate' | 'max-simulations';
}

/** Generation t at tolerance `tolerance`, proposed from `previous`; `spent` simulations so far. */
function nextGeneration(
  problem: Problem, previous: Population, settings: Required<AbcSettings>, tolerance: number,
  spent: number, seed: string, t: number,
): GenerationStep {
  const n = settings.particles;
  const kernel = makeKernel(weightedCovariance(previous.points, previous.weights), problem.k, settings.kernel, problem.floor);
  const cumulative = cumulate(previous.weights);
  const points: Float64Array[] = [];
  const distances: number[] = [];
  let simulations = 0;
  let outsidePrior = 0;
  let stopped: GenerationStep['stopped'];
  for (let attempt = 0; points.length < n; attempt++) {
    // Stop as soon as even accepting every remaining proposal could not meet the floor or budget.
    const needed = n - points.length;
    if (settings.minAcceptanceRate > 0 && simulations + needed > n / settings.minAcceptanceRate) stopped = 'acceptance-rate';
    else if (spent + simulations + needed > settings.maxSimulations) stopped = 'max-simulations';
    if (stopped) break;
    const u = stream(seed, 'abc-smc', t, attempt);
    const z = propose(kernel, previous.points, cumulative, u, problem.inside, () => outsidePrior++);
    const d = problem.distance(problem.run(z, `${seed}/abc/${t}/${attempt}`));
    simulations++;
    if (d <= tolerance) {
      points.push(z);
      distances.push(d);
    }
  }
  const weights = stopped ? new Float64Array(0) : importanceWeights(points, previous, kernel);
  const step: GenerationStep = { population: { points, weights, distances: Float64Array.from(distances) }, simulations, outsidePrior };
  if (stopped) step.stopped = stopped;
  return step;
}

/** Each particle simulated once more with a fresh seed; the fit of every target from those runs. */
function predictiveFit(problem: Problem, population: Population, targets: readonly Target[], seed: string): TargetFit[] {
  const n = population.points.length;
  const predicted = new Map(targets.map((t) => [t.name, new Float64Array(n)]));
  population.points.forEach((z, i) => {
    const stats = problem.run(z, `${seed}/predictive/${i}`);
    for (const t of targets) predicted.get(t.name)![i] = stats[t.name];
  });
  return targets.map((t) => fitTarget(t, predicted.get(t.name)!, population.weights));
}

/** The simulate result, checked to hold a finite number for every target. */
function checkedStats(stats: Record<string, number>, targets: readonly Target[], params: Record<string, number>): Record<string, number> {
  for (const t of targets) {
    const value = stats?.[t.name];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new CalibrationError([{
        path: `simulate → ${t.name}`,
        message: `${value === undefined ? 'missing' : String(value)} is not a finite number (parameters ${JSON.stringify(params)})`,
      }]);
    }
  }
  return stats;
}

/** A perturbed copy of a weight-sampled parent that lies inside the prior box. */
function propose(
  kernel: Kernel, parents: readonly Float64Array[], cumulative: Float64Array,
  u: Uniform, inside: (z: Float64Array) => boolean, onOutside: () => void,
): Float64Array {
  // Each retry picks a new parent: the proposal density is then Σ_j w_j K(θ | θ_j) restricted
  // to the box with one normalising constant, which cancels in the weights. (Re-perturbing the
  // same parent would need a normaliser per parent.) A kernel of twice the population's
  // covariance lands inside the box often from any parent, so the bound only stops a broken input.
  for (let tries = 0; tries < 100_000; tries++) {
    const z = perturb(kernel, parents[pick(cumulative, u())], u);
    if (inside(z)) return z;
    onOutside();
  }
  throw new Error('ABC-SMC: 100,000 proposals in a row fell outside the prior');
}

/** w_i ∝ 1 / Σ_j w_j K(z_i | z_j) (uniform prior in prior coordinates), by log-sum-exp. */
function importanceWeights(points: readonly Float64Array[], previous: Population, kernel: Kernel): Float64Array {
  const m = previous.points.length;
  const logW = Float64Array.from(previous.weights, Math.log);
  const terms = new Float64Array(m);
  const logWeights = points.map((z) => {
    let top = -Infinity;
    for (let j = 0; j < m; j++) {
      terms[j] = logW[j] + logKernel(kernel, z, previous.points[j]);
      if (terms[j] > top) top = terms[j];
    }
    let sum = 0;
    for (let j = 0; j < m; j++) sum += Math.exp(terms[j] - top);
    return -(top + Math.log(sum));
  });
  let best = -Infinity;
  for (const l of logWeights) if (l > best) best = l;
  return normalise(logWeights.map((l) => Math.exp(l - best)));
}

function cumulate(weights: Float64Array): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => (out[i] = sum += w));
  return out;
}

/** Index i with cumulative[i−1] ≤ x·total < cumulative[i] (binary search). */
function pick(cumulative: Float64Array, x: number): number {
  const target = x * cumulative[cumulative.length - 1];
  let a = 0;
  let b = cumulative.length - 1;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (cumulative[mid] > target) b = mid;
    else a = mid + 1;
  }
  return a;
}

function max(values: Float64Array): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m;
}
