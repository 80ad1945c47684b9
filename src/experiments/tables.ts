/**
 * The results tables of a sweep, in Parquet (typed columns: INT32, DOUBLE, BOOLEAN, STRING;
 * Snappy) and, on request, CSV:
 *   runs.parquet    one row per run: run, point, replicate, seed, [regime], one column per swept
 *                   parameter, then for every measure its system value at the final round
 *                   (`<measure>_final`) and its mean over rounds (`<measure>_mean`);
 *   rounds.parquet  one row per run, round and column: run, point, replicate, round, year,
 *                   locality (`system` for the whole system; localities only with --localities),
 *                   one DOUBLE column per measure.
 * Rows are in run order and row groups cover fixed blocks of run indices, so the same runs give
 * the same bytes whether they were computed by one process, several workers, or shards merged
 * afterwards. Writing is streamed block by block (memory stays bounded by one block); the Parquet
 * encoding itself is src/io/parquet.ts.
 */
import { csvField, sig6 } from '../documents/format.ts';
import { allocate, parquetChunks, type Column, type ReadTable } from '../io/parquet.ts';
import { MEASURE_NAMES } from '../model/observe.ts';
import type { ColumnType, ParamValue } from './design.ts';
import type { RunData } from '../io/journal.ts';

export interface ParamColumn {
  name: string;
  type: ColumnType;
}

/** What fixes the shape of the tables (recorded in the manifest; merge reuses it). */
export interface TableLayout {
  seed: string;
  /** The `regime` column (when regimes are a factor) and one column per swept parameter. */
  params: ParamColumn[];
  /** Runs per row group of rounds.parquet (global run-index blocks). */
  roundsGroupRuns: number;
  /** Runs per row group of runs.parquet. */
  runsGroupRuns: number;
}

/** One run as the tables show it. */
export interface RunRecord {
  run: number;
  point: number;
  replicate: number;
  params: readonly ParamValue[];
  /** [final, mean] of each measure's system column, measure by measure. */
  summary: Float64Array;
  /** Per-round trajectories (absent when only runs.parquet is written). */
  trajectory?: RunData & { years: Float64Array };
}

export const SUMMARY_COLUMNS: readonly string[] = MEASURE_NAMES.flatMap((m) => [`${m}_final`, `${m}_mean`]);
export const RUN_ID_COLUMNS: readonly ParamColumn[] = [
  { name: 'run', type: 'INT32' }, { name: 'point', type: 'INT32' }, { name: 'replicate', type: 'INT32' }, { name: 'seed', type: 'STRING' },
];
export const ROUND_ID_COLUMNS: readonly ParamColumn[] = [
  { name: 'run', type: 'INT32' }, { name: 'point', type: 'INT32' }, { name: 'replicate', type: 'INT32' },
  { name: 'round', type: 'INT32' }, { name: 'year', type: 'DOUBLE' }, { name: 'locality', type: 'STRING' },
];

export function runsColumns(layout: TableLayout): ParamColumn[] {
  return [...RUN_ID_COLUMNS, ...layout.params, ...SUMMARY_COLUMNS.map((name) => ({ name, type: 'DOUBLE' as const }))];
}

export function roundsColumns(): ParamColumn[] {
  return [...ROUND_ID_COLUMNS, ...MEASURE_NAMES.map((name) => ({ name, type: 'DOUBLE' as const }))];
}

/** Final value and mean over rounds of every measure's system (last) column. */
export function summarise(data: RunData): Float64Array {
  const { rounds, columns } = data;
  const width = columns.length;
  const cells = rounds * width;
  const c = width - 1;
  const out = new Float64Array(2 * MEASURE_NAMES.length);
  for (let m = 0; m < MEASURE_NAMES.length; m++) {
    const base = m * cells;
    let sum = 0;
    for (let r = 0; r < rounds; r++) sum += data.data[base + r * width + c];
    out[2 * m] = rounds > 0 ? data.data[base + (rounds - 1) * width + c] : NaN;
    out[2 * m + 1] = rounds > 0 ? sum / rounds : NaN;
  }
  return out;
}

/** Groups records into the fixed run-index blocks of `groupRuns` runs. */
function* blocks(records: Iterable<RunRecord>, groupRuns: number): Generator<RunRecord[]> {
  let block: RunRecord[] = [];
  let current = -1;
  for (const record of records) {
    const b = Math.floor(record.run / groupRuns);
    if (b !== current && block.length > 0) {
      yield block;
      block = [];
    }
    current = b;
    block.push(record);
  }
  if (block.length > 0) yield block;
}

function runsBlock(layout: TableLayout, block: readonly RunRecord[]): Column[] {
  const spec = runsColumns(layout);
  const columns = spec.map((c) => allocate(c.type, block.length));
  const nParams = layout.params.length;
  block.forEach((record, i) => {
    (columns[0] as Int32Array)[i] = record.run;
    (columns[1] as Int32Array)[i] = record.point;
    (columns[2] as Int32Array)[i] = record.replicate;
    (columns[3] as string[])[i] = layout.seed;
    for (let p = 0; p < nParams; p++) (columns[4 + p] as unknown[])[i] = record.params[p];
    for (let s = 0; s < record.summary.length; s++) (columns[4 + nParams + s] as Float64Array)[i] = record.summary[s];
  });
  return columns;
}

function roundsBlock(block: readonly RunRecord[]): Column[] {
  let rows = 0;
  for (const record of block) rows += record.trajectory!.rounds * record.trajectory!.columns.length;
  const spec = roundsColumns();
  const columns = spec.map((c) => allocate(c.type, rows));
  const [run, point, replicate, round, year, locality] = columns as [Int32Array, Int32Array, Int32Array, Int32Array, Float64Array, string[]];
  let row = 0;
  for (const record of block) {
    const t = record.trajectory!;
    const width = t.columns.length;
    const cells = t.rounds * width;
    // A run's rows are its cells in order (round-major, then column), so each measure's values
    // for the run are one contiguous stretch of its trajectory: copied whole.
    for (let m = 0; m < MEASURE_NAMES.length; m++) (columns[6 + m] as Float64Array).set(t.data.subarray(m * cells, (m + 1) * cells), row);
    run.fill(record.run, row, row + cells);
    point.fill(record.point, row, row + cells);
    replicate.fill(record.replicate, row, row + cells);
    for (let r = 0; r < t.rounds; r++) {
      for (let c = 0; c < width; c++) {
        round[row] = r;
        year[row] = t.years[r];
        locality[row] = t.columns[c];
        row++;
      }
    }
  }
  return columns;
}

export function* runsParquet(layout: TableLayout, records: Iterable<RunRecord>, version: string): Generator<Uint8Array> {
  yield* parquetChunks(runsColumns(layout), mapIterable(blocks(records, layout.runsGroupRuns), (b) => runsBlock(layout, b)), version);
}

export function* roundsParquet(layout: TableLayout, records: Iterable<RunRecord>, version: string): Generator<Uint8Array> {
  yield* parquetChunks(roundsColumns(), mapIterable(blocks(records, layout.roundsGroupRuns), roundsBlock), version);
}

function* mapIterable<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}

const csvValue = (v: ParamValue) => (typeof v === 'number' ? String(v) : csvField(String(v)));

export function* runsCsv(layout: TableLayout, records: Iterable<RunRecord>): Generator<string> {
  let chunk = `${runsColumns(layout).map((c) => csvField(c.name)).join(',')}\n`;
  const seed = csvField(layout.seed);
  for (const r of records) {
    let line = `${r.run},${r.point},${r.replicate},${seed}`;
    for (const v of r.params) line += `,${csvValue(v)}`;
    for (let s = 0; s < r.summary.length; s++) line += `,${sig6(r.summary[s])}`;
    chunk += `${line}\n`;
    if (chunk.length >= 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

export function* roundsCsv(records: Iterable<RunRecord>): Generator<string> {
  let chunk = `${roundsColumns().map((c) => c.name).join(',')}\n`;
  for (const record of records) {
    const t = record.trajectory!;
    const width = t.columns.length;
    const cells = t.rounds * width;
    const names = t.columns.map(csvField);
    for (let r = 0; r < t.rounds; r++) {
      const prefix = `${record.run},${record.point},${record.replicate},${r},${sig6(t.years[r])},`;
      for (let c = 0; c < width; c++) {
        let line = prefix + names[c];
        for (let m = 0; m < MEASURE_NAMES.length; m++) line += `,${sig6(t.data[m * cells + r * width + c])}`;
        chunk += `${line}\n`;
      }
      if (chunk.length >= 1 << 20) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk) yield chunk;
}

/** Rebuilds run records from tables written by this module (runs, and rounds when present). */
export function* recordsFromTables(layout: TableLayout, runs: ReadTable, rounds?: ReadTable): Generator<RunRecord> {
  const nParams = layout.params.length;
  const col = (t: ReadTable, name: string) => {
    const c = t.columns[name];
    if (!c) throw new Error(`column ${name} is missing`);
    return c;
  };
  const runCol = col(runs, 'run') as ArrayLike<number>;
  const pointCol = col(runs, 'point') as ArrayLike<number>;
  const replicateCol = col(runs, 'replicate') as ArrayLike<number>;
  const paramCols = layout.params.map((p) => col(runs, p.name));
  const summaryCols = SUMMARY_COLUMNS.map((name) => col(runs, name) as ArrayLike<number>);
  let row = 0;
  const roundsRun = rounds ? (col(rounds, 'run') as ArrayLike<number>) : undefined;
  const roundCol = rounds ? (col(rounds, 'round') as ArrayLike<number>) : undefined;
  const yearCol = rounds ? (col(rounds, 'year') as ArrayLike<number>) : undefined;
  const localityCol = rounds ? (col(rounds, 'locality') as ArrayLike<string>) : undefined;
  const measureCols = rounds ? MEASURE_NAMES.map((m) => col(rounds, m) as ArrayLike<number>) : [];
  for (let i = 0; i < runs.rows; i++) {
    const run = runCol[i];
    const params: ParamValue[] = [];
    for (let p = 0; p < nParams; p++) params.push(paramCols[p][i] as ParamValue);
    const summary = new Float64Array(SUMMARY_COLUMNS.length);
    for (let s = 0; s < summary.length; s++) summary[s] = summaryCols[s][i];
    const record: RunRecord = { run, point: pointCol[i], replicate: replicateCol[i], params, summary };
    if (rounds) {
      const start = row;
      while (row < rounds.rows && roundsRun![row] === run) row++;
      const n = row - start;
      let roundsCount = 0;
      for (let k = start; k < row; k++) roundsCount = Math.max(roundsCount, roundCol![k] + 1);
      const width = roundsCount > 0 ? n / roundsCount : 0;
      const columns = Array.from({ length: width }, (_, c) => localityCol![start + c]);
      const cells = roundsCount * width;
      const data = new Float64Array(MEASURE_NAMES.length * cells);
      for (let m = 0; m < MEASURE_NAMES.length; m++) {
        const source = measureCols[m];
        for (let k = 0; k < n; k++) data[m * cells + k] = source[start + k];
      }
      const years = new Float64Array(roundsCount);
      for (let r = 0; r < roundsCount; r++) years[r] = yearCol![start + r * width];
      record.trajectory = { run, rounds: roundsCount, columns, data, years };
    }
    yield record;
  }
}
