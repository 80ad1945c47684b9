/**
 * The studio's model side without a browser: what a Session shows equals what the library and
 * the CLI compute for the same scenario, schedule and seed; interventions replay; the
 * downloaded file reproduces the numbers in `partnersim run FILE --seed S --replicates N`; the
 * URL state round-trips. (tests/studio.test.ts drives the page itself in Chromium.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quantileSorted } from '../src/charts/data.ts';
import { mainWithResult } from '../src/cli/main.ts';
import { InputError, parseScenarioDocument, runReplicates, type ReplicateResult } from '../src/index.ts';
import { configFromHash, configToHash, emptySettings, type StudioConfig } from '../src/studio/config.ts';
import { scenarioYaml } from '../src/studio/scenario-file.ts';
import { QUANTILES, Session, STUDIO_MEASURES } from '../src/studio/session.ts';
import { builtInScenario } from '../src/scenarios/index.ts';

const SEED = 7;
const REPLICATES = 5;
const ROUNDS = 36;

const config = (): StudioConfig => ({
  scenario: 'gm-2017', seed: SEED, replicates: REPLICATES,
  a: { regime: 'organisational', set: { rounds: ROUNDS, 'trust.initial': 0.4 }, interventions: [] },
});

/** The five quantiles of each studio measure's system value over replicates, per round. */
function libraryBands(results: ReplicateResult[]): number[][][] {
  const { rounds, columns } = results[0].trajectories;
  const width = columns.length;
  return Array.from({ length: rounds }, (_, r) => STUDIO_MEASURES.map((measure) => {
    const values = Float64Array.from(results, (res) => res.trajectories.data[measure][r * width + width - 1]).sort();
    return QUANTILES.map((p) => quantileSorted(values, p));
  }));
}

function runAll(session: Session): void {
  while (!session.done) session.step();
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function cliResults(yaml: string, seed: number, replicates: number): Promise<ReplicateResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'partnersim-studio-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'studio.yaml'), yaml);
  let err = '';
  const result = await mainWithResult(['run', 'studio.yaml', '--seed', String(seed), '--replicates', String(replicates), '--no-charts', '--quiet', '--out', 'out'], {
    cwd: dir, stdout: () => {}, stderr: (text) => { err += text; }, stdoutIsTTY: false, stderrIsTTY: false, now: () => 0,
  });
  expect(result.code, err).toBe(0);
  return result.output!.runs[0].results;
}

describe('studio session', () => {
  it('shows, round by round, the library\'s quantiles for the same scenario and seed', () => {
    const session = new Session(config());
    runAll(session);
    const frame = session.frame(true);
    const library = libraryBands(runReplicates(session.scenarioOf('a'), { seed: SEED, replicates: REPLICATES }));
    expect(frame.a.bands.length).toBe(ROUNDS);
    expect(frame.a.bands).toEqual(library);
  });

  it('an intervention keeps the rounds before it, changes those after, and the downloaded file reproduces every number in the CLI', async () => {
    const plain = new Session(config());
    runAll(plain);
    const session = new Session(config());
    for (let r = 0; r < 12; r++) session.step();
    session.intervene('a', { 'regime.accountability': 1, 'funding.budgetGrowth': -0.05 });
    expect(session.round).toBe(12);
    expect(session.config.a.interventions).toEqual([{ at: 12, set: { 'regime.accountability': 1, 'funding.budgetGrowth': -0.05 } }]);
    runAll(session);
    const shown = session.frame(true).a.bands;
    const before = plain.frame(true).a.bands;
    expect(shown.slice(0, 12)).toEqual(before.slice(0, 12));
    expect(shown[ROUNDS - 1]).not.toEqual(before[ROUNDS - 1]);

    const yaml = scenarioYaml(session.scenarioOf('a'), { builtIn: 'gm-2017', base: builtInScenario('gm-2017'), seed: SEED, replicates: REPLICATES, label: 'A' });
    expect(yaml).toContain('extends: gm-2017');
    expect(yaml).toMatch(/interventions:\n\s+- at: 12/);
    expect(parseScenarioDocument(yaml, 'studio.yaml').scenario).toEqual({ ...session.scenarioOf('a'), description: expect.any(String) });
    expect(libraryBands(await cliResults(yaml, SEED, REPLICATES))).toEqual(shown);
  });

  it('B runs on the same seeds: identical settings give a zero gap, and the gap is paired per replicate', () => {
    const same = new Session({ ...config(), b: config().a });
    for (let r = 0; r < 6; r++) same.step();
    const frame = same.frame(true);
    expect(frame.b!.bands).toEqual(frame.a.bands);
    expect(frame.gap!.flat(2).every((x) => x === 0)).toBe(true);

    const session = new Session({ ...config(), b: { ...config().a, set: { ...config().a.set, 'trust.initial': 0.8 } } });
    runAll(session);
    const a = runReplicates(session.scenarioOf('a'), { seed: SEED, replicates: REPLICATES });
    const b = runReplicates(session.scenarioOf('b'), { seed: SEED, replicates: REPLICATES });
    const m = STUDIO_MEASURES.indexOf('trustMean');
    const width = a[0].trajectories.columns.length;
    const last = (ROUNDS - 1) * width + width - 1;
    const paired = Float64Array.from(a, (res, k) => b[k].trajectories.data.trustMean[last] - res.trajectories.data.trustMean[last]).sort();
    expect(session.frame(true).gap![ROUNDS - 1][m]).toEqual(QUANTILES.map((p) => quantileSorted(paired, p)));
  });

  it('refuses an invalid intervention by path and changes nothing', () => {
    const session = new Session(config());
    for (let r = 0; r < 5; r++) session.step();
    const before = session.frame(true);
    expect(() => session.intervene('a', { 'trust.initial': 2 })).toThrow(InputError);
    const error = (() => {
      try {
        session.intervene('a', { 'leaders.heterogeneity': 0.2 });
      } catch (caught) {
        return caught as InputError;
      }
    })();
    expect(error?.problems.map((p) => p.path)).toEqual(['interventions[0].set.leaders.heterogeneity']);
    expect(session.config.a.interventions).toEqual([]);
    expect(session.frame(true)).toEqual(before);
  });

  it('at round 0 a lever changes the set-up, not the schedule', () => {
    const session = new Session(config());
    session.intervene('a', { 'trust.initial': 0.7 });
    expect(session.config.a.set['trust.initial']).toBe(0.7);
    expect(session.config.a.interventions).toEqual([]);
  });

  it('a dropped file runs as written, and its download (the whole scenario) reproduces it', async () => {
    const text = 'extends: speed-of-trust\nname: slow-trust\nrounds: 24\ntrust:\n  initial: 0.3\ninterventions:\n  - at: 6\n    set: { regime.pacePressure: 6 }\n';
    const session = new Session({ ...config(), document: { name: 'slow.yaml', text }, a: emptySettings() });
    for (let r = 0; r < 10; r++) session.step();
    session.intervene('a', { 'trust.initial': 0.6 });
    runAll(session);
    expect(session.scenarioOf('a').interventions).toHaveLength(2);
    const yaml = scenarioYaml(session.scenarioOf('a'), { seed: SEED, replicates: REPLICATES, label: 'A' });
    expect(libraryBands(await cliResults(yaml, SEED, REPLICATES))).toEqual(session.frame(true).a.bands);
  });

  it('keeps the whole state in the URL hash', () => {
    const state: StudioConfig = {
      ...config(), document: { name: 'x.yaml', text: 'extends: gm-2017\n# a comment & = ?\n' },
      a: { regime: 'system', set: { 'trust.initial': 0.3 }, interventions: [{ at: 36, set: { 'regime.accountability': 1 } }] },
      b: { regime: '', set: { 'regime.mandated': true }, interventions: [] },
    };
    expect(configFromHash(configToHash(state))).toEqual(state);
    expect(configFromHash('#replicates=500').replicates).toBe(50);
  });
});
