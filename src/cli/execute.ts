/**
 * What `run` and `compare` share once their inputs are validated: make the output directory,
 * run every label on common random numbers (with a progress bar on a terminal), build the
 * manifest, write trajectories.csv and summary.json atomically, and report.
 */
import { relative, isAbsolute } from 'node:path';
import { csvRowCount, trajectoriesCsv } from '../experiments/trajectories-csv.ts';
import { shellWord } from '../documents/format.ts';
import type { CliContext } from '../io/console.ts';
import { writeFilesAtomically, type FileDigest } from '../io/output.ts';
import { integrityOf } from '../experiments/manifest.ts';
import { withFolderLock } from '../io/lock.ts';
import { checkRunFolder, clearEarlierRun } from '../io/run-folder.ts';
import { ProgressBar } from '../io/progress.ts';
import { pairedTable, summaryTable } from './report.ts';
import { simulate, type LabelledRun, type LabelledScenario } from '../experiments/simulate.ts';
import { checkCost, estimateCost } from '../experiments/cost.ts';
import type { Scenario } from '../model/types.ts';
import { buildManifest, manifestJson, type Manifest } from '../experiments/run-summary.ts';

export interface ExecutePlan {
  command: 'run' | 'compare';
  items: readonly LabelledScenario[];
  seed: string;
  replicates: number;
  /** Absolute output directory. */
  outDir: string;
  json: boolean;
  quiet: boolean;
  /** Write the charts and report.html (default true). */
  charts?: boolean;
  /** `compare`: the label the paired differences are taken against (default the first). */
  baseline?: string;
  /** Write files at all (false: `--json` without `--out` only prints). Default true. */
  write?: boolean;
  /** Write into a folder that holds something other than an earlier run. */
  force?: boolean;
  /** Start even when the size estimate is above the limits (--allow-large). */
  allowLarge?: boolean;
}

/** Everything a run produced, kept in memory (charts are drawn from this). */
export interface RunOutput {
  outDir: string;
  manifest: Manifest;
  runs: LabelledRun[];
  files: string[];
}

/** The in-memory results in the shape the chart writer takes: the (first) scenario, each label's results, the seed. */
export function chartInput(output: RunOutput) {
  return {
    scenario: output.runs[0].scenario,
    labels: output.runs.map((run) => ({ label: run.label, results: run.results, scenario: run.scenario })),
    seed: output.manifest.seed,
  };
}

export function commandLine(argv: readonly string[]): string {
  return ['partnersim', ...argv].map(shellWord).join(' ');
}

export function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export async function execute(plan: ExecutePlan, ctx: CliContext): Promise<RunOutput> {
  // Before any folder or lock: a job that would take gigabytes or hours says so, or is refused (docs/LIMITS.md).
  const notice = checkCost(estimateRunCost(plan), Boolean(plan.allowLarge));
  if (notice && !plan.json) ctx.io.stderr(notice);
  if (plan.write === false) return executeLocked(plan, ctx);
  // One experiment per folder (src/io/run-folder.ts), checked before anything runs.
  checkRunFolder(plan.outDir, shownPath(plan.outDir, ctx.io.cwd), Boolean(plan.force));
  // One writer per folder (src/io/lock.ts): two runs into one --out would interleave their files.
  return withFolderLock(plan.outDir, commandLine(ctx.argv), ctx.io.stderr, () => executeLocked(plan, ctx));
}

/** The size of `plan`: its largest scenario, every label's replicates, one row per round and column (localities + system). */
export function estimateRunCost(plan: Pick<ExecutePlan, 'items' | 'replicates'>) {
  const size = (s: Scenario) => s.rounds * (s.localities.length + 1);
  const largest = plan.items.map((item) => item.scenario).reduce((a, b) => (size(b) > size(a) ? b : a));
  return estimateCost({ scenario: largest, runs: plan.items.length * plan.replicates, rowsPerRun: (largest.rounds + 1) * (largest.localities.length + 1) });
}

async function executeLocked(plan: ExecutePlan, ctx: CliContext): Promise<RunOutput> {
  const { io } = ctx;
  const progress = new ProgressBar({
    write: io.stderr, enabled: io.stderrIsTTY && !plan.quiet && !plan.json, now: io.now, unit: 'replicates',
  });
  let runs: LabelledRun[];
  try {
    runs = simulate(plan.items, { seed: plan.seed, replicates: plan.replicates, onProgress: (d, t) => progress.update(d, t) });
  } finally {
    progress.finish();
  }
  const manifest = buildManifest(
    { command: plan.command, argv: ctx.argv, seed: plan.seed, replicates: plan.replicates, runs, baseline: plan.baseline },
    commandLine(ctx.argv),
  );
  const files = ['trajectories.csv', 'summary.json'];
  if (plan.write === false) {
    io.stdout(manifestJson(manifest));
    return { outDir: plan.outDir, manifest, runs, files: [] };
  }
  // The earlier run's charts and report go first: the folder never mixes two runs' files.
  clearEarlierRun(plan.outDir, files);
  const digests = new Map<string, FileDigest>();
  writeFilesAtomically(plan.outDir, [
    { name: files[0], chunks: trajectoriesCsv(runs) },
    { name: files[1], chunks: (function* () {
      manifest.integrity = integrityOf(digests); // trajectories.csv is written by now
      yield manifestJson(manifest);
    })() },
  ], { digests });
  const output: RunOutput = { outDir: plan.outDir, manifest, runs, files };
  let chartFiles: string[] = [];
  if (plan.charts !== false) {
    const showProgress = io.stderrIsTTY && !plan.quiet && !plan.json;
    // Loaded only now: the charts load vega, vega-lite and the d3 stack (about 0.2 s).
    const { writeCharts } = await import('../charts/index.ts');
    chartFiles = await writeCharts(plan.outDir, {
      ...chartInput(output),
      options: { onProgress: (message: string) => { if (showProgress) io.stderr(`\r\x1b[2K${message}`); } },
    });
    if (showProgress) io.stderr('\r\x1b[2K');
    files.push(...chartFiles.map((path) => relative(plan.outDir, path)));
  }

  if (plan.json) {
    io.stdout(manifestJson(manifest));
  } else {
    const dir = shownPath(plan.outDir, io.cwd);
    if (manifest.paired) io.stdout(`${pairedTable(manifest)}\n\n`);
    io.stdout(`${summaryTable(manifest)}\n\n`);
    io.stdout(`Wrote ${dir}/trajectories.csv  ${csvRowCount(runs).toLocaleString('en-GB')} rows: label, replicate, round, ` +
      'year, locality (system = whole system), one column per measure\n' +
      `      ${dir}/summary.json      the manifest: scenario as run, seed, final-round median and 5th–95th percentiles\n`);
    if (chartFiles.length > 0) {
      io.stdout(`      ${dir}/report.html       the report: open it in a browser (works offline); ` +
        `${chartFiles.length - 1} chart files (.vl.json spec, .svg, .png) beside it\n`);
    }
  }
  return output;
}
