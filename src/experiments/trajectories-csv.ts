/**
 * The tidy trajectories table: one row per label, replicate, round and column (each locality,
 * then `system` for the aggregate), one column per measure in MEASURE_NAMES order. `round` is
 * the round's index from 0, as the ODD numbers rounds (measures are recorded at its end), and
 * `year` is round / roundsPerYear (the year in which the round starts, e.g. 1 for the first round
 * of the second year). Numbers have up to six significant digits: deterministic and diffable.
 */
import { MEASURE_NAMES } from '../model/observe.ts';
import { csvField, sig6 } from '../documents/format.ts';
import type { LabelledRun } from './simulate.ts';

export const CSV_ID_COLUMNS = ['label', 'replicate', 'round', 'year', 'locality'] as const;

export function csvHeader(): string {
  return [...CSV_ID_COLUMNS, ...MEASURE_NAMES].join(',');
}

/** The CSV text in chunks of roughly `chunkSize` characters (header first), for streaming to a file. */
export function* trajectoriesCsv(runs: readonly LabelledRun[], chunkSize = 1 << 20): Generator<string> {
  let chunk = `${csvHeader()}\n`;
  for (const run of runs) {
    const label = csvField(run.label);
    const perYear = run.scenario.roundsPerYear;
    for (const result of run.results) {
      const { columns, rounds, data } = result.trajectories;
      const width = columns.length;
      const series = MEASURE_NAMES.map((name) => data[name]);
      const quoted = columns.map(csvField);
      for (let r = 0; r < rounds; r++) {
        const prefix = `${label},${result.replicate},${r},${sig6(r / perYear)},`;
        for (let c = 0; c < width; c++) {
          let line = prefix + quoted[c];
          const cell = r * width + c;
          for (const values of series) line += `,${sig6(values[cell])}`;
          chunk += `${line}\n`;
        }
        if (chunk.length >= chunkSize) {
          yield chunk;
          chunk = '';
        }
      }
    }
  }
  if (chunk) yield chunk;
}

/** Number of data rows the CSV has for `runs`. */
export function csvRowCount(runs: readonly LabelledRun[]): number {
  let rows = 0;
  for (const run of runs) for (const r of run.results) rows += r.trajectories.rounds * r.trajectories.columns.length;
  return rows;
}
