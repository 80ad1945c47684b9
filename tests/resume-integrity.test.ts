/**
 * What --resume and later writes must not trust or leave behind (issue #17), in-process: a
 * damaged or missing plan.json beside a journal (refused, the journal left as it was, where the
 * old code silently started a fresh journal), the plan and journal of another sweep, tables
 * changed after a sweep finished ("Already complete" only for files matching their hashes),
 * temporary files of killed writers (removed on resume and by the next successful write), and a
 * rule failing on a worker thread (the same one-line message and exit 2 as on the main thread),
 * and `calibrate` and `chart` refusing a folder another partnersim holds the lock on.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';

let cwd: string;
const GRID = ['gm-2017', '--param', 'regime.accountability=0:1:3', '--replicates', '4', '--rounds', '24', '--workers', '1', '--quiet'];

async function cli(args: string[], stopAfter?: number) {
  let out = '';
  let err = '';
  let lines = 0;
  const code = await main(args, {
    stdout: (t) => void (out += t),
    stderr: (t) => {
      err += t;
      // Progress lines go to a non-terminal stderr: stop the sweep after a few, as Ctrl-C would.
      if (stopAfter !== undefined && /progress/.test(t) && ++lines === stopAfter) process.emit('SIGINT');
    },
    stdoutIsTTY: false, stderrIsTTY: false, cwd, now: () => 0,
  });
  return { code, out, err };
}

const dead = () => spawnSync(process.execPath, ['-e', '']).pid!;
const state = (dir: string, name: string) => join(cwd, dir, '.partnersim-sweep', name);

/** An unfinished sweep in `dir`: stopped by SIGINT after some runs are journalled. */
async function interrupted(dir: string, args = GRID) {
  const result = await cli(['sweep', ...args, '--out', dir], 4);
  expect(result.code, result.err).toBe(130);
  expect(readFileSync(state(dir, 'journal.bin')).length).toBeGreaterThan(0);
}

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'partnersim-resume-integrity-'));
  expect((await cli(['sweep', ...GRID, '--out', 'reference'])).code).toBe(0);
});

describe('--resume refuses state it cannot trust', () => {
  it('a damaged plan.json: exit 2 naming it, the journal untouched (not discarded and recomputed)', async () => {
    await interrupted('bad-plan');
    const journal = readFileSync(state('bad-plan', 'journal.bin'));
    writeFileSync(state('bad-plan', 'plan.json'), '{"fingerprint": "12');
    const result = await cli(['sweep', ...GRID, '--out', 'bad-plan', '--resume']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--resume: .*plan\.json is damaged \(not a readable sweep plan\), so the [\d,]+-byte journal beside it cannot be shown to belong to this sweep/);
    expect(readFileSync(state('bad-plan', 'journal.bin')).equals(journal)).toBe(true);
    expect(existsSync(join(cwd, 'bad-plan', 'runs.parquet'))).toBe(false);
  });

  it('a journal without its plan.json: exit 2', async () => {
    await interrupted('no-plan');
    const { rmSync } = await import('node:fs');
    rmSync(state('no-plan', 'plan.json'));
    const result = await cli(['sweep', ...GRID, '--out', 'no-plan', '--resume']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/plan\.json is missing/);
  });

  it("another sweep's plan and journal copied in: refused as a different experiment", async () => {
    const other = GRID.map((w, k) => (GRID[k - 1] === '--replicates' ? '3' : w));
    await interrupted('foreign', other);
    const result = await cli(['sweep', ...GRID, '--out', 'foreign', '--resume']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/is a different experiment/);
  });

  it('"Already complete" only when the tables still match their hashes', async () => {
    cpSync(join(cwd, 'reference'), join(cwd, 'changed'), { recursive: true });
    const again = await cli(['sweep', ...GRID, '--out', 'changed', '--resume']);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/Already complete/);
    const path = join(cwd, 'changed', 'runs.parquet');
    const bytes = readFileSync(path);
    bytes[Math.floor(bytes.length / 2)] ^= 1;
    writeFileSync(path, bytes);
    const result = await cli(['sweep', ...GRID, '--out', 'changed', '--resume']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/holds this sweep's results, but runs\.parquet does not match the SHA-256/);
    expect(result.out).not.toMatch(/Already complete/);
  });
});

describe('temporary files of killed writers', () => {
  it('are removed when an unfinished sweep resumes (in the folder and its state), and the tables are right', async () => {
    await interrupted('temps');
    const stale = [`.rounds.parquet.${dead()}.k3j9x2a1.tmp`, `.runs.parquet.${process.pid}.0a1b2c3d.tmp`];
    for (const name of stale) writeFileSync(join(cwd, 'temps', name), 'x'.repeat(1000));
    writeFileSync(state('temps', `.plan.json.${dead()}.zz9.tmp`), '{');
    const result = await cli(['sweep', ...GRID, '--out', 'temps', '--resume']);
    expect(result.code, result.err).toBe(0);
    expect(readdirSync(join(cwd, 'temps')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    for (const name of ['runs.parquet', 'rounds.parquet']) {
      expect(readFileSync(join(cwd, 'temps', name)).equals(readFileSync(join(cwd, 'reference', name)))).toBe(true);
    }
  });

  it('are removed by the next successful write into a finished folder (run, sweep)', async () => {
    expect((await cli(['run', 'gm-2017', '--replicates', '1', '--rounds', '6', '--no-charts', '--out', 'run-temps'])).code).toBe(0);
    const stale = `.trajectories.csv.${dead()}.abcdef12.tmp`;
    writeFileSync(join(cwd, 'run-temps', stale), 'partial');
    expect((await cli(['run', 'gm-2017', '--replicates', '1', '--rounds', '6', '--no-charts', '--out', 'run-temps'])).code).toBe(0);
    expect(existsSync(join(cwd, 'run-temps', stale))).toBe(false);
    mkdirSync(join(cwd, 'sweep-temps'));
    writeFileSync(join(cwd, 'sweep-temps', `.rounds.parquet.${dead()}.abcdef12.tmp`), 'partial');
    expect((await cli(['sweep', ...GRID, '--out', 'sweep-temps'])).code).toBe(0);
    expect(readdirSync(join(cwd, 'sweep-temps')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('a rule failing on a worker thread', () => {
  it('prints the same one-line message and exits 2, as on the main thread (no stack trace)', async () => {
    // Finite at every sample state (so validation passes, issue #16) but not at the performance the runs reach.
    const rule = ['--set', 'regime.rules.orgPenalty=performance > 0.51 and performance < 0.99 ? 1/0 : 0'];
    const inline = await cli(['sweep', ...GRID, ...rule, '--out', 'rule-main']);
    const previous = process.env.PARTNERSIM_INLINE;
    process.env.PARTNERSIM_INLINE = '0'; // every run on the worker threads
    let pooled;
    try {
      pooled = await cli(['sweep', ...GRID.map((w) => (w === '1' ? '2' : w)), ...rule, '--out', 'rule-workers']);
    } finally {
      if (previous === undefined) delete process.env.PARTNERSIM_INLINE;
      else process.env.PARTNERSIM_INLINE = previous;
    }
    expect(inline.code).toBe(2);
    expect(pooled.code).toBe(2);
    const message = (err: string) => err.split('\n').filter((l) => !/^progress/.test(l)).join('\n');
    expect(message(pooled.err)).toBe(message(inline.err));
    expect(pooled.err).toMatch(/^partnersim: regime\.rules\.orgPenalty: /m);
    expect(pooled.err).not.toMatch(/\n\s+at |worker failed|Error:/);
  });
});

describe('calibrate and chart take the output-folder lock', () => {
  it('refuse (exit 2) a folder another partnersim is writing, and leave it alone', async () => {
    const { lockFolder } = await import('../src/io/lock.ts');
    expect((await cli(['run', 'gm-2017', '--replicates', '1', '--rounds', '6', '--no-charts', '--out', 'locked-run'])).code).toBe(0);
    mkdirSync(join(cwd, 'locked-fit'));
    const locks = ['locked-run', 'locked-fit'].map((dir) => lockFolder(join(cwd, dir), 'partnersim sweep (another writer)', () => {}));
    try {
      const chart = await cli(['chart', 'locked-run', '--no-forcefield', '--quiet']);
      expect(chart.code).toBe(2);
      expect(chart.err).toMatch(/locked-run is in use by another partnersim \(PID \d+, since .*: partnersim sweep \(another writer\)\)/);
      expect(existsSync(join(cwd, 'locked-run', 'report.html'))).toBe(false);
      const spec = join(import.meta.dirname, '..', 'calibration', 'lab-fg.yaml');
      const fit = await cli(['calibrate', spec, '--particles', '20', '--quiet', '--out', 'locked-fit']);
      expect(fit.code).toBe(2);
      expect(fit.err).toMatch(/locked-fit is in use by another partnersim/);
      expect(readdirSync(join(cwd, 'locked-fit'))).toEqual(['.partnersim.lock']);
    } finally {
      for (const lock of locks) lock.release();
    }
  });
});
