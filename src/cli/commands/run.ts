/** `partnersim run [SCENARIO|FILE]`: run one scenario's replicates and write its report. */
import { Command } from 'commander';
import { join, resolve } from 'node:path';
import { DEFAULT_SCENARIO } from '../../scenarios/index.ts';
import { execute, type RunOutput } from '../execute.ts';
import type { CliContext } from '../../io/console.ts';
import { resolveScenario } from '../../io/scenario-files.ts';
import { adjustScenario } from '../../documents/prepare.ts';
import { addSharedRunOptions, assignmentTexts, folderName, parseSharedRunOptions, type SharedRunOptions } from './options.ts';

export interface RunOptions extends SharedRunOptions {
  regime?: string;
}

export function runCommand(ref: string | undefined, options: RunOptions, ctx: CliContext): Promise<RunOutput> {
  const parsed = parseSharedRunOptions(options);
  const name = ref ?? DEFAULT_SCENARIO;
  const { scenario: base } = resolveScenario(name, ctx.io.cwd);
  const scenario = adjustScenario(base, { regime: options.regime, sets: parsed.sets, rounds: parsed.rounds },
    options.regime || parsed.sets.length ? `${name} with your --regime/--set options` : name);
  // The label and the default folder record what was applied: gm-2017/organisational/trust.initial=0.3.
  const applied = [...(options.regime ? [options.regime] : []), ...assignmentTexts(parsed.sets)];
  const label = [scenario.name, ...applied].join('/');
  const outDir = resolve(ctx.io.cwd, options.out ?? join('out', folderName([scenario.name, ...applied])));
  return execute({
    command: 'run', items: [{ label, scenario }], seed: parsed.seed, replicates: parsed.replicates,
    outDir, json: Boolean(options.json), quiet: Boolean(options.quiet), charts: options.charts !== false,
    write: !options.json || options.out !== undefined, force: Boolean(options.force),
    allowLarge: Boolean(options.allowLarge),
  }, ctx);
}

export function registerRun(program: Command, ctx: CliContext, done: (output: RunOutput) => void): void {
  const command = program
    .command('run')
    .summary('run a scenario and write its trajectories and summary')
    .description(
      'Run SCENARIO (a built-in name or a .json/.yaml scenario file; default gm-2017) for --replicates replicates ' +
      'and write out/<scenario>[-<regime>][-<overrides>]/trajectories.csv (one row per replicate, round and locality; ' +
      'its label column names the scenario, regime and --set overrides) and summary.json ' +
      '(the manifest: the full scenario as run, seed, and the final round\'s median and 5th–95th percentiles). ' +
      'Overrides apply in order: the file, then --regime, then each --set, then --rounds. Everything is checked ' +
      'before anything runs.')
    .argument('[scenario]', 'built-in scenario name or scenario file', undefined)
    .option('--regime <name>', 'apply a built-in regime (see `partnersim regimes`)');
  addSharedRunOptions(command);
  command.addHelpText('after', `
Examples:
  partnersim run                                   gm-2017, 20 replicates, into out/gm-2017/
  partnersim run speed-of-trust --set trust.initial=0.3
  partnersim run gm-2017 --regime organisational   into out/gm-2017-organisational/
  partnersim run public-goods-lab --set leaders.sanctions.enabled=true
  partnersim run gm-2017 --set flexibilities.pooledBudgets=false --set funding.budgetGrowth=-0.02
  partnersim run my-scenario.yaml --replicates 50 --seed 7 --json > summary.json

A scenario file (YAML or JSON) names what it extends and only what differs:
  # my-scenario.yaml
  extends: gm-2017
  name: gm-system-low-trust
  regime:
    accountability: 1        # 0 = only organisations assessed, 1 = only the system
  trust:
    initial: 0.3
Check it with \`partnersim validate my-scenario.yaml\`; \`partnersim schema\` describes every field.

--set takes any field path: registry parameters (\`partnersim scenarios show gm-2017\` lists them),
list items (localities[0].history), and objects as YAML ({conditional: 1, freeRider: 0}).
flexibilities.pooledBudgets=false is shorthand for flexibilities.pooledBudgets.allowed=false
(and =0.5 for .cap). \`partnersim measures\` explains every output column.`);
  command.action(async (ref: string | undefined, options: RunOptions) => done(await runCommand(ref, options, ctx)));
}
