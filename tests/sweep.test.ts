/**
 * `partnersim sweep`, `sensitivity` and `merge` in-process on the main thread (--workers 1):
 * designs, typed Parquet output and manifest, common random numbers, --only, shards merged into
 * the same bytes as an unsharded run, refusals. Worker threads and kill-and-resume need the
 * compiled CLI in a child process: tests/sweep-cli.test.ts.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { applyAssignments } from '../src/documents/overrides.ts';
import { adjustScenario } from '../src/documents/prepare.ts';
import { ProgressBar } from '../src/io/progress.ts';
import type { SweepManifest } from '../src/experiments/manifest.ts';
import { readParquet } from '../src/io/parquet.ts';
import { runReplicate } from '../src/model/engine.ts';
import { measure } from '../src/model/results.ts';
import { builtInScenario } from '../src/scenarios/index.ts';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'partnersim-sweep-'));
});

async function cli(args: string[], tty = false) {
  let out = '';
  let err = '';
  let clock = 0;
  const code = await main(args, {
    stdout: (t) => void (out += t), stderr: (t) => void (err += t), stdoutIsTTY: false, stderrIsTTY: tty, cwd,
    now: () => (clock += 50), // a fake clock: 50 ms per look
  });
  return { code, out, err };
}

const bytes = (path: string) => readFileSync(join(cwd, path));
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(cwd, dir, 'manifest.json'), 'utf8')) as SweepManifest;

/** 3 × 2 points × 10 replicates = 60 short runs. */
const GRID = ['gm-2017', '--param', 'regime.accountability=0:1:3', '--param', 'trust.initial=0.4,0.6', '--replicates', '10', '--rounds', '36', '--workers', '1'];

describe('partnersim sweep', () => {
  it('runs a grid on common random numbers into typed Parquet tables and a manifest', async () => {
    const { code, out, err } = await cli(['sweep', ...GRID, '--out', 'grid', '--csv']);
    expect(code, err).toBe(0);
    expect(out).toContain('6 points × 10 replicates = 60 runs');
    const runs = await readParquet(join(cwd, 'grid', 'runs.parquet'));
    const rounds = await readParquet(join(cwd, 'grid', 'rounds.parquet'));
    expect(runs.rows).toBe(60);
    expect(rounds.rows).toBe(60 * 36);
    expect(runs.names.slice(0, 6)).toEqual(['run', 'point', 'replicate', 'seed', 'regime.accountability', 'trust.initial']);
    expect(runs.names).toContain('populationOutcome_final');
    expect(runs.names).toContain('trustMean_mean');
    expect(rounds.names.slice(0, 7)).toEqual(['run', 'point', 'replicate', 'round', 'year', 'locality', 'engagement']);
    expect(runs.columns.run).toBeInstanceOf(Int32Array);
    expect(runs.columns.populationOutcome_final).toBeInstanceOf(Float64Array);
    expect(runs.columns.seed[0]).toBe('1');

    const manifest = manifestOf('grid');
    expect(manifest.kind).toBe('sweep');
    expect(manifest.command).toBe(`partnersim sweep ${GRID.join(' ')} --out grid --csv`);
    expect(manifest.points).toHaveLength(6);
    expect(manifest.points[3]).toEqual({ point: 3, set: ['regime.accountability=0.5', 'trust.initial=0.6'] });
    expect(manifest.runs).toMatchObject({ total: 60, first: 0, end: 60 });
    expect(manifest.scenario?.rounds).toBe(36);
    expect(manifest.tables.files['runs.parquet'].columns.find((c) => c.name === 'trust.initial')?.type).toBe('DOUBLE');
    expect(readFileSync(join(cwd, 'grid', 'runs.csv'), 'utf8').split('\n')[0]).toMatch(/^run,point,replicate,seed,regime\.accountability,trust\.initial,engagement_final,/);
    expect(existsSync(join(cwd, 'grid', '.partnersim-sweep'))).toBe(false);

    // Run 37 = point 3, replicate 7: the same numbers as the model run directly with that point's values.
    const scenario = applyAssignments({ ...builtInScenario('gm-2017'), rounds: 36 },
      [{ path: 'regime.accountability', text: '0.5' }, { path: 'trust.initial', text: '0.6' }]);
    const outcome = measure(runReplicate(scenario, { seed: 1, replicate: 7 }), 'populationOutcome');
    expect(runs.columns.point[37]).toBe(3);
    expect(runs.columns.replicate[37]).toBe(7);
    expect(runs.columns['regime.accountability'][37]).toBe(0.5);
    expect(runs.columns.populationOutcome_final[37]).toBe(outcome[35]);
    expect(runs.columns.populationOutcome_mean[37]).toBe(outcome.reduce((a, b) => a + b, 0) / 36);
    const row = 37 * 36 + 10;
    expect(rounds.columns.run[row]).toBe(37);
    expect(rounds.columns.round[row]).toBe(10);
    expect(rounds.columns.locality[row]).toBe('system');
    expect(rounds.columns.populationOutcome[row]).toBe(outcome[10]);
  });

  it('--only re-runs one run alone with the same numbers, and names the equivalent `partnersim run`', async () => {
    expect((await cli(['sweep', ...GRID, '--out', 'grid'])).code).toBe(0);
    const { code, out, err } = await cli(['sweep', ...GRID, '--out', 'grid', '--only', '17']);
    expect(code, err).toBe(0);
    expect(out).toContain('Run 17: point 1, replicate 7, regime.accountability=0, trust.initial=0.6');
    expect(out).toContain("partnersim run gm-2017 --set regime.accountability=0 --set trust.initial=0.6 --rounds 36 --seed 1 --replicates 8");
    const all = await readParquet(join(cwd, 'grid', 'runs.parquet'));
    const one = await readParquet(join(cwd, 'grid', 'run-17', 'runs.parquet'));
    expect(one.rows).toBe(1);
    for (const name of all.names) expect(one.columns[name][0], name).toEqual(all.columns[name][17]);
    const allRounds = await readParquet(join(cwd, 'grid', 'rounds.parquet'));
    const oneRounds = await readParquet(join(cwd, 'grid', 'run-17', 'rounds.parquet'));
    for (const name of allRounds.names) {
      expect(Array.from(oneRounds.columns[name] as ArrayLike<unknown>), name).toEqual(Array.from(allRounds.columns[name] as ArrayLike<unknown>).slice(17 * 36, 18 * 36));
    }
    // What `partnersim run … --replicates 8` runs: its replicate 7 is run 17.
    const viaRun = adjustScenario(builtInScenario('gm-2017'), {
      sets: [{ path: 'regime.accountability', text: '0' }, { path: 'trust.initial', text: '0.6' }], rounds: 36,
    }, 'x');
    expect(measure(runReplicate(viaRun, { seed: '1', replicate: 7 }), 'trustMean')[35]).toBe(all.columns.trustMean_final[17]);
  });

  it('draws a Latin hypercube from the seed and crosses it with regimes', async () => {
    const args = ['sweep', 'gm-2017', '--design', 'lhs', '--samples', '8', '--param', 'trust.initial=0.3:0.7', '--param',
      'regime.assessmentInterval', '--regimes', 'organisational,system', '--replicates', '2', '--rounds', '12', '--workers', '1'];
    const { code, err } = await cli([...args, '--out', 'lhs']);
    expect(code, err).toBe(0);
    const runs = await readParquet(join(cwd, 'lhs', 'runs.parquet'));
    expect(runs.rows).toBe(2 * 8 * 2);
    expect(runs.names.slice(4, 7)).toEqual(['regime', 'trust.initial', 'regime.assessmentInterval']);
    expect(runs.columns.regime[0]).toBe('organisational');
    expect(runs.columns.regime[31]).toBe('system');
    const strata = new Set<number>();
    for (let i = 0; i < 16; i += 2) strata.add(Math.floor(((runs.columns['trust.initial'][i] as number) - 0.3) / 0.05));
    expect(strata.size).toBe(8);
    const manifest = manifestOf('lhs');
    expect(manifest.design).toMatchObject({ type: 'lhs', samples: 8, regimes: ['organisational', 'system'] });
    expect(Object.keys(manifest.scenarios ?? {})).toEqual(['organisational', 'system']);
    expect(manifest.tables.files['runs.parquet'].columns.find((c) => c.name === 'regime.assessmentInterval')?.type).toBe('INT32');
    // Same command, same points.
    expect((await cli([...args, '--out', 'lhs2'])).code).toBe(0);
    expect(bytes('lhs2/runs.parquet').equals(bytes('lhs/runs.parquet'))).toBe(true);
  });

  it('as 4 shards merged gives the same Parquet bytes as unsharded', async () => {
    expect((await cli(['sweep', ...GRID, '--out', 'whole'])).code).toBe(0);
    for (let k = 1; k <= 4; k++) {
      const { code, out, err } = await cli(['sweep', ...GRID, '--shard', `${k}/4`, '--out', `parts/s${k}`]);
      expect(code, err).toBe(0);
      expect(out).toContain(`shard ${k}/4`);
    }
    expect(manifestOf('parts/s2').runs).toMatchObject({ first: 15, end: 30 });
    const { code, err } = await cli(['merge', 'parts/s3', 'parts/s1', 'parts/s4', 'parts/s2', '--out', 'merged']);
    expect(code, err).toBe(0);
    expect(bytes('merged/runs.parquet').equals(bytes('whole/runs.parquet'))).toBe(true);
    expect(bytes('merged/rounds.parquet').equals(bytes('whole/rounds.parquet'))).toBe(true);
    const merged = manifestOf('merged');
    const whole = manifestOf('whole');
    expect(merged.mergedFrom).toHaveLength(4);
    expect({ ...merged, command: '', argv: [], mergedFrom: undefined }).toEqual({ ...whole, command: '', argv: [], mergedFrom: undefined });

    const missing = await cli(['merge', 'parts/s1', 'parts/s2', 'parts/s4', '--out', 'bad']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('shards 3/4 are missing');
    expect((await cli(['sweep', ...GRID, '--replicates', '9', '--shard', '3/4', '--out', 'other'])).code).toBe(0);
    const foreign = await cli(['merge', 'parts/s1', 'parts/s2', 'other', 'parts/s4', '--out', 'bad']);
    expect(foreign.code).toBe(2);
    expect(foreign.err).toContain('different sweep');
  });

  it('refuses bad input before writing anything, and an unfinished directory without --resume', async () => {
    const bad = await cli(['sweep', 'gm-2017', '--param', 'regime.accountability=0:2:3', '--out', 'never']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('above the maximum 1');
    expect(existsSync(join(cwd, 'never'))).toBe(false);
    const nothing = await cli(['sweep', 'gm-2017', '--out', 'never']);
    expect(nothing.code).toBe(2);
    expect(nothing.err).toContain('needs something to vary');
    const invalidPoint = await cli(['sweep', 'gm-2017', '--param', 'localities[0].history=0,3', '--out', 'never']);
    expect(invalidPoint.code).toBe(2);
    expect(invalidPoint.err).toContain('design point 1');

    // An interrupted sweep leaves its journal; without --resume it is not overwritten.
    expect((await cli(['sweep', ...GRID, '--out', 'g'])).code).toBe(0);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(cwd, 'g', '.partnersim-sweep'));
    writeFileSync(join(cwd, 'g', '.partnersim-sweep', 'plan.json'), JSON.stringify({ fingerprint: 'x', shard: null, command: 'partnersim sweep …', totalRuns: 60 }));
    const refused = await cli(['sweep', ...GRID, '--out', 'g']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('holds an unfinished sweep');
    const other = await cli(['sweep', ...GRID, '--out', 'g', '--resume']);
    expect(other.code).toBe(2);
    expect(other.err).toContain('a different experiment');
  });

  it('--resume of a finished sweep does nothing', async () => {
    expect((await cli(['sweep', ...GRID, '--out', 'g'])).code).toBe(0);
    const before = bytes('g/runs.parquet');
    const { code, out } = await cli(['sweep', ...GRID, '--out', 'g', '--resume']);
    expect(code).toBe(0);
    expect(out).toContain('Already complete');
    expect(bytes('g/runs.parquet').equals(before)).toBe(true);
  });
});

describe('help and progress', () => {
  it.each([['sweep'], ['sensitivity'], ['merge']])('`%s --help` has examples', async (command) => {
    const { code, out } = await cli([command, '--help']);
    expect(code).toBe(0);
    expect(out).toContain('Examples:');
    expect(out).toContain(`partnersim ${command}`);
  });

  it('shows runs done, the rate and the time left on a terminal; a line every tenth of the runs in a log', async () => {
    const tty = await cli(['sweep', ...GRID, '--out', 'tty'], true);
    expect(tty.code).toBe(0);
    expect(tty.err).toMatch(/\] \d+\/60 runs · [\d.]+\/s · \d+s left/);
    expect(tty.err.endsWith('\r\x1b[2K')).toBe(true);
    const quiet = await cli(['sweep', ...GRID, '--out', 'quiet', '--quiet'], true);
    expect(quiet.err).toBe('');
    // stderr is a file (a cluster job's log): plain lines, with --quiet too, so a killed job's log says how far it got.
    for (const flags of [[], ['--quiet']]) {
      const piped = await cli(['sweep', ...GRID, '--out', `piped${flags.length}`, ...flags]);
      expect(piped.code).toBe(0);
      const lines = piped.err.trimEnd().split('\n');
      expect(lines.map((line) => Number(/^progress: (\d+)\/60 runs done \((\d+)%\)/.exec(line)?.[1]))).toEqual([6, 12, 18, 24, 30, 36, 42, 48, 54, 60]);
      expect(lines[0]).toMatch(/^progress: 6\/60 runs done \(10%\), [\d.]+\/s, about \d+s left$/);
      expect(lines[9]).toMatch(/^progress: 60\/60 runs done \(100%\), [\d.]+\/s$/);
    }
  });
});

describe('progress lines for a log', () => {
  it('come at every tenth of the total, at least once a minute, and count runs kept from a resumed shard', () => {
    const lines: string[] = [];
    let clock = 0;
    const bar = new ProgressBar({ write: (t) => void lines.push(t), enabled: false, lines: true, now: () => clock, unit: 'runs', rate: true, startDone: 500 });
    for (let done = 501; done <= 1000; done++) {
      clock += done === 520 ? 61_000 : 10; // one slow run: a minute without a tenth reached
      bar.update(done, 1000);
    }
    expect(lines.map((l) => Number(/^progress: (\d+)\/1000 runs done/.exec(l)?.[1]))).toEqual([520, 600, 700, 800, 900, 1000]);
    expect(lines.every((l) => l.endsWith('\n'))).toBe(true);
    expect(lines[1]).toMatch(/^progress: 600\/1000 runs done \(60%\), [\d.]+\/s, about \d+(s|min) left\n$/);
  });
});

describe('partnersim sensitivity', () => {
  it('computes Morris indices into sensitivity.json and the manifest', async () => {
    const { code, out, err } = await cli(['sensitivity', 'gm-2017', '--param', 'trust.gain=0.01:0.05', '--param', 'trust.initial=0.3:0.7',
      '--samples', '4', '--replicates', '2', '--rounds', '24', '--workers', '1', '--output', 'trustMean', '--output', 'populationOutcome:mean',
      '--out', 'morris']);
    expect(code, err).toBe(0);
    expect(out).toContain('12 points × 2 replicates = 24 runs');
    expect(out).toContain('mu*');
    const result = JSON.parse(readFileSync(join(cwd, 'morris', 'sensitivity.json'), 'utf8'));
    expect(result.method).toBe('morris');
    expect(Object.keys(result.indices)).toEqual(['trustMean', 'populationOutcome:mean']);
    const gain = result.indices.trustMean['trust.initial'];
    expect(gain.muStar).toBeGreaterThan(0);
    expect(gain.muStar).toBeGreaterThanOrEqual(Math.abs(gain.mu) - 1e-12);
    expect(manifestOf('morris').sensitivity).toEqual({ indices: result.indices });
  });

  it('computes Sobol indices, and the same indices from merged shards', async () => {
    const args = ['sensitivity', 'gm-2017', '--method', 'sobol', '--param', 'trust.initial=0.3:0.7', '--param', 'regime.accountability=0:1',
      '--samples', '8', '--replicates', '1', '--rounds', '12', '--workers', '1', '--bootstrap', '50'];
    const { code, err } = await cli([...args, '--out', 'sobol']);
    expect(code, err).toBe(0);
    const whole = readFileSync(join(cwd, 'sobol', 'sensitivity.json'), 'utf8');
    const indices = JSON.parse(whole).indices.populationOutcome;
    expect(Object.keys(indices)).toEqual(['trust.initial', 'regime.accountability']);
    for (const ix of Object.values(indices) as { first: number; total: number }[]) {
      expect(Number.isFinite(ix.first) && Number.isFinite(ix.total)).toBe(true);
    }
    for (const k of [1, 2]) expect((await cli([...args, '--shard', `${k}/2`, '--out', `sh${k}`])).code).toBe(0);
    expect(existsSync(join(cwd, 'sh1', 'sensitivity.json'))).toBe(false);
    expect((await cli(['merge', 'sh1', 'sh2', '--out', 'joined'])).code).toBe(0);
    expect(readFileSync(join(cwd, 'joined', 'sensitivity.json'), 'utf8')).toBe(whole);
    expect(bytes('joined/runs.parquet').equals(bytes('sobol/runs.parquet'))).toBe(true);
  });

  it('asks for ranges', async () => {
    const { code, err } = await cli(['sensitivity', 'gm-2017', '--param', 'trust.initial=0.3,0.5', '--out', 'x']);
    expect(code).toBe(2);
    expect(err).toContain('needs a range');
  });
});
