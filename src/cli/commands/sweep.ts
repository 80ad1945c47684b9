/**
 * `partnersim sweep [SCENARIO|FILE]`: a grid or Latin hypercube over any override paths
 * (`--param`), optionally crossed with regimes (`--regimes`), times replicates on common random
 * numbers, in parallel on worker threads, journalled so it can be interrupted and resumed, and
 * sliceable into shards for a cluster. Results: runs.parquet, rounds.parquet (and CSV with
 * --csv) and manifest.json. The shared machinery lives in src/experiments/.
 */
import { Command } from 'commander';
import { join, resolve } from 'node:path';
import { DEFAULT_SCENARIO } from '../../scenarios/index.ts';
import { builtInRegimeNames } from '../../scenarios/regimes.ts';
import { InputError } from '../../documents/errors.ts';
import { shownPath } from '../execute.ts';
import type { CliContext } from '../../io/console.ts';
import { resolveScenario } from '../../io/scenario-files.ts';
import { parseAssignment, parseCount, parseSeed } from '../../documents/overrides.ts';
import { requireRegime } from '../../documents/prepare.ts';
import { MAX_DESIGN_POINTS, parseFactors, sweepPoints, type Factor } from '../../experiments/design.ts';
import { checkCost, estimateCost } from '../../experiments/cost.ts';
import { commandLine } from '../../experiments/manifest.ts';
import { buildPlan, runCoordinates, type PlanInput, type SweepPlan } from '../../experiments/plan.ts';
import { defaultWorkers, SweepInterrupted } from '../../experiments/pool.ts';
import { resolveShard, type Shard } from '../../experiments/shard.ts';
import { runOnly, runSweep, type SweepOptions, type SweepOutcome } from '../../experiments/sweep.ts';
import { SUMMARY_COLUMNS } from '../../experiments/tables.ts';
import { slug } from './options.ts';
import { classifyFactors } from '../../analysis/explore.ts';
import { outputColumn, sweepTable } from '../../analysis/sweep-table.ts';
import { analyseSweep, DEFAULT_SUMMARY_OUTPUTS, rolesOf, type SweepAnalysis } from '../../experiments/sweep-analysis.ts';
import { sweepSummary } from './sweep-summary.ts';

/** Options every experiment command (sweep, sensitivity) takes. */
export interface ExperimentOptions {
  regime?: string;
  set: string[];
  param: string[];
  rounds?: string;
  seed?: string;
  replicates?: string;
  out?: string;
  workers?: string;
  csv?: boolean;
  /** Skip rounds.parquet. */
  runsOnly?: boolean;
  resume?: boolean;
  shard?: string;
  shardCount?: string;
  only?: string;
  quiet?: boolean;
  allowLarge?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function addExperimentOptions(command: Command, defaultReplicates: string): Command {
  return command
    .option('--param <path=spec>', 'a parameter to vary: PATH=LO:HI:N (grid of N), PATH=V1,V2,… (list), PATH=LO:HI (range), ' +
      'or PATH alone (its exploration range, see `scenarios show`) (repeatable)', collect, [])
    .option('--regime <name>', 'apply a built-in regime to the scenario first')
    .option('--set <path=value>', 'fix a parameter for every run, e.g. funding.budgetGrowth=0 (repeatable)', collect, [])
    .option('--rounds <n>', 'rounds to simulate (default: the scenario\'s own)')
    .option('--seed <seed>', 'random seed: every point uses this seed and the same replicate indices', '1')
    .option('--replicates <n>', 'replicates per design point', defaultReplicates)
    .option('--out <dir>', 'output directory (default out/<command>-<scenario>, plus /shard-K-of-N for a shard)')
    .option('--workers <n>', `threads computing runs (default: the number of cores, ${defaultWorkers()} here): the main thread and up to n − 1 worker threads, started when the sweep is long enough to gain from them`)
    .option('--csv', 'also write runs.csv and rounds.csv')
    .option('--runs-only', 'write runs.parquet only (skip rounds.parquet, one row per run and round)')
    .option('--resume', 'continue an interrupted run of the same command: finished runs are kept, only missing ones run')
    .option('--shard <K/N>', 'run only shard K of N (1-based) of the runs; `auto` reads SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX')
    .option('--shard-count <n>', 'number of shards when the index comes from the environment (array size, Job completions)')
    .option('--only <run>', 're-run one run alone (same numbers as in the sweep) into OUT/run-RUN/')
    .option('--quiet', 'no progress bar on a terminal (a log file still gets a progress line every tenth of the runs)')
    .option('--allow-large', 'start even when the estimated memory or time is above the limits (docs/LIMITS.md)');
}

export interface ParsedExperiment {
  scenarioRef: string;
  regime?: string;
  sets: ReturnType<typeof parseAssignment>[];
  rounds?: number;
  seed: string;
  replicates: number;
  workers: number;
  shard?: Shard;
  factors: Factor[];
}

export function parseExperimentOptions(ref: string | undefined, options: ExperimentOptions, env: NodeJS.ProcessEnv): ParsedExperiment {
  if (options.regime !== undefined) requireRegime(options.regime);
  const workers = options.workers === undefined ? defaultWorkers() : parseCount(options.workers, '--workers', 1024)!;
  return {
    scenarioRef: ref ?? DEFAULT_SCENARIO,
    regime: options.regime,
    sets: options.set.map((raw) => parseAssignment(raw, '--set')),
    rounds: parseCount(options.rounds, '--rounds', 100000),
    seed: parseSeed(options.seed),
    replicates: parseCount(options.replicates, '--replicates', 1_000_000)!,
    workers,
    shard: resolveShard(options.shard, options.shardCount, env),
    factors: parseFactors(options.param),
  };
}

/** The default output directory of an experiment. */
export function defaultOut(command: string, plan: SweepPlan, shard: Shard | undefined): string {
  const base = join('out', `${command}-${slug(plan.scenarioRef.replace(/\.(json|ya?ml)$/i, '').split(/[\\/]/).pop() ?? 'scenario')}`);
  return shard ? join(base, `shard-${shard.index}-of-${shard.count}`) : base;
}

/** Wires SIGINT/SIGTERM to an AbortSignal for the duration of `work`. */
export async function withInterrupts<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const handler = () => controller.abort(name);
    process.on(name, handler);
    return [name, handler] as const;
  });
  try {
    const result = await work(controller.signal);
    // A signal that arrived during the last synchronous stretch is dispatched on the next turn of
    // the event loop: take that turn before the handlers go, so the caller sees it in signal.aborted.
    await new Promise((resolve) => setImmediate(resolve));
    return result;
  } finally {
    for (const [name, handler] of handlers) process.off(name, handler);
  }
}

export interface ExperimentRun {
  plan: SweepPlan;
  outDir: string;
  outcome?: SweepOutcome;
  /** Exit code to use (130/143 when interrupted). */
  code: number;
}

/** Runs a planned experiment (or `--only` one run of it) and reports on stdout/stderr. */
export async function runExperiment(
  command: 'sweep' | 'sensitivity', plan: SweepPlan, parsed: ParsedExperiment, options: ExperimentOptions, ctx: CliContext,
  analyse?: SweepOptions['analyse'], describe?: (outcome: SweepOutcome) => string,
): Promise<ExperimentRun> {
  const { io } = ctx;
  const outDir = resolve(io.cwd, options.out ?? defaultOut(command, plan, parsed.shard));
  const common = { csv: Boolean(options.csv), rounds: !options.runsOnly, argv: ctx.argv };
  if (options.only !== undefined) {
    const run = parseRunId(options.only, plan.totalRuns);
    const dir = join(outDir, `run-${run}`);
    const { record, command: runCommand } = await runOnly(plan, run, dir, common);
    const { point, replicate } = runCoordinates(plan, run);
    const shown = shownPath(dir, io.cwd);
    const summary = Object.fromEntries(SUMMARY_COLUMNS.map((name, k) => [name, record.summary[k]]));
    io.stdout(`Run ${run}: point ${point}, replicate ${replicate}` +
      `${plan.points[point].regime ? `, regime ${plan.points[point].regime}` : ''}` +
      `${plan.points[point].assignments.map((a) => `, ${a.path}=${a.text}`).join('')}; seed ${plan.seed}.\n` +
      `Final round: populationOutcome ${summary.populationOutcome_final}, trustMean ${summary.trustMean_final}.\n` +
      `Wrote ${shown}/runs.parquet, rounds.parquet and manifest.json (the same numbers as run ${run} of the sweep).\n` +
      `The same run with \`partnersim run\` is the last replicate (replicate ${replicate}) of:\n  ${runCommand}\n`);
    return { plan, outDir: dir, code: 0 };
  }
  const notice = checkCost(estimateSweepCost(plan, parsed, options), Boolean(options.allowLarge));
  if (notice) io.stderr(notice);
  try {
    let late: string | undefined;
    const outcome = await withInterrupts(async (signal) => {
      const result = await runSweep(plan, {
        outDir, workers: parsed.workers, resume: Boolean(options.resume), shard: parsed.shard, quiet: Boolean(options.quiet),
        io, signal, ...common, analyse: parsed.shard ? undefined : analyse,
      });
      if (signal.aborted) late = typeof signal.reason === 'string' ? signal.reason : 'SIGINT';
      return result;
    });
    report(command, plan, parsed, outcome, outDir, ctx);
    if (describe && outcome.status === 'complete') io.stdout(describe(outcome));
    if (late) {
      // The signal came while the results were being put in place: they are complete, but the
      // command was interrupted, and says so in its exit code (never 0).
      io.stderr(`partnersim: ${command} interrupted (${late}) as it finished: the results in ${shownPath(outDir, io.cwd)} are complete.\n`);
      return { plan, outDir, outcome, code: late === 'SIGTERM' ? 143 : 130 };
    }
    return { plan, outDir, outcome, code: 0 };
  } catch (error) {
    if (error instanceof SweepInterrupted) {
      const saved = (error as SweepInterrupted & { saved?: number }).saved ?? 0;
      io.stderr(`partnersim: ${command} interrupted (${error.signal}); ${saved} new run${saved === 1 ? '' : 's'} saved in ` +
        `${shownPath(outDir, io.cwd)}. Continue with:\n  ${commandLine(withResume(ctx.argv))}\n`);
      return { plan, outDir, code: error.signal === 'SIGTERM' ? 143 : 130 };
    }
    throw error;
  }
}

/** The size of a sweep (or of this shard of it): its largest point's scenario, every run, the rows rounds.parquet keeps. */
export function estimateSweepCost(plan: SweepPlan, parsed: ParsedExperiment, options: ExperimentOptions) {
  const rows = (s: SweepPlan['scenarios'][number]) => (options.runsOnly ? 1 : s.rounds * (plan.localities ? s.localities.length + 1 : 1));
  const largest = plan.scenarios.reduce((a, b) => (rows(b) * b.localities.length > rows(a) * a.localities.length ? b : a));
  const runs = parsed.shard ? Math.ceil(plan.totalRuns / parsed.shard.count) : plan.totalRuns;
  return estimateCost({ scenario: largest, runs, rowsPerRun: rows(largest), parallel: parsed.workers });
}

function withResume(argv: readonly string[]): string[] {
  return argv.includes('--resume') ? [...argv] : [...argv, '--resume'];
}

export function parseRunId(text: string, total: number): number {
  const run = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || run >= total) throw new InputError(`--only ${text}: runs are numbered 0 to ${total - 1}.`);
  return run;
}

const n = (x: number) => x.toLocaleString('en-GB');

function report(command: string, plan: SweepPlan, parsed: ParsedExperiment, outcome: SweepOutcome, outDir: string, ctx: CliContext): void {
  const { io } = ctx;
  const dir = shownPath(outDir, io.cwd);
  const runs = outcome.range.end - outcome.range.first;
  const scope = parsed.shard
    ? `shard ${parsed.shard.index}/${parsed.shard.count} (${parsed.shard.source}): runs ${n(outcome.range.first)}–${n(outcome.range.end - 1)} of ${n(plan.totalRuns)}`
    : `${n(plan.totalRuns)} runs`;
  io.stdout(`${command} ${plan.scenarioRef}: ${n(plan.points.length)} point${plan.points.length === 1 ? '' : 's'} × ` +
    `${n(plan.replicates)} replicate${plan.replicates === 1 ? '' : 's'} = ${scope}, seed ${plan.seed}.\n`);
  if (outcome.status === 'already-complete') {
    io.stdout(`Already complete in ${dir}: nothing to do.\n`);
    return;
  }
  const { mainThread, workerThreads } = outcome.share;
  const split = workerThreads > 0 ? `: ${n(mainThread)} on the main thread, ${n(workerThreads)} on worker threads`
    : parsed.workers > 1 && outcome.computed > 0 && mainThread > 0 ? ', all on the main thread: too few runs to gain from starting worker threads' : '';
  io.stdout(`${n(outcome.computed)} computed${outcome.reused ? `, ${n(outcome.reused)} kept from the interrupted run` : ''}` +
    ` (${parsed.workers} worker${parsed.workers === 1 ? '' : 's'}${split}).\n`);
  const files = outcome.manifest.tables.files;
  const lines = [
    `${dir}/runs.parquet    ${n(runs)} rows: one per run (run, point, replicate, seed, parameters, <measure>_final, <measure>_mean)`,
    ...(files['rounds.parquet'] ? [`${dir}/rounds.parquet  ${n(files['rounds.parquet'].rows)} rows: one per run, round and column (locality; system = whole system)`] : []),
    ...(files['runs.csv'] ? [`${dir}/runs.csv${files['rounds.csv'] ? ', rounds.csv' : ''}  the same tables as CSV`] : []),
    ...(outcome.files.includes('sensitivity.json') ? [`${dir}/sensitivity.json  the indices with bootstrap intervals`] : []),
    `${dir}/manifest.json   what was run: scenario, design, every point's values, seed, replicates, command`,
  ];
  io.stdout(`Wrote ${lines.join('\n      ')}\n`);
  if (parsed.shard) {
    io.stdout(`When all ${parsed.shard.count} shards are done: partnersim merge SHARD_DIR… --out DIR\n`);
  } else {
    io.stdout(`Re-run any run alone: add --only RUN to this command.\n`);
  }
}

export interface SweepCommandOptions extends ExperimentOptions {
  regimes?: string;
  /** Policy levers and uncertainties (exploratory modelling), and the outputs the summary reports. */
  lever?: string[];
  uncertain?: string[];
  output?: string[];
  design?: string;
  samples?: string;
  localities?: boolean;
}

/** Builds the sweep's plan from its options (everything validated before anything runs). */
export function planSweep(ref: string | undefined, options: SweepCommandOptions, ctx: CliContext, env: NodeJS.ProcessEnv = process.env): { plan: SweepPlan; parsed: ParsedExperiment } {
  const parsed = parseExperimentOptions(ref, options, env);
  const classified = classifyFactors({ levers: options.lever, params: options.param, uncertain: options.uncertain });
  parsed.factors = classified.factors;
  const exploratory = Boolean(options.lever?.length || options.uncertain?.length);
  const design = (options.design ?? 'grid') as 'grid' | 'lhs';
  if (design !== 'grid' && design !== 'lhs') throw new InputError(`--design ${options.design}: choose grid or lhs.`);
  const samples = parseCount(options.samples, '--samples', MAX_DESIGN_POINTS);
  if (samples !== undefined && design !== 'lhs') throw new InputError('--samples is for --design lhs (a grid has as many points as its values).');
  const regimes = (options.regimes ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const r of regimes) requireRegime(r);
  if (regimes.length && options.regime) throw new InputError('give either --regime (one regime for every point) or --regimes (a factor), not both.');
  const twice = regimes.find((r, k) => regimes.indexOf(r) !== k);
  if (twice) throw new InputError(`--regimes lists ${twice} twice.`);
  if (parsed.factors.length === 0 && regimes.length === 0) {
    throw new InputError('sweep needs something to vary: --param PATH=SPEC (repeatable) and/or --regimes a,b,….', [],
      `For example: partnersim sweep gm-2017 --param regime.accountability=0:1:5 --param trust.initial=0.3,0.5,0.7. Regimes: ${builtInRegimeNames().join(', ')}.`);
  }
  const policies = Math.max(1, regimes.length) * parsed.factors.slice(0, classified.levers.length)
    .reduce((n, f) => n * (f.kind === 'range' ? 1 : f.texts.length), 1);
  if (exploratory && policies < 2) {
    throw new InputError('--uncertain and --lever compare policies across scenarios: give at least two policies, as regimes ' +
      '(--regimes a,b) and/or lever values (--lever PATH=V1,V2).', [],
      'For example: partnersim sweep gm-2017 --regimes organisational,system --uncertain trust.initial=0.2:0.6 --design lhs --samples 50');
  }
  const points = sweepPoints({ design, factors: parsed.factors, regimes, samples, seed: parsed.seed });
  const { scenario: base } = resolveScenario(parsed.scenarioRef, ctx.io.cwd);
  const input: PlanInput = {
    kind: 'sweep', scenarioRef: parsed.scenarioRef, base, regime: parsed.regime, sets: parsed.sets, rounds: parsed.rounds,
    seed: parsed.seed, replicates: parsed.replicates, localities: Boolean(options.localities),
    paths: parsed.factors.map((f) => f.path), regimeFactor: regimes.length > 0, points,
    design: {
      type: design, ...(design === 'lhs' ? { samples, designSeed: parsed.seed } : {}),
      ...(regimes.length ? { regimes } : {}),
      factors: parsed.factors.map((f) => (f.kind === 'range'
        ? { path: f.path, spec: f.spec, range: [f.lo, f.hi], ...(f.integer ? { integer: true } : {}) }
        : { path: f.path, spec: f.spec, values: f.texts })),
      order: 'regimes (outermost), then grids and lists in the order given, then hypercube samples (innermost)',
      ...(exploratory ? { levers: classified.levers, uncertainties: classified.uncertainties } : {}),
      ...(options.output?.length ? { summaryOutputs: [...new Set(options.output.map((raw) => outputColumn(raw)))] } : {}),
    },
  };
  return { plan: buildPlan(input), parsed };
}

export async function sweepCommand(ref: string | undefined, options: SweepCommandOptions, ctx: CliContext): Promise<ExperimentRun> {
  const { plan, parsed } = planSweep(ref, options, ctx);
  const outputs = (plan.design.summaryOutputs as string[] | undefined) ?? [...DEFAULT_SUMMARY_OUTPUTS];
  const levers = (plan.design.levers as string[] | undefined) ?? [];
  let analysis: SweepAnalysis | undefined;
  return runExperiment('sweep', plan, parsed, options, ctx, (records) => {
    analysis = analyseSweep(sweepTable(rolesOf(plan.layout.params, levers), records(), plan.points.length), outputs);
    return { section: analysis as unknown as Record<string, unknown>, files: [], key: 'analysis' };
  }, (outcome) => {
    const done = analysis ?? (outcome.manifest.analysis as SweepAnalysis | undefined);
    const dir = shownPath(resolve(ctx.io.cwd, options.out ?? defaultOut('sweep', plan, parsed.shard)), ctx.io.cwd);
    return done ? sweepSummary(done, dir) : '';
  });
}

export function registerSweep(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
  const command = program
    .command('sweep')
    .summary('run a grid or Latin hypercube of parameter values × replicates, in parallel, resumable')
    .description(
      'Run SCENARIO (a built-in name or scenario file; default gm-2017) at every point of a design over override paths ' +
      '(--param), times --replicates, on common random numbers: every point uses the same seed and replicate indices. ' +
      'Runs go to worker threads, each finished run is journalled at once, and the results (runs.parquet, rounds.parquet, ' +
      'manifest.json) are written atomically at the end, so an interrupted sweep continues with --resume and a killed one ' +
      'never leaves a corrupt file. --shard K/N runs one slice for a cluster; `partnersim merge` joins the slices.')
    .argument('[scenario]', 'built-in scenario name or scenario file')
    .option('--regimes <a,b,c>', 'cross the design with these built-in regimes (a factor; the `regime` column)')
    .option('--design <grid|lhs>', 'grid: every combination of the values; lhs: a Latin hypercube over the ranges', 'grid')
    .option('--samples <n>', 'number of Latin-hypercube points (--design lhs)')
    .option('--localities', 'rounds.parquet also gets one row per locality (default: the system column only)')
    .option('--uncertain <path=spec>', 'an uncertainty (what the world might be): same SPEC as --param; sampled or crossed ' +
      'with every policy (repeatable)', collect, [])
    .option('--lever <path=values>', 'a policy lever (what a decision maker chooses): PATH=V1,V2,… or LO:HI:N; policies are ' +
      'the regimes × lever values (repeatable)', collect, [])
    .option('--output <measure[:mean]>', 'an output the closing summary reports (repeatable; default populationOutcome, ' +
      'lifeExpectancyGain, trustMean; the first is the one policies are compared on)', collect, []);
  addExperimentOptions(command, '10');
  command.addHelpText('after', `
Examples:
  partnersim sweep gm-2017 --param regime.accountability=0:1:5 --replicates 40          5 points × 40 = 200 runs
  partnersim sweep gm-2017 --param regime.accountability=0:1:5 --param trust.initial=0.3,0.5,0.7
  partnersim sweep gm-2017 --regimes organisational,system,devolved --param trust.gain=0.01,0.02,0.04
  partnersim sweep gm-2017 --design lhs --samples 200 --param trust.initial=0.3:0.7 --param board.difficulty
  partnersim sweep gm-2017 --param regime.accountability=0:1:5 --resume                 continue after Ctrl-C or a kill
  partnersim sweep gm-2017 --param regime.accountability=0:1:5 --shard 2/4 --out res/s2 one quarter, e.g. on a cluster
  partnersim merge res/s1 res/s2 res/s3 res/s4 --out res/all                             the same bytes as unsharded
  partnersim sweep gm-2017 --param regime.accountability=0:1:5 --only 17                run 17 alone, same numbers

Exploratory modelling (policies across uncertain scenarios, as the EMA Workbench frames it):
  partnersim sweep gm-2017 --regimes organisational,system --uncertain trust.initial=0.2:0.6 \
      --uncertain board.difficulty=0.5:3 --design lhs --samples 100 --replicates 10
  partnersim sweep gm-2017 --lever regime.accountability=0,0.5,1 --uncertain trust.gain=0.01:0.04 --design lhs --samples 50
Policies are the regimes (--regimes) crossed with the lever values (--lever); scenarios are the
uncertainties' points (--uncertain, and --param, which counts as an uncertainty), the same for every
policy and run on the same seeds. The summary gives each policy's outcome over the scenarios, its
regret (shortfall against the best policy in the same scenario) and the share of scenarios it wins;
manifest.json holds it under "analysis". Then: partnersim discover DIR --policy NAME --where "regret > 0".

Every sweep ends with which factor moves which output (Spearman ρ or η², and the spread of the
main effect); \`partnersim chart DIR\` draws main effects, interactions and regime facets.

Runs are numbered run = point × replicates + replicate. Points: regimes (outermost), then grids and lists in
the order given, then hypercube samples. The hypercube is drawn from the seed, so the same command gives the
same points. Read the tables with DuckDB, pandas, polars or R arrow, e.g.
  duckdb -c "SELECT \\"regime.accountability\\", avg(populationOutcome_final) FROM 'out/sweep-gm-2017/runs.parquet' GROUP BY 1"
Exit codes: 0 done; 2 bad input (nothing run); 1 failure; 130/143 interrupted (finished runs are kept: --resume).
Docs: docs/CLUSTER.md (SLURM and Kubernetes), docs/PERFORMANCE.md.`);
  command.action(async (ref: string | undefined, options: SweepCommandOptions) => {
    const result = await sweepCommand(ref, options, ctx);
    if (result.code !== 0) setExitCode(result.code);
  });
}
