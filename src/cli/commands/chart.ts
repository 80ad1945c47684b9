/** `partnersim chart DIR`: re-render the charts and report.html of a previous run without re-running it. */
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { readRunDirectory, writeCharts } from '../../charts/index.ts';
import { InputError } from '../../documents/errors.ts';
import type { CliContext } from '../../io/console.ts';
import { commandLine, shownPath } from '../execute.ts';
import { withFolderLock } from '../../io/lock.ts';

export interface ChartOptions {
  forcefield?: boolean;
  quiet?: boolean;
}

export async function chartCommand(dir: string, options: ChartOptions, ctx: CliContext): Promise<string[]> {
  const { io } = ctx;
  const outDir = resolve(io.cwd, dir);
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
  let input;
  try {
    input = await readRunDirectory(outDir);
  } catch (error) {
    throw new InputError(`cannot read the run in ${shownPath(outDir, io.cwd)}: ${(error as Error).message}`);
  }
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
    .summary('re-render the charts and report.html of a previous run')
    .description('Read DIR/summary.json and DIR/trajectories.csv written by `partnersim run` or `compare` and write the ' +
      'charts (.vl.json spec, .svg, .png) and a self-contained report.html into DIR again, without re-running the ' +
      'replicates. The trust snapshot and the forcefield are recomputed from the scenario and seed in summary.json ' +
      '(the model is deterministic).')
    .argument('<dir>', 'output directory of a previous run')
    .option('--no-forcefield', 'skip the forcefield chart (it re-runs the model with each factor moved one step)')
    .option('--quiet', 'no progress messages')
    .addHelpText('after', `
Examples:
  partnersim run gm-2017 --no-charts --out out/gm     run now, draw later
  partnersim chart out/gm                             charts and report.html into out/gm/
  partnersim chart out/gm --no-forcefield             faster: skip the forcefield`)
    .action(async (dir: string, options: ChartOptions) => {
      await chartCommand(dir, options, ctx);
    });
}
