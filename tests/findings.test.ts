/**
 * One test (or more) per finding of the model review in issue #14 that would have caught it on the
 * old model: 3 the trust ratchet, 4 outcomes as money deployed with a floor, 5 rates per round,
 * 6 NaN from valid input. (Findings 1 and 2 are unit-tested in mechanisms.test.ts; 7 and 8 belong
 * to the validation patterns.) Fixed seeds; tolerances are stated beside the figures measured.
 */
import { describe, expect, it } from 'vitest';
import { runReplicate, Simulation, type ReplicateResult } from '../src/model/engine.ts';
import { measure } from '../src/model/results.ts';
import { withOverride } from '../src/model/scenario.ts';
import type { Scenario } from '../src/model/types.ts';
import { builtInScenario } from '../src/scenarios/index.ts';
import { FREE_RIDER } from '../src/agents/leader-types.ts';

const set = (scenario: Scenario, pairs: [string, unknown][]) => pairs.reduce((s, [path, value]) => withOverride(s, path, value), scenario);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const runs = (scenario: Scenario, replicates: number, seed = 2026) =>
  Array.from({ length: replicates }, (_, k) => runReplicate(scenario, { seed, replicate: k }));
const last = (r: ReplicateResult, name: string) => {
  const series = measure(r, name);
  return series[series.length - 1];
};

function pearson(x: number[], y: number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('finding 5: the time step is a resolution, not a parameter', () => {
  // gm-2017 over ten years, 12 replicates, monthly (120 rounds) against quarterly (40 rounds) rounds.
  // Measured on this model (seeds 1, 2, 3, 2026): outcome gain 0.0365–0.0388 monthly against
  // 0.0359–0.0382 quarterly (relative gap 1–3%), mean stage 2.37–2.47 against 2.59–2.66 (gap
  // 0.18–0.24), life expectancy gap ≤ 0.04 years. The old per-round model gave 0.102 against
  // 0.0125 (gap 88%) and 2.54 against 1.23 (gap 1.31). Tolerances: relative outcome gap 20%,
  // stage gap 0.35, life expectancy 0.25 years.
  it('monthly and quarterly rounds agree on the ten-year outcome gain and the stage reached', () => {
    const gm = builtInScenario('gm-2017');
    const quarterly = set(gm, [['roundsPerYear', 4], ['rounds', 40]]);
    const summary = (rs: ReplicateResult[]) => ({
      gain: mean(rs.map((r) => last(r, 'populationOutcome') - measure(r, 'populationOutcome')[0])),
      stage: mean(rs.map((r) => last(r, 'stage'))),
      lifeYears: mean(rs.map((r) => last(r, 'lifeExpectancyGain'))),
    });
    const m = summary(runs(gm, 12));
    const q = summary(runs(quarterly, 12));
    expect(Math.abs(m.gain - q.gain) / Math.max(Math.abs(m.gain), Math.abs(q.gain))).toBeLessThan(0.2);
    expect(Math.abs(m.stage - q.stage)).toBeLessThan(0.35);
    expect(Math.abs(m.lifeYears - q.lifeYears)).toBeLessThan(0.25);
  });

  /** Ten-year means over 12 replicates of a scenario at monthly and at quarterly rounds. */
  const atBothResolutions = (name: string) => {
    const monthly = builtInScenario(name);
    const quarterly = set(monthly, [['roundsPerYear', 4], ['rounds', monthly.rounds / 3]]);
    return [monthly, quarterly].map((scenario) => {
      const rs = runs(scenario, 12);
      return {
        gain: mean(rs.map((r) => last(r, 'populationOutcome') - measure(r, 'populationOutcome')[0])),
        stage: mean(rs.map((r) => last(r, 'stage'))),
        trust: mean(rs.map((r) => last(r, 'trustMean'))),
      };
    });
  };

  // Measured gaps (seeds 1, 2026): outcome gain ≤ 0.0013, stage 0.08–0.25, trust ≤ 6%; quarterly
  // boards end a little higher in stage and trust in every scenario. Tolerances: gain 0.002
  // (absolute, some gains are small), stage 0.35, trust 15% of the larger.
  it.each(['speed-of-trust', 'regime-comparison', 'island-of-success'])('%s agrees at monthly and quarterly rounds', (name) => {
    const [m, q] = atBothResolutions(name);
    expect(Math.abs(m.gain - q.gain)).toBeLessThan(0.002);
    expect(Math.abs(m.stage - q.stage)).toBeLessThan(0.35);
    expect(Math.abs(m.trust - q.trust) / Math.max(m.trust, q.trust)).toBeLessThan(0.15);
  });

  // Pace pressure once depended on the time step: a quarterly round was forced only when the board
  // failed all three months, so quarterly rounds forced (and cost trust) less (year-10 trust
  // 0.115–0.122 monthly against 0.155–0.162 quarterly, seeds 1, 2026). Fixed by forcing the stalled
  // months of a partly agreed round too (board.ts, forcedMonths); this test failed before the fix.
  it('pace-pressure agrees at monthly and quarterly rounds', () => {
    const [m, q] = atBothResolutions('pace-pressure');
    expect(Math.abs(m.gain - q.gain)).toBeLessThan(0.002);
    expect(Math.abs(m.trust - q.trust) / Math.max(m.trust, q.trust)).toBeLessThan(0.15);
  });
});

describe('finding 6: no non-finite value from valid input at the corners', () => {
  it('regime.mandated=true, regime.mandateFloor=1, flexibilities.pooledBudgets.cap=1 (gm-2017) is finite everywhere', () => {
    const corner = set(builtInScenario('gm-2017'), [['regime.mandated', true], ['regime.mandateFloor', 1], ['flexibilities.pooledBudgets.cap', 1]]);
    for (const scenario of [corner, set(corner, [['roundsPerYear', 4], ['rounds', 40]])]) {
      for (const replicate of [0, 1]) {
        const { trajectories } = runReplicate(scenario, { seed: 2026, replicate });
        const bad = trajectories.measures.filter((name) => !trajectories.data[name].every(Number.isFinite));
        expect(bad).toEqual([]);
        expect(measure({ scenario: '', seed: '', replicate, trajectories }, 'pooledShare').some((x) => x > 0)).toBe(true);
      }
    }
  });
});

describe('finding 3: trust follows observed trustworthiness', () => {
  /** The lab game over 30 rounds, without punishment: per tie, trust at the start and the end and the mean gap in commitment. */
  function labTies(replicates = 60) {
    const lab = set(builtInScenario('public-goods-lab'), [['rounds', 30]]);
    const ties: { start: number; end: number; gap: number; towardsFreeRider: boolean; fromFreeRider: boolean }[] = [];
    for (let k = 0; k < replicates; k++) {
      const sim = new Simulation(lab, 3, k);
      const { ties: T, leaders: L } = sim.state;
      const start = T.trust.slice();
      const gap = new Float64Array(T.trust.length);
      for (let r = 0; r < lab.rounds; r++) {
        sim.step();
        for (let i = 0; i < L.id.length; i++) for (let q = T.start[i]; q < T.withinEnd[i]; q++) gap[q] += (L.disposition[i] - L.disposition[T.target[q]]) / lab.rounds;
      }
      for (let i = 0; i < L.id.length; i++) {
        for (let q = T.start[i]; q < T.withinEnd[i]; q++) {
          ties.push({
            start: start[q], end: T.trust[q], gap: gap[q],
            towardsFreeRider: L.type[T.target[q]] === FREE_RIDER.code, fromFreeRider: L.type[i] === FREE_RIDER.code,
          });
        }
      }
    }
    return ties;
  }

  it('lab: trust ends lower towards free riders than towards partners who are not', () => {
    const ties = labTies().filter((t) => !t.fromFreeRider);
    const towards = mean(ties.filter((t) => t.towardsFreeRider).map((t) => t.end));
    const others = mean(ties.filter((t) => !t.towardsFreeRider).map((t) => t.end));
    expect(towards).toBeLessThan(others - 0.05);
  });

  // Both failed on the rebuilt rule with an absolute tolerance of 0.1 (0.50 → 0.55 towards free
  // riders; 0.505 → 0.538 on ties whose partner gave less); with main's 0.05 (19ecef0) they pass:
  // 0.501 → 0.465 towards free riders and 0.502 → 0.412 on the 134 ties whose partner gave on
  // average more than 0.1 less (60 replicates), while trust among the others rises to 0.655.
  it('lab: mean trust towards free riders falls over 30 rounds without punishment', () => {
    const ties = labTies().filter((t) => t.towardsFreeRider && !t.fromFreeRider);
    expect(mean(ties.map((t) => t.end))).toBeLessThan(mean(ties.map((t) => t.start)));
  });

  it('lab: trust does not rise towards partners who gave less than the truster', () => {
    const ties = labTies().filter((t) => t.gap > 0.1);
    expect(ties.length).toBeGreaterThan(50);
    expect(mean(ties.map((t) => t.end))).toBeLessThanOrEqual(mean(ties.map((t) => t.start)));
  });

  // Tie age is the shorter tenure of the two leaders (a newcomer resets the tie), at year 10 of
  // gm-2017 with the default turnover (0.2 a year): with turnover off every tie has the same age
  // and the correlation is undefined. Measured: mean Pearson r over 24 replicates (seeds 2026, 5)
  // 0.007, single replicates −0.31 to 0.24 (0.18 before main's 19ecef0 changed the tolerance),
  // against 0.36 on the old model. Bound 0.2, below Cohen's medium effect; Vanneste et al. (2014)
  // find the duration–trust relation small on average.
  it('gm-2017: tie age correlates weakly with trust at year 10', () => {
    const gm = builtInScenario('gm-2017');
    const rs: number[] = [];
    for (const seed of [2026, 5]) {
      for (let k = 0; k < 12; k++) {
        const sim = new Simulation(gm, seed, k);
        for (let r = 0; r < gm.rounds; r++) sim.step();
        const { ties: T, leaders: L } = sim.state;
        const age: number[] = [];
        const trust: number[] = [];
        for (let i = 0; i < L.id.length; i++) {
          for (let q = T.start[i]; q < T.withinEnd[i]; q++) {
            age.push(Math.min(L.tenure[i], L.tenure[T.target[q]]));
            trust.push(T.trust[q]);
          }
        }
        rs.push(pearson(age, trust));
      }
    }
    expect(rs.every(Number.isFinite)).toBe(true);
    expect(Math.abs(mean(rs))).toBeLessThan(0.2);
  });
});

describe('finding 4: outcomes have a trend, other routes than pooling, and can fall', () => {
  const gm = builtInScenario('gm-2017');
  const noPooling = set(gm, [['flexibilities.pooledBudgets.allowed', false]]);
  // No money moves by regulation either, so services stay close to what their resources need.
  const untouched = set(noPooling, [['regime.penaltySeverity', 0], ['regime.rewardSeverity', 0]]);

  it('without pooling the outcome follows the trend (the old model stayed at 0.600 for ten years)', () => {
    // Measured (8 replicates): outcome 0.600 → 0.618 in ten years against the trend's 0.620; life
    // expectancy −0.10 years against the trend (partnership meetings still cost senior time; −0.46
    // with gm-2017's penalties and rewards). Tolerance: half a year.
    const rs = runs(untouched, 8);
    const rise = mean(rs.map((r) => last(r, 'populationOutcome') - measure(r, 'populationOutcome')[0]));
    expect(rise).toBeGreaterThan(0.5 * gm.outcomes.trend * 10);
    expect(Math.abs(mean(rs.map((r) => last(r, 'lifeExpectancyGain'))))).toBeLessThan(0.5);
  });

  it('budget cuts make it fall below the trend, by an amount of the size English austerity gives', () => {
    // Measured (6 replicates, seed 0): 3% annual cuts without pooling give −1.47 years of life
    // expectancy at year 10 against the trend, flat cash −0.63 (a shortfall of about 40% and 18%
    // of needed resources). The band comes from the services route's evidence (ODD 7.6): 0.01 to
    // 0.13 years per 1% of needed resources missing, so 0.4 to 5 years for 40%. Before the services
    // route was put in years, the same cuts gave −9.6 years (and −15.7 after the felt-need fix).
    for (const scenario of [untouched, noPooling]) {
      const cut = set(scenario, [['funding.budgetGrowth', -0.03]]);
      const cutGain = mean(runs(cut, 6).map((r) => last(r, 'lifeExpectancyGain')));
      const flatGain = mean(runs(scenario, 6).map((r) => last(r, 'lifeExpectancyGain')));
      expect(cutGain).toBeLessThan(flatGain - 0.4);
      expect(cutGain).toBeGreaterThan(flatGain - 5);
    }
  });

  it('a sustained shortfall costs a sustained loss, not one that accumulates (services act as a level)', () => {
    // One cut of 10% in year 1 (an intervention), then the budget grows with need: the loss reaches
    // its level within a few years and stays there. Measured: years 4 and 10 differ by < 0.05 years.
    const stepCut = {
      ...set(untouched, [['funding.budgetGrowth', untouched.funding.demandGrowth]]),
      interventions: [{ at: 12, set: { 'funding.budgetGrowth': -0.08 } }, { at: 24, set: { 'funding.budgetGrowth': untouched.funding.demandGrowth } }],
    };
    const rs = runs(stepCut, 6);
    const reference = runs(set(untouched, [['funding.budgetGrowth', untouched.funding.demandGrowth]]), 6);
    const loss = (round: number) =>
      mean(rs.map((r) => measure(r, 'lifeExpectancyGain')[round])) - mean(reference.map((r) => measure(r, 'lifeExpectancyGain')[round]));
    expect(loss(47)).toBeLessThan(-0.2);
    expect(Math.abs(loss(119) - loss(47))).toBeLessThan(0.25 * Math.abs(loss(47)));
  });
});
