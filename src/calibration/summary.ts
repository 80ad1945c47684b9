/**
 * What a calibration reports beyond the particles: per-parameter posterior summaries and the
 * per-target fit from a posterior-predictive simulation (fresh seeds, so the accepted runs'
 * selection on distance does not flatter the fit). Held-out targets get the same check; one
 * whose observed value lies outside its 90% predictive interval is flagged.
 */
import type { Target } from './spec.ts';
import { weightedMean, weightedQuantiles, weightedSd } from './weighted.ts';

export interface ParameterSummary {
  path: string;
  mean: number;
  sd: number;
  q025: number;
  q50: number;
  q975: number;
  prior: { min: number; max: number; log: boolean };
}

export interface TargetFit {
  name: string;
  observed: number;
  sd: number;
  holdOut: boolean;
  /** Posterior-predictive median and 90% interval (5% and 95% quantiles). */
  median: number;
  low: number;
  high: number;
  /** (observed − predictive median) / sd: on the scale of the distance. */
  residual: number;
  /** observed within [low, high]. */
  inside: boolean;
  source?: string;
}

export function summariseParameter(
  path: string, values: ArrayLike<number>, weights: ArrayLike<number>, prior: ParameterSummary['prior'],
): ParameterSummary {
  const [q025, q50, q975] = weightedQuantiles(values, weights, [0.025, 0.5, 0.975]);
  return { path, mean: weightedMean(values, weights), sd: weightedSd(values, weights), q025, q50, q975, prior };
}

/** Fit of one target from its predictive values (one per particle) and the particle weights. */
export function fitTarget(target: Target, predicted: ArrayLike<number>, weights: ArrayLike<number>): TargetFit {
  const [low, median, high] = weightedQuantiles(predicted, weights, [0.05, 0.5, 0.95]);
  const fit: TargetFit = {
    name: target.name,
    observed: target.observed,
    sd: target.sd,
    holdOut: target.holdOut === true,
    median,
    low,
    high,
    residual: (target.observed - median) / target.sd,
    inside: target.observed >= low && target.observed <= high,
  };
  if (target.source !== undefined) fit.source = target.source;
  return fit;
}
