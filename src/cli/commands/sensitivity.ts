/**
 * `partnersim sensitivity [SCENARIO|FILE]`: Morris elementary effects (mu, mu*, sigma) or Sobol
 * indices (first order and total; Saltelli and Jansen estimators) with seeded bootstrap intervals,
 * for chosen outputs over chosen parameter ranges. Runs on the sweep machinery (workers, journal,
 * --resume, --shard, Parquet and manifest); the indices go to sensitivity.json and the terminal.
 */
import { Command } from 'commander';
import { InputError } from '../../documents/errors.ts';
import type { CliContext } from '../../io/console.ts';
import { resolveScenario } from '../../io/scenario-files.ts';
import { parseCount } from '../../documents/overrides.ts';
import { renderTable } from '../table.ts';
import { buildPlan, type SweepPlan } from '../../experiments/plan.ts';
import { checkDesignSize, MAX_DESIGN_POINTS } from '../../experiments/design.ts';
import {
  analyse, indicesRows, parseOutput, sensitivityJson, sensitivityParameters, sensitivityPoints, settingsRecord,
  type Method, type SensitivitySettings,
} from '../../experiments/sensitivity.ts';
import { addExperimentOptions, parseExperimentOptions, runExperiment, type ExperimentOptions, type ExperimentRun } from './sweep.ts';

export interface SensitivityOptions extends ExperimentOptions {
  method?: string;
  samples?: string;
  levels?: string;
  output: string[];
  bootstrap?: string;
}

export function planSensitivity(ref: string | undefined, options: SensitivityOptions, ctx: CliContext, env: NodeJS.ProcessEnv = process.env): {
  plan: SweepPlan; parsed: ReturnType<typeof parseExperimentOptions>; settings: SensitivitySettings;
} {
  const parsed = parseExperimentOptions(ref, options, env);
  const method = (options.method ?? 'morris') as Method;
  if (method !== 'morris' && method !== 'sobol') throw new InputError(`--method ${options.method}: choose morris or sobol.`);
  const levels = parseCount(options.levels ?? '4', '--levels', 1000)!;
  if (levels % 2 !== 0 || levels < 2) throw new InputError(`--levels ${levels}: Morris needs an even number of levels (4 is usual).`);
  const settings: SensitivitySettings = {
    method,
    samples: parseCount(options.samples ?? (method === 'morris' ? '20' : '256'), '--samples', MAX_DESIGN_POINTS)!,
    levels,
    bootstrap: parseCount(options.bootstrap ?? '1000', '--bootstrap', 1_000_000)!,
    level: 0.95,
    seed: parsed.seed,
    parameters: sensitivityParameters(parsed.factors),
    outputs: (options.output.length ? options.output : ['populationOutcome']).map(parseOutput),
  };
  const names = settings.outputs.map((o) => o.name);
  const twice = names.find((x, k) => names.indexOf(x) !== k);
  if (twice) throw new InputError(`--output ${twice} is given twice.`);
  const points = sensitivityPoints(settings);
  checkDesignSize(points.length);
  const { scenario: base } = resolveScenario(parsed.scenarioRef, ctx.io.cwd);
  const plan = buildPlan({
    kind: 'sensitivity', scenarioRef: parsed.scenarioRef, base, regime: parsed.regime, sets: parsed.sets, rounds: parsed.rounds,
    seed: parsed.seed, replicates: parsed.replicates, localities: false, paths: settings.parameters.map((p) => p.path),
    regimeFactor: false, points, design: settingsRecord(settings),
  });
  return { plan, parsed, settings };
}

export async function sensitivityCommand(ref: string | undefined, options: SensitivityOptions, ctx: CliContext): Promise<ExperimentRun> {
  const { plan, parsed, settings } = planSensitivity(ref, options, ctx);
  let table = '';
  return runExperiment('sensitivity', plan, parsed, options, ctx, (records) => {
    const result = analyse(settings, records());
    const { header, rows } = indicesRows(result);
    table = renderTable(header, rows);
    return { section: { indices: result.indices }, files: [{ name: 'sensitivity.json', chunks: [sensitivityJson(settings, result)] }] };
  }, () => (table ? `\n${settings.method === 'morris'
    ? 'Morris elementary effects (output change per full range of the parameter), over replicate means:'
    : 'Sobol indices (share of output variance), over replicate means:'}\n${table}\n` : ''));
}

export function registerSensitivity(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
  const collect = (value: string, previous: string[]) => [...previous, value];
  const command = program
    .command('sensitivity')
    .summary('Morris elementary effects or Sobol indices of outputs over parameter ranges')
    .description(
      'Global sensitivity analysis of SCENARIO (default gm-2017). --method morris (default): r trajectories (--samples, ' +
      'default 20) on a --levels grid, giving mu, mu* and sigma of the elementary effects. --method sobol: Saltelli ' +
      'sampling with N base samples (--samples, default 256; N·(k+2) evaluations), giving first-order (Saltelli 2010) and ' +
      'total (Jansen) indices. Intervals are percentile bootstraps (--bootstrap, default 1000), seeded. Each evaluation ' +
      'is the mean over --replicates runs on common random numbers. Outputs: MEASURE (its system value at the final ' +
      'round) or MEASURE:mean (mean over rounds). Runs like a sweep: workers, --resume, --shard, Parquet, manifest.json.')
    .argument('[scenario]', 'built-in scenario name or scenario file')
    .option('--method <morris|sobol>', 'morris or sobol', 'morris')
    .option('--output <measure[:mean]>', 'an output to analyse (repeatable; default populationOutcome)', collect, [])
    .option('--samples <n>', 'Morris trajectories (default 20) or Sobol base samples N (default 256)')
    .option('--levels <p>', 'Morris grid levels (even)', '4')
    .option('--bootstrap <n>', 'bootstrap resamples for the intervals', '1000');
  addExperimentOptions(command, '4');
  command.addHelpText('after', `
Examples:
  partnersim sensitivity gm-2017 --param trust.gain --param trust.asymmetry --param board.difficulty
  partnersim sensitivity gm-2017 --method sobol --samples 512 --param regime.accountability=0:1 \\
      --param trust.initial=0.3:0.7 --output populationOutcome --output trustMean:mean

--param PATH alone samples the parameter's exploration range (partnersim scenarios show gm-2017 lists it);
PATH=LO:HI narrows it. Results: sensitivity.json (indices and intervals), runs.parquet (one row per run),
rounds.parquet, manifest.json. A sharded analysis is computed by \`partnersim merge\` once all shards are in.`);
  command.action(async (ref: string | undefined, options: SensitivityOptions) => {
    const result = await sensitivityCommand(ref, options, ctx);
    if (result.code !== 0) setExitCode(result.code);
  });
}
