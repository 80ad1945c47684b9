/**
 * Merges that check what they merge, and `partnersim verify` (issue #17), in-process: shards of
 * one small sweep (4 points × 6 replicates = 24 runs, 3 shards) are damaged in each way the
 * tester found — a rounds.parquet swapped between shards (with and without its hash patched in),
 * single-bit flips at spread-out offsets of both tables, truncated and missing files, a
 * manifest without hashes or with a wrong run range — and every one is refused with exit 2
 * naming the shard and the file, never with a parser's own text, and writes nothing.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { fileDigest } from '../src/io/digest.ts';

let cwd: string;
const GRID = ['gm-2017', '--param', 'regime.accountability=0:1:4', '--replicates', '6', '--rounds', '24', '--workers', '1', '--quiet'];
const SHARDS = ['s1', 's2', 's3'];

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, {
    stdout: (t) => void (out += t), stderr: (t) => void (err += t), stdoutIsTTY: false, stderrIsTTY: false, cwd, now: () => 0,
  });
  return { code, out, err };
}

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'partnersim-merge-verify-'));
  expect((await cli(['sweep', ...GRID, '--out', 'whole'])).code).toBe(0);
  for (const [k, dir] of SHARDS.entries()) expect((await cli(['sweep', ...GRID, '--shard', `${k + 1}/3`, '--out', dir])).code).toBe(0);
});

/** A fresh copy of the three shards to damage. */
function copies(name: string): string[] {
  return SHARDS.map((dir) => {
    const to = `${name}-${dir}`;
    cpSync(join(cwd, dir), join(cwd, to), { recursive: true });
    return to;
  });
}

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(cwd, dir, 'manifest.json'), 'utf8'));

/** merge must refuse: exit 2, the shard and file named, no parser text, nothing written. */
async function refused(dirs: string[], out: string, ...expected: (string | RegExp)[]) {
  const result = await cli(['merge', ...dirs, '--out', out]);
  expect(result.code, result.err).toBe(2);
  for (const e of expected) expect(result.err).toMatch(e);
  expect(result.err).not.toMatch(/PAR1|thrift|at .*\.(ts|js):\d+|RangeError|TypeError/);
  expect(existsSync(join(cwd, out, 'manifest.json'))).toBe(false);
  expect(existsSync(join(cwd, out, 'runs.parquet'))).toBe(false);
  return result.err;
}

describe('merge verifies every shard', () => {
  it('intact shards merge to the unsharded bytes, and the manifests record each file\'s size and SHA-256', async () => {
    const result = await cli(['merge', ...SHARDS, '--out', 'merged']);
    expect(result.code, result.err).toBe(0);
    for (const name of ['runs.parquet', 'rounds.parquet']) {
      expect(readFileSync(join(cwd, 'merged', name)).equals(readFileSync(join(cwd, 'whole', name)))).toBe(true);
      for (const dir of ['whole', 's2', 'merged']) {
        expect(manifestOf(dir).integrity.files[name]).toEqual(fileDigest(join(cwd, dir, name)));
      }
    }
    expect(manifestOf('s2').runs).toMatchObject({ total: 24, first: 8, end: 16 });
  });

  it("refuses a rounds.parquet copied over another shard's, naming the shard and the file", async () => {
    const [a, b, c] = copies('swapped');
    copyFileSync(join(cwd, b, 'rounds.parquet'), join(cwd, a, 'rounds.parquet'));
    await refused([a, b, c], 'swapped-out', /shard 1\/3 \(.*swapped-s1\): rounds\.parquet/);
  });

  it('refuses the swapped file even with its hash patched into the manifest: its rows do not line up', async () => {
    const [a, b, c] = copies('patched');
    copyFileSync(join(cwd, b, 'rounds.parquet'), join(cwd, a, 'rounds.parquet'));
    const manifest = manifestOf(a);
    manifest.integrity.files['rounds.parquet'] = fileDigest(join(cwd, a, 'rounds.parquet'));
    manifest.tables.files['rounds.parquet'].rows = manifestOf(b).tables.files['rounds.parquet'].rows;
    writeFileSync(join(cwd, a, 'manifest.json'), JSON.stringify(manifest));
    await refused([a, b, c], 'patched-out', /shard 1\/3 .*rounds\.parquet holds run 8 where run 0's rows belong/);
  });

  it('refuses every single-bit flip in either table (12 offsets spread over each file of each shard)', async () => {
    const [a, b, c] = copies('flipped');
    const dirs = [a, b, c];
    for (const [k, dir] of dirs.entries()) {
      for (const name of ['runs.parquet', 'rounds.parquet']) {
        const path = join(cwd, dir, name);
        const original = readFileSync(path);
        for (let f = 0; f < 12; f++) {
          const at = Math.floor(((f + 0.5) / 12) * original.length);
          const damaged = Buffer.from(original);
          damaged[at] ^= 1 << (f % 8);
          writeFileSync(path, damaged);
          await refused(dirs, 'flipped-out', new RegExp(`shard ${k + 1}/3 \\(.*${dir}\\): ${name.replace('.', '\\.')} does not match the SHA-256`));
        }
        writeFileSync(path, original);
      }
    }
  });

  it('refuses truncated and missing files, and a manifest cut short, with a message instead of parser text', async () => {
    const [a, b, c] = copies('cut');
    const runs = join(cwd, b, 'runs.parquet');
    const saved = readFileSync(runs);
    truncateSync(runs, saved.length - 100);
    await refused([a, b, c], 'cut-out', /shard 2\/3 .*runs\.parquet has [\d,]+ bytes where [\d,]+ were written/);
    rmSync(runs);
    await refused([a, b, c], 'cut-out', /shard 2\/3 .*runs\.parquet is missing/);
    writeFileSync(runs, saved);
    const manifest = readFileSync(join(cwd, c, 'manifest.json'), 'utf8');
    writeFileSync(join(cwd, c, 'manifest.json'), manifest.slice(0, manifest.length / 2));
    await refused([a, b, c], 'cut-out', /cut-s3\/manifest\.json is not readable JSON/);
  });

  it('refuses a manifest without file hashes, and one whose run range is not its shard\'s', async () => {
    const [a, b, c] = copies('ranged');
    const unhashed = manifestOf(a);
    delete unhashed.integrity;
    writeFileSync(join(cwd, a, 'manifest.json'), JSON.stringify(unhashed));
    await refused([a, b, c], 'ranged-out', /shard 1\/3 .*records no file hashes/);
    cpSync(join(cwd, 's1'), join(cwd, a), { recursive: true });
    const moved = manifestOf(c);
    moved.runs.first = 17;
    writeFileSync(join(cwd, c, 'manifest.json'), JSON.stringify(moved));
    await refused([a, b, c], 'ranged-out', /shard 3\/3 .*runs 17–23, but shard 3\/3 of 24 runs is 16–23/);
  });
});

describe('partnersim verify', () => {
  it('passes whole sweeps, shards and merges with one line each (files and runs)', async () => {
    const result = await cli(['verify', 'whole', 's1', 's2', 's3', 'merged']);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toBe([
      'whole: verified 2 files, 24 runs (sweep).', 's1: verified 2 files, 8 runs (shard).', 's2: verified 2 files, 8 runs (shard).',
      's3: verified 2 files, 8 runs (shard).', 'merged: verified 2 files, 24 runs (merged).', '',
    ].join('\n'));
  });

  it('refuses a damaged sweep folder with exit 2 naming the file', async () => {
    cpSync(join(cwd, 'whole'), join(cwd, 'whole-flip'), { recursive: true });
    const path = join(cwd, 'whole-flip', 'rounds.parquet');
    const bytes = readFileSync(path);
    bytes[Math.floor(bytes.length / 3)] ^= 4;
    writeFileSync(path, bytes);
    const result = await cli(['verify', 'whole-flip']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/whole-flip: rounds\.parquet does not match the SHA-256/);
  });

  it('checks a run folder (trajectories.csv against summary.json), and refuses an unfinished sweep', async () => {
    expect((await cli(['run', 'gm-2017', '--replicates', '2', '--rounds', '12', '--no-charts', '--out', 'one-run'])).code).toBe(0);
    const ok = await cli(['verify', 'one-run']);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toBe('one-run: verified 1 file, 2 runs (run).\n');
    const csv = join(cwd, 'one-run', 'trajectories.csv');
    writeFileSync(csv, readFileSync(csv, 'utf8').replace(/,0\.5/, ',0.6'));
    expect(statSync(csv).size).toBeGreaterThan(0);
    const bad = await cli(['verify', 'one-run']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/one-run: trajectories\.csv does not match the SHA-256/);
    const unfinished = join(cwd, 'unfinished', '.partnersim-sweep');
    cpSync(join(cwd, 's1'), join(cwd, 'unfinished'), { recursive: true });
    rmSync(join(cwd, 'unfinished', 'manifest.json'));
    mkdirSync(unfinished);
    writeFileSync(join(unfinished, 'plan.json'), '{}');
    const partial = await cli(['verify', 'unfinished']);
    expect(partial.code).toBe(2);
    expect(partial.err).toMatch(/unfinished has no manifest\.json: that sweep or shard is unfinished/);
  });
});
