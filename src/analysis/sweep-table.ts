/**
 * A sweep as the analyses see it: one row per design point, the point's factor values and, for
 * every measure, the mean over its replicates of the final-round system value (`<m>_final`) and
 * of the mean over rounds (`<m>_mean`) — the columns of runs.parquet, averaged per point.
 * Replicate k of every point ran on random stream (seed, k), so point means are paired across
 * points: differences between points are not differences of luck.
 *
 * Factors have a role: policy levers (the regime and `--lever` paths: what a decision maker
 * chooses) or uncertainties (everything else: what the world might be). Pure.
 */
import { MEASURE_NAMES } from '../model/observe.ts';
import { InputError } from '../documents/errors.ts';
import { closest } from '../documents/suggest.ts';

export type FactorValue = number | string | boolean;

export interface SweepFactor {
  name: string;
  role: 'policy' | 'uncertainty';
  /** Numbers order and scale; strings and booleans are categories. */
  numeric: boolean;
  /** values[point] */
  values: FactorValue[];
}

export interface SweepTable {
  points: number;
  replicates: number;
  factors: SweepFactor[];
  /** outputs[column][point]: mean over replicates (column names as in runs.parquet). */
  outputs: Record<string, Float64Array>;
}

/** The summary columns in runs.parquet order: `<measure>_final`, `<measure>_mean` for every measure. */
export const OUTPUT_COLUMNS: readonly string[] = MEASURE_NAMES.flatMap((m) => [`${m}_final`, `${m}_mean`]);

/** One run: its point, its factor values (in factor order) and its summary (OUTPUT_COLUMNS order). */
export interface RunRow {
  point: number;
  params: readonly FactorValue[];
  summary: ArrayLike<number>;
}

/** Averages runs into a SweepTable; `factors` name the params columns and their roles. */
export function sweepTable(factors: readonly { name: string; role: SweepFactor['role'] }[], runs: Iterable<RunRow>, points: number): SweepTable {
  const sums = OUTPUT_COLUMNS.map(() => new Float64Array(points));
  const counts = new Int32Array(points);
  const values: FactorValue[][] = factors.map(() => new Array<FactorValue>(points));
  for (const run of runs) {
    if (counts[run.point] === 0) factors.forEach((_, f) => { values[f][run.point] = run.params[f]; });
    counts[run.point]++;
    for (let s = 0; s < OUTPUT_COLUMNS.length; s++) sums[s][run.point] += run.summary[s];
  }
  const missing = counts.findIndex((c) => c === 0);
  if (missing >= 0) throw new RangeError(`design point ${missing} has no runs`);
  const replicates = counts[0];
  return {
    points,
    replicates,
    factors: factors.map((f, k) => ({ ...f, numeric: values[k].every((v) => typeof v === 'number'), values: values[k] })),
    outputs: Object.fromEntries(OUTPUT_COLUMNS.map((name, s) => [name, sums[s].map((x, p) => x / counts[p])])),
  };
}

/** `populationOutcome`, `populationOutcome:mean`, `populationOutcome_final` or `_mean` → its column. */
export function outputColumn(raw: string, option = '--output'): string {
  const text = raw.trim();
  const [measure, stat = 'final'] = text.includes(':') ? text.split(':') : /_(final|mean)$/.test(text)
    ? [text.replace(/_(final|mean)$/, ''), text.endsWith('_mean') ? 'mean' : 'final'] : [text, 'final'];
  if (!MEASURE_NAMES.includes(measure)) {
    const suggestion = closest(measure, MEASURE_NAMES);
    throw new InputError(`${option} ${raw}: "${measure}" is not a measure${suggestion ? `; did you mean "${suggestion}"?` : '.'}`, [],
      '`partnersim measures` lists them. MEASURE is its final-round value; MEASURE:mean its mean over rounds.');
  }
  if (stat !== 'final' && stat !== 'mean') throw new InputError(`${option} ${raw}: write MEASURE, MEASURE:final or MEASURE:mean.`);
  return `${measure}_${stat}`;
}

/** The measure of an output column. */
export const measureOf = (column: string) => column.replace(/_(final|mean)$/, '');

/** A point's label for a set of factors, as compare labels runs: regime, then PATH=VALUE. */
export function labelOf(factors: readonly SweepFactor[], point: number): string {
  return factors.map((f) => (f.name === 'regime' ? String(f.values[point]) : `${f.name}=${String(f.values[point])}`)).join('/') || 'all';
}
