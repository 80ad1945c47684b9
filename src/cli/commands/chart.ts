/** `partnersim chart DIR`: re-render the charts and report.html of a previous run without re-running it. */
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { InputError } from '../../documents/errors.ts';
import type { CliContext } from '../../io/console.ts';
import { clearEarlierRun } from '../../io/run-folder.ts';
import { commandLine, shownPath } from '../execute.ts';
import { withFolderLock } from '../../io/lock.ts';
import { chartSweep, isSweepFolder } from './chart-sweep.ts';

export interface ChartOptions {
  forcefield?: boolean;
  output?: string[];
  quiet?: boolean;
}

export async function chartCommand(dir: string, options: ChartOptions, ctx: CliContext): Promise<string[]> {
  const { io } = ctx;
  const outDir = resolve(io.cwd, dir);
  if (isSweepFolder(outDir)) return withFolderLock(outDir, commandLine(ctx.argv), io.stderr, () => chartSweep(outDir, options, ctx));
  for (const name of ['summary.json', 'trajectories.csv']) {
    if (!existsSync(join(outDir, name))) {
      throw new InputError(`${shownPath(outDir, io.cwd)} has no ${name}.`, [],
        'Give the output directory of `partnersim run` or `partnersim compare` (it holds trajectories.csv and summary.json).');
    }
  }
  // The charts are rewritten in place: not while another partnersim writes this folder (src/io/lock.ts).
  return withFolderLock(outDir, commandLine(ctx.argv), io.stderr, () => chartLocked(outDir, options, ctx));
}

async function chartLocked(outDir: string, options: ChartOptions, ctx: CliContext): Promise<string[]> {
  const { io } = ctx;
  const { readRunDirectory, writeCharts } = await import('../../charts/index.ts'); // vega: loaded only for this command
  let input;
  try {
    input = await readRunDirectory(outDir);
  } catch (error) {
    throw new InputError(`cannot read the run in ${shownPath(outDir, io.cwd)}: ${(error as Error).message}`);
  }
  // The redrawn charts replace the old ones as a whole (a chart left out now, or renamed, does not linger).
  clearEarlierRun(outDir, ['summary.json', 'trajectories.csv']);
  const showProgress = io.stderrIsTTY && !options.quiet;
  const files = await writeCharts(outDir, {
    ...input,
    forcefield: options.forcefield !== false,
    options: { onProgress: (message: string) => { if (showProgress) io.stderr(`\r\x1b[2K${message}`); } },
  });
  if (showProgress) io.stderr('\r\x1b[2K');
  const shown = shownPath(outDir, io.cwd);
  io.stdout(`Re-rendered ${files.length} files in ${shown}: ${files.map((f) => relative(outDir, f)).join(', ')}\n`);
  return files;
}

export function registerChart(program: Command, ctx: CliContext): void {
  program
    .command('chart')
    .summary('re-render the charts and report.html of a previous run, or draw a sweep\'s')
    .description('Read DIR/summary.json and DIR/trajectories.csv written by `partnersim run` or `compare` and write the ' +
      'charts (.vl.json spec, .svg, .png) and a self-contained report.html into DIR again, without re-running the ' +
      'replicates. The trust snapshot and the forcefield are recomputed from the scenario and seed in summary.json ' +
      '(the model is deterministic). Given a sweep folder (manifest.json, runs.parquet), draws its main effects with ' +
      'bands, an interaction heatmap of two factors and one line or panel per regime, with report.html.')
    .option('--output <measure[:mean]>', 'sweep folders: an output to chart (repeatable; default the sweep summary\'s)', (v: string, prev: string[]) => [...prev, v], [])
    .argument('<dir>', 'output directory of a previous run')
    .option('--no-forcefield', 'skip the forcefield chart (it re-runs the model with each factor moved one step)')
    .option('--quiet', 'no progress messages')
    .addHelpText('after', `
Examples:
  partnersim run gm-2017 --no-charts --out out/gm     run now, draw later
  partnersim chart out/gm                             charts and report.html into out/gm/
  partnersim chart out/gm --no-forcefield             faster: skip the forcefield
  partnersim chart out/sweep-gm-2017                  a sweep: main effects, interaction, regime facets`)
    .action(async (dir: string, options: ChartOptions) => {
      await chartCommand(dir, options, ctx);
    });
}
