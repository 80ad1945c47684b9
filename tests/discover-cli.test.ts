/**
 * A real small sweep, analysed by the CLI and checked by hand: gm-2017 for 36 rounds, regimes
 * organisational and system (policies) × trust.initial 0.2/0.4/0.6 × board.difficulty 0.5/1.5/2.5
 * (uncertainties), 3 replicates each (seed 7). The test reads runs.parquet itself, forms the point
 * means and the regrets, and checks that `sweep` summarised them, `discover` marked exactly those
 * cases and reported a box whose counts and limits hold, and that `chart` draws the sweep. Then
 * the refusals. In-process (one worker thread: no compiled worker needed).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { readParquet, type ReadTable } from '../src/io/parquet.ts';

let cwd: string;
let runs: ReadTable;

async function cli(...args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, {
    stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, stdoutIsTTY: false, stderrIsTTY: false, cwd, now: () => 0,
  });
  return { code, out, err };
}

const SWEEP = ['sweep', 'gm-2017', '--regimes', 'organisational,system', '--uncertain', 'trust.initial=0.2,0.4,0.6',
  '--uncertain', 'board.difficulty=0.5,1.5,2.5', '--replicates', '3', '--rounds', '36', '--seed', '7', '--runs-only',
  '--workers', '1', '--quiet', '--out', 'sw'];

/** Point means of a column, by point. */
function pointMeans(column: string): number[] {
  const point = runs.columns.point as ArrayLike<number>;
  const y = runs.columns[column] as ArrayLike<number>;
  const sums: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < runs.rows; i++) {
    sums[point[i]] = (sums[point[i]] ?? 0) + y[i];
    counts[point[i]] = (counts[point[i]] ?? 0) + 1;
  }
  return sums.map((s, p) => s / counts[p]);
}

const valueAt = (column: string, p: number) => {
  const point = runs.columns.point as ArrayLike<number>;
  for (let i = 0; i < runs.rows; i++) if (point[i] === p) return (runs.columns[column] as ArrayLike<unknown>)[i];
  return undefined;
};

let sweepOut = '';

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'partnersim-discover-'));
  const r = await cli(...SWEEP);
  expect(r.code, r.err).toBe(0);
  sweepOut = r.out;
  runs = await readParquet(join(cwd, 'sw', 'runs.parquet'));
}, 120_000);

describe('sweep with policies and uncertainties', () => {
  it('summarises regret and wins as computed by hand', () => {
    const y = pointMeans('populationOutcome_final');
    // Points 0–8: organisational over the 9 scenarios; 9–17: system, same scenario order.
    const regretSystem = Array.from({ length: 9 }, (_, s) => Math.max(y[s], y[9 + s]) - y[9 + s]);
    const systemWins = Array.from({ length: 9 }, (_, s): number => (y[9 + s] > y[s] ? 1 : y[9 + s] === y[s] ? 0.5 : 0)).reduce((a, b) => a + b, 0);
    const manifest = JSON.parse(readFileSync(join(cwd, 'sw', 'manifest.json'), 'utf8'));
    expect(manifest.design.levers).toEqual([]);
    expect(manifest.design.uncertainties).toEqual(['trust.initial', 'board.difficulty']);
    const system = manifest.analysis.policies.summary.find((s: { policy: string }) => s.policy === 'system');
    expect(manifest.analysis.policies.scenarios).toBe(9);
    expect(system.wins).toBeCloseTo(systemWins, 6);
    expect(system.maxRegret).toBeCloseTo(Math.max(...regretSystem), 5);
    expect(system.meanRegret).toBeCloseTo(regretSystem.reduce((a, b) => a + b, 0) / 9, 5);
    expect(sweepOut).toMatch(/Policies across 9 scenarios \(uncertainties: trust\.initial, board\.difficulty\)/);
    expect(sweepOut).toMatch(/Which factor moves which output/);
    expect(sweepOut).toMatch(/^regime\s+policy\s+η²/m);
  });
});

describe('partnersim discover on the sweep', () => {
  it('marks exactly the scenarios where system is beaten, and its box holds what it says', async () => {
    const r = await cli('discover', 'sw', '--policy', 'system', '--where', 'regret > 0', '--out', 'd1');
    expect(r.code, r.err).toBe(0);
    const y = pointMeans('populationOutcome_final');
    const beaten = Array.from({ length: 9 }, (_, s) => 9 + s).filter((p) => y[p - 9] > y[p]);
    const d = JSON.parse(readFileSync(join(cwd, 'd1', 'discover.json'), 'utf8'));
    expect(d.interesting.map((c: { point: number }) => c.point)).toEqual(beaten);
    expect(d.cases).toBe(9);
    expect(d.dimensions).toEqual(['trust.initial', 'board.difficulty']);
    expect(r.out).toContain(`${beaten.length} of 9`);
    // Count the chosen box's cases again from the table.
    const inside = Array.from({ length: 9 }, (_, s) => 9 + s).filter((p) => d.limits.every((l: { dimension: string; lower: number; upper: number }) => {
      const v = valueAt(l.dimension, p) as number;
      return v >= l.lower && v <= l.upper;
    }));
    expect(inside.length).toBe(d.chosen.n);
    expect(inside.filter((p) => beaten.includes(p)).length).toBe(d.chosen.k);
    expect(existsSync(join(cwd, 'd1', 'tradeoff.vl.json'))).toBe(true);
  }, 60_000);

  it('a threshold: low-trust cases sit at low trust.initial', async () => {
    const trust = pointMeans('trustMean_final');
    const threshold = [...trust].sort((a, b) => a - b)[5]; // the six lowest of 18 points
    const r = await cli('discover', 'sw', '--where', `trustMean < ${threshold}`, '--out', 'd2');
    expect(r.code, r.err).toBe(0);
    const d = JSON.parse(readFileSync(join(cwd, 'd2', 'discover.json'), 'utf8'));
    expect(d.casesOfInterest).toBe(trust.filter((t) => t < threshold).length);
    expect(d.leftOut).toEqual(['regime']); // a category: not a PRIM dimension without --policy
    // Mean trust follows initial trust (Spearman about 0.9 in the trial): the box caps trust.initial.
    const limit = d.limits.find((l: { dimension: string }) => l.dimension === 'trust.initial');
    expect(limit).toBeDefined();
    expect(limit.upper).toBeLessThan(0.6);
    expect(limit.pUpper).not.toBeNull();
  }, 60_000);

  it('refuses what it cannot answer (exit 2, nothing run)', async () => {
    const noPolicy = await cli('discover', 'sw', '--where', 'regret > 0');
    expect(noPolicy.code).toBe(2);
    expect(noPolicy.err).toMatch(/add --policy NAME \(one of organisational, system\)/);
    const unknown = await cli('discover', 'sw', '--policy', 'devolved', '--where', 'regret > 0');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/the sweep's policies are organisational, system/);
    const bad = await cli('discover', 'sw', '--where', 'populationOutcome ~ 3');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/cannot read/);
    const measure = await cli('discover', 'sw', '--where', 'popOutcome < 3');
    expect(measure.err).toMatch(/"popOutcome" is not a measure/);
    const notSweep = await cli('discover', '.', '--where', 'populationOutcome < 1');
    expect(notSweep.code).toBe(2);
    expect(notSweep.err).toMatch(/no manifest.json and runs.parquet/);
    const lever = await cli('sweep', 'gm-2017', '--lever', 'regime.accountability=0:1', '--uncertain', 'trust.initial=0.3,0.5');
    expect(lever.code).toBe(2);
    expect(lever.err).toMatch(/policy lever takes listed values/);
    const onePolicy = await cli('sweep', 'gm-2017', '--uncertain', 'trust.initial=0.3,0.5');
    expect(onePolicy.code).toBe(2);
    expect(onePolicy.err).toMatch(/at least two policies/);
  });
});

describe('partnersim chart on a sweep folder', () => {
  it('draws main effects, the interaction and report.html', async () => {
    const r = await cli('chart', 'sw');
    expect(r.code, r.err).toBe(0);
    for (const name of ['main-effects.vl.json', 'main-effects.svg', 'interaction.vl.json', 'interaction.png', 'report.html']) {
      expect(existsSync(join(cwd, 'sw', name)), name).toBe(true);
    }
    const spec = JSON.parse(readFileSync(join(cwd, 'sw', 'interaction.vl.json'), 'utf8'));
    expect(spec.facet.column.field).toBe('group'); // one panel per regime
    expect(new Set(spec.data.values.map((v: { group: string }) => v.group))).toEqual(new Set(['organisational', 'system']));
    const html = readFileSync(join(cwd, 'sw', 'report.html'), 'utf8');
    expect(html).toContain('Policies across scenarios');
  }, 120_000);
});
