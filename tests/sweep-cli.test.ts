/**
 * Sweeps as a user runs them: the compiled CLI in a child process, with worker threads (which
 * Node 20 can only start from compiled JavaScript). The CLI and the worker entry are compiled
 * (emit only, like tests/cli-e2e.test.ts) into a private directory under node_modules/.cache, so
 * the test does not depend on anyone's dist/. Covers: the same bytes with 1 and 2 workers, and a
 * sweep killed with SIGKILL (plus a torn journal record) or stopped with SIGTERM, then resumed to
 * the same bytes as an uninterrupted run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { buildCli } from './cluster-guide.ts';

const repo = resolve(import.meta.dirname, '..');
let entry: string;
let cwd: string;

beforeAll(() => {
  entry = buildCli('partnersim-sweep-e2e');
  cwd = mkdtempSync(join(tmpdir(), 'partnersim-sweep-e2e-'));
});

function partnersim(...args: string[]) {
  return partnersimWith({}, ...args);
}

function partnersimWith(env: NodeJS.ProcessEnv, ...args: string[]) {
  const result = spawnSync(process.execPath, [entry, ...args], { cwd, encoding: 'utf8', env: { ...process.env, PARTNERSIM_DEBUG: '1', ...env } });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

async function inProcess(args: string[]): Promise<number> {
  return main(args, { stdout: () => {}, stderr: () => {}, stdoutIsTTY: false, stderrIsTTY: false, cwd, now: () => 0 });
}

const same = (a: string, b: string) => readFileSync(join(cwd, a)).equals(readFileSync(join(cwd, b)));

/** Waits until the child's journal holds at least `bytes` bytes (or the child exits). */
async function journalReaches(child: ChildProcess, path: string, bytes: number): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < 60_000) {
    if (child.exitCode !== null) throw new Error(`the sweep finished before it could be interrupted (exit ${child.exitCode})`);
    if (existsSync(path) && statSync(path).size >= bytes) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the journal did not grow');
}

const exited = (child: ChildProcess) => new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
  child.on('exit', (code, signal) => done({ code, signal }));
});

const GRID = ['sweep', 'gm-2017', '--param', 'regime.accountability=0:1:3', '--param', 'trust.initial=0.4,0.6', '--replicates', '10', '--rounds', '36'];
/** 300 full-length runs: long enough (seconds) to be interrupted part-way. */
const LONG = ['sweep', 'gm-2017', '--param', 'regime.accountability=0:1:3', '--replicates', '100', '--quiet'];
/** One journal record of a 120-round run, system column only (header, column names, 33 measures × 120 doubles). */
const RECORD = 64 + 16 + 33 * 120 * 8;

describe('sweeps on worker threads (compiled CLI in a child process)', () => {
  it('give the same Parquet bytes with 1 worker (main thread) and with 2 or 3 threads', async () => {
    expect(await inProcess([...GRID, '--workers', '1', '--out', 'w1'])).toBe(0);
    // PARTNERSIM_INLINE=0: every run on worker threads (by default the main thread computes too,
    // and may finish a sweep this small before a worker has started).
    const two = partnersimWith({ PARTNERSIM_INLINE: '0' }, ...GRID, '--workers', '2', '--out', 'w2');
    expect(two.code, two.err).toBe(0);
    expect(two.out).toContain('60 computed (2 workers: 0 on the main thread, 60 on worker threads)');
    expect(same('w1/runs.parquet', 'w2/runs.parquet')).toBe(true);
    expect(same('w1/rounds.parquet', 'w2/rounds.parquet')).toBe(true);
    const three = partnersim(...GRID, '--workers', '3', '--out', 'w3');
    expect(three.code, three.err).toBe(0);
    expect(same('w1/runs.parquet', 'w3/runs.parquet')).toBe(true);
    expect(same('w1/rounds.parquet', 'w3/rounds.parquet')).toBe(true);
  });

  it('survive SIGKILL and a torn journal record: --resume finishes with the same bytes as an uninterrupted run', async () => {
    expect(await inProcess([...LONG, '--workers', '1', '--out', 'reference'])).toBe(0);
    // Killed while two worker threads hold batches (PARTNERSIM_INLINE=0), resumed with the default.
    const child = spawn(process.execPath, [entry, ...LONG, '--workers', '2', '--out', 'killed'],
      { cwd, stdio: 'ignore', env: { ...process.env, PARTNERSIM_INLINE: '0' } });
    const done = exited(child);
    const journal = join(cwd, 'killed', '.partnersim-sweep', 'journal.bin');
    await journalReaches(child, journal, 20 * RECORD);
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    expect(existsSync(join(cwd, 'killed', 'runs.parquet'))).toBe(false);
    expect(existsSync(join(cwd, 'killed', 'manifest.json'))).toBe(false);
    appendFileSync(journal, Buffer.alloc(5000, 7)); // what a write cut short by a crash can leave
    // What a kill during the final write leaves (temporaries of the results), and a file of the user's.
    const temporaries = ['.runs.parquet.4242.k3x9q0ab.tmp', '.rounds.parquet.4242.z81mm2cd.tmp', '.manifest.json.4242.aa00bb11.tmp'];
    for (const name of [...temporaries, 'notes.tmp']) writeFileSync(join(cwd, 'killed', name), 'partial');
    const { code, out, err } = partnersim(...LONG, '--workers', '2', '--out', 'killed', '--resume');
    expect(code, err).toBe(0);
    // The killed process could not remove its lock: its PID is gone, so the lock is stale.
    expect(err).toContain(`taking over a stale lock on ${join(cwd, 'killed')} (PID ${child.pid} is not running;`);
    expect(existsSync(join(cwd, 'killed', '.partnersim.lock'))).toBe(false);
    const kept = Number(/, ([\d,]+) kept from the interrupted run/.exec(out)?.[1].replace(/,/g, ''));
    expect(kept).toBeGreaterThanOrEqual(20);
    expect(kept).toBeLessThan(300);
    expect(out).toContain(`${300 - kept} computed`);
    expect(same('killed/runs.parquet', 'reference/runs.parquet')).toBe(true);
    expect(same('killed/rounds.parquet', 'reference/rounds.parquet')).toBe(true);
    expect(existsSync(join(cwd, 'killed', '.partnersim-sweep'))).toBe(false);
    for (const name of temporaries) expect(existsSync(join(cwd, 'killed', name)), name).toBe(false);
    expect(existsSync(join(cwd, 'killed', 'notes.tmp'))).toBe(true);
  });

  it('stop cleanly on SIGTERM (exit 143, runs kept, the resume command printed)', async () => {
    const child = spawn(process.execPath, [entry, ...LONG, '--workers', '1', '--out', 'stopped'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (chunk) => void (err += chunk));
    const done = exited(child);
    await journalReaches(child, join(cwd, 'stopped', '.partnersim-sweep', 'journal.bin'), 10 * RECORD);
    child.kill('SIGTERM');
    expect((await done).code).toBe(143);
    expect(existsSync(join(cwd, 'stopped', '.partnersim.lock'))).toBe(false);
    expect(err).toMatch(/interrupted \(SIGTERM\); \d+ new runs saved/);
    expect(err).toContain('--resume');
    const { code } = partnersim(...LONG, '--workers', '1', '--out', 'stopped', '--resume');
    expect(code).toBe(0);
    if (existsSync(join(cwd, 'reference', 'runs.parquet'))) expect(same('stopped/runs.parquet', 'reference/runs.parquet')).toBe(true);
  });
});

/** Waits until `ready()` holds, failing if the child exits first. */
async function until(child: ChildProcess, ready: () => boolean, what: string): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < 60_000) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the process ended before ${what}`);
    if (ready()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const lockOf = (dir: string) => join(cwd, dir, '.partnersim.lock');

describe('one writer per output folder (OUT/.partnersim.lock)', () => {
  it('a second sweep on the same --out (here --resume) refuses with exit 2 while the first runs; the first finishes with the right tables', async () => {
    if (!existsSync(join(cwd, 'reference', 'rounds.parquet'))) expect(await inProcess([...LONG, '--workers', '1', '--out', 'reference'])).toBe(0);
    const child = spawn(process.execPath, [entry, ...LONG, '--workers', '1', '--out', 'busy'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (chunk) => void (err += chunk));
    const done = exited(child);
    await journalReaches(child, join(cwd, 'busy', '.partnersim-sweep', 'journal.bin'), 5 * RECORD);
    const holder = JSON.parse(readFileSync(lockOf('busy'), 'utf8'));
    expect(holder).toMatchObject({ pid: child.pid, command: expect.stringContaining('partnersim sweep gm-2017') });
    expect(Number.isInteger(holder.startTime)).toBe(true); // from /proc on Linux
    const second = partnersim(...LONG, '--workers', '1', '--out', 'busy', '--resume');
    expect(second.code, second.err).toBe(2);
    expect(second.err).toContain(`partnersim: ${join(cwd, 'busy')} is in use by another partnersim (PID ${child.pid}, since ${holder.createdAt}: partnersim sweep`);
    expect(second.err).toContain(`Wait for it to finish, or stop it (kill ${child.pid}) and run the same command again with --resume.`);
    expect(child.exitCode).toBe(null); // the refusal happened while the first still ran
    expect((await done).code, err).toBe(0);
    expect(same('busy/runs.parquet', 'reference/runs.parquet')).toBe(true);
    expect(same('busy/rounds.parquet', 'reference/rounds.parquet')).toBe(true);
    expect(existsSync(lockOf('busy'))).toBe(false);
  });

  it('a stale lock (its PID not running, or running with another start time) is taken over with a note', () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid; // a PID that existed and has ended
    for (const [dir, pid, startTime, reason] of [
      ['stale-dead', gone, 123, `PID ${gone} is not running`],
      // This test's own PID, alive, but recorded with another start time: the PID was reused.
      ['stale-reused', process.pid, 1, `PID ${process.pid} is now another process (started at tick`],
    ] as const) {
      mkdirSync(join(cwd, dir), { recursive: true });
      writeFileSync(lockOf(dir), JSON.stringify({ pid, startTime, command: 'partnersim sweep old', createdAt: '2026-01-01T00:00:00.000Z' }));
      const { code, err } = partnersim(...GRID, '--workers', '1', '--out', dir, '--quiet');
      expect(code, err).toBe(0);
      expect(err).toContain(`partnersim: taking over a stale lock on ${join(cwd, dir)} (${reason}`);
      expect(err).toContain('it was partnersim sweep old, 2026-01-01T00:00:00.000Z');
      expect(existsSync(join(cwd, dir, 'runs.parquet'))).toBe(true);
      expect(existsSync(lockOf(dir))).toBe(false);
    }
  });

  it('is removed after an error (exit 2 and exit 1); a `run` killed by SIGTERM leaves one the next run takes over', async () => {
    // Exit 2 after the lock was taken: --resume of a different experiment.
    mkdirSync(join(cwd, 'other', '.partnersim-sweep'), { recursive: true });
    writeFileSync(join(cwd, 'other', '.partnersim-sweep', 'plan.json'), JSON.stringify({ fingerprint: 'x', shard: null, command: 'partnersim sweep …', totalRuns: 60 }));
    const refused = partnersim(...GRID, '--workers', '1', '--out', 'other', '--resume');
    expect(refused.code, refused.err).toBe(2);
    expect(refused.err).toContain('a different experiment');
    expect(existsSync(lockOf('other'))).toBe(false);
    // Exit 1: the results cannot be renamed into place (a directory is in the way).
    mkdirSync(join(cwd, 'blocked', 'runs.parquet'), { recursive: true });
    writeFileSync(join(cwd, 'blocked', 'runs.parquet', 'x'), 'x');
    const failed = partnersim(...GRID, '--workers', '1', '--out', 'blocked', '--quiet');
    expect(failed.code, failed.err).toBe(1);
    expect(existsSync(lockOf('blocked'))).toBe(false);
    // `run` computes synchronously and keeps the default SIGTERM action (it dies at once, a lock
    // handler would keep it running to the end): the lock stays, with a PID that is gone.
    const child = spawn(process.execPath, [entry, 'run', 'gm-2017', '--replicates', '3000', '--no-charts', '--out', 'run-term'], { cwd, stdio: 'ignore' });
    const done = exited(child);
    await until(child, () => existsSync(lockOf('run-term')), 'the lock appeared');
    child.kill('SIGTERM');
    expect((await done).signal).toBe('SIGTERM');
    expect(JSON.parse(readFileSync(lockOf('run-term'), 'utf8')).pid).toBe(child.pid);
    const next = partnersim('run', 'gm-2017', '--replicates', '2', '--rounds', '12', '--no-charts', '--out', 'run-term');
    expect(next.code, next.err).toBe(0);
    expect(next.err).toContain(`taking over a stale lock on ${join(cwd, 'run-term')} (PID ${child.pid} is not running;`);
    expect(existsSync(lockOf('run-term'))).toBe(false);
  });
});
