/**
 * The experiment layer's pure parts: --param parsing, grid and Latin-hypercube designs (with a
 * fast-check property of the strata), Morris and Sobol on analytic test functions with known
 * indices, shards, the journal's torn-record recovery and the Parquet tables read back.
 */
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { mkdtempSync, appendFileSync, closeSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { InputError } from '../src/documents/errors.ts';
import { writeFilesAtomically } from '../src/io/output.ts';
import {
  gridValues, latinHypercube, parseFactor, parseFactors, sweepPoints, type Factor,
} from '../src/experiments/design.ts';
import { Journal, JournalRecordError, crc32, decodeRun, encodeRun } from '../src/io/journal.ts';
import { elementaryEffects, morrisAnalyse, morrisSample } from '../src/experiments/morris.ts';
import { resolveShard, shardRange } from '../src/experiments/shard.ts';
import { ishigami, ishigamiIndices, sobolAnalyse, sobolSample } from '../src/experiments/sobol.ts';
import {
  recordsFromTables, roundsParquet, runsParquet, summarise, type RunRecord, type TableLayout,
} from '../src/experiments/tables.ts';
import { readParquet } from '../src/io/parquet.ts';
import { runReplicate } from '../src/model/engine.ts';
import { MEASURE_NAMES } from '../src/model/observe.ts';
import { stream } from '../src/model/rng.ts';
import { builtInScenario } from '../src/scenarios/index.ts';

describe('--param', () => {
  it('reads grids, lists, ranges and exploration ranges', () => {
    expect(parseFactor('regime.accountability=0:1:5')).toMatchObject({ kind: 'grid', texts: ['0', '0.25', '0.5', '0.75', '1'] });
    expect(parseFactor('trust.initial=0.3,0.5,0.7')).toMatchObject({ kind: 'list', texts: ['0.3', '0.5', '0.7'] });
    expect(parseFactor('trust.gain=0.01:0.05')).toMatchObject({ kind: 'range', lo: 0.01, hi: 0.05, integer: false });
    // PATH alone samples the plausible band, not the validity range [0, 20].
    expect(parseFactor('board.difficulty')).toMatchObject({ kind: 'range', lo: 0.5, hi: 2 });
    expect(parseFactor('trust.gain')).toMatchObject({ kind: 'range', lo: 0.2, hi: 0.8 });
    expect(parseFactor('outcomes.lagMonths')).toMatchObject({ kind: 'range', lo: 4, hi: 48 });
    expect(parseFactor('trust.crossTiesPerLeader')).toMatchObject({ kind: 'range', lo: 0, hi: 4, integer: true });
    expect(parseFactor('regime.assessmentInterval=1:12')).toMatchObject({ kind: 'range', integer: true });
    expect(parseFactor('regime.mandated=true,false')).toMatchObject({ kind: 'list', texts: ['true', 'false'] });
    expect(gridValues(1, 12, 4, true)).toEqual([1, 5, 8, 12]);
  });

  it('refuses what cannot be swept, saying why', () => {
    const message = (raw: string) => {
      try {
        parseFactors([raw]);
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(message('regime.accountability=0:2:5')).toContain('above the maximum 1');
    expect(message('regime.accountability=1:0:3')).toContain('low to high');
    expect(message('regime.mandated=0:1')).toContain('list its values');
    expect(message('regime.assessmentInterval=1:3:5')).toContain('repeat');
    expect(message('trust.initial=0.3,,0.5')).toContain('empty value');
    expect(() => parseFactors(['trust.initial=0.3,0.5', 'trust.initial=0.4'])).toThrow(/twice/);
    expect(() => sweepPoints({ design: 'grid', factors: [parseFactor('trust.gain=0:1')], seed: '1' })).toThrow(/grid values/);
  });

  it('crosses regimes, grids and lists in order (first slowest)', () => {
    const factors: Factor[] = parseFactors(['regime.pacePressure=0:1:2', 'trust.initial=0.3,0.7']);
    const points = sweepPoints({ design: 'grid', factors, regimes: ['organisational', 'system'], seed: '1' });
    expect(points).toHaveLength(8);
    expect(points[0]).toEqual({ regime: 'organisational', assignments: [{ path: 'regime.pacePressure', text: '0' }, { path: 'trust.initial', text: '0.3' }] });
    expect(points[1].assignments[1].text).toBe('0.7');
    expect(points[2].assignments[0].text).toBe('1');
    expect(points[4].regime).toBe('system');
  });

  it('refuses a --param path that a --regimes regime sets (the regime column would mean nothing)', () => {
    const clash = (param: string, regimes: string[]) => () =>
      sweepPoints({ design: 'grid', factors: parseFactors([param]), regimes, seed: '1' });
    expect(clash('regime.accountability=0:1:3', ['organisational', 'system'])).toThrow(InputError);
    expect(clash('regime.accountability=0:1:3', ['organisational', 'system'])).toThrow(/"organisational" of --regimes sets regime\.accountability/);
    // A regime that sets a deeper path under the parameter (devolved sets flexibilities.pooledBudgets.cap and .allowed).
    expect(clash('flexibilities.pooledBudgets.cap=0.1,0.3', ['devolved'])).toThrow(/sets flexibilities\.pooledBudgets\.cap/);
    expect(clash('funding.transformationFund.total=0,450', ['organisational', 'devolved'])).toThrow(/"devolved"/);
    expect(clash('trust.initial=0.3,0.7', ['organisational', 'system'])).not.toThrow();
    expect(clash('regime.accountability=0:1:3', [])).not.toThrow();
  });

  it('draws the Latin hypercube from the seed alone', () => {
    const factors = parseFactors(['trust.initial=0.3:0.7', 'regime.assessmentInterval=1:12']);
    const a = sweepPoints({ design: 'lhs', factors, samples: 50, seed: '7' });
    const b = sweepPoints({ design: 'lhs', factors, samples: 50, seed: '7' });
    const c = sweepPoints({ design: 'lhs', factors, samples: 50, seed: '8' });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const p of a) {
      const x = Number(p.assignments[0].text);
      const k = Number(p.assignments[1].text);
      expect(x).toBeGreaterThanOrEqual(0.3);
      expect(x).toBeLessThan(0.7);
      expect(Number.isInteger(k) && k >= 1 && k <= 12).toBe(true);
    }
  });
});

describe('Latin hypercube', () => {
  it('puts exactly one sample in each of the n strata of every dimension (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 6 }), fc.string(), (n, k, seed) => {
      const points = latinHypercube(n, k, stream(seed, 'lhs-test'));
      expect(points).toHaveLength(n);
      for (let j = 0; j < k; j++) {
        const strata = new Int32Array(n);
        for (const p of points) {
          expect(p[j]).toBeGreaterThanOrEqual(0);
          expect(p[j]).toBeLessThan(1);
          strata[Math.floor(p[j] * n)]++;
        }
        expect([...strata].every((count) => count === 1)).toBe(true);
      }
    }), { numRuns: 200 });
  });
});

describe('Morris elementary effects', () => {
  it('recovers the coefficients of a linear model exactly (sigma 0)', () => {
    const a = [3, -2, 0.5, 0];
    const design = morrisSample(12, a.length, 4, stream('morris-linear'));
    const y = design.points.map((x) => a.reduce((s, ai, i) => s + ai * x[i], 0));
    const indices = morrisAnalyse(design, y, { bootstrap: 200, uniform: stream('boot') });
    indices.forEach((ix, i) => {
      expect(ix.mu).toBeCloseTo(a[i], 9);
      expect(ix.muStar).toBeCloseTo(Math.abs(a[i]), 9);
      expect(ix.sigma).toBeCloseTo(0, 9);
      expect(ix.muStarLow).toBeLessThanOrEqual(ix.muStar + 1e-12);
      expect(ix.muStarHigh).toBeGreaterThanOrEqual(ix.muStar - 1e-12);
    });
  });

  it('moves one factor by Δ per step and keeps points in the unit cube', () => {
    const design = morrisSample(20, 5, 6, stream('morris-steps'));
    expect(design.delta).toBeCloseTo(0.6, 12);
    for (let t = 0; t < 20; t++) {
      for (let m = 0; m < 5; m++) {
        const before = design.points[t * 6 + m];
        const after = design.points[t * 6 + m + 1];
        const changed = [...before.keys()].filter((i) => Math.abs(after[i] - before[i]) > 1e-9);
        expect(changed).toEqual([design.steps[t].factor[m]]);
        expect(Math.abs(after[changed[0]] - before[changed[0]])).toBeCloseTo(design.delta, 9);
      }
      for (const p of design.points.slice(t * 6, t * 6 + 6)) for (const x of p) expect(x >= 0 && x <= 1).toBe(true);
    }
  });

  it('shows an interaction as sigma and a quadratic as mu* > |mu| (f = x1·x2 + x3²)', () => {
    const design = morrisSample(40, 4, 4, stream('morris-nonlinear'));
    const y = design.points.map((x) => x[0] * x[1] + (2 * x[2] - 1) ** 2);
    const ix = morrisAnalyse(design, y, { bootstrap: 0, uniform: stream('b') });
    expect(ix[0].sigma).toBeGreaterThan(0.1);
    expect(ix[2].muStar).toBeGreaterThan(Math.abs(ix[2].mu) + 0.1);
    expect(ix[3].muStar).toBe(0);
    expect(elementaryEffects(design, y)[3].every((e) => e === 0)).toBe(true);
  });
});

describe('Sobol indices (Saltelli first order, Jansen total)', () => {
  it('match the analytic indices of the Ishigami function at a fixed seed', () => {
    const n = 8192;
    const design = sobolSample(n, 3, stream('sobol-ishigami'));
    const y = design.points.map((u) => ishigami(...(Array.from(u, (x) => -Math.PI + 2 * Math.PI * x) as [number, number, number])));
    const indices = sobolAnalyse(design, y, { bootstrap: 300, uniform: stream('sobol-boot') });
    const exact = ishigamiIndices();
    indices.forEach((ix, i) => {
      expect(Math.abs(ix.first - exact.first[i]), `S${i + 1}`).toBeLessThan(0.05);
      expect(Math.abs(ix.total - exact.total[i]), `ST${i + 1}`).toBeLessThan(0.05);
      expect(ix.firstLow).toBeLessThanOrEqual(ix.firstHigh);
      expect(ix.totalLow - 0.03).toBeLessThanOrEqual(exact.total[i]);
      expect(ix.totalHigh + 0.03).toBeGreaterThanOrEqual(exact.total[i]);
    });
    expect(exact.first[0]).toBeCloseTo(0.3139, 3);
    expect(exact.first[1]).toBeCloseTo(0.4424, 3);
    expect(exact.total[2]).toBeCloseTo(0.2437, 3);
  });

  it('match a linear model: S_i = ST_i = a_i² / Σ a²', () => {
    const a = [1, 2, 3, 0];
    const design = sobolSample(4096, a.length, stream('sobol-linear'));
    const y = design.points.map((x) => a.reduce((s, ai, i) => s + ai * x[i], 0));
    const total = a.reduce((s, ai) => s + ai * ai, 0);
    sobolAnalyse(design, y, { bootstrap: 100, uniform: stream('b') }).forEach((ix, i) => {
      expect(ix.first).toBeCloseTo((a[i] * a[i]) / total, 1);
      expect(ix.total).toBeCloseTo((a[i] * a[i]) / total, 1);
    });
  });

  it('is deterministic: same seed, same bootstrap intervals', () => {
    const design = sobolSample(256, 2, stream('s'));
    const y = design.points.map((x) => x[0] + x[1] ** 2);
    const run = () => sobolAnalyse(design, y, { bootstrap: 100, uniform: stream('same') });
    expect(run()).toEqual(run());
  });
});

describe('shards', () => {
  it('split the runs into contiguous slices that cover every run once', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10000 }), fc.integer({ min: 1, max: 64 }), (total, count) => {
      let next = 0;
      for (let index = 1; index <= count; index++) {
        const { first, end } = shardRange(total, { index, count });
        expect(first).toBe(next);
        expect(end).toBeGreaterThanOrEqual(first);
        next = end;
      }
      expect(next).toBe(total);
    }));
  });

  it('come from --shard, SLURM array variables or a Kubernetes completion index', () => {
    expect(resolveShard('2/4', undefined, {})).toMatchObject({ index: 2, count: 4 });
    expect(resolveShard('1/1', undefined, {})).toBeUndefined();
    expect(resolveShard(undefined, undefined, {})).toBeUndefined();
    expect(resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4' })).toMatchObject({ index: 4, count: 4 });
    expect(resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '4' })).toMatchObject({ index: 3 });
    expect(resolveShard(undefined, '8', { JOB_COMPLETION_INDEX: '0' })).toMatchObject({ index: 1, count: 8 });
    expect(resolveShard('3/4', undefined, { JOB_COMPLETION_INDEX: '0' })).toMatchObject({ index: 3, count: 4 });
    expect(() => resolveShard(undefined, undefined, { JOB_COMPLETION_INDEX: '2' })).toThrow(/--shard-count/);
    expect(() => resolveShard('5/4', undefined, {})).toThrow(InputError);
    expect(() => resolveShard('auto', undefined, {})).toThrow(/no array index/);
    // A resubmitted --array=3,7 is an array of its own (min 3, count 2): the message names where the count came from.
    const resubmitted = { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_MIN: '3', SLURM_ARRAY_TASK_COUNT: '2' };
    expect(() => resolveShard(undefined, undefined, resubmitted))
      .toThrow('SLURM_ARRAY_TASK_ID=7 (from 3) is shard 5, outside the 2 shards of SLURM_ARRAY_TASK_COUNT=2 (the size of this array job).');
    expect(() => resolveShard(undefined, '4', resubmitted)).toThrow('outside the 4 shards of --shard-count 4.');
    expect(() => resolveShard(undefined, '4', { JOB_COMPLETION_INDEX: '4' })).toThrow('JOB_COMPLETION_INDEX=4 is shard 5, outside the 4 shards of --shard-count 4.');
  });
});

describe('journal', () => {
  const scenario = { ...builtInScenario('gm-2017'), rounds: 12 };
  /** A stand-in for a plan's fingerprint (SHA-256 hex). */
  const FP = createHash('sha256').update('journal test').digest('hex');
  const OPTIONS = { fingerprint: FP };
  const record = (run: number, localities = false, fingerprint = FP) =>
    encodeRun(run, runReplicate(scenario, { seed: 3, replicate: run, recordLocalities: localities }).trajectories, fingerprint);

  it('round-trips a run exactly', () => {
    const result = runReplicate(scenario, { seed: 3, replicate: 1 });
    const data = decodeRun(encodeRun(5, result.trajectories, FP));
    expect(data.run).toBe(5);
    expect(data.columns).toEqual(result.trajectories.columns);
    MEASURE_NAMES.forEach((name, m) => {
      expect([...data.data.subarray(m * 12 * 11, (m + 1) * 12 * 11)]).toEqual([...result.trajectories.data[name]]);
    });
  });

  it('keeps every intact record and cuts off a torn one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'partnersim-journal-'));
    const path = join(dir, 'journal.bin');
    const journal = Journal.open(path, true, OPTIONS);
    for (const run of [2, 0, 1]) journal.append(record(run));
    journal.close();
    const intact = statSync(path).size;
    const torn = record(3).subarray(0, 1000);
    appendFileSync(path, torn);
    const reopened = Journal.open(path, false, OPTIONS);
    expect(reopened.truncated).toBe(1000);
    expect([...reopened.entries.keys()].sort()).toEqual([0, 1, 2]);
    expect(statSync(path).size).toBe(intact);
    reopened.append(record(3));
    expect(reopened.read(3).run).toBe(3);
    expect(reopened.read(1).data).toEqual(decodeRun(record(1)).data);
    reopened.close();
    // A flipped bit in the last record fails its checksum: it is not used.
    const bytes = record(4);
    bytes[bytes.length - 3] ^= 1;
    appendFileSync(path, bytes);
    const again = Journal.open(path, false, OPTIONS);
    expect([...again.entries.keys()].sort()).toEqual([0, 1, 2, 3]);
    expect(again.rejected.map((r) => [r.index, r.run, r.problem])).toEqual([[4, 4, 'bad CRC (damaged)']]);
    again.close();
  });

  /** A journal holding records of runs 0…n−1 in order; returns its path and each record's offset. */
  function journalOf(n: number, encode = (run: number) => record(run)): { path: string; offsets: number[] } {
    const path = join(mkdtempSync(join(tmpdir(), 'partnersim-journal-')), 'journal.bin');
    const journal = Journal.open(path, true, OPTIONS);
    const offsets: number[] = [];
    for (let run = 0; run < n; run++) {
      journal.append(encode(run));
      offsets.push(journal.entries.get(run)!.offset);
    }
    journal.close();
    return { path, offsets };
  }

  const overwrite = (path: string, at: number, bytes: Uint8Array) => {
    const fd = openSync(path, 'r+');
    writeSync(fd, bytes, 0, bytes.length, at);
    closeSync(fd);
  };

  it('skips a damaged record in the middle (bad CRC), keeping the records after it', () => {
    const { path, offsets } = journalOf(4);
    const bytes = readFileSync(path);
    bytes[offsets[1] + 500] ^= 0x10;
    writeFileSync(path, bytes);
    const journal = Journal.open(path, false, OPTIONS);
    expect([...journal.entries.keys()].sort()).toEqual([0, 2, 3]);
    expect(journal.rejected).toEqual([{ index: 1, offset: offsets[1], run: 1, problem: 'bad CRC (damaged)' }]);
    expect(journal.truncated).toBe(0);
    expect(journal.read(3).data).toEqual(decodeRun(record(3)).data);
    journal.close();
  });

  it('uses no record of another experiment, nor of a run outside the expected range', () => {
    const other = createHash('sha256').update('another sweep').digest('hex');
    const { path } = journalOf(3, (run) => record(run, false, run === 1 ? other : FP));
    const journal = Journal.open(path, false, { fingerprint: FP, runs: { first: 0, end: 2 } });
    expect([...journal.entries.keys()]).toEqual([0]);
    expect(journal.rejected.map((r) => r.run)).toEqual([1, 2]);
    expect(journal.rejected[0].problem).toMatch(/^from another experiment \(fingerprint [0-9a-f]{12}…, this one's [0-9a-f]{12}…\)$/);
    expect(journal.rejected[1].problem).toBe("holds run 2, not one of this sweep's runs 0–1");
    journal.close();
  });

  it('checks every read again: a byte flipped, or another run written into the slot, after opening', () => {
    const { path, offsets } = journalOf(3);
    const journal = Journal.open(path, false, OPTIONS);
    // Changed under the open journal (what a second writer did before folders were locked).
    overwrite(path, offsets[2] + 300, Uint8Array.of(readFileSync(path)[offsets[2] + 300] ^ 1));
    overwrite(path, offsets[1], record(0)); // run 0's record (same size) where run 1's was
    expect(() => journal.read(2)).toThrow(JournalRecordError);
    expect(() => journal.read(1)).toThrow('journal record 1 (byte ' + offsets[1] + ', run 1): holds run 0, not run 1');
    expect(journal.entries.has(1)).toBe(false); // forgotten, so the sweep recomputes it
    expect(journal.read(0).run).toBe(0);
    journal.close();
  });

  it('does not use a journal of the older format (no fingerprint): it is emptied, every run recomputed', () => {
    const { path } = journalOf(2);
    const bytes = readFileSync(path);
    bytes.writeUInt32LE(0x314a5350, 0); // 'PSJ1'
    bytes.writeUInt32LE(crc32(bytes.subarray(12, bytes.readUInt32LE(4))), 8);
    writeFileSync(path, bytes);
    const journal = Journal.open(path, false, OPTIONS);
    expect(journal.foreign).toMatch(/older format 1/);
    expect(journal.entries.size).toBe(0);
    journal.close();
    expect(statSync(path).size).toBe(0);
  });

  it('syncs in the background without losing a record, also when closed while a sync is in flight', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'partnersim-journal-'));
    const path = join(dir, 'journal.bin');
    const journal = Journal.open(path, true, OPTIONS);
    const clock = vi.spyOn(Date, 'now');
    try {
      // Each append sees a clock a second later, so each starts a background fsync unless one
      // is still in flight; close() comes straight after the last.
      let now = 1e12;
      clock.mockImplementation(() => (now += 1000));
      for (let run = 0; run < 6; run++) journal.append(record(run));
    } finally {
      clock.mockRestore();
    }
    journal.close();
    journal.close(); // a second close is a no-op
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the in-flight fsync return
    const reopened = Journal.open(path, false, OPTIONS);
    expect(reopened.truncated).toBe(0);
    expect([...reopened.entries.keys()].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(reopened.read(5).data).toEqual(decodeRun(record(5)).data);
    reopened.close();
  });
});

describe('Parquet tables', () => {
  it('are typed, read back exactly, and rebuild the same bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'partnersim-tables-'));
    const scenario = { ...builtInScenario('gm-2017'), rounds: 6 };
    const layout: TableLayout = {
      seed: '9', params: [{ name: 'regime', type: 'STRING' }, { name: 'trust.initial', type: 'DOUBLE' }, { name: 'rounds', type: 'INT32' }, { name: 'regime.mandated', type: 'BOOLEAN' }],
      roundsGroupRuns: 2, runsGroupRuns: 3,
    };
    const records: RunRecord[] = [0, 1, 2, 3, 4].map((run) => {
      const t = runReplicate(scenario, { seed: 9, replicate: run, recordLocalities: run % 2 === 0 }).trajectories;
      const data = decodeRun(encodeRun(run, t, 'cd'.repeat(32)));
      return {
        run, point: Math.floor(run / 2), replicate: run % 2, params: ['system', 0.1 * run, 6, run % 2 === 0], summary: summarise(data),
        trajectory: { ...data, years: Float64Array.from({ length: 6 }, (_, r) => r / 12) },
      };
    });
    writeFilesAtomically(dir, [
      { name: 'runs.parquet', chunks: runsParquet(layout, records, 'test') },
      { name: 'rounds.parquet', chunks: roundsParquet(layout, records, 'test') },
    ]);
    const runs = await readParquet(join(dir, 'runs.parquet'));
    const rounds = await readParquet(join(dir, 'rounds.parquet'));
    expect(runs.rows).toBe(5);
    expect(rounds.rows).toBe(6 * 11 + 6 + 6 * 11 + 6 + 6 * 11);
    expect(Array.from(runs.columns.run as ArrayLike<number>)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(runs.columns['regime.mandated'] as ArrayLike<boolean>)).toEqual([true, false, true, false, true]);
    expect(runs.columns['trust.initial'][3]).toBe(0.30000000000000004);
    expect(runs.columns.populationOutcome_final[4]).toBe(records[4].summary[2 * MEASURE_NAMES.indexOf('populationOutcome')]);
    expect(rounds.columns.locality[0]).toBe('Locality A');
    expect(rounds.columns.year[1 * 11]).toBe(1 / 12);
    const again = [...recordsFromTables(layout, runs, rounds)];
    expect(again.map((r) => r.trajectory!.columns.length)).toEqual([11, 1, 11, 1, 11]);
    expect(again[3].trajectory!.data).toEqual(records[3].trajectory!.data);
    const copy = mkdtempSync(join(tmpdir(), 'partnersim-tables-'));
    writeFilesAtomically(copy, [
      { name: 'runs.parquet', chunks: runsParquet(layout, again, 'test') },
      { name: 'rounds.parquet', chunks: roundsParquet(layout, again, 'test') },
    ]);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(copy, 'runs.parquet')).equals(readFileSync(join(dir, 'runs.parquet')))).toBe(true);
    expect(readFileSync(join(copy, 'rounds.parquet')).equals(readFileSync(join(dir, 'rounds.parquet')))).toBe(true);
  });
});
