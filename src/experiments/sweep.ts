/**
 * Running a sweep into a directory, safely:
 *   1. OUT/.partnersim-sweep/plan.json records the sweep's fingerprint, shard and command;
 *   2. each finished run is appended to OUT/.partnersim-sweep/journal.bin (see src/io/journal.ts);
 *   3. when every run of the sweep (or shard) is in the journal, the tables and manifest.json are
 *      written to temporary files, fsync'd and renamed into place, and the journal is removed.
 * A killed sweep leaves the journal (complete records are kept, a torn last one is cut off) and
 * no results file at all, or the previous complete one; `--resume` continues it, computing only
 * the runs missing from the journal. Results files are built from the journal in run order, so
 * they are the same bytes however the work was split, interrupted or resumed. The whole command
 * holds OUT/.partnersim.lock (src/io/lock.ts): two sweeps in one folder would mix their runs.
 */
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../documents/errors.ts';
import type { CliIO } from '../io/console.ts';
import {
  makeOutDir, removeStaleTemporaries, writeFilesAtomically, writeFilesAtomicallyAsync, type FileDigest, type OutputFile,
} from '../io/output.ts';
import { ProgressBar } from '../io/progress.ts';
import { packageVersion } from '../io/version.ts';
import { Journal, JournalRecordError, decodeRun } from '../io/journal.ts';
import { withFolderLock } from '../io/lock.ts';
import { buildManifest, commandLine, integrityOf, manifestJson, runCommandFor, tableEntries, type SweepManifest } from './manifest.ts';
import { checkIntegrity } from './verify.ts';
import { runCoordinates, type SweepPlan } from './plan.ts';
import { executeRuns, SweepInterrupted, type ThreadShare } from './pool.ts';
import { shardRange, type Shard } from './shard.ts';
import { simulateRun } from './simulate-run.ts';
import {
  roundsCsv, roundsParquet, runsCsv, runsParquet, summarise, type RunRecord, type TableLayout,
} from './tables.ts';
import type { RunData } from '../io/journal.ts';

export const STATE_DIR = '.partnersim-sweep';

export interface SweepOptions {
  outDir: string;
  workers: number;
  resume: boolean;
  shard?: Shard;
  /** Also write runs.csv (and rounds.csv). */
  csv: boolean;
  /** Write rounds.parquet (default true). */
  rounds: boolean;
  quiet: boolean;
  io: CliIO;
  argv: readonly string[];
  signal?: AbortSignal;
  workerUrl?: URL;
  /** Once every run is in: an analysis for the manifest and extra files (sensitivity). */
  analyse?: (records: () => Iterable<RunRecord>) => { section: Record<string, unknown>; files: OutputFile[]; key?: 'sensitivity' | 'analysis' };
}

export interface SweepOutcome {
  status: 'complete' | 'already-complete';
  /** Runs computed by this call. */
  computed: number;
  /** Runs found finished in the journal (a resumed sweep). */
  reused: number;
  /** Where the computed runs ran. */
  share: ThreadShare;
  range: { first: number; end: number };
  files: string[];
  manifest: SweepManifest;
}

interface StateFile {
  fingerprint: string;
  shard: { index: number; count: number } | null;
  command: string;
  totalRuns: number;
}

const shardKey = (shard: Shard | undefined) => (shard ? { index: shard.index, count: shard.count } : null);
const sameShard = (a: StateFile['shard'], b: StateFile['shard']) => (a?.index ?? 0) === (b?.index ?? 0) && (a?.count ?? 1) === (b?.count ?? 1);

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Years of each round of a point (round / roundsPerYear). */
function yearsOf(plan: SweepPlan, point: number, rounds: number): Float64Array {
  const perYear = plan.scenarios[point].roundsPerYear;
  return Float64Array.from({ length: rounds }, (_, r) => r / perYear);
}

/** A run's record for the tables, from its recorded trajectories. */
export function recordOf(plan: SweepPlan, data: RunData, withTrajectory: boolean): RunRecord {
  const { point, replicate } = runCoordinates(plan, data.run);
  return {
    run: data.run, point, replicate, params: plan.values[point], summary: summarise(data),
    ...(withTrajectory ? { trajectory: { ...data, years: yearsOf(plan, point, data.rounds) } } : {}),
  };
}

/**
 * Writes the tables, extra files and manifest (with every file's SHA-256) for `records`
 * atomically into `dir`; `stop` may abandon the write (a signal), changing nothing.
 */
export async function writeResults(
  dir: string, plan: SweepPlan, records: (withTrajectory: boolean) => Iterable<RunRecord>,
  options: Pick<SweepOptions, 'csv' | 'rounds' | 'argv' | 'shard' | 'analyse'>, range: { first: number; end: number },
  layout: TableLayout = plan.layout, extraManifest: Partial<SweepManifest> = {}, stop?: () => void,
): Promise<{ files: string[]; manifest: SweepManifest }> {
  let roundsRows = 0;
  const counting = function* (): Generator<RunRecord> {
    roundsRows = 0;
    for (const record of records(true)) {
      roundsRows += record.trajectory!.rounds * record.trajectory!.columns.length;
      yield record;
    }
  };
  const analysis = options.analyse?.(() => records(false));
  const v = packageVersion();
  const files: OutputFile[] = [{ name: 'runs.parquet', chunks: runsParquet(layout, records(false), v) }];
  if (options.rounds) files.push({ name: 'rounds.parquet', chunks: roundsParquet(layout, counting(), v) });
  if (options.csv) {
    files.push({ name: 'runs.csv', chunks: runsCsv(layout, records(false)) });
    if (options.rounds) files.push({ name: 'rounds.csv', chunks: roundsCsv(records(true)) });
  }
  if (analysis) files.push(...analysis.files);
  let manifest: SweepManifest | undefined;
  const digests = new Map<string, FileDigest>();
  files.push({
    name: 'manifest.json',
    chunks: (function* () {
      manifest = {
        ...buildManifest(plan, options.argv, options.shard, range,
          tableEntries(layout, range.end - range.first, options.rounds ? roundsRows : undefined, options.csv),
          analysis?.key === 'analysis' ? undefined : analysis?.section),
        ...(analysis?.key === 'analysis' ? { analysis: analysis.section } : {}),
        ...extraManifest,
        integrity: integrityOf(digests),
      };
      yield manifestJson(manifest);
    })(),
  });
  await writeFilesAtomicallyAsync(dir, files, { durable: true, digests, stop });
  return { files: files.map((f) => f.name), manifest: manifest! };
}

/** Prints the records a journal did not use; a long list (a whole foreign journal) is cut short. */
function reportRejected(journal: Journal, io: CliIO): void {
  if (journal.foreign) io.stderr(`partnersim: the sweep journal is ${journal.foreign}: not used, every run is recomputed.\n`);
  const shown = journal.rejected.slice(0, 5);
  for (const r of shown) io.stderr(`partnersim: journal record ${r.index} (byte ${r.offset}, run ${r.run}): ${r.problem}; not used, recomputed.\n`);
  if (journal.rejected.length > shown.length) io.stderr(`partnersim: … and ${journal.rejected.length - shown.length} more journal records not used, recomputed.\n`);
}

/** Runs (or resumes) a sweep into `options.outDir`, holding the folder's lock throughout. */
export async function runSweep(plan: SweepPlan, options: SweepOptions): Promise<SweepOutcome> {
  return withFolderLock(options.outDir, commandLine(options.argv), options.io.stderr, () => sweepLocked(plan, options));
}

async function sweepLocked(plan: SweepPlan, options: SweepOptions): Promise<SweepOutcome> {
  const { outDir, io } = options;
  const range = shardRange(plan.totalRuns, options.shard);
  const stateDir = join(outDir, STATE_DIR);
  const statePath = join(stateDir, 'plan.json');
  const journalPath = join(stateDir, 'journal.bin');
  const state: StateFile = { fingerprint: plan.fingerprint, shard: shardKey(options.shard), command: commandLine(options.argv), totalRuns: plan.totalRuns };

  const previous = existsSync(statePath) ? readJson<StateFile>(statePath) : undefined;
  if (options.resume) refuseDamagedPlan(statePath, journalPath, previous);
  if (existsSync(stateDir)) {
    if (!options.resume) {
      throw new InputError(`${outDir} holds an unfinished sweep${previous ? ` (${previous.command})` : ''}.`, [],
        'Continue it with the same command and --resume, or give another --out (or delete that directory) to start again.');
    }
    if (previous && (previous.fingerprint !== plan.fingerprint || !sameShard(previous.shard, state.shard))) {
      throw new InputError(`--resume: the unfinished sweep in ${outDir} is a different experiment (other scenario, design, seed, replicates or shard).`, [],
        `It was started with: ${previous.command}`);
    }
  } else if (options.resume) {
    const done = readJson<SweepManifest>(join(outDir, 'manifest.json'));
    if (done && done.fingerprint === plan.fingerprint && sameShard(done.shard ? shardKey(done.shard) : null, state.shard)) {
      // "Already complete" only for tables that still match the hashes written with them.
      const problem = checkIntegrity(outDir, done);
      if (problem) {
        throw new InputError(`--resume: ${outDir} holds this sweep's results, but ${problem}.`, [],
          `The journal is gone, so nothing can be kept: delete ${outDir} (or give another --out) and run the command again without --resume.`);
      }
      return { status: 'already-complete', computed: 0, reused: range.end - range.first, share: { mainThread: 0, workerThreads: 0 }, range, files: [], manifest: done };
    }
    // --resume promises to continue what is there; over another experiment's results it would replace them.
    if (done && typeof done.fingerprint === 'string') {
      throw new InputError(`--resume: ${outDir} holds the finished results of a different experiment (other scenario, design, seed, replicates or shard).`, [],
        `They were made with: ${done.command ?? 'another command'}. Give another --out, or leave out --resume to replace them.`);
    }
  }
  makeOutDir(stateDir);
  if (!previous) writeFilesAtomically(stateDir, [{ name: 'plan.json', chunks: [`${JSON.stringify(state, null, 2)}\n`] }], { durable: true });

  const journal = Journal.open(journalPath, !previous, { fingerprint: plan.fingerprint, runs: range });
  // Under the lock, temp files here are an earlier writer's, killed while writing: never used.
  removeStaleTemporaries(outDir);
  removeStaleTemporaries(stateDir);
  if (journal.truncated > 0 && !options.quiet) {
    io.stderr(`partnersim: cut ${journal.truncated} bytes of an interrupted record off the journal; that run is computed again.\n`);
  }
  reportRejected(journal, io);
  const pending: number[] = [];
  for (let run = range.first; run < range.end; run++) if (!journal.entries.has(run)) pending.push(run);
  const reused = range.end - range.first - pending.length;
  const progress = new ProgressBar({
    write: io.stderr, enabled: io.stderrIsTTY && !options.quiet, now: io.now, unit: 'runs', rate: true, startDone: reused,
    // A log file (a cluster job's) gets progress lines even with --quiet: a killed job's log then says how far it got.
    lines: !io.stderrIsTTY,
  });
  let done = reused;
  const startedAt = performance.now();
  const compute = (runs: number[], showProgress = true) => executeRuns({
    plan, runs, workers: options.workers, workerUrl: options.workerUrl, signal: options.signal,
    onRecord: (record) => {
      journal.append(record);
      if (showProgress) progress.update(++done, range.end - range.first);
    },
  });
  let share: ThreadShare;
  /** Runs kept from the journal that failed their check when read, and were computed after all. */
  let recomputed = 0;
  try {
    share = await compute(pending);
  } catch (error) {
    progress.finish();
    journal.close();
    if (error instanceof SweepInterrupted) {
      (error as SweepInterrupted & { saved?: number }).saved = done - reused;
    }
    throw error;
  }
  progress.finish();
  journal.sync();

  const records = function* (withTrajectory: boolean): Generator<RunRecord> {
    for (let run = range.first; run < range.end; run++) yield recordOf(plan, journal.read(run), withTrajectory);
  };
  const computedAt = performance.now();
  let written;
  try {
    // Every read checks its record again; one that fails (the file changed since it was written)
    // is recomputed and the tables written again — a few times at most, then the sweep fails.
    for (let attempt = 0; ; attempt++) {
      try {
        written = await writeResults(outDir, plan, records, options, range, plan.layout, {}, () => {
          if (options.signal?.aborted) throw interruptedBy(options.signal, pending.length);
        });
        break;
      } catch (error) {
        if (!(error instanceof JournalRecordError) || attempt >= 3) throw error;
        io.stderr(`partnersim: ${error.message}; not used, recomputed.\n`);
        await compute([error.run], false);
        if (!pending.includes(error.run)) recomputed++; // a kept run now computed
        journal.sync();
      }
    }
  } finally {
    journal.close();
  }
  if (process.env.PARTNERSIM_TIMING) {
    io.stderr(`partnersim: timing: runs ${(computedAt - startedAt).toFixed(0)} ms, tables ${(performance.now() - computedAt).toFixed(0)} ms\n`);
  }
  rmSync(stateDir, { recursive: true, force: true });
  return { status: 'complete', computed: pending.length + recomputed, reused: reused - recomputed, share, range, files: written!.files, manifest: written!.manifest };
}

/** A signal during the final write: the write is abandoned, the journal (all `saved` runs) kept for --resume. */
function interruptedBy(signal: AbortSignal, saved: number): SweepInterrupted {
  const error = new SweepInterrupted(typeof signal.reason === 'string' ? signal.reason : 'a signal');
  (error as SweepInterrupted & { saved?: number }).saved = saved;
  return error;
}

/**
 * With --resume, a plan.json that cannot be read (or a journal without one) is refused: resuming
 * would start a fresh journal over the runs already computed, and nothing could prove whose they are.
 */
function refuseDamagedPlan(statePath: string, journalPath: string, previous: StateFile | undefined): void {
  const journalBytes = existsSync(journalPath) ? statSync(journalPath).size : 0;
  const readable = previous !== undefined && typeof previous === 'object' && previous !== null &&
    typeof previous.fingerprint === 'string' && typeof previous.command === 'string';
  if (readable || (!existsSync(statePath) && journalBytes === 0)) return;
  throw new InputError(`--resume: ${statePath} ${existsSync(statePath) ? 'is damaged (not a readable sweep plan)' : 'is missing'}, ` +
    `so the ${journalBytes.toLocaleString('en-GB')}-byte journal beside it cannot be shown to belong to this sweep. Nothing was changed.`, [],
    `Restore plan.json if you have a copy, or delete ${dirname(statePath)} to start the sweep again (its runs are then computed afresh).`);
}

/** Runs one run alone (same numbers as in the sweep) and writes it into `dir`. */
export async function runOnly(plan: SweepPlan, run: number, dir: string, options: Pick<SweepOptions, 'csv' | 'rounds' | 'argv'>): Promise<{ record: RunRecord; command: string; files: string[] }> {
  const { point, replicate } = runCoordinates(plan, run);
  const data = decodeRun(simulateRun(plan.scenarios[point], plan.seed, { run, point, replicate }, plan.localities, plan.fingerprint));
  const record = recordOf(plan, data, true);
  const { files } = await withFolderLock(dir, commandLine(options.argv), (line) => process.stderr.write(line),
    () => writeResults(dir, plan, () => [record], { ...options, shard: undefined }, { first: run, end: run + 1 }));
  return { record, command: runCommandFor(plan, run), files };
}
