/**
 * A disk that fills up (issue #16): `run`, `sweep` and `merge` write into a 2 MiB tmpfs that a
 * filler file leaves only a little room on. Each must fail with a plain message and exit 1,
 * leave no half-written result file (no result at all, or none of its temporary files), and
 * once the filler is removed the same command (`--resume` for a sweep) completes to the same
 * bytes as a run on a roomy disk. Mounting needs root: CI runs as root (.ci/run) and there the
 * test must run; elsewhere it is skipped with the reason printed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIn } from './in-process.ts';

let base: string;
let disk: string;
let mounted = false;
let reason = '';

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'partnersim-diskfull-'));
  disk = join(base, 'disk');
  mkdirSync(disk);
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', disk], { encoding: 'utf8' });
  mounted = mount.status === 0;
  reason = mounted ? '' : `cannot mount a tmpfs (${(mount.stderr || mount.error?.message || 'not root').trim()})`;
  if (!mounted) console.warn(`disk-full tests skipped: ${reason}`);
});

afterAll(() => {
  if (mounted) spawnSync('umount', [disk]);
  rmSync(base, { recursive: true, force: true });
});

/** Fills the tmpfs until about `room` bytes are left (whole pages). */
function leaveRoom(room: number): void {
  rmSync(join(disk, 'filler'), { force: true });
  const { bavail, bsize } = statfsSync(disk);
  const fill = Math.max(0, bavail * bsize - room);
  writeFileSync(join(disk, 'filler'), Buffer.alloc(fill));
}

function freeSpace(): void {
  rmSync(join(disk, 'filler'), { force: true });
}

/** Under CI the mount must work; elsewhere a missing mount skips the case (returns false). */
function canRun(): boolean {
  if (mounted) return true;
  expect(process.env.CI, `CI must run the disk-full tests: ${reason}`).not.toBe('true');
  return false;
}

/** Files left in `dir` (recursively), hidden ones included. */
function listing(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

function expectCleanFailure(result: { code: number; err: string }, dir: string, results: string[]) {
  expect(result.code, result.err).toBe(1);
  expect(result.err).toMatch(/no space left on the device .*\(ENOSPC\)/);
  expect(result.err).not.toMatch(/^\s+at /m);
  const left = listing(dir);
  for (const name of results) expect(left, `a half-written ${name}`).not.toContain(name);
  expect(left.filter((f) => f.endsWith('.tmp')), 'temporary files left behind').toEqual([]);
}

const same = (a: string, b: string) => readFileSync(a).equals(readFileSync(b));

describe('a full disk', () => {
  it('run: clear message, exit 1, nothing half-written; the same command after freeing space gives the same bytes', async () => {
    if (!canRun()) return;
    const args = ['run', 'public-goods-lab', '--replicates', '3', '--no-charts', '--out', 'r'];
    const roomy = join(base, 'roomy-run');
    mkdirSync(roomy);
    expect((await cliIn(roomy, args)).code).toBe(0);
    for (const room of [4096, 16_384]) {
      rmSync(join(disk, 'r'), { recursive: true, force: true });
      leaveRoom(room);
      expectCleanFailure(await cliIn(disk, args), join(disk, 'r'), ['trajectories.csv', 'summary.json']);
    }
    freeSpace();
    expect((await cliIn(disk, args)).code).toBe(0);
    for (const name of ['trajectories.csv', 'summary.json']) expect(same(join(disk, 'r', name), join(roomy, 'r', name)), name).toBe(true);
  });

  it('sweep: fails cleanly wherever the space runs out (journal or tables), and --resume completes to the same bytes', async () => {
    if (!canRun()) return;
    const args = ['sweep', 'public-goods-lab', '--param', 'trust.initial=0.3,0.5', '--replicates', '3', '--workers', '1', '--quiet', '--out', 's'];
    const roomy = join(base, 'roomy-sweep');
    mkdirSync(roomy);
    expect((await cliIn(roomy, args)).code).toBe(0);
    let failures = 0;
    let inTables = 0;
    // Every 8 KiB from 8 KiB to 128 KiB: the space runs out while journalling runs, and (once the journal fits) while writing the tables.
    for (const room of Array.from({ length: 16 }, (_, k) => 8192 * (k + 1))) {
      rmSync(join(disk, 's'), { recursive: true, force: true });
      leaveRoom(room);
      const first = await cliIn(disk, args);
      if (first.code !== 0) {
        failures++;
        // With --quiet a log still gets a progress line per tenth of the runs: 6/6 means every run was journalled.
        if (first.err.includes('6/6 runs done')) inTables++;
        expectCleanFailure(first, join(disk, 's'), ['runs.parquet', 'rounds.parquet', 'manifest.json']);
        freeSpace();
        const resumed = await cliIn(disk, [...args, '--resume']);
        expect(resumed.code, resumed.err).toBe(0);
      }
      for (const name of ['runs.parquet', 'rounds.parquet']) expect(same(join(disk, 's', name), join(roomy, 's', name)), `${name} with ${room} bytes free`).toBe(true);
    }
    expect(failures, 'at least one amount of free space must be too little').toBeGreaterThan(0);
    expect(inTables, 'the space must run out after the last run at least once (in the final tables)').toBeGreaterThan(0);
  });

  it('merge: clear message, exit 1, nothing half-written; merging again after freeing space gives the same bytes', async () => {
    if (!canRun()) return;
    const roomy = join(base, 'roomy-merge');
    mkdirSync(roomy);
    const sweep = ['sweep', 'public-goods-lab', '--param', 'trust.initial=0.3,0.5', '--replicates', '3', '--workers', '1', '--quiet'];
    for (const k of [1, 2]) expect((await cliIn(roomy, [...sweep, '--shard', `${k}/2`, '--out', `shard-${k}`])).code).toBe(0);
    const merge = ['merge', join(roomy, 'shard-1'), join(roomy, 'shard-2'), '--out', 'merged'];
    expect((await cliIn(roomy, merge)).code).toBe(0);
    for (const room of [4096, 20_480]) {
      rmSync(join(disk, 'merged'), { recursive: true, force: true });
      leaveRoom(room);
      expectCleanFailure(await cliIn(disk, merge), join(disk, 'merged'), ['runs.parquet', 'rounds.parquet', 'manifest.json']);
    }
    freeSpace();
    expect((await cliIn(disk, merge)).code).toBe(0);
    for (const name of ['runs.parquet', 'rounds.parquet', 'manifest.json']) expect(same(join(disk, 'merged', name), join(roomy, 'merged', name)), name).toBe(true);
  });
});
