/**
 * `partnersim validate FILE…`: check scenario files without running them. For a valid file it
 * prints what the file changes relative to the scenario it extends.
 */
import { Command } from 'commander';
import { schedule } from '../../model/interventions.ts';
import { getPath, PARAMETERS } from '../../model/parameters.ts';
import type { Scenario } from '../../model/types.ts';
import { formatUserError, isUserError } from '../../documents/errors.ts';
import type { CliContext } from '../../io/console.ts';
import { count } from '../../documents/document.ts';
import { resolveScenario } from '../../io/scenario-files.ts';
import { formatValue } from './scenarios.ts';
import { checkCost, describeCost } from '../../experiments/cost.ts';
import { estimateRunCost } from '../execute.ts';

/** The registry parameters (and structural parts) whose values differ between `base` and `scenario`. */
export function changes(base: Scenario, scenario: Scenario): string[] {
  const out: string[] = [];
  for (const spec of PARAMETERS) {
    const before = getPath(base, spec.path);
    const after = getPath(scenario, spec.path);
    if (before !== after) out.push(`${spec.path}: ${formatValue(before)} → ${formatValue(after)}`);
  }
  if (JSON.stringify(base.leaders.override) !== JSON.stringify(scenario.leaders.override)) {
    out.push(`leaders.override: ${JSON.stringify(scenario.leaders.override)}`);
  }
  if (JSON.stringify(base.localities) !== JSON.stringify(scenario.localities)) {
    out.push(`localities: ${count(scenario.localities.length, 'locality', 'localities')} of its own`);
  }
  return out;
}

/** What `run` with its default 20 replicates would say about the size (docs/LIMITS.md), if anything. */
function sizeNote(scenario: Scenario): string | undefined {
  const cost = estimateRunCost({ items: [{ label: scenario.name, scenario }], replicates: 20 });
  try {
    return checkCost(cost, false) ? `  Large: a run of 20 replicates needs ${describeCost(cost)} (estimated).\n` : undefined;
  } catch {
    return `  Too large to run without --allow-large: 20 replicates need ${describeCost(cost)} (estimated; docs/LIMITS.md).\n`;
  }
}

/** Validates each file; returns the number that failed. */
export function validateFiles(files: readonly string[], ctx: CliContext): number {
  let failed = 0;
  for (const file of files) {
    try {
      const { scenario, bases, base } = resolveScenario(file, ctx.io.cwd);
      const extended = bases.length ? ` (extends ${bases.join(' → ')})` : '';
      const diff = base ? changes(base, scenario) : [];
      ctx.io.stdout(`ok: ${file} is a valid scenario "${scenario.name}"${extended}: ` +
        `${count(scenario.localities.length, 'locality', 'localities')}, ${scenario.rounds} rounds.\n`);
      if (base) {
        ctx.io.stdout(diff.length ? `  Changes from ${bases[0] ?? 'the registry defaults'}:\n${diff.map((d) => `    ${d}\n`).join('')}`
          : '  It changes nothing at the start.\n');
      }
      const size = sizeNote(scenario);
      if (size) ctx.io.stdout(size);
      const planned = schedule(scenario);
      if (planned.length) {
        ctx.io.stdout(`  Interventions during the run:\n${planned.map((item) => `    from round ${item.at} (year ${(item.at / scenario.roundsPerYear).toFixed(2).replace(/\.?0+$/, '')}): ` +
          `${Object.entries(item.set).map(([path, value]) => `${path} = ${value}`).join(', ')}${item.label ? ` (${item.label})` : ''}\n`).join('')}`);
      }
    } catch (error) {
      if (!isUserError(error)) throw error;
      failed++;
      ctx.io.stderr(`invalid: ${formatUserError(error)}\n`);
    }
  }
  return failed;
}

export function registerValidate(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
  program
    .command('validate')
    .summary('check scenario files without running them')
    .description('Check scenario files (JSON or YAML) against the schema and the model\'s rules, without running ' +
      'anything. Every problem is listed with its field path, the bad value and what is allowed. Exits 0 when all ' +
      'files are valid, 2 otherwise.')
    .argument('<files...>', 'scenario files (built-in names are accepted too)')
    .addHelpText('after', `
Examples:
  partnersim validate my-scenario.yaml
  partnersim validate scenarios/*.yaml

A minimal file:
  extends: gm-2017
  regime:
    accountability: 1
  flexibilities:
    pooledBudgets: false     # shorthand for { allowed: false }`)
    .action((files: string[]) => {
      if (validateFiles(files, ctx) > 0) setExitCode(2);
    });
}
