/**
 * The paired comparison `compare` reports: every label against a baseline (the first label, or
 * one named), measure by measure, on each replicate's final-round system value. Replicate k of
 * each label ran on random stream (seed, k), so pair k is replicate k of both labels.
 */
import { MEASURES } from '../model/observe.ts';
import type { ReplicateResult } from '../model/engine.ts';
import { round6 } from '../documents/format.ts';
import { pairedStats, type PairedStats } from './paired.ts';

export interface LabelledResults {
  label: string;
  results: readonly ReplicateResult[];
}

export interface PairedComparison {
  baseline: string;
  /** What the numbers are, for a reader of summary.json. */
  method: string;
  confidence: number;
  pairs: number;
  /** comparisons[label][measure]: label − baseline. */
  comparisons: Record<string, Record<string, PairedStats>>;
}

/** Each replicate's final-round value of `measure` in the system column (replicate order). */
export function finalValues(results: readonly ReplicateResult[], measure: string): Float64Array {
  return Float64Array.from(results, (result) => {
    const { columns, rounds, data } = result.trajectories;
    return data[measure][(rounds - 1) * columns.length + columns.indexOf('system')];
  });
}

const rounded = (s: PairedStats): PairedStats => ({
  ...s, meanA: round6(s.meanA) as number, meanB: round6(s.meanB) as number, mean: round6(s.mean) as number,
  sd: round6(s.sd) as number, lower: round6(s.lower) as number, upper: round6(s.upper) as number,
  dz: s.dz === null ? null : round6(s.dz),
});

/**
 * Paired differences of every label against `baseline` (default the first), for every measure
 * (or those named). Values are rounded to six significant digits, as summary.json holds them.
 */
export function pairedComparison(
  labels: readonly LabelledResults[], baseline = labels[0]?.label, measures: readonly string[] = MEASURES.map((m) => m.name),
  confidence = 0.95,
): PairedComparison {
  const base = labels.find((l) => l.label === baseline);
  if (!base) throw new RangeError(`no label "${baseline}" to compare against`);
  const pairs = base.results.length;
  for (const l of labels) {
    if (l.results.length !== pairs) throw new RangeError(`label "${l.label}" has ${l.results.length} replicates, the baseline ${pairs}`);
    l.results.forEach((r, k) => {
      if (r.replicate !== base.results[k].replicate || r.seed !== base.results[k].seed) {
        throw new RangeError(`label "${l.label}" replicate ${k} is not on the baseline's random stream: the pairs would not be paired`);
      }
    });
  }
  const comparisons: PairedComparison['comparisons'] = {};
  for (const l of labels) {
    if (l === base) continue;
    comparisons[l.label] = Object.fromEntries(measures.map((name) => {
      const better = MEASURES.find((m) => m.name === name)?.better;
      return [name, rounded(pairedStats(finalValues(base.results, name), finalValues(l.results, name), better, confidence))];
    }));
  }
  return {
    baseline: base.label,
    method: `label − ${base.label} per replicate pair (same seed, same replicate: common random numbers), final round, system ` +
      `column; interval from Student's t with n − 1 degrees of freedom; d_z = mean / sd of the differences; wins count pairs ` +
      'where the label is better (measures with a direction) or higher (the others)',
    confidence,
    pairs,
    comparisons,
  };
}
