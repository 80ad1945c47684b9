/**
 * `partnersim calibrate` and the model-target layer under it: spec validation names the field of
 * every problem; the simulate callback computes the statistic each target describes (checked
 * against the replicates run directly); and a tiny calibration through the CLI writes
 * posterior.json of the documented shape, the same bytes for the same seed, nothing for a bad spec.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { modelCalibration, validateModelCalibration } from '../src/calibration/model-targets.ts';
import { main } from '../src/cli/main.ts';
import { runReplicates } from '../src/model/engine.ts';
import { measure } from '../src/model/results.ts';
import { withOverride } from '../src/model/scenario.ts';
import { builtInScenario } from '../src/scenarios/index.ts';

const lab = builtInScenario('public-goods-lab');

/** A small valid spec over public-goods-lab; `change` edits a copy. */
function labSpec(change: (spec: Record<string, any>) => void = () => {}): Record<string, any> {
  const spec: Record<string, any> = {
    scenario: 'public-goods-lab',
    replicates: 3,
    arms: { plain: {}, punished: { 'leaders.sanctions.enabled': true } },
    parameters: [
      { path: 'leaders.priorBelief', prior: { min: 0.2, max: 0.9 } },
      { path: 'leaders.sanctions.strength', prior: { min: 0.5, max: 20, log: true } },
    ],
    targets: [
      { name: 'p1', arm: 'plain', measure: 'pooledShare', round: 1, observed: 0.39, sd: 0.03 },
      { name: 'p10', arm: 'plain', measure: 'pooledShare', round: 10, observed: 0.11, sd: 0.03 },
      { name: 'punished', arm: 'punished', measure: 'pooledShare', rounds: [1, 10], observed: 0.58, sd: 0.05 },
      { name: 'p5', arm: 'plain', measure: 'pooledShare', round: 5, observed: 0.24, sd: 0.03, holdOut: true },
    ],
    abc: { particles: 8, maxGenerations: 2 },
  };
  change(spec);
  return spec;
}

const problemsOf = (spec: unknown) => validateModelCalibration(spec, lab).map((p) => `${p.path}: ${p.message}`);

describe('model calibration spec validation', () => {
  it('a valid spec has no problems', () => {
    expect(problemsOf(labSpec())).toEqual([]);
  });

  it('the shipped specs in calibration/ are valid', () => {
    for (const file of ['lab-fg.yaml', 'gm-britteon.yaml']) {
      const spec = parseYaml(readFileSync(join(import.meta.dirname, '..', 'calibration', file), 'utf8'));
      expect(validateModelCalibration(spec, builtInScenario(spec.scenario)), file).toEqual([]);
    }
  });

  it('names the field of each model-level problem', () => {
    const problems = problemsOf(labSpec((s) => {
      s.targets[0].measure = 'contribution';
      s.targets[1].arm = 'sanctioned';
      s.targets[2].rounds = [1, 11];
      s.targets[3].round = 0;
      s.parameters[0].path = 'leaders.priorBeleif';
      s.parameters[1].prior.max = 25;
    }));
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^targets\[0\]\.measure: "contribution" is not a measure .*pooledShare/),
      expect.stringMatching(/^targets\[1\]\.arm: "sanctioned" is not an arm \(arms: plain, punished\)/),
      expect.stringMatching(/^targets\[2\]\.rounds: \[1,11\] is not a range of rounds in 1\.\.10/),
      expect.stringMatching(/^targets\[3\]\.round: 0 is not a round in 1\.\.10/),
      expect.stringMatching(/^parameters\[0\]\.path: "leaders\.priorBeleif" is not a parameter/),
      'parameters[1].prior.max: 25 is outside the parameter\'s range [0, 20]',
    ]));
    expect(problems).toHaveLength(6);
  });

  it('checks arms, baselines, rounds, columns, field names and the engine fields', () => {
    const problems = problemsOf(labSpec((s) => {
      s.arms.punished['leaders.sanctions.enabled'] = 'yes';
      s.arms.other = { 'leaders.sanctionz.enabled': true, 'leaders.priorBelief': 0.5 };
      s.targets[0].baseline = 'plain';
      delete s.targets[1].round;
      s.targets[1].rounds = [4, 2];
      s.targets[2].arm = 'plain';
      s.targets[2].column = 'Elsewhere';
      s.targets[3].period = 5;
      s.targets[3].sd = -1;
      s.parameters.push({ path: 'rounds', prior: { min: 1, max: 10 } });
      s.replicates = 0;
      s.extra = true;
    }));
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^arms\.punished\.leaders\.sanctions\.enabled: "yes" is not true or false/),
      expect.stringMatching(/^arms\.other\.leaders\.sanctionz\.enabled: is not a parameter/),
      expect.stringMatching(/^arms\.other\.leaders\.priorBelief: is also a calibrated parameter/),
      expect.stringMatching(/^targets\[0\]\.baseline: "plain" is the target's own arm/),
      expect.stringMatching(/^targets\[1\]\.rounds: \[4,2\]: from is after to/),
      expect.stringMatching(/^targets\[2\]\.column: "Elsewhere" is not a column \(system or a locality: system, Group\)/),
      expect.stringMatching(/^targets\[3\]\.period: is not a target field/),
      'targets[3].sd: -1 is not > 0',
      expect.stringMatching(/^parameters\[2\]\.path: "rounds" is an integer parameter; only continuous/),
      expect.stringMatching(/^replicates: 0 is not a whole number/),
      expect.stringMatching(/^extra: is not a field/),
    ]));
  });

  it('asks for exactly one of round and rounds, and checks the simulation budget against the particles', () => {
    const problems = problemsOf(labSpec((s) => {
      delete s.targets[0].round;
      s.targets[1].rounds = [1, 2];
      s.abc.maxSimulations = 4;
    }));
    expect(problems).toEqual([
      expect.stringMatching(/^targets\[0\]\.round: missing: give round/),
      'targets[1].rounds: give round or rounds, not both',
      expect.stringMatching(/^abc\.maxSimulations: 4 is less than abc\.particles \(8\)/),
    ]);
  });
});

describe('model targets: the simulate callback', () => {
  it('computes each target as the mean over replicates of the round, the range mean, or the paired difference', () => {
    const spec = labSpec((s) => {
      s.targets.push({ name: 'gap', arm: 'punished', baseline: 'plain', measure: 'pooledShare', rounds: [2, 6], observed: 0.2, sd: 0.1 });
      s.targets.push({ name: 'same', arm: 'plain', baseline: 'plain2', measure: 'trustMean', round: 10, observed: 0, sd: 0.1 });
      s.targets.push({ name: 'group', arm: 'plain', measure: 'trustMean', column: 'Group', round: 3, observed: 0.5, sd: 0.1 });
      s.arms.plain2 = {};
    });
    const calibration = modelCalibration(spec, lab);
    if ('problems' in calibration) throw new Error(JSON.stringify(calibration.problems));
    expect(calibration.rounds).toBe(10);
    const params = { 'leaders.priorBelief': 0.7, 'leaders.sanctions.strength': 3 };
    const stats = calibration.simulate(params, 'seed-x');

    // The same statistics computed directly from the model's replicates.
    const fitted = (s: typeof lab) => withOverride(withOverride(s, 'leaders.priorBelief', 0.7), 'leaders.sanctions.strength', 3);
    const plain = runReplicates(fitted(lab), { seed: 'seed-x', replicates: 3 }).map((r) => measure(r, 'pooledShare'));
    const punished = runReplicates(fitted(withOverride(lab, 'leaders.sanctions.enabled', true)), { seed: 'seed-x', replicates: 3 })
      .map((r) => measure(r, 'pooledShare'));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const range = (series: Float64Array, from: number, to: number) => mean(Array.from(series.slice(from - 1, to)));
    expect(stats.p1).toBeCloseTo(mean(plain.map((s) => s[0])), 12);
    expect(stats.p10).toBeCloseTo(mean(plain.map((s) => s[9])), 12);
    expect(stats.punished).toBeCloseTo(mean(punished.map((s) => range(s, 1, 10))), 12);
    expect(stats.gap).toBeCloseTo(mean(punished.map((s, k) => range(s, 2, 6) - range(plain[k], 2, 6))), 12);
    const trust = runReplicates(fitted(lab), { seed: 'seed-x', replicates: 3 }).map((r) => measure(r, 'trustMean', 'Group')[2]);
    expect(stats.group).toBeCloseTo(mean(trust), 12);
    // Common random numbers: an arm against an identical arm differs by exactly nothing.
    expect(stats.same).toBe(0);
    // The replicates differ, so the means above are over distinct runs.
    expect(new Set(plain.map((s) => s[9])).size).toBeGreaterThan(1);
  });
});

describe('partnersim calibrate', () => {
  let cwd: string;
  let out = '';
  let err = '';
  const run = (...args: string[]) => {
    out = '';
    err = '';
    return main(['calibrate', ...args], {
      stdout: (t) => void (out += t), stderr: (t) => void (err += t), stdoutIsTTY: false, stderrIsTTY: false, cwd, now: () => 0,
    });
  };
  beforeAll(() => {
    cwd = mkdtempSync(join(tmpdir(), 'partnersim-calibrate-'));
    writeFileSync(join(cwd, 'tiny.json'), JSON.stringify(labSpec()));
  });

  it('writes posterior.json of the documented shape and summary.md, and prints the tables', async () => {
    expect(await run('tiny.json', '--out', 'a', '--quiet')).toBe(0);
    const posterior = JSON.parse(readFileSync(join(cwd, 'a', 'posterior.json'), 'utf8'));
    expect(posterior).toMatchObject({
      command: 'calibrate', specFile: 'tiny.json', scenario: 'public-goods-lab', method: 'abc-smc', seed: '1',
      replicates: 3, roundsSimulated: 10, settings: { particles: 8, maxGenerations: 2 },
    });
    expect(posterior.particles).toHaveLength(8);
    const weights = posterior.particles.map((p: { weight: number }) => p.weight);
    expect(weights.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 12);
    for (const p of posterior.particles) {
      expect(p.params['leaders.priorBelief']).toBeGreaterThanOrEqual(0.2);
      expect(p.params['leaders.priorBelief']).toBeLessThanOrEqual(0.9);
    }
    expect(posterior.parameters.map((p: { path: string }) => p.path)).toEqual(['leaders.priorBelief', 'leaders.sanctions.strength']);
    expect(Object.keys(posterior.parameters[0]).sort()).toEqual(['mean', 'path', 'prior', 'q025', 'q50', 'q975', 'sd']);
    expect(posterior.fit.map((f: { name: string }) => f.name)).toEqual(['p1', 'p10', 'punished']);
    expect(posterior.holdOut.map((f: { name: string }) => f.name)).toEqual(['p5']);
    expect(posterior.generations).toHaveLength(2);
    expect(posterior.simulations.total).toBe(posterior.simulations.fit + 8);
    expect(posterior.spec.targets[2].rounds).toEqual([1, 10]);
    const summary = readFileSync(join(cwd, 'a', 'summary.md'), 'utf8');
    expect(summary).toContain('| leaders.priorBelief |');
    expect(summary).toContain('Hold-out check: p5');
    expect(out).toMatch(/leaders\.sanctions\.strength\s+log-U\[0\.5, 20\]/);
    expect(out).toMatch(/p5 \(hold-out\)\s+0\.24/);
    expect(out).toContain('Hold-out check: p5: observed 0.24 is');
    expect(err).toBe('');
  });

  it('is byte-identical for the same seed and differs for another', async () => {
    expect(await run('tiny.json', '--out', 'b', '--quiet')).toBe(0);
    expect(await run('tiny.json', '--out', 'c', '--quiet', '--seed', '2')).toBe(0);
    const bytes = (dir: string) => readFileSync(join(cwd, dir, 'posterior.json'));
    if (!existsSync(join(cwd, 'a', 'posterior.json'))) expect(await run('tiny.json', '--out', 'a', '--quiet')).toBe(0);
    expect(bytes('b').equals(bytes('a'))).toBe(true);
    expect(bytes('c').equals(bytes('a'))).toBe(false);
    expect(JSON.parse(bytes('c').toString()).seed).toBe('2');
  });

  it('--particles overrides the spec and --json prints posterior.json', async () => {
    expect(await run('tiny.json', '--out', 'd', '--particles', '6', '--json')).toBe(0);
    expect(JSON.parse(out).particles).toHaveLength(6);
    expect(out).toBe(readFileSync(join(cwd, 'd', 'posterior.json'), 'utf8'));
  });

  it('reports each generation on stderr on a terminal, and nothing with --quiet', async () => {
    const lines: string[] = [];
    const io = { stdout: () => {}, stderr: (t: string) => void lines.push(t), stdoutIsTTY: true, stderrIsTTY: true, cwd, now: () => 0 };
    expect(await main(['calibrate', 'tiny.json', '--out', 'e'], io)).toBe(0);
    const text = lines.join('');
    expect(text).toMatch(/generation 0: tolerance [\d.]+, acceptance 1, 8 simulations so far/);
    expect(text).toMatch(/generation 1: tolerance [\d.]+, acceptance [\d.]+, \d+ simulations so far/);
    lines.length = 0;
    expect(await main(['calibrate', 'tiny.json', '--out', 'e', '--quiet'], io)).toBe(0);
    expect(lines).toEqual([]);
  });

  it('a bad spec exits 2 naming the field and writes nothing', async () => {
    writeFileSync(join(cwd, 'bad.yaml'), [
      'scenario: public-goods-lab',
      'arms: { plain: {} }',
      'parameters: [{ path: leaders.priorBelief, prior: { min: 0.2, max: 1.5 } }]',
      'targets: [{ name: p1, arm: plain, measure: contribution, round: 1, observed: 0.39, sd: 0.03 }]',
    ].join('\n'));
    expect(await run('bad.yaml', '--out', 'bad')).toBe(2);
    expect(err).toContain('bad.yaml is not a valid calibration spec (2 problems):');
    expect(err).toContain('parameters[0].prior.max: 1.5 is outside the parameter\'s range [0, 1]');
    expect(err).toContain('targets[0].measure: "contribution" is not a measure');
    expect(existsSync(join(cwd, 'bad'))).toBe(false);

    writeFileSync(join(cwd, 'unknown.json'), JSON.stringify(labSpec((s) => (s.scenario = 'public-goods'))));
    expect(await run('unknown.json', '--out', 'bad')).toBe(2);
    expect(err).toMatch(/scenario: unknown scenario "public-goods"; did you mean "public-goods-lab"\?/);
    expect(await run('missing.yaml', '--out', 'bad')).toBe(2);
    expect(err).toContain('cannot read calibration spec');
    expect(await run('tiny.json', '--out', 'bad', '--particles', '0')).toBe(2);
    expect(err).toContain('--particles: "0" is not a whole number');
    writeFileSync(join(cwd, 'broken.yaml'), 'scenario: [unclosed');
    expect(await run('broken.yaml', '--out', 'bad')).toBe(2);
    expect(err).toContain('broken.yaml is not valid YAML');
    expect(existsSync(join(cwd, 'bad'))).toBe(false);
  });
});
