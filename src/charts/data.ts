/**
 * Data preparation for the charts, kept apart from the chart specs: tidy rows (one object per
 * label × measure × round, or per segment, or per cell) computed from replicate results. Pure
 * functions, no I/O. Quantiles over replicates use linear interpolation between order
 * statistics (R's type 7, numpy's default); non-finite values are left out.
 *
 * Time: `round` in the rows is the 0-based round index, as in trajectories.csv and the ODD
 * (the value at round r is observed at the end of the (r + 1)-th round), and
 * `year` = round / roundsPerYear.
 */
// From the modules themselves, not the package index (which reaches the experiments layer).
import { STAGES } from '../model/submodels/learning.ts';
import type { ReplicateResult } from '../model/engine.ts';
import type { Scenario } from '../model/types.ts';
import { measureSpec } from './theme.ts';
import { quantileSorted } from '../analysis/quantile.ts';

/** Results of one label (a regime or scenario) to be charted side by side with others. */
export interface LabelledResults {
  label: string;
  results: ReplicateResult[];
  /** The scenario this label ran (after its regime and overrides); default: the chart input's scenario. */
  scenario?: Scenario;
}

/** Measures shown by default: outcomes first, then the process measures that drive them. */
export const KEY_MEASURES: readonly string[] = [
  'populationOutcome', 'lifeExpectancyGain', 'equity', 'orgPerformance', 'netValue',
  'trustMean', 'commitment', 'pooledShare', 'organisationalFocus',
];

/** Median and 50%/90% ranges over the replicates with a finite value (n of them). */
export interface Quantiles {
  n: number;
  q05: number;
  q25: number;
  median: number;
  q75: number;
  q95: number;
}

export interface QuantileRow extends Quantiles {
  label: string;
  measure: string;
  /** Round index, from 0. */
  round: number;
  /** round / roundsPerYear. */
  year: number;
}

export interface FinalRow {
  label: string;
  measure: string;
  unit: string;
  round: number;
  year: number;
  n: number;
  q05: number;
  median: number;
  q95: number;
}

export interface GapRow extends Quantiles {
  label: string;
  /** The label the gap is measured against (the first label). */
  reference: string;
  measure: string;
  round: number;
  year: number;
  /** True when replicates were paired by index (common random numbers), false for a gap of medians. */
  paired: boolean;
}

export interface StageSegment {
  label: string;
  locality: string;
  stage: (typeof STAGES)[number];
  stageIndex: number;
  /** Time span of the segment in rounds elapsed: from the start of its first round to the end of its last. */
  startRound: number;
  endRound: number;
  startYear: number;
  endYear: number;
  /** Its first and last round index, from 0 (for tooltips). */
  firstRound: number;
  lastRound: number;
  /** Mean share of replicates that were in this stage over the segment's rounds (1 with a single replicate). */
  agreement: number;
}

export interface DataOptions {
  /** Column of the trajectories: a locality name or 'system' (default). */
  column?: string;
  /** Converts rounds to years; default 12. */
  roundsPerYear?: number;
}

export { quantileSorted }; // charts, the studio and their tests take the rule from here

/** Finite values of `values`, sorted ascending, as a Float64Array. */
export function sortedFinite(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out.push(values[i]);
  return Float64Array.from(out).sort();
}

/** Rounds a number to 6 significant digits so JSON stays small and identical across platforms. */
export function tidyNumber(x: number): number {
  if (!Number.isFinite(x) || x === 0) return Number.isFinite(x) ? 0 : x;
  return Number(x.toPrecision(6));
}

function summarise(values: ArrayLike<number>) {
  const s = sortedFinite(values);
  return {
    n: s.length,
    q05: tidyNumber(quantileSorted(s, 0.05)),
    q25: tidyNumber(quantileSorted(s, 0.25)),
    median: tidyNumber(quantileSorted(s, 0.5)),
    q75: tidyNumber(quantileSorted(s, 0.75)),
    q95: tidyNumber(quantileSorted(s, 0.95)),
  };
}

/** Reads cell (round, column) of `measure` of one replicate; NaN when absent. */
function cell(result: ReplicateResult, measure: string, round: number, column: string): number {
  const t = result.trajectories;
  const data = t.data[measure];
  const c = t.columns.indexOf(column);
  if (!data || c < 0 || round >= t.rounds) return NaN;
  return data[round * t.columns.length + c];
}

/** Columns of `result` (localities, then 'system'). */
function columnIndex(result: ReplicateResult, column: string): number {
  const c = result.trajectories.columns.indexOf(column);
  if (c < 0) throw new RangeError(`unknown column "${column}"; columns: ${result.trajectories.columns.join(', ')}`);
  return c;
}

/** Number of rounds shared by every replicate of every label. */
export function commonRounds(labels: readonly LabelledResults[]): number {
  let rounds = Infinity;
  for (const { results } of labels) for (const r of results) rounds = Math.min(rounds, r.trajectories.rounds);
  return Number.isFinite(rounds) ? rounds : 0;
}

function checkLabels(labels: readonly LabelledResults[]): void {
  if (labels.length === 0) throw new RangeError('no labels to chart');
  const seen = new Set<string>();
  for (const { label, results } of labels) {
    if (seen.has(label)) throw new RangeError(`label "${label}" is used twice`);
    seen.add(label);
    if (results.length === 0) throw new RangeError(`label "${label}" has no replicate results`);
  }
}

/** Median, 50% and 90% bands over replicates for each label × measure × round. */
export function quantileRows(labels: readonly LabelledResults[], measures: readonly string[], options: DataOptions = {}): QuantileRow[] {
  checkLabels(labels);
  const column = options.column ?? 'system';
  const perYear = options.roundsPerYear ?? 12;
  for (const m of measures) measureSpec(m);
  const rows: QuantileRow[] = [];
  for (const { label, results } of labels) {
    const width = results.map((r) => r.trajectories.columns.length);
    const cols = results.map((r) => columnIndex(r, column));
    const rounds = Math.max(...results.map((r) => r.trajectories.rounds));
    const values = new Float64Array(results.length);
    for (const measure of measures) {
      for (let round = 0; round < rounds; round++) {
        results.forEach((r, k) => {
          values[k] = round < r.trajectories.rounds ? r.trajectories.data[measure][round * width[k] + cols[k]] : NaN;
        });
        rows.push({ label, measure, round, year: tidyNumber(round / perYear), ...summarise(values) });
      }
    }
  }
  return rows;
}

/** Median and 5–95% over replicates of each measure at round index `round` (default: the last shared round). */
export function finalRows(
  labels: readonly LabelledResults[], measures: readonly string[], options: DataOptions & { round?: number } = {},
): FinalRow[] {
  checkLabels(labels);
  const column = options.column ?? 'system';
  const perYear = options.roundsPerYear ?? 12;
  const round = options.round ?? commonRounds(labels) - 1;
  if (!Number.isInteger(round) || round < 0) throw new RangeError(`round must be a round index ≥ 0, not ${round}`);
  const rows: FinalRow[] = [];
  for (const { label, results } of labels) {
    for (const measure of measures) {
      const spec = measureSpec(measure);
      const s = summarise(results.map((r) => cell(r, measure, round, column)));
      rows.push({ label, measure, unit: spec.unit, round, year: tidyNumber(round / perYear), n: s.n, q05: s.q05, median: s.median, q95: s.q95 });
    }
  }
  return rows;
}

/** True when both labels hold the same replicate indices from the same seed (common random numbers). */
export function pairedByReplicate(a: readonly ReplicateResult[], b: readonly ReplicateResult[]): boolean {
  if (a.length !== b.length) return false;
  const key = (r: ReplicateResult) => `${r.seed}\u0000${r.replicate}`;
  const keys = new Set(a.map(key));
  return keys.size === a.length && b.every((r) => keys.has(key(r)));
}

/**
 * The gap between each label and the first over time: per replicate (label − first) when the
 * replicates pair up (same seed and indices, i.e. common random numbers), else the difference
 * of medians with no band.
 */
export function gapRows(labels: readonly LabelledResults[], measures: readonly string[], options: DataOptions = {}): GapRow[] {
  checkLabels(labels);
  const column = options.column ?? 'system';
  const perYear = options.roundsPerYear ?? 12;
  const rounds = commonRounds(labels);
  const [reference, ...others] = labels;
  const rows: GapRow[] = [];
  for (const other of others) {
    const paired = pairedByReplicate(reference.results, other.results);
    const refByReplicate = new Map(reference.results.map((r) => [`${r.seed}\u0000${r.replicate}`, r]));
    for (const measure of measures) {
      measureSpec(measure);
      for (let round = 0; round < rounds; round++) {
        let s;
        if (paired) {
          s = summarise(other.results.map((r) => cell(r, measure, round, column) - cell(refByReplicate.get(`${r.seed}\u0000${r.replicate}`)!, measure, round, column)));
        } else {
          const mOther = quantileSorted(sortedFinite(other.results.map((r) => cell(r, measure, round, column))), 0.5);
          const mRef = quantileSorted(sortedFinite(reference.results.map((r) => cell(r, measure, round, column))), 0.5);
          const d = tidyNumber(mOther - mRef);
          s = { n: Math.min(other.results.length, reference.results.length), q05: d, q25: d, median: d, q75: d, q95: d };
        }
        rows.push({ label: other.label, reference: reference.label, measure, round, year: tidyNumber(round / perYear), paired, ...s });
      }
    }
  }
  return rows;
}

/** Differences below this share of a measure's scale are rounding, not effects: the gap chart says "no difference". */
export const NEGLIGIBLE_GAP = 1e-6;

/**
 * The largest |value| a measure takes over every label, replicate and round (its scale), or 1
 * when it is 0 everywhere.
 */
export function measureScale(labels: readonly LabelledResults[], measure: string, column = 'system'): number {
  let scale = 0;
  for (const { results } of labels) {
    for (const r of results) {
      const c = columnIndex(r, column);
      const w = r.trajectories.columns.length;
      const data = r.trajectories.data[measure];
      for (let round = 0; round < r.trajectories.rounds; round++) {
        const v = Math.abs(data[round * w + c]);
        if (Number.isFinite(v) && v > scale) scale = v;
      }
    }
  }
  return scale > 0 ? scale : 1;
}

/** Measures whose gap rows all lie within NEGLIGIBLE_GAP of the measure's scale (the labels do not differ). */
export function negligibleGaps(labels: readonly LabelledResults[], rows: readonly GapRow[], column = 'system'): Map<string, number> {
  const out = new Map<string, number>();
  for (const measure of new Set(rows.map((r) => r.measure))) {
    const scale = measureScale(labels, measure, column);
    const worst = rows.filter((r) => r.measure === measure)
      .reduce((m, r) => Math.max(m, Math.abs(r.q05), Math.abs(r.q95), Math.abs(r.median)), 0);
    if (!(worst > NEGLIGIBLE_GAP * scale)) out.set(measure, scale);
  }
  return out;
}

export interface StageOptions extends DataOptions {
  /** 'modal' (default): the most common stage across replicates (ties go to the lower stage); 'replicate': one replicate's stages. */
  mode?: 'modal' | 'replicate';
  /** Replicate index for mode 'replicate' (default: the first result's). */
  replicate?: number;
}

/** Tuckman stage per locality over rounds, as runs of equal stage (one segment per run). */
export function stageSegments(labels: readonly LabelledResults[], options: StageOptions = {}): StageSegment[] {
  checkLabels(labels);
  const perYear = options.roundsPerYear ?? 12;
  const mode = options.mode ?? 'modal';
  const segments: StageSegment[] = [];
  for (const { label, results } of labels) {
    let chosen = results;
    if (mode === 'replicate') {
      const wanted = options.replicate ?? results[0].replicate;
      const found = results.find((r) => r.replicate === wanted);
      if (!found) throw new RangeError(`label "${label}" has no replicate ${wanted}`);
      chosen = [found];
    }
    const localities = chosen[0].trajectories.columns.filter((c) => c !== 'system');
    const rounds = Math.min(...chosen.map((r) => r.trajectories.rounds));
    for (const locality of localities) {
      let current: StageSegment | null = null;
      let agreementSum = 0;
      for (let round = 0; round < rounds; round++) {
        const counts = [0, 0, 0, 0];
        let n = 0;
        for (const r of chosen) {
          const v = cell(r, 'stage', round, locality);
          if (!Number.isFinite(v)) continue;
          counts[Math.max(0, Math.min(3, Math.round(v)))]++;
          n++;
        }
        if (n === 0) continue;
        let stageIndex = 0;
        for (let s = 1; s < 4; s++) if (counts[s] > counts[stageIndex]) stageIndex = s;
        const share = counts[stageIndex] / n;
        if (current && current.stageIndex === stageIndex && current.endRound === round) {
          current.endRound = round + 1;
          agreementSum += share;
        } else {
          if (current) {
            current.agreement = tidyNumber(agreementSum / (current.endRound - current.startRound));
            current.endYear = tidyNumber(current.endRound / perYear);
            current.lastRound = current.endRound - 1;
          }
          current = {
            label, locality, stage: STAGES[stageIndex], stageIndex, startRound: round, endRound: round + 1,
            startYear: tidyNumber(round / perYear), endYear: 0, firstRound: round, lastRound: round, agreement: 0,
          };
          agreementSum = share;
          segments.push(current);
        }
      }
      if (current) {
        current.agreement = tidyNumber(agreementSum / (current.endRound - current.startRound));
        current.endYear = tidyNumber(current.endRound / perYear);
        current.lastRound = current.endRound - 1;
      }
    }
  }
  return segments;
}

/** Summary table: median and 5–95% of each key measure at the end of the run, per label. */
export function summaryTable(labels: readonly LabelledResults[], measures: readonly string[] = KEY_MEASURES, options: DataOptions = {}): FinalRow[] {
  return finalRows(labels, measures, options);
}
