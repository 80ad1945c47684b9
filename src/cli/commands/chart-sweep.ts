/** `partnersim chart SWEEP_DIR`: a sweep's main effects, interaction heatmap and regime facets, with report.html. */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CliContext } from '../../io/console.ts';
import { outputColumn } from '../../analysis/sweep-table.ts';
import { analyseSweep, DEFAULT_SUMMARY_OUTPUTS, readSweepFolder } from '../../experiments/sweep-analysis.ts';
import { shownPath } from '../execute.ts';

export function isSweepFolder(dir: string): boolean {
  return existsSync(join(dir, 'manifest.json')) && existsSync(join(dir, 'runs.parquet')) && !existsSync(join(dir, 'summary.json'));
}

export async function chartSweep(dir: string, options: { output?: string[]; quiet?: boolean }, ctx: CliContext): Promise<string[]> {
  const { io } = ctx;
  const shown = shownPath(dir, io.cwd);
  const { manifest, table } = await readSweepFolder(dir, shown);
  const outputs = (options.output?.length ? options.output
    : (manifest.analysis?.outputs as string[] | undefined) ?? DEFAULT_SUMMARY_OUTPUTS).map((o) => outputColumn(o));
  const analysis = analyseSweep(table, outputs);
  if (io.stderrIsTTY && !options.quiet) io.stderr('charts: rendering the sweep\'s charts\r');
  const { writeSweepReport } = await import('../../charts/sweep-charts.ts'); // vega: loaded only when charts are drawn
  const files = await writeSweepReport(dir, {
    title: `partnersim ${manifest.kind}: ${manifest.scenarioRef}`,
    facts: [
      ['Command', manifest.command],
      ['Design', `${table.points} points × ${table.replicates} replicates, seed ${manifest.seed} (common random numbers)`],
      ['Factors', table.factors.map((f) => `${f.name} (${f.role})`).join(', ')],
    ],
    table, analysis,
  });
  if (io.stderrIsTTY && !options.quiet) io.stderr('\r\x1b[2K');
  io.stdout(`Drew ${files.length} files in ${shown}: ${files.map((f) => relative(dir, f)).join(', ')}\n`);
  return files;
}
