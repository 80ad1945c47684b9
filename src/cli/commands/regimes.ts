/** `partnersim regimes`: the built-in regimes, what each sets and the seed sections behind it. */
import { Command } from 'commander';
import { REGIMES } from '../../scenarios/regimes.ts';
import { wrap } from '../../documents/format.ts';
import type { CliContext } from '../../io/console.ts';
import { formatValue } from './scenarios.ts';

/** `{ regime: { accountability: 0 } }` → ['regime.accountability = 0']. */
export function flattenSettings(settings: unknown, prefix = ''): string[] {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    return [`${prefix} = ${formatValue(settings)}`];
  }
  return Object.entries(settings).flatMap(([key, value]) => flattenSettings(value, prefix ? `${prefix}.${key}` : key));
}

export function listRegimes(ctx: CliContext): void {
  const width = Math.min(100, Math.max(60, ctx.io.columns));
  const blocks = REGIMES.map((r) => [
    r.name,
    wrap(r.description, width, '  '),
    wrap(`Sets: ${flattenSettings(r.settings).join(', ')}`, width, '  '),
    wrap(`Sources: ${r.sources.join(', ')}`, width, '  '),
  ].join('\n'));
  ctx.io.stdout(`Built-in regimes:\n\n${blocks.join('\n\n')}\n\n` +
    'A regime changes only the fields it sets; everything else comes from the scenario. Apply one with\n' +
    '`partnersim run SCENARIO --regime NAME`, or compare them with `partnersim compare organisational system`.\n');
}

export function registerRegimes(program: Command, ctx: CliContext): void {
  program
    .command('regimes')
    .summary('list the built-in regulatory regimes')
    .description('List the built-in regimes: what each sets (regime, flexibilities, funding) and the seed sections it rests on.')
    .addHelpText('after', `
Examples:
  partnersim regimes
  partnersim run gm-2017 --regime system
  partnersim compare organisational mixed system`)
    .action(() => listRegimes(ctx));
}
