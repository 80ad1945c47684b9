/**
 * Journals `--resume` must not trust (issue #17), in-process on the main thread: a journal
 * copied from another sweep, a record with a flipped byte, records of runs outside the shard, and
 * a record overwritten under a running sweep by another run's (what two writers in one folder
 * did). Each is reported on stderr and its runs recomputed; the tables equal an uninterrupted
 * sweep's, byte for byte.
 */
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { planSweep, type SweepCommandOptions } from '../src/cli/commands/sweep.ts';
import { Journal } from '../src/io/journal.ts';
import { processIO } from '../src/io/console.ts';
import { executeRuns } from '../src/experiments/pool.ts';
import { shardRange } from '../src/experiments/shard.ts';
import type { SweepPlan } from '../src/experiments/plan.ts';

let cwd: string;
beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'partnersim-journal-trust-'));
  expect((await cli(['sweep', ...GRID, '--out', 'reference'])).code).toBe(0);
  expect((await cli(['sweep', ...GRID, '--shard', '1/2', '--out', 'reference-1'])).code).toBe(0);
});

/** 3 × 2 points × 10 replicates = 60 short runs. */
const PARAMS = ['regime.accountability=0:1:3', 'trust.initial=0.4,0.6'];
const GRID = ['gm-2017', ...PARAMS.flatMap((p) => ['--param', p]), '--replicates', '10', '--rounds', '36', '--workers', '1'];

/** Runs the CLI in-process; `tick` is called at each progress update (while runs are computed). */
async function cli(args: string[], tick: (calls: number) => void = () => {}) {
  let out = '';
  let err = '';
  let calls = 0;
  const code = await main(args, {
    stdout: (t) => void (out += t), stderr: (t) => void (err += t), stdoutIsTTY: false, stderrIsTTY: false, cwd,
    now: () => {
      tick(++calls);
      return calls * 50;
    },
  });
  return { code, out, err };
}

function planned(seed: string, shard?: string) {
  const options: SweepCommandOptions = { param: PARAMS, set: [], replicates: '10', rounds: '36', workers: '1', seed, ...(shard ? { shard } : {}) };
  return planSweep('gm-2017', options, { io: { ...processIO(), cwd }, argv: [] }, {});
}
const plan = (seed: string) => planned(seed).plan;

/** An unfinished sweep of `owner` in `dir`: its plan.json and a journal of `runs` computed by `writer`. */
async function unfinished(dir: string, owner: SweepPlan, writer: SweepPlan, runs: number[], shard: { index: number; count: number } | null = null) {
  const state = join(cwd, dir, '.partnersim-sweep');
  mkdirSync(state, { recursive: true });
  writeFileSync(join(state, 'plan.json'), JSON.stringify({ fingerprint: owner.fingerprint, shard, command: 'partnersim sweep …', totalRuns: owner.totalRuns }));
  const journal = Journal.open(join(state, 'journal.bin'), true, { fingerprint: writer.fingerprint });
  await executeRuns({ plan: writer, runs, workers: 1, onRecord: (record) => journal.append(record) });
  journal.close();
  return join(state, 'journal.bin');
}

const same = (a: string, b: string) => readFileSync(join(cwd, a)).equals(readFileSync(join(cwd, b)));
const all = (n: number) => Array.from({ length: n }, (_, k) => k);

describe('sweep --resume uses only journal records it can verify', () => {
  it('a journal copied from another sweep (another fingerprint) is not used: every run recomputed, the same bytes', async () => {
    await unfinished('copied', plan('1'), plan('2'), all(60));
    const { code, out, err } = await cli(['sweep', ...GRID, '--out', 'copied', '--resume']);
    expect(code, err).toBe(0);
    expect(err).toMatch(/journal record 0 \(byte 0, run 0\): from another experiment \(fingerprint [0-9a-f]{12}…, this one's [0-9a-f]{12}…\); not used, recomputed\./);
    expect(err).toContain('… and 55 more journal records not used, recomputed.');
    expect(out).toContain('60 computed (1 worker');
    expect(same('copied/runs.parquet', 'reference/runs.parquet')).toBe(true);
    expect(same('copied/rounds.parquet', 'reference/rounds.parquet')).toBe(true);
  });

  it('a record with a flipped byte is recomputed, and only it: the records after it are kept', async () => {
    const path = await unfinished('flipped', plan('1'), plan('1'), all(60));
    const bytes = readFileSync(path);
    const size = bytes.length / 60;
    bytes[10 * size + 2000] ^= 0x04; // inside run 10's values
    writeFileSync(path, bytes);
    const { code, out, err } = await cli(['sweep', ...GRID, '--out', 'flipped', '--resume']);
    expect(code, err).toBe(0);
    expect(err).toContain(`journal record 10 (byte ${10 * size}, run 10): bad CRC (damaged); not used, recomputed.`);
    expect(out).toContain('1 computed, 59 kept from the interrupted run');
    expect(same('flipped/runs.parquet', 'reference/runs.parquet')).toBe(true);
    expect(same('flipped/rounds.parquet', 'reference/rounds.parquet')).toBe(true);
  });

  it("records of runs outside the shard (another shard's journal) are not used", async () => {
    const { plan: whole, parsed } = planned('1', '1/2');
    const { first, end } = shardRange(whole.totalRuns, parsed.shard);
    await unfinished('shard', whole, whole, [first, end, end + 1], { index: 1, count: 2 });
    const { code, out, err } = await cli(['sweep', ...GRID, '--shard', '1/2', '--out', 'shard', '--resume']);
    expect(code, err).toBe(0);
    expect(err).toMatch(new RegExp(`journal record 1 \\(byte \\d+, run ${end}\\): holds run ${end}, not one of this sweep's runs ${first}–${end - 1}; not used, recomputed\\.`));
    expect(out).toContain(`${end - first - 1} computed, 1 kept`);
    expect(same('shard/runs.parquet', 'reference-1/runs.parquet')).toBe(true);
    expect(same('shard/rounds.parquet', 'reference-1/rounds.parquet')).toBe(true);
  });

  it("a record overwritten by another run's while the sweep runs (wrong run id in its slot) is recomputed", async () => {
    const journal = join(cwd, 'overwritten', '.partnersim-sweep', 'journal.bin');
    let done = false;
    const { code, out, err } = await cli(['sweep', ...GRID, '--out', 'overwritten'], () => {
      if (done) return;
      let size = 0;
      try {
        size = statSync(journal).size;
      } catch {
        return;
      }
      const bytes = readFileSync(journal);
      const record = bytes.length > 0 ? bytes.readUInt32LE(4) : 0;
      if (record === 0 || size < 20 * record) return;
      // Run 0's record (the same size) where run 3's is: what a second sweep appending at the same offsets wrote.
      const patched = Buffer.from(bytes);
      bytes.copy(patched, 3 * record, 0, record);
      writeFileSync(journal, patched.subarray(0, size), { flag: 'r+' });
      done = true;
    });
    expect(done).toBe(true);
    expect(code, err).toBe(0);
    expect(same('overwritten/runs.parquet', 'reference/runs.parquet')).toBe(true);
    expect(same('overwritten/rounds.parquet', 'reference/rounds.parquet')).toBe(true);
    expect(err).toMatch(/journal record 3 \(byte \d+, run 3\): holds run 0, not run 3; not used, recomputed\./);
    expect(out).toContain('60 computed');
  });
});
