/**
 * The intervention schedule (a policy change in the middle of a run): validation with
 * path-named messages, determinism, independence from the order the schedule is written in,
 * nothing changed before the intervention, the same numbers whether the schedule or a caller
 * (the studio) makes the change, and the CLI replaying a file's schedule.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runReplicate, Simulation } from '../src/model/engine.ts';
import { schedule, valueDuring } from '../src/model/interventions.ts';
import { Recorder } from '../src/model/observe.ts';
import { measure } from '../src/model/results.ts';
import { validateScenario } from '../src/model/scenario.ts';
import type { Intervention, Scenario } from '../src/model/types.ts';
import { builtInScenario } from '../src/scenarios/index.ts';
import { main } from '../src/cli/main.ts';

const gm = builtInScenario('gm-2017');
const withSchedule = (interventions: Intervention[]): Scenario => ({ ...gm, interventions });
const bytes = (s: Scenario, seed = 3, replicate = 1) => {
  const r = runReplicate(s, { seed, replicate });
  return r.trajectories.measures.map((m) => Array.from(r.trajectories.data[m]).join(',')).join('|');
};

describe('intervention schedule: validation', () => {
  it('names the field of every problem', () => {
    const problems = validateScenario(withSchedule([
      { at: 500, set: { 'regime.acountability': 1 } },
      { at: 12, set: { 'trust.noise': 0.1 } },
      { at: 12.5, set: {} },
    ]));
    expect(problems.map((p) => p.path)).toEqual([
      'interventions[0].at', 'interventions[0].set.regime.acountability', 'interventions[1].set.trust.noise',
      'interventions[2].at', 'interventions[2].set',
    ]);
    expect(problems[2].message).toMatch(/cannot change in the middle of a run/);
  });

  it('checks each value as the scenario will be once it holds', () => {
    const problems = validateScenario(withSchedule([{ at: 24, set: { 'regime.accountability': 3, 'funding.gainShare': 0.5 } }]));
    expect(problems).toEqual([{ path: 'interventions[0].set.regime.accountability', message: '3 is outside [0, 1]' }]);
    const ordering = validateScenario(withSchedule([{ at: 24, set: { 'board.normingTrust': 0.3 } }]));
    expect(ordering.map((p) => p.path)).toEqual(['interventions[0].set.board.regressTrust']);
  });

  it('refuses one parameter set twice at the same round, and accepts it at different rounds', () => {
    const twice = validateScenario(withSchedule([{ at: 12, set: { 'regime.accountability': 1 } }, { at: 12, set: { 'regime.accountability': 0 } }]));
    expect(twice.map((p) => p.path)).toEqual(['interventions[1].set.regime.accountability']);
    expect(validateScenario(withSchedule([{ at: 12, set: { 'regime.accountability': 1 } }, { at: 24, set: { 'regime.accountability': 0 } }]))).toEqual([]);
  });
});

describe('intervention schedule: running', () => {
  const change: Intervention = { at: 36, set: { 'regime.accountability': 1, 'funding.budgetGrowth': -0.03 } };

  it('is deterministic and does not depend on the order the schedule is written in', () => {
    const a = withSchedule([change, { at: 60, set: { 'regime.pacePressure': 12 } }]);
    const b = withSchedule([{ at: 60, set: { 'regime.pacePressure': 12 } }, change]);
    expect(bytes(a)).toBe(bytes(a));
    expect(bytes(b)).toBe(bytes(a));
    expect(schedule(b).map((i) => i.at)).toEqual([36, 60]);
  });

  it('changes nothing before its round and something after it', () => {
    const plain = runReplicate(gm, { seed: 5, replicate: 2 });
    const changed = runReplicate(withSchedule([change]), { seed: 5, replicate: 2 });
    for (const m of plain.trajectories.measures) {
      const width = plain.trajectories.columns.length;
      expect(Array.from(changed.trajectories.data[m].subarray(0, 36 * width)), m).toEqual(Array.from(plain.trajectories.data[m].subarray(0, 36 * width)));
    }
    const pooledAfter = (r: typeof plain) => measure(r, 'pooledShare').subarray(48).reduce((x, y) => x + y, 0);
    expect(pooledAfter(changed)).not.toBe(pooledAfter(plain));
  });

  it('setting a parameter to the value it has changes no number (the round constants are derived again exactly)', () => {
    expect(bytes(withSchedule([{ at: 30, set: { 'regime.accountability': gm.regime.accountability } }]))).toBe(bytes(gm));
  });

  it('a caller\'s intervene() between rounds gives the scheduled numbers', () => {
    const scheduled = runReplicate(withSchedule([change]), { seed: 9, replicate: 0 });
    const sim = new Simulation(gm, 9, 0);
    const recorder = new Recorder(sim.state.localities.name, gm.rounds, true);
    for (let r = 0; r < gm.rounds; r++) {
      if (r === change.at) sim.intervene(change);
      sim.step();
      recorder.record(sim.state, r);
    }
    const live = recorder.result();
    for (const m of live.measures) expect(Array.from(live.data[m]), m).toEqual(Array.from(scheduled.trajectories.data[m]));
  });

  it('valueDuring reads a parameter as it stands in a round', () => {
    const s = withSchedule([change]);
    expect(valueDuring(s, 'regime.accountability', 35)).toBe(gm.regime.accountability);
    expect(valueDuring(s, 'regime.accountability', 36)).toBe(1);
  });
});

describe('intervention schedule: the command line replays it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'partnersim-interventions-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const runCli = async (args: string[]) => {
    let out = '';
    let err = '';
    const code = await main(args, {
      stdout: (t) => { out += t; }, stderr: (t) => { err += t; },
      stdoutIsTTY: false, stderrIsTTY: false, columns: 100, cwd: dir, now: () => 0,
    });
    return { code, out, err };
  };

  it('validate lists the schedule and run uses it', async () => {
    const file = join(dir, 'switch.yaml');
    writeFileSync(file, 'extends: gm-2017\nname: switch\ninterventions:\n  - at: 36\n    set: { regime.accountability: 1 }\n    label: system regulation from year 4\n');
    const checked = await runCli(['validate', file]);
    expect(checked.code).toBe(0);
    expect(checked.out).toMatch(/from round 36 \(year 3\): regime\.accountability = 1 \(system regulation from year 4\)/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'extends: gm-2017\ninterventions:\n  - at: 36\n    set: { regime.accountability: 2 }\n');
    const refused = await runCli(['validate', bad]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/interventions\[0\]\.set\.regime\.accountability: 2 is outside \[0, 1\]/);
  });
});

describe('intervention schedule: changes that end a window mid-way', () => {
  const total = (r: ReturnType<typeof runReplicate>, m: string) => measure(r, m).reduce((a, b) => a + b, 0);

  it('dropping the fund condition mid-window pays the escrow; no fund money is stranded', () => {
    const r = runReplicate(withSchedule([{ at: 18, set: { 'funding.transformationFund.condition': 'none' } }]), { seed: 4, replicate: 0 });
    const entitled = 450 * gm.funding.transformationFund.localityShare;
    // Every £ the localities were entitled to is either paid or forfeited by the end.
    expect(total(r, 'transformationFunding') + total(r, 'fundForfeited')).toBeCloseTo(entitled, 6);
  });

  it('switching pooling off mid-window forfeits the escrow', () => {
    const r = runReplicate(withSchedule([{ at: 18, set: { 'flexibilities.pooledBudgets.allowed': false } }]), { seed: 4, replicate: 0 });
    const entitled = 450 * gm.funding.transformationFund.localityShare;
    expect(total(r, 'transformationFunding') + total(r, 'fundForfeited')).toBeCloseTo(entitled, 6);
  });

  it('a longer assessment interval set mid-window judges the rounds actually summed', () => {
    // From 3 to 12 months at round 4: the last assessment was at round 3, so the one at round 12
    // sums rounds 3–11 (9 rounds); dividing those sums by 12 would lower the score by a quarter.
    // regulation.ts divides by the rounds counted, checked here just before that assessment.
    const s = withSchedule([{ at: 4, set: { 'regime.assessmentInterval': 12 } }]);
    const sim = new Simulation(s, 2, 0);
    for (let t = 0; t < 12; t++) sim.step();
    const C = sim.state.localities;
    for (let c = 0; c < C.name.length; c++) expect(C.roundsSinceAssessment[c]).toBe(12 - 3); // rounds 3..11
  });
});

describe('intervention schedule: growth rates change what follows, not what went before', () => {
  it('a budget cut set at round 24 starts from the budget reached at round 24 (no jump)', () => {
    const cut = withSchedule([{ at: 24, set: { 'funding.budgetGrowth': -0.05 } }]);
    const before = new Simulation(gm, 5, 0);
    const after = new Simulation(cut, 5, 0);
    for (let t = 0; t < 25; t++) {
      before.step();
      after.step();
    }
    // Round 24 is the first with the new rate: one round of −5% a year on the round-23 budget.
    const O0 = before.state.organisations.budget0[0];
    const grown = Math.pow(1 + gm.funding.budgetGrowth, 23 / 12);
    expect(after.state.budgetFactor).toBeCloseTo(grown * Math.pow(0.95, 1 / 12), 12);
    expect(before.state.budgetFactor).toBeCloseTo(grown * Math.pow(1 + gm.funding.budgetGrowth, 1 / 12), 12);
    // Recomputing from round 0 would have set the budget to 0.95^2 of its start: a jump of 13%.
    expect(after.state.budgetFactor * O0).toBeGreaterThan(0.99 * before.state.budgetFactor * O0);
  });
});
