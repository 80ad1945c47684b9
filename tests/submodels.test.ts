/**
 * Unit tests of each submodel's equations on small hand-made states (ODD §7).
 */
import { describe, expect, it } from 'vitest';
import { ALTRUIST, CONDITIONAL, FREE_RIDER, HUMP_SHAPED } from '../src/agents/leader-types.ts';
import { prepareContext } from '../src/model/context.ts';
import { Simulation } from '../src/model/engine.ts';
import { initialise } from '../src/model/initialise.ts';
import { aggregateDecisions, boardDecision } from '../src/model/submodels/board.ts';
import { decide } from '../src/model/submodels/decisions.ts';
import { environment, isWinter } from '../src/model/submodels/environment.ts';
import { localityLearning, replaceLeader, trustAfterObservation, updateTrust } from '../src/model/submodels/learning.ts';
import { stream } from '../src/model/rng.ts';
import { mergeDeep } from '../src/model/scenario.ts';
import { syntheticSystem } from '../src/scenarios/synthetic.ts';
import { partnershipOutcomes } from '../src/model/submodels/outcomes.ts';
import { regulation } from '../src/model/submodels/regulation.ts';
import { locality, tinyScenario } from './fixtures.ts';

const everyLeader = (state: ReturnType<typeof initialise>) => state.leaders.id.map((_, i) => i);

describe('leader types (Fischbacher, Gächter & Fehr 2001)', () => {
  it('conditional cooperators give slope × expectation', () => expect(CONDITIONAL.respond(0.5, 0.9)).toBeCloseTo(0.45));
  it('free riders ignore others', () => expect(FREE_RIDER.respond(0.9, 0.9)).toBe(0));
  it('hump-shaped contributors peak at one half', () => {
    expect(HUMP_SHAPED.respond(0.5, 1)).toBeGreaterThan(HUMP_SHAPED.respond(0.9, 1));
    expect(HUMP_SHAPED.respond(0.5, 1)).toBeGreaterThan(HUMP_SHAPED.respond(0.1, 1));
  });
  it('altruists give fully whatever others do', () => expect(ALTRUIST.respond(0, 0.9)).toBe(1));
});

describe('environment', () => {
  it('grows budgets at the annual rate, compounding per round', () => {
    const scenario = tinyScenario({ funding: { budgetGrowth: 0.1 } });
    const state = initialise(scenario, 1, 0);
    const context = prepareContext(scenario);
    state.round = 12;
    environment(state, context);
    expect(state.organisations.budget[0] / state.organisations.budget0[0]).toBeCloseTo(1.1, 10);
  });

  it('pays the whole locality share of the fund over its years, tapering', () => {
    const scenario = tinyScenario({ funding: { transformationFund: { total: 450, years: 5, localityShare: 275 / 450, taper: 0.5 } } });
    const context = prepareContext(scenario);
    let total = 0;
    for (let t = 0; t < 120; t++) total += context.fundForRound(t);
    expect(total).toBeCloseTo(275, 8);
    expect(context.fundForRound(0)).toBeGreaterThan(context.fundForRound(59));
    expect(context.fundForRound(60)).toBe(0);
  });

  it('marks December to February as winter when round 0 is April', () => {
    expect([8, 9, 10].every((t) => isWinter(t, 12))).toBe(true);
    expect([0, 7, 11].some((t) => isWinter(t, 12))).toBe(false);
  });
});

describe('regulation', () => {
  const focusAfterAssessment = (accountability: number) => {
    const scenario = tinyScenario({ regime: { accountability, assessmentInterval: 1 } });
    const state = initialise(scenario, 1, 0);
    const before = Array.from(state.leaders.focus);
    state.round = 1;
    regulation(state, prepareContext(scenario));
    return { before, after: Array.from(state.leaders.focus), state };
  };

  it('organisational assessment pushes organisational focus up (Thesis §5.7.5)', () => {
    const { before, after } = focusAfterAssessment(0);
    after.forEach((f, i) => expect(f).toBeGreaterThanOrEqual(before[i]));
    expect(after.some((f, i) => f > before[i])).toBe(true);
  });

  it('system assessment pulls focus down towards the population', () => {
    const { before, after } = focusAfterAssessment(1);
    after.forEach((f, i) => expect(f).toBeLessThanOrEqual(before[i]));
  });

  it('penalises an organisation in proportion to its shortfall', () => {
    const scenario = tinyScenario({ regime: { accountability: 0, assessmentInterval: 1, penaltySeverity: 0.1 } });
    const state = initialise(scenario, 1, 0);
    state.organisations.performance.fill(0);
    state.round = 1;
    regulation(state, prepareContext(scenario));
    const o = 0;
    expect(state.organisations.regulatoryFactor[o]).toBeCloseTo(1 - 0.1 * state.organisations.exposure[o], 10);
  });

  it('does nothing between assessments', () => {
    const scenario = tinyScenario({ regime: { accountability: 0, assessmentInterval: 3 } });
    const state = initialise(scenario, 1, 0);
    const before = Array.from(state.leaders.focus);
    state.round = 2;
    regulation(state, prepareContext(scenario));
    expect(Array.from(state.leaders.focus)).toEqual(before);
  });
});

describe('decisions', () => {
  const decideAll = (override: Parameters<typeof tinyScenario>[0]) => {
    const scenario = tinyScenario(override);
    const state = initialise(scenario, 1, 0);
    const context = prepareContext(scenario);
    environment(state, context);
    decide(state, context, everyLeader(state));
    return state;
  };

  it('caps dispositions at ambition and pools poolCap·u·control', () => {
    const state = decideAll({ leaders: { decisionNoise: 0 } });
    const L = state.leaders;
    for (let i = 0; i < L.id.length; i++) {
      expect(L.disposition[i]).toBeLessThanOrEqual(L.ambition[i] + 1e-12);
      expect(L.pooled[i]).toBeCloseTo(0.3 * L.disposition[i] * L.control[i] * L.resources[i], 10);
    }
  });

  it('a mandate raises every disposition to at least its floor', () => {
    const state = decideAll({ regime: { mandated: true, mandateFloor: 0.6 } });
    for (const u of state.leaders.disposition) expect(u).toBeGreaterThanOrEqual(0.6);
  });

  it('full organisational focus and no altruism gives nothing but what noise gives', () => {
    const state = decideAll({ leaders: { override: { focus: 1 }, decisionNoise: 0 } });
    for (const u of state.leaders.disposition) expect(u).toBe(0);
  });

  it('budget cuts make leaders retreat into their organisations (Thesis §2.7.6)', () => {
    const normal = decideAll({ leaders: { decisionNoise: 0 } });
    const cut = tinyScenario({ leaders: { decisionNoise: 0 } });
    const state = initialise(cut, 1, 0);
    state.organisations.regulatoryFactor.fill(0.9);
    const context = prepareContext(cut);
    environment(state, context);
    decide(state, context, everyLeader(state));
    const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
    expect(sum(state.leaders.disposition)).toBeLessThan(sum(normal.leaders.disposition));
  });
});

describe('board decision', () => {
  const board = (override: Parameters<typeof tinyScenario>[0], setup: (s: ReturnType<typeof initialise>) => void) => {
    const scenario = tinyScenario(override);
    const state = initialise(scenario, 1, 0);
    const context = prepareContext(scenario);
    environment(state, context);
    decide(state, context, everyLeader(state));
    setup(state);
    aggregateDecisions(state);
    boardDecision(state, context, 0);
    return state;
  };

  it('full trust and equal power always agree and deploy the whole pool', () => {
    const state = board({ localities: [{ name: 'x', history: 0, structuralFriction: 0, baselineOutcome: 0.5, budget: 100, organisations: [{ kind: 'participant', name: 'a' }, { kind: 'participant', name: 'b' }] }] }, (s) => {
      s.leaders.trustMean.fill(1);
      s.leaders.distributedPower.fill(0);
    });
    expect(state.localities.decided[0]).toBe(1);
    expect(state.localities.pool[0]).toBe(0);
    expect(state.localities.deployed[0]).toBeGreaterThan(0);
  });

  it('zero trust never agrees without pace pressure, and the idle pool leaks', () => {
    const state = board({ regime: { pacePressure: 0 } }, (s) => {
      s.leaders.trustMean.fill(0);
    });
    const C = state.localities;
    expect(C.decided[0]).toBe(0);
    expect(C.conflict[0] + C.veto[0]).toBe(1);
    expect(C.idleLost[0]).toBeCloseTo(0.02 * C.pool[0] / 0.98, 10);
  });

  it('pace pressure of 1 forces every stalled decision', () => {
    const state = board({ regime: { pacePressure: 1 } }, (s) => s.leaders.trustMean.fill(0));
    expect(state.localities.decided[0]).toBe(1);
    expect(state.localities.forced[0]).toBe(1);
  });

  it('inequality of retained power is 0 when equal and 1 when one member holds it all', () => {
    const equal = board({}, (s) => { s.leaders.power.fill(0.5); s.leaders.distributedPower.fill(0); });
    expect(equal.localities.inequality[0]).toBeCloseTo(0, 12);
    const dominated = board({}, (s) => { s.leaders.power.fill(0.5); s.leaders.distributedPower.fill(1); s.leaders.distributedPower[0] = 0; });
    expect(dominated.localities.inequality[0]).toBeCloseTo(1, 12);
  });
});

describe('outcomes', () => {
  it('value = deployed·(base + (scope·vision + scale·engagement·trust)·delivery)', () => {
    const scenario = tinyScenario();
    const state = initialise(scenario, 1, 0);
    const C = state.localities;
    C.deployed[0] = 10;
    C.vision[0] = 0.5;
    C.engagement[0] = 1;
    C.meanTrust[0] = 0.5;
    C.understanding[0] = 0.5;
    partnershipOutcomes(state, 0);
    const delivery = 1 - 0.5 + 0.5 * 0.5;
    expect(C.scope[0]).toBeCloseTo(10 * 0.5 * 0.5 * delivery, 12);
    expect(C.scale[0]).toBeCloseTo(10 * 0.4 * 1 * 0.5 * delivery, 12);
    expect(C.value[0]).toBeCloseTo(10 * 0.85 + (2.5 + 2) * delivery, 12);
  });

  it('delays value by about lagMonths on average (third-order delay) before the outcome moves', () => {
    const scenario = tinyScenario({ outcomes: { lagMonths: 36, valueDecay: 0 } });
    const state = initialise(scenario, 1, 0);
    const C = state.localities;
    let previousStock = 0;
    let weighted = 0;
    let total = 0;
    for (let t = 0; t < 600; t++) {
      C.deployed[0] = t === 0 ? C.budget0[0] : 0;
      C.engagement[0] = 0;
      partnershipOutcomes(state, 0);
      const arrived = C.valueStock[0] - previousStock;
      previousStock = C.valueStock[0];
      weighted += arrived * (t + 1);
      total += arrived;
    }
    expect(weighted / total).toBeGreaterThan(33);
    expect(weighted / total).toBeLessThan(40);
    expect(C.outcome[0]).toBeGreaterThan(C.baseline[0]);
    expect(C.outcome[0]).toBeLessThan(1);
  });
});

describe('learning', () => {
  it('reciprocation adds gain·weight; defection removes asymmetry·gain·weight; clamped', () => {
    expect(trustAfterObservation(0.5, true, 1, 1, 0.02, 3)).toBeCloseTo(0.52, 12);
    expect(trustAfterObservation(0.5, false, 1, 1, 0.02, 3)).toBeCloseTo(0.44, 12);
    expect(trustAfterObservation(0.01, false, 1, 1, 0.02, 3)).toBe(0);
    expect(trustAfterObservation(0.995, true, 1, 1, 0.02, 3)).toBe(1);
  });

  it('the trust pass gives exactly trustAfterObservation\'s numbers on every tie, bounds included', () => {
    // The pass's common case is written without branches (learning.ts); this pins it to the
    // plain definition, bit for bit, with trust values at and next to both bounds.
    for (const decided of [0, 1]) {
      const scenario = mergeDeep(syntheticSystem({ leaders: 48 }), { trust: { gain: 0.05, asymmetry: 3 } });
      const state = initialise(scenario, 1, 0);
      const { leaders: L, ties: T, localities: C } = state;
      const draw = stream('trust-pass-test', decided);
      const nearBounds = [0, 1, 0.01, 0.99, 0.149, 0.97];
      for (let k = 0; k < T.trust.length; k++) T.trust[k] = k % 3 === 0 ? nearBounds[(k / 3) % nearBounds.length] : draw();
      for (let i = 0; i < L.id.length; i++) {
        L.disposition[i] = 0.05 + 0.9 * draw(); // everyone active: the common case
        L.expectation[i] = 0.5; // partners below about 0.4 defect
      }
      C.decided.fill(decided);
      C.forced.fill(0);
      const before = T.trust.slice();
      const { gain, asymmetry, meetingGainShare, reciprocityTolerance } = scenario.trust;
      const truster = new Int32Array(T.trust.length);
      for (let i = 0; i < L.id.length; i++) truster.fill(i, T.start[i], T.start[i + 1]);
      const expected = before.map((t, k) => {
        const i = truster[k];
        const bar = reciprocityTolerance * L.expectation[i];
        const w = T.weight[k];
        const gainWeight = k < T.withinEnd[i] ? (decided ? 1 : meetingGainShare) : w;
        return trustAfterObservation(t, L.disposition[T.target[k]] >= bar, gainWeight, w, gain, asymmetry);
      });
      updateTrust(state, everyLeader(state));
      expect(Array.from(T.trust)).toEqual(Array.from(expected));
      expect(expected.some((t) => t === 0) && expected.some((t) => t === 1)).toBe(true);
    }
  });

  it('keeps each locality\'s lowest trust, in any visiting order, and the baseline for a locality of one', () => {
    const base = tinyScenario({ trust: { initial: 0.45 } });
    const scenario = { ...base, localities: [...base.localities, locality('solo', { organisations: [{ kind: 'acute' }] })] };
    const lowest = (order: number[]) => {
      const state = initialise(scenario, 1, 0);
      updateTrust(state, order);
      return { state, minTrust: Array.from(state.localities.minTrust) };
    };
    const inOrder = lowest(everyLeader(initialise(scenario, 1, 0)));
    const reversed = lowest(everyLeader(initialise(scenario, 1, 0)).reverse());
    expect(reversed.minTrust).toEqual(inOrder.minTrust);
    const { localities: C, ties: T } = inOrder.state;
    for (let c = 0; c < C.name.length; c++) {
      let expected = C.leaderEnd[c] - C.leaderStart[c] > 1 ? 1 : 0.45;
      for (let i = C.leaderStart[c]; i < C.leaderEnd[c]; i++) {
        for (let k = T.start[i]; k < T.withinEnd[i]; k++) expected = Math.min(expected, T.trust[k]);
      }
      expect(C.minTrust[c]).toBe(expected);
    }
    expect(C.minTrust[C.name.indexOf('solo')]).toBe(0.45);
  });

  it('a newcomer resets relationships both ways to baseline trust (Thesis §5.4.1.2)', () => {
    const scenario = tinyScenario({ trust: { initial: 0.4 } });
    const n = initialise(scenario, 1, 0).leaders.id.length;
    // Every seat, so that partners both before and after the newcomer in index order are checked.
    for (let i = 0; i < n; i++) {
      const state = initialise(scenario, 1, 0);
      const T = state.ties;
      T.trust.fill(0.9);
      replaceLeader(state, i);
      let reset = 0;
      for (let j = 0; j < n; j++) {
        for (let k = T.start[j]; k < T.start[j + 1]; k++) {
          const touchesNewcomer = j === i || T.target[k] === i;
          expect(T.trust[k]).toBe(touchesNewcomer ? 0.4 : 0.9);
          if (touchesNewcomer) reset++;
        }
      }
      expect(reset).toBe(2 * (T.start[i + 1] - T.start[i]));
    }
  });

  it('moves through Tuckman stages forming → storming → norming → performing as conditions are met', () => {
    const scenario = tinyScenario({ board: { stormingAfter: 1 } });
    const state = initialise(scenario, 1, 0);
    const C = state.localities;
    state.leaders.trustMean.fill(0.9);
    C.decided[0] = 1;
    localityLearning(state, 0);
    expect(C.stage[0]).toBe(1);
    C.vision[0] = 0.9;
    localityLearning(state, 0);
    expect(C.formula[0]).toBe(1);
    expect(C.stage[0]).toBe(2);
    C.understanding[0] = 0.9;
    localityLearning(state, 0);
    expect(C.stage[0]).toBe(3);
    state.leaders.trustMean.fill(0.1);
    localityLearning(state, 0);
    expect(C.stage[0]).toBe(1);
  });
});

describe('engine', () => {
  it('advances the round counter once per step', () => {
    const sim = new Simulation(tinyScenario(), 1);
    sim.step();
    sim.step();
    expect(sim.state.round).toBe(2);
  });

  it('rejects an order that is not a permutation of the leaders', () => {
    expect(() => new Simulation(tinyScenario(), 1, 0, { order: new Int32Array(1) })).toThrow(/order has 1 entries/);
  });
});

describe('leader type dispatch', () => {
  it('respond(code) is each type\'s own respond', async () => {
    const { LEADER_TYPES, respond } = await import('../src/agents/leader-types.ts');
    for (const type of LEADER_TYPES) {
      for (const e of [0, 0.3, 0.5, 0.8, 1]) expect(respond(type.code, e, 0.9)).toBe(type.respond(e, 0.9));
    }
  });
});
