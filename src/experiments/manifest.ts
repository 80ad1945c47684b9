/**
 * manifest.json of a sweep: what was run (tool, version, exact command, the scenario after
 * --regime/--set/--rounds, the design and every point's values, seed and replicate indices, run
 * numbering, shard and its run range) and what was written (tables, columns, rows, and every
 * file's size and SHA-256 in `integrity`), with the commands that re-run
 * any single run alone. No timestamps or timings: the same sweep gives the same manifest.
 */
import { shellWord } from '../documents/format.ts';
import type { FileDigest } from '../io/output.ts';
import { packageVersion } from '../io/version.ts';
import type { Scenario } from '../model/types.ts';
import { runCoordinates, type SweepPlan } from './plan.ts';
import type { Shard } from './shard.ts';
import { roundsColumns, runsColumns, type ParamColumn, type TableLayout } from './tables.ts';

export interface ManifestTable {
  rows: number;
  columns: ParamColumn[];
}

export interface SweepManifest {
  tool: 'partnersim';
  version: string;
  kind: 'sweep' | 'sensitivity';
  command: string;
  argv: string[];
  createdBy: string;
  /** SHA-256 of everything that determines the numbers (shards of one sweep share it). */
  fingerprint: string;
  scenarioRef: string;
  /** Every point starts from this scenario (after --regime, --set, --rounds)… */
  scenario?: Scenario;
  /** …or, when regimes are a factor, from this one per regime. */
  scenarios?: Record<string, Scenario>;
  adjustments: { regime?: string; set: string[]; rounds?: number };
  design: Record<string, unknown>;
  seed: number | string;
  replicates: number;
  replicateIndices: string;
  localities: boolean;
  runs: { total: number; numbering: string; first: number; end: number };
  shard?: Shard;
  points: { point: number; regime?: string; set: string[] }[];
  tables: { layout: TableLayout; files: Record<string, ManifestTable> };
  rerun: { only: string; run: string };
  /** Sensitivity analyses: the method's settings and the indices (absent for a shard). */
  sensitivity?: Record<string, unknown>;
  /** `partnersim merge`: the shards' commands. */
  mergedFrom?: string[];
  /**
   * Size and SHA-256 of every file written with this manifest (the tables, CSV, sensitivity.json),
   * taken as they were written: `merge` and `verify` refuse a file that no longer matches.
   */
  integrity?: Integrity;
}

export interface Integrity {
  algorithm: 'sha256';
  files: Record<string, FileDigest>;
}

/** The integrity section for the files digested so far (in the order they were written). */
export function integrityOf(digests: ReadonlyMap<string, FileDigest>): Integrity {
  return { algorithm: 'sha256', files: Object.fromEntries(digests) };
}

export function commandLine(argv: readonly string[]): string {
  return ['partnersim', ...argv].map(shellWord).join(' ');
}

const WITH_VALUE = new Set(['--workers', '--shard', '--shard-count', '--only', '--out']);
const FLAGS = new Set(['--resume', '--quiet']);

/** The command without the options that do not change the numbers (workers, shard, resume, output directory). */
export function rerunArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    const word = argv[k];
    const name = word.split('=')[0];
    if (FLAGS.has(word)) continue;
    if (WITH_VALUE.has(name)) {
      if (!word.includes('=')) k++;
      continue;
    }
    out.push(word);
  }
  return out;
}

/** `partnersim run …` that reproduces `run` (its replicate is the last one of that command's output). */
export function runCommandFor(plan: SweepPlan, run: number): string {
  const { point, replicate } = runCoordinates(plan, run);
  const p = plan.points[point];
  const regime = p.regime ?? plan.regime;
  const words = ['run', plan.scenarioRef, ...(regime ? ['--regime', regime] : []),
    ...[...plan.sets, ...p.assignments].flatMap((a) => ['--set', `${a.path}=${a.text}`]),
    ...(plan.rounds !== undefined ? ['--rounds', String(plan.rounds)] : []),
    '--seed', plan.seed, '--replicates', String(replicate + 1)];
  return commandLine(words);
}

export function buildManifest(
  plan: SweepPlan, argv: readonly string[], shard: Shard | undefined, range: { first: number; end: number },
  files: Record<string, ManifestTable>, sensitivity?: Record<string, unknown>,
): SweepManifest {
  const scenarioPart = plan.regimeFactor ? { scenarios: plan.baseScenarios } : { scenario: plan.baseScenarios[''] };
  return {
    tool: 'partnersim',
    version: packageVersion(),
    kind: plan.kind,
    command: commandLine(argv),
    argv: [...argv],
    createdBy: `partnersim ${packageVersion()} on Node.js ${process.version}`,
    fingerprint: plan.fingerprint,
    scenarioRef: plan.scenarioRef,
    ...scenarioPart,
    adjustments: {
      ...(plan.regime ? { regime: plan.regime } : {}),
      set: plan.sets.map((a) => `${a.path}=${a.text}`),
      ...(plan.rounds !== undefined ? { rounds: plan.rounds } : {}),
    },
    design: plan.design,
    seed: /^\d+$/.test(plan.seed) ? Number(plan.seed) : plan.seed,
    replicates: plan.replicates,
    replicateIndices: `0 to ${plan.replicates - 1} at every point (common random numbers: replicate k uses stream (seed, k))`,
    localities: plan.localities,
    runs: { total: plan.totalRuns, numbering: 'run = point × replicates + replicate', first: range.first, end: range.end },
    ...(shard ? { shard } : {}),
    points: plan.points.map((p, k) => ({
      point: k, ...(p.regime !== undefined ? { regime: p.regime } : {}), set: p.assignments.map((a) => `${a.path}=${a.text}`),
    })),
    tables: { layout: plan.layout, files },
    rerun: {
      only: `${commandLine(rerunArgv(argv))} --only RUN (writes that run alone into OUT/run-RUN/, OUT the --out directory or its default)`,
      run: `${runCommandFor(plan, 0).replace(/--replicates 1$/, '--replicates R+1')} with the point's values as --set: ` +
        'replicate R of that command\'s output is the run (see `partnersim sweep --only RUN` for the exact command)',
    },
    ...(sensitivity ? { sensitivity } : {}),
  };
}

export function tableEntries(layout: TableLayout, runs: number, roundsRows: number | undefined, csv: boolean): Record<string, ManifestTable> {
  const files: Record<string, ManifestTable> = { 'runs.parquet': { rows: runs, columns: runsColumns(layout) } };
  if (roundsRows !== undefined) files['rounds.parquet'] = { rows: roundsRows, columns: roundsColumns() };
  if (csv) {
    files['runs.csv'] = files['runs.parquet'];
    if (roundsRows !== undefined) files['rounds.csv'] = files['rounds.parquet'];
  }
  return files;
}

export function manifestJson(manifest: SweepManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
