/** `partnersim verify DIR`: check a result folder against the hashes and run ranges its manifest records. */
import { Command } from 'commander';
import { resolve } from 'node:path';
import { verifyFolder } from '../../experiments/verify.ts';
import type { CliContext } from '../../io/console.ts';
import { shownPath } from '../execute.ts';

export async function verifyCommand(dirs: readonly string[], ctx: CliContext): Promise<void> {
  const { io } = ctx;
  for (const dir of dirs) {
    const path = resolve(io.cwd, dir);
    const result = await verifyFolder(path);
    const n = (x: number) => x.toLocaleString('en-GB');
    io.stdout(`${shownPath(path, io.cwd)}: verified ${n(result.files)} file${result.files === 1 ? '' : 's'}, ` +
      `${n(result.runs)} run${result.runs === 1 ? '' : 's'} (${result.kind}).\n`);
  }
}

export function registerVerify(program: Command, ctx: CliContext): void {
  program
    .command('verify')
    .summary('check a result folder against its manifest (file hashes, run ranges, every run in every table)')
    .description('Check the output folder of `sweep`, `sensitivity`, a shard, `merge`, `run` or `compare`: every file ' +
      'its manifest.json (summary.json for run and compare) lists is present with the size and SHA-256 recorded when ' +
      'it was written; for sweeps, a shard\'s run range is the one its index gives, runs.parquet and rounds.parquet ' +
      'hold exactly its runs in order, and each run\'s summary row matches its rounds. Exit 0 when everything matches, ' +
      '2 naming the folder and file that does not. Charts and report.html are not covered (`partnersim chart` redraws them).')
    .argument('<dirs...>', 'result folders')
    .addHelpText('after', `
Examples:
  partnersim verify out/sweep-gm-2017
  partnersim verify res/s1 res/s2 res/s3 res/s4 res/all     shards before (and the merge after) partnersim merge`)
    .action(async (dirs: string[]) => {
      await verifyCommand(dirs, ctx);
    });
}
