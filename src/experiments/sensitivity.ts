/**
 * Sensitivity analysis on top of the sweep machinery: a Morris or Sobol design over parameter
 * ranges becomes a list of design points (each run for the same replicates: common random
 * numbers), and once every run is in, the chosen outputs — a measure's system value at the final
 * round or its mean over rounds, averaged over replicates — are analysed point by point.
 * The design is a function of (seed, method, sizes) alone, so merge can rebuild it.
 */
import { MEASURE_NAMES } from '../model/observe.ts';
import { stream } from '../model/rng.ts';
import { InputError } from '../documents/errors.ts';
import { short } from '../documents/format.ts';
import { closest } from '../documents/suggest.ts';
import { designStream, numberText, scaleToRange, type DesignPoint, type Factor } from './design.ts';
import { morrisAnalyse, morrisSample, type MorrisDesign, type MorrisIndices } from './morris.ts';
import { sobolAnalyse, sobolSample, type SobolDesign, type SobolIndices } from './sobol.ts';

/** What the analysis reads of a run (a sweep's RunRecord has it; so do in-memory runs). */
type RunRecord = { point: number; summary: ArrayLike<number> };

export type Method = 'morris' | 'sobol';
type RangeFactor = Extract<Factor, { kind: 'range' }>;

export interface OutputSpec {
  /** As given, e.g. `populationOutcome` or `trustMean:mean`. */
  name: string;
  measure: string;
  stat: 'final' | 'mean';
}

/** `MEASURE` (system value at the final round) or `MEASURE:mean` (system mean over rounds). */
export function parseOutput(raw: string): OutputSpec {
  const [measure, stat = 'final', ...rest] = raw.trim().split(':');
  if (!MEASURE_NAMES.includes(measure)) {
    const suggestion = closest(measure, MEASURE_NAMES);
    throw new InputError(`--output ${raw}: "${measure}" is not a measure${suggestion ? `; did you mean "${suggestion}"?` : '.'}`, [],
      '`partnersim measures` lists them. Add :mean for the mean over rounds (default: the final round).');
  }
  if (rest.length > 0 || (stat !== 'final' && stat !== 'mean')) {
    throw new InputError(`--output ${raw}: write MEASURE, MEASURE:final or MEASURE:mean.`);
  }
  return { name: stat === 'final' ? measure : `${measure}:mean`, measure, stat };
}

/** Index of an output in a run's summary array. */
export function summaryIndex(output: OutputSpec): number {
  return 2 * MEASURE_NAMES.indexOf(output.measure) + (output.stat === 'mean' ? 1 : 0);
}

export interface SensitivitySettings {
  method: Method;
  /** Morris: trajectories r; Sobol: base sample size N. */
  samples: number;
  /** Morris grid levels (even). */
  levels: number;
  bootstrap: number;
  /** Confidence level of the bootstrap intervals. */
  level: number;
  seed: string;
  parameters: { path: string; lo: number; hi: number; integer: boolean }[];
  outputs: OutputSpec[];
}

export function sampleUnitPoints(settings: SensitivitySettings): MorrisDesign | SobolDesign {
  const k = settings.parameters.length;
  const uniform = designStream(settings.seed, settings.method);
  return settings.method === 'morris'
    ? morrisSample(settings.samples, k, settings.levels, uniform)
    : sobolSample(settings.samples, k, uniform);
}

/** The design points of a sensitivity analysis (each parameter's value for every model evaluation). */
export function sensitivityPoints(settings: SensitivitySettings): DesignPoint[] {
  if (settings.parameters.length === 0) throw new InputError('sensitivity needs at least one --param PATH[=LO:HI].');
  const design = sampleUnitPoints(settings);
  return design.points.map((u) => ({
    assignments: settings.parameters.map((p, j) => ({
      path: p.path, text: numberText(scaleToRange({ kind: 'range', spec: '', ...p } as RangeFactor, u[j])),
    })),
  }));
}

/** Turns `--param` factors into sensitivity parameters (ranges only). */
export function sensitivityParameters(factors: readonly Factor[]): SensitivitySettings['parameters'] {
  return factors.map((f) => {
    if (f.kind !== 'range') {
      throw new InputError(`--param ${f.spec}: sensitivity needs a range (${f.path}=LO:HI) or the path alone (its exploration range), not a list or grid.`);
    }
    return { path: f.path, lo: f.lo, hi: f.hi, integer: f.integer };
  });
}

export interface SensitivityResult {
  method: Method;
  /** indices[output][parameter] */
  indices: Record<string, Record<string, MorrisIndices | SobolIndices>>;
}

/** Mean over replicates of each output at each point, from run records in run order. */
export function pointOutputs(records: Iterable<RunRecord>, points: number, outputs: readonly OutputSpec[]): Float64Array[] {
  const sums = outputs.map(() => new Float64Array(points));
  const counts = new Int32Array(points);
  const indices = outputs.map(summaryIndex);
  for (const record of records) {
    counts[record.point]++;
    indices.forEach((s, o) => {
      sums[o][record.point] += record.summary[s];
    });
  }
  return sums.map((sum) => sum.map((x, p) => x / counts[p]));
}

export function analyse(settings: SensitivitySettings, records: Iterable<RunRecord>): SensitivityResult {
  const design = sampleUnitPoints(settings);
  const y = pointOutputs(records, design.points.length, settings.outputs);
  const indices: SensitivityResult['indices'] = {};
  settings.outputs.forEach((output, o) => {
    const uniform = stream(settings.seed, 'bootstrap', settings.method, output.name);
    const options = { bootstrap: settings.bootstrap, uniform, level: settings.level };
    const result = settings.method === 'morris'
      ? morrisAnalyse(design as MorrisDesign, y[o], options)
      : sobolAnalyse(design as SobolDesign, y[o], options);
    indices[output.name] = Object.fromEntries(settings.parameters.map((p, k) => [p.path, result[k]]));
  });
  return { method: settings.method, indices };
}

/** The manifest's record of the settings (enough to rebuild the design and redo the analysis). */
export function settingsRecord(settings: SensitivitySettings): Record<string, unknown> {
  return {
    method: settings.method,
    ...(settings.method === 'morris' ? { trajectories: settings.samples, levels: settings.levels } : { samples: settings.samples }),
    bootstrap: settings.bootstrap, level: settings.level, designSeed: settings.seed,
    parameters: settings.parameters, outputs: settings.outputs.map((o) => o.name),
    evaluations: settings.method === 'morris'
      ? `${settings.samples} trajectories × (${settings.parameters.length} parameters + 1)`
      : `${settings.samples} × (${settings.parameters.length} parameters + 2) (Saltelli: A, B and A with each column from B)`,
  };
}

/** Rebuilds the settings from a manifest's design record. */
export function settingsFromRecord(record: Record<string, unknown>): SensitivitySettings {
  const method = record.method as Method;
  return {
    method,
    samples: Number(method === 'morris' ? record.trajectories : record.samples),
    levels: Number(record.levels ?? 4),
    bootstrap: Number(record.bootstrap),
    level: Number(record.level),
    seed: String(record.designSeed),
    parameters: record.parameters as SensitivitySettings['parameters'],
    outputs: (record.outputs as string[]).map(parseOutput),
  };
}

/** A table of the indices for the terminal. */
export function indicesRows(result: SensitivityResult): { header: string[]; rows: string[][] } {
  const f = (x: number) => (Number.isFinite(x) ? short(x) : 'NA');
  const header = result.method === 'morris'
    ? ['output', 'parameter', 'mu*', '95% CI', 'mu', 'sigma']
    : ['output', 'parameter', 'S1', '95% CI', 'ST', '95% CI'];
  const rows: string[][] = [];
  for (const [output, byParam] of Object.entries(result.indices)) {
    for (const [param, x] of Object.entries(byParam)) {
      if (result.method === 'morris') {
        const m = x as MorrisIndices;
        rows.push([output, param, f(m.muStar), `${f(m.muStarLow)}–${f(m.muStarHigh)}`, f(m.mu), f(m.sigma)]);
      } else {
        const s = x as SobolIndices;
        rows.push([output, param, f(s.first), `${f(s.firstLow)}–${f(s.firstHigh)}`, f(s.total), `${f(s.totalLow)}–${f(s.totalHigh)}`]);
      }
    }
  }
  return { header, rows };
}

/** sensitivity.json: the settings and the indices. */
export function sensitivityJson(settings: SensitivitySettings, result: SensitivityResult): string {
  return `${JSON.stringify({ ...settingsRecord(settings), indices: result.indices }, null, 2)}\n`;
}
