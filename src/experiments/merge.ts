/**
 * `partnersim merge`: joins the directories of the N shards of one sweep into the result the
 * unsharded sweep gives — the same runs.parquet and rounds.parquet bytes (rows in run order, row
 * groups over the same run blocks) and a manifest recording the merge. Shards must come from the
 * same experiment (same fingerprint) and cover 1…N exactly once, and each must pass every check
 * of `partnersim verify` (file hashes, run range, both tables holding exactly its runs): a swapped,
 * damaged, truncated or missing file is refused with exit 2 naming the shard and the file.
 */
import { InputError } from '../documents/errors.ts';
import { writeFilesAtomicallyAsync, type FileDigest, type OutputFile } from '../io/output.ts';
import { withFolderLock } from '../io/lock.ts';
import type { ReadTable } from '../io/parquet.ts';
import { packageVersion } from '../io/version.ts';
import { commandLine, integrityOf, manifestJson, tableEntries, type SweepManifest } from './manifest.ts';
import { analyse, sensitivityJson, settingsFromRecord } from './sensitivity.ts';
import {
  recordsFromTables, roundsCsv, roundsParquet, runsCsv, runsParquet, type RunRecord,
} from './tables.ts';
import { folderLabel, readSweepManifest, verifySweepFolder } from './verify.ts';

export interface MergeOptions {
  outDir: string;
  csv: boolean;
  argv: readonly string[];
  /** Called while writing; throws to abandon the write (a signal), leaving --out as it was. */
  stop?: () => void;
}

export async function mergeShards(dirs: readonly string[], options: MergeOptions): Promise<{ manifest: SweepManifest; files: string[] }> {
  if (dirs.length === 0) throw new InputError('merge needs the shard directories to join.');
  const shards = dirs.map((dir) => ({ dir, manifest: readSweepManifest(dir) }));
  for (const { dir, manifest } of shards) {
    if (!manifest.shard) throw new InputError(`${dir} is a whole sweep, not a shard: there is nothing to merge it with.`);
  }
  const first = shards[0].manifest;
  for (const { dir, manifest } of shards) {
    if (manifest.fingerprint !== first.fingerprint) {
      throw new InputError(`${dir} is a shard of a different sweep than ${shards[0].dir} (their fingerprints differ).`, [],
        `${shards[0].dir}: ${first.command}\n${dir}: ${manifest.command}`);
    }
    if (manifest.shard!.count !== first.shard!.count) throw new InputError(`${dir} is one of ${manifest.shard!.count} shards, ${shards[0].dir} one of ${first.shard!.count}.`);
  }
  const count = first.shard!.count;
  shards.sort((a, b) => a.manifest.shard!.index - b.manifest.shard!.index);
  const indices = shards.map((s) => s.manifest.shard!.index);
  const twice = indices.find((k, i) => indices.indexOf(k) !== i);
  if (twice !== undefined) throw new InputError(`shard ${twice}/${count} is given twice.`);
  const missing = Array.from({ length: count }, (_, k) => k + 1).filter((k) => !indices.includes(k));
  if (missing.length > 0) throw new InputError(`shards ${missing.map((k) => `${k}/${count}`).join(', ')} are missing; merge needs all ${count}.`);

  const layout = first.tables.layout;
  const withRounds = shards.every((s) => s.manifest.tables.files['rounds.parquet']);
  const csv = options.csv || shards.every((s) => s.manifest.tables.files['runs.csv']);
  const tables: { runs: ReadTable; rounds?: ReadTable }[] = [];
  let expected = 0;
  for (const { dir, manifest } of shards) {
    // Hashes, run range, and both tables holding exactly this shard's runs (src/experiments/verify.ts).
    const { runs, rounds } = await verifySweepFolder(dir, manifest);
    if (withRounds && !rounds) throw new InputError(`${folderLabel(dir, manifest)} has no rounds.parquet, unlike the other shards.`);
    if (manifest.runs.first !== expected) throw new InputError(`${folderLabel(dir, manifest)} starts at run ${manifest.runs.first}, not ${expected}.`);
    expected = manifest.runs.end;
    tables.push({ runs, rounds: withRounds ? rounds : undefined });
  }
  if (expected !== first.runs.total) throw new InputError(`the shards hold ${expected} runs; the sweep has ${first.runs.total}.`);

  const records = function* (): Generator<RunRecord> {
    for (const t of tables) yield* recordsFromTables(layout, t.runs, t.rounds);
  };
  let roundsRows = 0;
  for (const t of tables) roundsRows += t.rounds?.rows ?? 0;
  const version = packageVersion();
  const files: OutputFile[] = [{ name: 'runs.parquet', chunks: runsParquet(layout, records(), version) }];
  if (withRounds) files.push({ name: 'rounds.parquet', chunks: roundsParquet(layout, records(), version) });
  if (csv) {
    files.push({ name: 'runs.csv', chunks: runsCsv(layout, records()) });
    if (withRounds) files.push({ name: 'rounds.csv', chunks: roundsCsv(records()) });
  }
  let sensitivity: Record<string, unknown> | undefined;
  if (first.kind === 'sensitivity') {
    const settings = settingsFromRecord(first.design);
    const result = analyse(settings, records());
    sensitivity = { indices: result.indices };
    files.push({ name: 'sensitivity.json', chunks: [sensitivityJson(settings, result)] });
  }
  const { shard: _shard, ...rest } = first;
  const manifest: SweepManifest = {
    ...rest,
    command: commandLine(options.argv),
    argv: [...options.argv],
    createdBy: `partnersim ${version} on Node.js ${process.version}`,
    runs: { ...first.runs, first: 0, end: first.runs.total },
    tables: { layout, files: tableEntries(layout, first.runs.total, withRounds ? roundsRows : undefined, csv) },
    ...(sensitivity ? { sensitivity } : {}),
    mergedFrom: shards.map((s) => s.manifest.command),
  };
  const digests = new Map<string, FileDigest>();
  files.push({ name: 'manifest.json', chunks: (function* () {
    manifest.integrity = integrityOf(digests);
    yield manifestJson(manifest);
  })() });
  // The shards are only read until here; the lock covers the writing (src/io/lock.ts).
  await withFolderLock(options.outDir, commandLine(options.argv), (line) => process.stderr.write(line),
    () => writeFilesAtomicallyAsync(options.outDir, files, { durable: true, digests, stop: options.stop }));
  return { manifest, files: files.map((f) => f.name) };
}
