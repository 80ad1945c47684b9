/**
 * Checking a result folder against its manifest (`partnersim verify`, and `merge` before it
 * joins shards): every file the manifest lists is present with the size and SHA-256 recorded when
 * it was written; a shard's run range is the one its index gives; the tables parse, have the
 * recorded rows and columns, hold exactly the runs of that range in order (run, point and
 * replicate as numbered), in both runs.parquet and rounds.parquet, and each run's summary in
 * runs.parquet is the one its rounds give. Anything else is an InputError (exit 2) naming the
 * folder and file; parser errors are never passed on as they are.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../documents/errors.ts';
import { fileDigest } from '../io/digest.ts';
import { readParquet, type ReadTable } from '../io/parquet.ts';
import type { Integrity, SweepManifest } from './manifest.ts';
import { shardRange } from './shard.ts';
import { STATE_DIR } from './sweep.ts';
import { recordsFromTables, summarise } from './tables.ts';

/**
 * What is wrong with the files of `dir` against `integrity` (size and SHA-256 only), or null.
 * `listed` are files the manifest describes otherwise, which must have a hash too.
 */
export function integrityProblem(dir: string, integrity: Integrity | undefined, listed: readonly string[] = []): string | null {
  if (!integrity || integrity.algorithm !== 'sha256' || typeof integrity.files !== 'object' || integrity.files === null) {
    return 'its manifest records no file hashes (written by an older partnersim, or edited), so its files cannot be checked';
  }
  for (const name of listed) if (!integrity.files[name]) return `${name} is listed in the manifest without a hash`;
  for (const [name, recorded] of Object.entries(integrity.files)) {
    const path = join(dir, name);
    if (name.includes('/') || name.includes('\\') || name.startsWith('.')) return `the manifest lists an unexpected file name ${JSON.stringify(name.slice(0, 80))}`;
    if (!existsSync(path)) return `${name} is missing`;
    const size = statSync(path).size;
    if (size !== recorded.bytes) return `${name} has ${size.toLocaleString('en-GB')} bytes where ${recorded.bytes.toLocaleString('en-GB')} were written (truncated, extended or replaced)`;
    if (fileDigest(path).sha256 !== recorded.sha256) return `${name} does not match the SHA-256 recorded when it was written (changed or replaced since)`;
  }
  return null;
}

/** integrityProblem for a sweep manifest (tables, CSV and sensitivity.json). */
export function checkIntegrity(dir: string, manifest: SweepManifest): string | null {
  return integrityProblem(dir, manifest.integrity, Object.keys(manifest.tables?.files ?? {}));
}

/** How a folder is named in messages: `shard 2/4 (DIR)` or the folder. */
export function folderLabel(dir: string, manifest: SweepManifest): string {
  return manifest.shard ? `shard ${manifest.shard.index}/${manifest.shard.count} (${dir})` : dir;
}

async function readTable(dir: string, name: string, label: string): Promise<ReadTable> {
  try {
    return await readParquet(join(dir, name));
  } catch {
    throw new InputError(`${label}: ${name} is not a readable Parquet file (damaged or not written by partnersim).`);
  }
}

export interface VerifiedSweep {
  runs: ReadTable;
  rounds?: ReadTable;
  /** Files checked against their hashes (the manifest not counted). */
  files: number;
}

/** Reads a sweep manifest, or throws naming what is wrong with it. */
export function readSweepManifest(dir: string): SweepManifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) {
    const unfinished = existsSync(join(dir, STATE_DIR));
    throw new InputError(`${dir} has no manifest.json${unfinished ? ': that sweep or shard is unfinished' : ''}.`, [],
      unfinished ? 'Finish it first: run its command again with --resume.' : 'Give the output directory of a sweep, a sensitivity analysis, a shard or a merge.');
  }
  let manifest: SweepManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as SweepManifest;
  } catch {
    throw new InputError(`${path} is not readable JSON (damaged or truncated).`);
  }
  if (manifest?.tool !== 'partnersim' || !manifest.tables?.files || !manifest.runs) throw new InputError(`${path} is not a partnersim sweep manifest.`);
  return manifest;
}

/** Every check on one sweep, shard or merged folder; the tables read, for merge. */
export async function verifySweepFolder(dir: string, manifest: SweepManifest): Promise<VerifiedSweep> {
  const label = folderLabel(dir, manifest);
  const fail = (message: string): never => {
    throw new InputError(`${label}: ${message}.`, [], 'Nothing was written. Re-run the sweep or shard that wrote this folder (the manifest has its command).');
  };
  const problem = checkIntegrity(dir, manifest);
  if (problem) fail(problem);
  const { total, first, end } = manifest.runs;
  const expected = shardRange(total, manifest.shard);
  if (first !== expected.first || end !== expected.end) {
    fail(`the manifest gives runs ${first}–${end - 1}, but ${manifest.shard ? `shard ${manifest.shard.index}/${manifest.shard.count}` : 'a whole sweep'} of ${total} runs is ${expected.first}–${expected.end - 1}`);
  }
  const files = manifest.tables.files;
  if (!files['runs.parquet']) fail('the manifest lists no runs.parquet');
  const runs = await readTable(dir, 'runs.parquet', label);
  const rounds = files['rounds.parquet'] ? await readTable(dir, 'rounds.parquet', label) : undefined;
  for (const [name, table] of [['runs.parquet', runs], ['rounds.parquet', rounds]] as const) {
    if (!table) continue;
    const entry = files[name];
    if (table.rows !== entry.rows) fail(`${name} has ${table.rows} rows; the manifest says ${entry.rows}`);
    const names = entry.columns.map((c) => c.name);
    if (table.names.join('\n') !== names.join('\n')) fail(`${name} does not have the columns the manifest lists`);
  }
  if (runs.rows !== end - first) fail(`runs.parquet has ${runs.rows} rows for the ${end - first} runs ${first}–${end - 1}`);
  const replicates = manifest.replicates;
  const col = (t: ReadTable, name: string) => t.columns[name] as ArrayLike<number>;
  const [run, point, replicate] = ['run', 'point', 'replicate'].map((n) => col(runs, n));
  for (let i = 0; i < runs.rows; i++) {
    const want = first + i;
    if (run[i] !== want) fail(`runs.parquet row ${i} holds run ${run[i]} where run ${want} belongs`);
    if (point[i] !== Math.floor(want / replicates) || replicate[i] !== want % replicates) fail(`runs.parquet: run ${want} has the wrong point or replicate`);
  }
  if (rounds) {
    const [rRun, rPoint, rReplicate, rRound] = ['run', 'point', 'replicate', 'round'].map((n) => col(rounds, n));
    let row = 0;
    for (let want = first; want < end; want++) {
      if (row >= rounds.rows) fail(`rounds.parquet has no rows for run ${want} (nor any later run)`);
      if (rRun[row] !== want) fail(`rounds.parquet holds run ${rRun[row]} where run ${want}'s rows belong: its rows do not line up with runs.parquet (a file from another shard or sweep?)`);
      const start = row;
      while (row < rounds.rows && rRun[row] === want) row++;
      let width = 0;
      while (start + width < row && rRound[start + width] === 0) width++;
      if (width === 0 || (row - start) % width !== 0) fail(`rounds.parquet: run ${want}'s rows are not whole rounds`);
      for (let k = start; k < row; k++) {
        if (rRound[k] !== Math.floor((k - start) / width)) fail(`rounds.parquet: run ${want}'s rounds are out of order`);
        if (rPoint[k] !== Math.floor(want / replicates) || rReplicate[k] !== want % replicates) fail(`rounds.parquet: run ${want} has the wrong point or replicate`);
      }
    }
    if (row !== rounds.rows) fail(`rounds.parquet holds rows of run ${rRun[row]} after the last run ${end - 1}`);
    // Each run's row in runs.parquet must be what its rounds give (the two tables of one sweep).
    for (const record of recordsFromTables(manifest.tables.layout, runs, rounds)) {
      const again = summarise(record.trajectory!);
      if (!again.every((v, k) => Object.is(v, record.summary[k]))) fail(`run ${record.run}'s summary in runs.parquet is not the one its rows in rounds.parquet give`);
    }
  }
  return { runs, rounds, files: Object.keys(manifest.integrity!.files).length };
}

export interface Verified {
  kind: 'run' | 'compare' | 'sweep' | 'sensitivity' | 'shard' | 'merged';
  files: number;
  runs: number;
}

/** `partnersim verify DIR`: any result folder (run, compare, sweep, sensitivity, shard, merged). */
export async function verifyFolder(dir: string): Promise<Verified> {
  if (!existsSync(dir)) throw new InputError(`${dir}: no such folder.`);
  if (!existsSync(join(dir, 'manifest.json')) && existsSync(join(dir, 'summary.json'))) return verifyRunFolder(dir);
  const manifest = readSweepManifest(dir);
  const { files } = await verifySweepFolder(dir, manifest);
  const kind = manifest.shard ? 'shard' : manifest.mergedFrom ? 'merged' : manifest.kind;
  return { kind, files, runs: manifest.runs.end - manifest.runs.first };
}

/** A `run` or `compare` folder: trajectories.csv against summary.json's hash. */
function verifyRunFolder(dir: string): Verified {
  const path = join(dir, 'summary.json');
  let summary: { tool?: string; command?: string; labels?: string[]; replicates?: number; integrity?: Integrity };
  try {
    summary = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new InputError(`${path} is not readable JSON (damaged or truncated).`);
  }
  if (summary?.tool !== 'partnersim' || !Array.isArray(summary.labels)) throw new InputError(`${path} is not a partnersim run summary.`);
  const problem = integrityProblem(dir, summary.integrity, ['trajectories.csv']);
  if (problem) throw new InputError(`${dir}: ${problem}.`, [], 'Run the command in summary.json again to rebuild the folder.');
  const command = /^partnersim compare\b/.test(summary.command ?? '') ? 'compare' : 'run';
  return { kind: command, files: Object.keys(summary.integrity!.files).length, runs: summary.labels.length * (summary.replicates ?? 0) };
}
