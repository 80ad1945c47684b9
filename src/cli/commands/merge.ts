/** `partnersim merge SHARD_DIR… --out DIR`: join the shards of a sweep or sensitivity analysis. */
import { Command } from 'commander';
import { resolve } from 'node:path';
import { mergeShards } from '../../experiments/merge.ts';
import { InputError } from '../../documents/errors.ts';
import { shownPath } from '../execute.ts';
import { SweepInterrupted } from '../../experiments/pool.ts';
import { withInterrupts } from './sweep.ts';
import type { CliContext } from '../../io/console.ts';

export interface MergeCommandOptions {
  out?: string;
  csv?: boolean;
}

export async function mergeCommand(dirs: readonly string[], options: MergeCommandOptions, ctx: CliContext) {
  const { io } = ctx;
  if (!options.out) throw new InputError('merge needs --out DIR for the merged result.');
  const outDir = resolve(io.cwd, options.out);
  const shown = shownPath(outDir, io.cwd);
  let result;
  let late: string | undefined;
  try {
    // A signal while the merged files are written abandons them (nothing changes in --out).
    result = await withInterrupts(async (signal) => {
      const reason = () => (typeof signal.reason === 'string' ? signal.reason : 'SIGINT');
      const merged = await mergeShards(dirs.map((d) => resolve(io.cwd, d)), {
        outDir, csv: Boolean(options.csv), argv: ctx.argv,
        stop: () => {
          if (signal.aborted) throw new SweepInterrupted(reason());
        },
      });
      if (signal.aborted) late = reason();
      return merged;
    });
  } catch (error) {
    if (!(error instanceof SweepInterrupted)) throw error;
    io.stderr(`partnersim: merge interrupted (${error.signal}); nothing was written to ${shown}/.\n`);
    return { code: error.signal === 'SIGTERM' ? 143 : 130 };
  }
  if (late) {
    // The signal came during the renames, after the last moment to abandon: the merge is complete,
    // and the exit code still says it was interrupted (never 0).
    io.stderr(`partnersim: merge interrupted (${late}) as it finished: the merged results in ${shown}/ are complete.\n`);
    return { ...result, code: late === 'SIGTERM' ? 143 : 130 };
  }
  io.stdout(`Merged ${dirs.length} shards: ${result.manifest.runs.total.toLocaleString('en-GB')} runs into ${shown}/ ` +
    `(${result.files.join(', ')}), the same tables an unsharded run writes; every shard verified.\n`);
  return { ...result, code: 0 };
}

export function registerMerge(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
  program
    .command('merge')
    .summary('join the shard directories of a sweep into one result')
    .description('Join the output directories of the N shards of one `partnersim sweep` or `sensitivity` (run with ' +
      '--shard K/N, e.g. as a SLURM array or a Kubernetes indexed Job) into DIR: runs.parquet and rounds.parquet are ' +
      'byte-identical to what the unsharded run writes, and a sensitivity analysis is computed now that every run is in. ' +
      'Checks that the shards belong to the same sweep, that none is missing or unfinished, and everything ' +
      '`partnersim verify` checks (file hashes, run ranges, both tables holding every run); refuses with exit 2 otherwise.')
    .argument('<shards...>', 'shard output directories')
    .option('--out <dir>', 'directory for the merged result')
    .option('--csv', 'also write runs.csv and rounds.csv')
    .addHelpText('after', `
Examples:
  partnersim merge res/shard-1-of-4 res/shard-2-of-4 res/shard-3-of-4 res/shard-4-of-4 --out res/all
  partnersim merge out/sweep-gm-2017/shard-* --out out/sweep-gm-2017/merged

Exit codes: 0 merged; 2 a shard missing, unfinished, of another sweep, or not matching its manifest
(the message names the shard and the file; nothing is written); 130/143 interrupted (nothing is written).`)
    .action(async (dirs: string[], options: MergeCommandOptions) => {
      const { code } = await mergeCommand(dirs, options, ctx);
      if (code !== 0) setExitCode(code);
    });
}
