/** `partnersim measures`: what each column of trajectories.csv (and each summary measure) means. */
import { Command } from 'commander';
import { MEASURES } from '../../model/observe.ts';
import type { CliContext } from '../../io/console.ts';
import { renderTable } from '../table.ts';

const SYSTEM_WORDS: Record<string, string> = {
  budgetMean: 'budget-weighted mean', leaderMean: 'mean over leaders', sum: 'sum', min: 'minimum', mean: 'mean over localities',
  custom: 'see meaning',
};

export function listMeasures(ctx: CliContext): void {
  const rows = MEASURES.map((m) => [m.name, m.group, m.unit, SYSTEM_WORDS[m.system] ?? m.system, m.better ?? '–', m.meaning]);
  ctx.io.stdout([
    'Columns of trajectories.csv:',
    '  label       scenario (run) or regime/scenario/--vary label (compare)',
    '  replicate   replicate index, 0-based; the same index uses the same random stream in every label',
    '  round       round index from 0, as the ODD numbers rounds; measures are recorded at the round\'s end',
    '              (a round is a month unless roundsPerYear says otherwise; round 0 is April)',
    '  year        round / roundsPerYear: the year in which the round starts (0 for the first year)',
    '  locality    locality name, or "system" for the whole system (aggregated as the "system" column says)',
    '',
    'Then one column per measure, in this order:',
    renderTable(['measure', 'group', 'unit', 'system', 'better', 'meaning'], rows, { width: ctx.io.stdoutIsTTY ? ctx.io.columns : undefined }),
    '',
    'summary.json gives, for each label and measure, the median and 5th/95th percentiles over replicates of the',
    'final round\'s system value; for `compare`, the paired differences against the baseline, where "better" is',
    'the direction in the better column (higher or lower) and, for measures without one, "higher".',
    '',
  ].join('\n'));
}

export function registerMeasures(program: Command, ctx: CliContext): void {
  program
    .command('measures')
    .summary('explain the columns of trajectories.csv and summary.json')
    .description('Explain every column of trajectories.csv and every measure in summary.json: group, unit, how the ' +
      'system value is formed from the localities, and what it means (with its seed section).')
    .addHelpText('after', `
Examples:
  partnersim measures
  partnersim measures | grep trust`)
    .action(() => listMeasures(ctx));
}
