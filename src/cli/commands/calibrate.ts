/**
 * `partnersim calibrate SPEC`: fit model parameters to published target statistics by ABC-SMC
 * (src/calibration/). SPEC (YAML or JSON) names a scenario, its arms, the parameters with their
 * priors and the targets (see calibration/*.yaml). Everything is checked before anything runs;
 * results go to DIR/posterior.json (everything, deterministic for a seed) and DIR/summary.md
 * (the tables a person reads), written together or not at all.
 */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import YAML from 'yaml';
import { calibrate, type CalibrationResult, type ParameterSummary, type TargetFit } from '../../calibration/index.ts';
import { modelCalibration, type ModelCalibration, type ModelTarget } from '../../calibration/model-targets.ts';
import { InputError } from '../../documents/errors.ts';
import { short } from '../../documents/format.ts';
import { parseCount, parseSeed } from '../../documents/overrides.ts';
import type { CliContext } from '../../io/console.ts';
import { writeFilesAtomically } from '../../io/output.ts';
import { withFolderLock } from '../../io/lock.ts';
import { commandLine } from '../execute.ts';
import { resolveScenario } from '../../io/scenario-files.ts';
import { packageVersion } from '../../io/version.ts';
import { renderTable } from '../table.ts';

export interface CalibrateOptions {
  out?: string;
  seed?: string;
  particles?: string;
  quiet?: boolean;
  json?: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const num = short;
const thousands = (n: number) => n.toLocaleString('en-GB');
const shown = (path: string, cwd: string) => {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
};

function readSpec(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new InputError(`cannot read calibration spec "${file}": ${reason}`);
  }
  try {
    // YAML 1.2 is a superset of JSON: one parser reads both.
    return YAML.parse(text, { prettyErrors: true, uniqueKeys: true, strict: true });
  } catch (error) {
    throw new InputError(`${basename(file)} is not valid ${extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
}

/** The spec file, with the command-line overrides, checked and turned into the engine's input. */
export function prepareCalibration(file: string, options: CalibrateOptions): { document: Record<string, unknown>; calibration: ModelCalibration; scenarioName: string } {
  const name = basename(file);
  const raw = readSpec(file);
  if (!isObject(raw)) throw new InputError(`${name} is not a calibration spec: it must be a mapping with scenario, arms, parameters and targets.`);
  const document: Record<string, unknown> = structuredClone(raw);
  if (options.seed !== undefined) document.seed = parseSeed(options.seed);
  if (options.particles !== undefined) {
    document.abc = { ...(isObject(document.abc) ? document.abc : {}), particles: parseCount(options.particles, '--particles', 1_000_000) };
  }
  const invalid = (problems: { path: string; message: string }[]) => new InputError(
    `${name} is not a valid calibration spec (${problems.length} problem${problems.length === 1 ? '' : 's'}):`, problems,
    'Nothing was run. calibration/lab-fg.yaml is a worked example; `partnersim measures` lists the measures.');
  if (typeof document.scenario !== 'string' || document.scenario === '') {
    throw invalid([{ path: 'scenario', message: `${JSON.stringify(document.scenario) ?? 'missing'} is not a scenario name` }]);
  }
  let scenario;
  try {
    // Scenario files are resolved relative to the spec, as `extends` is in a scenario file.
    scenario = resolveScenario(document.scenario, dirname(file)).scenario;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw invalid([{ path: 'scenario', message: [error.message, ...error.problems.map((p) => `${p.path}: ${p.message}`)].join('; ') }]);
  }
  const calibration = modelCalibration(document, scenario);
  if ('problems' in calibration) throw invalid(calibration.problems);
  return { document, calibration, scenarioName: scenario.name };
}

function describeTarget(t: ModelTarget): string {
  const rounds = t.rounds ? `rounds ${t.rounds[0]}–${t.rounds[1]}` : `round ${t.round}`;
  const column = t.column && t.column !== 'system' ? `[${t.column}]` : '';
  return `${t.arm}${t.baseline ? ` − ${t.baseline}` : ''}: ${t.measure}${column}, ${rounds}`;
}

function parameterRows(parameters: readonly ParameterSummary[]): string[][] {
  return parameters.map((p) => [
    p.path, `${p.prior.log ? 'log-' : ''}U[${num(p.prior.min)}, ${num(p.prior.max)}]`,
    num(p.mean), num(p.sd), `[${num(p.q025)}, ${num(p.q975)}]`,
  ]);
}

function fitRows(fits: readonly TargetFit[]): string[][] {
  return fits.map((f) => [
    f.name + (f.holdOut ? ' (hold-out)' : ''), num(f.observed), num(f.sd), num(f.median),
    `[${num(f.low)}, ${num(f.high)}]`, num(f.residual), f.inside ? 'yes' : 'NO',
  ]);
}

const PARAMETER_HEADER = ['parameter', 'prior', 'mean', 'sd', '95% interval'];
const FIT_HEADER = ['target', 'observed', 'sd', 'median', '90% interval', 'residual', 'inside'];

function headline(result: CalibrationResult, calibration: ModelCalibration, scenarioName: string): string {
  const fitted = calibration.engine.targets.filter((t) => !t.holdOut).length;
  const held = calibration.engine.targets.length - fitted;
  return `Calibrated ${result.parameters.length} parameter${result.parameters.length === 1 ? '' : 's'} of ${scenarioName} ` +
    `to ${fitted} target${fitted === 1 ? '' : 's'}${held ? ` (${held} held out)` : ''} by ABC-SMC: ` +
    `${result.settings.particles} particles, ${result.generations.length} generations (stopped: ${result.stopReason}), ` +
    `final tolerance ${num(result.tolerance)}, ESS ${num(result.ess)}, ` +
    `${thousands(result.simulations.fit)} simulations + ${thousands(result.simulations.predictive)} predictive, ` +
    `each ${calibration.replicates} replicate${calibration.replicates === 1 ? '' : 's'} per arm over ${calibration.rounds} rounds, seed ${result.seed}.`;
}

function holdOutLines(result: CalibrationResult): string[] {
  if (result.holdOut.length === 0) return ['Hold-out check: no target held out.'];
  return result.holdOut.map((f) => `Hold-out check: ${f.name}: observed ${num(f.observed)} is ${f.inside ? 'inside' : 'OUTSIDE'} ` +
    `the 90% predictive interval [${num(f.low)}, ${num(f.high)}] (median ${num(f.median)}, residual ${num(f.residual)} sd)` +
    ` — ${f.inside ? 'passed' : 'failed'}.`);
}

/** summary.md: the tables a person reads, and where each figure comes from. */
function summaryMarkdown(result: CalibrationResult, calibration: ModelCalibration, scenarioName: string, specName: string): string {
  const md = (header: readonly string[], rows: readonly (readonly string[])[]) =>
    [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`)].join('\n');
  const targets = calibration.spec.targets;
  return [
    `# Calibration: ${specName}`,
    '',
    headline(result, calibration, scenarioName),
    '',
    '## Posterior',
    '',
    'Weighted particle summaries; the 95% interval is the 2.5% and 97.5% weighted quantiles.',
    '',
    md([...PARAMETER_HEADER.slice(0, 4), 'median', '95% interval'], result.parameters.map((p) => {
      const row = parameterRows([p])[0];
      return [...row.slice(0, 4), num(p.q50), row[4]];
    })),
    '',
    '## Fit',
    '',
    'Posterior predictive: every particle simulated once more with a fresh seed. Residual = (observed − median) / sd.',
    '',
    md(FIT_HEADER, fitRows([...result.fit, ...result.holdOut])),
    '',
    ...holdOutLines(result),
    '',
    '## Targets',
    '',
    md(['target', 'model statistic (mean over replicates)', 'source'], targets.map((t) => [t.name, describeTarget(t), t.source ?? ''])),
    '',
    '## Generations',
    '',
    md(['generation', 'tolerance', 'acceptance rate', 'simulations', 'outside prior', 'ESS'], result.generations.map((g) => [
      String(g.generation), num(g.tolerance), num(g.acceptanceRate), thousands(g.simulations), thousands(g.outsidePrior), num(g.ess),
    ])),
    ...(result.abandoned ? ['', `Generation ${result.abandoned.generation} (tolerance ${num(result.abandoned.tolerance)}) was abandoned after ` +
      `${thousands(result.abandoned.simulations)} simulations with ${result.abandoned.accepted} accepted; the posterior is the generation before it.`] : []),
    '',
  ].join('\n');
}

function posteriorJson(result: CalibrationResult, calibration: ModelCalibration, document: Record<string, unknown>, scenarioName: string, specName: string): string {
  return `${JSON.stringify({
    partnersim: packageVersion(),
    command: 'calibrate',
    specFile: specName,
    scenario: scenarioName,
    replicates: calibration.replicates,
    roundsSimulated: calibration.rounds,
    ...result,
    spec: document,
  }, null, 2)}\n`;
}

export function calibrateCommand(file: string, options: CalibrateOptions, ctx: CliContext): void {
  const { io } = ctx;
  const path = resolve(io.cwd, file);
  const specName = basename(path);
  const { document, calibration, scenarioName } = prepareCalibration(path, options);
  const outDir = resolve(io.cwd, options.out ?? join('out', `calibrate-${specName.replace(/\.(json|ya?ml)$/i, '')}`));
  // One writer per folder (src/io/lock.ts), held from before the first simulation to the last file.
  withFolderLock(outDir, commandLine(ctx.argv), io.stderr, () => calibrateLocked(outDir, specName, { document, calibration, scenarioName }, options, ctx));
}

function calibrateLocked(
  outDir: string, specName: string, { document, calibration, scenarioName }: ReturnType<typeof prepareCalibration>,
  options: CalibrateOptions, ctx: CliContext,
): void {
  const { io } = ctx;

  const started = io.now();
  const live = io.stderrIsTTY && !options.quiet && !options.json;
  let count = 0;
  let lastDraw = -Infinity;
  let generation = 0;
  const simulate: typeof calibration.simulate = (params, seed) => {
    const stats = calibration.simulate(params, seed);
    count++;
    if (live && io.now() - lastDraw >= 100) {
      lastDraw = io.now();
      io.stderr(`\r\x1b[2Kgeneration ${generation} · ${thousands(count)} simulations · ${Math.round((lastDraw - started) / 1000)}s`);
    }
    return stats;
  };
  const result = calibrate(calibration.engine, simulate, {
    seed: calibration.seed,
    onProgress: (g, tolerance, acceptance, simulations) => {
      generation = g + 1;
      if (live) {
        io.stderr(`\r\x1b[2Kgeneration ${g}: tolerance ${num(tolerance)}, acceptance ${num(acceptance)}, ` +
          `${thousands(simulations)} simulations so far (${Math.round((io.now() - started) / 1000)}s)\n`);
      }
    },
  });
  if (live) io.stderr('\r\x1b[2K');

  const json = posteriorJson(result, calibration, document, scenarioName, specName);
  writeFilesAtomically(outDir, [
    { name: 'posterior.json', chunks: [json] },
    { name: 'summary.md', chunks: [summaryMarkdown(result, calibration, scenarioName, specName)] },
  ]);
  if (options.json) {
    io.stdout(json);
    return;
  }
  const seconds = (io.now() - started) / 1000;
  io.stdout([
    headline(result, calibration, scenarioName),
    '',
    'Posterior (weighted; 95% interval = 2.5% and 97.5% quantiles):',
    renderTable(PARAMETER_HEADER, parameterRows(result.parameters), { right: [2, 3] }),
    '',
    'Fit (posterior predictive median and 90% interval; residual = (observed − median) / sd):',
    renderTable(FIT_HEADER, fitRows([...result.fit, ...result.holdOut]), { right: [1, 2, 3, 5] }),
    '',
    ...holdOutLines(result),
    '',
    `Wrote ${join(shown(outDir, io.cwd), 'posterior.json')} (particles, weights, summaries, fit, generations, the spec) and summary.md.`,
    `Took ${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s.`,
    '',
  ].join('\n'));
}

export function registerCalibrate(program: Command, ctx: CliContext): void {
  program
    .command('calibrate')
    .summary('fit parameters to published target statistics (ABC-SMC) and report the posterior')
    .description(
      'Calibrate by approximate Bayesian computation with sequential Monte Carlo (ABC-SMC). SPEC (YAML or JSON) names ' +
      'a scenario, arms (the scenario with overrides), parameters with uniform or log-uniform priors, and targets: an ' +
      'observed figure with its sd, compared with the mean over replicates of a measure in one arm at one round or over ' +
      'a range of rounds, or with the paired difference against a baseline arm on common random numbers. Targets marked ' +
      'holdOut are not fitted but checked afterwards. Writes DIR/posterior.json and DIR/summary.md.')
    .argument('<spec>', 'calibration spec file (.yaml, .yml or .json)')
    .option('--out <dir>', 'output directory (default out/calibrate-<spec name>)')
    .option('--seed <seed>', 'random seed (overrides the spec\'s seed): same seed, same posterior.json, to the byte')
    .option('--particles <n>', 'particles per generation (overrides abc.particles)')
    .option('--quiet', 'no progress on stderr')
    .option('--json', 'print posterior.json to stdout instead of the tables')
    .addHelpText('after', `
Examples:
  partnersim calibrate calibration/lab-fg.yaml                 laboratory layer vs Fischbacher & Gächter 2010
  partnersim calibrate calibration/gm-britteon.yaml --out out/gm-fit
  partnersim calibrate calibration/lab-fg.yaml --particles 50 --seed 2

A spec (YAML):
  scenario: public-goods-lab
  replicates: 10                       # per arm, in every simulation
  arms:
    plain: {}
    punished: { leaders.sanctions.enabled: true }
  parameters:
    - { path: leaders.priorBelief, prior: { min: 0.2, max: 0.9 } }
  targets:
    - { name: p1, arm: plain, measure: pooledShare, round: 1, observed: 0.394, sd: 0.03, source: "..." }
    - { name: p5, arm: plain, measure: pooledShare, round: 5, observed: 0.24, sd: 0.03, holdOut: true }
  abc: { particles: 200, maxGenerations: 6 }`)
    .action((spec: string, options: CalibrateOptions) => calibrateCommand(spec, options, ctx));
}
