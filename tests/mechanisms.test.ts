/**
 * Unit tests of the mechanisms the rebuild for issue #14 added (one describe per mechanism):
 * returns and the fund's pull in decisions, the budget-pressure hump, the council's balanced-budget
 * duty, commissioner dependence, adapting felt need, the fund's investment-agreement condition,
 * size difficulty on own money only, and the performing board's ease. Small hand-made states.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareContext } from '../src/model/context.ts';
import { initialise } from '../src/model/initialise.ts';
import type { SimState } from '../src/model/state.ts';
import { aggregateDecisions, boardDecision, fundAfterDecision, fundBeforeDecision } from '../src/model/submodels/board.ts';
import { budgetPressureEffect, decide, valueToLeader } from '../src/model/submodels/decisions.ts';
import { boundedPressure, environment } from '../src/model/submodels/environment.ts';
import type { DeepPartial, Scenario } from '../src/model/types.ts';
import { locality, tinyScenario } from './fixtures.ts';

const everyLeader = (state: SimState) => state.leaders.id.map((_, i) => i);
const sum = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0);

/** Leaders decide once at round 0 after `setup`; no noise, attributes in the middle so no clamp bites. */
function decideOnce(override: DeepPartial<Scenario>, setup: (state: SimState) => void = () => {}): SimState {
  const scenario = tinyScenario(mergeOverride({
    leaders: { decisionNoise: 0, typeMix: { conditional: 1, freeRider: 0, humpShaped: 0, altruist: 0 }, override: { focus: 0.3, altruism: 0.2, ambition: 1 } },
  }, override));
  const state = initialise(scenario, 1, 0);
  const context = prepareContext(scenario);
  environment(state, context);
  setup(state);
  decide(state, context, everyLeader(state));
  return state;
}

function mergeOverride(a: DeepPartial<Scenario>, b: DeepPartial<Scenario>): DeepPartial<Scenario> {
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries(b as Record<string, unknown>)) {
    const prev = out[k];
    out[k] = prev && typeof prev === 'object' && v && typeof v === 'object' && !Array.isArray(v)
      ? mergeOverride(prev as DeepPartial<Scenario>, v as DeepPartial<Scenario>) : v;
  }
  return out as DeepPartial<Scenario>;
}

describe('decisions: the value of a pooled £ (valueToLeader and the return term)', () => {
  it('valueToLeader = own part + altruism × everyone else\'s part, own part ρ·(g + (1 − g)·s)', () => {
    expect(valueToLeader(2, 0.25, 0, 0)).toBeCloseTo(0.5, 15);
    expect(valueToLeader(2, 0.25, 1, 0)).toBeCloseTo(2, 15);
    expect(valueToLeader(2, 0.25, 0, 1)).toBeCloseTo(2, 15);
    expect(valueToLeader(2, 0.25, 0.5, 0.5)).toBeCloseTo(1.25 + 0.5 * 0.75, 15);
    fc.assert(fc.property(
      fc.double({ min: 0, max: 5, noNaN: true }), fc.double({ min: 0, max: 0.99, noNaN: true }),
      fc.double({ min: 0, max: 0.99, noNaN: true }), fc.double({ min: 0, max: 0.99, noNaN: true }),
      (rho, share, g, a) => {
        const v = valueToLeader(rho, share, g, a);
        expect(v).toBeLessThanOrEqual(rho + 1e-12); // never more than the whole return
        // Strictly more return is strictly more value unless the leader sees no part of it at all.
        if (g + (1 - g) * share + a > 0) expect(valueToLeader(rho + 0.1, share, g, a)).toBeGreaterThan(v);
        else expect(valueToLeader(rho + 0.1, share, g, a)).toBe(0);
        expect(valueToLeader(rho, share, g + 0.01, a)).toBeGreaterThanOrEqual(v);
        expect(valueToLeader(rho, share, g, a + 0.01)).toBeGreaterThanOrEqual(v);
      }), { seed: 14, numRuns: 2000 });
    expect(valueToLeader(1, 0, 0, 0)).toBe(0); // the corner fast-check found: no share, no gain share, no altruism
  });

  it('a higher perceived return raises every disposition, all else equal', () => {
    const low = decideOnce({}, (s) => s.localities.perceivedReturn.fill(0.8));
    const high = decideOnce({}, (s) => s.localities.perceivedReturn.fill(1.6));
    const L = low.leaders;
    for (let i = 0; i < L.id.length; i++) expect(high.leaders.disposition[i]).toBeGreaterThan(L.disposition[i]);
  });

  it('a higher gain share raises every disposition, all else equal (Thesis §5.4.4)', () => {
    const none = decideOnce({ funding: { gainShare: 0 } });
    const half = decideOnce({ funding: { gainShare: 0.5 } });
    for (let i = 0; i < none.leaders.id.length; i++) expect(half.leaders.disposition[i]).toBeGreaterThan(none.leaders.disposition[i]);
  });

  it('returnSensitivity 0 switches the return term off', () => {
    const low = decideOnce({ leaders: { returnSensitivity: 0 } }, (s) => s.localities.perceivedReturn.fill(0.8));
    const high = decideOnce({ leaders: { returnSensitivity: 0 } }, (s) => s.localities.perceivedReturn.fill(1.6));
    expect(Array.from(high.leaders.disposition)).toEqual(Array.from(low.leaders.disposition));
  });
});

describe('decisions: the transformation fund\'s pull (a provision point)', () => {
  const fund = (condition: 'collective' | 'none', total: number) => ({ funding: { transformationFund: { total, condition, collectiveThreshold: 0.15 } } });
  // The board has its plan (requirePlan), so the pull is not scaled down by missing vision.
  const withExpectation = (e: number) => (s: SimState) => {
    s.leaders.expectation.fill(e);
    s.localities.formula.fill(1);
  };

  it('a conditional fund raises the dispositions of leaders who expect the locality near the threshold', () => {
    const without = decideOnce(fund('collective', 0), withExpectation(0.15));
    const withFund = decideOnce(fund('collective', 450), withExpectation(0.15));
    expect(withFund.localities.fundEntitled[0]).toBeGreaterThan(0);
    for (let i = 0; i < without.leaders.id.length; i++) expect(withFund.leaders.disposition[i]).toBeGreaterThan(without.leaders.disposition[i] + 1e-3);
  });

  it('and not of leaders who expect the locality far above it (their commitment is not pivotal)', () => {
    const without = decideOnce(fund('collective', 0), withExpectation(0.9));
    const withFund = decideOnce(fund('collective', 450), withExpectation(0.9));
    for (let i = 0; i < without.leaders.id.length; i++) {
      expect(Math.abs(withFund.leaders.disposition[i] - without.leaders.disposition[i])).toBeLessThan(1e-6);
    }
  });

  it('the pull is largest at the threshold and falls away on both sides', () => {
    const gain = (e: number) => sum(decideOnce(fund('collective', 450), withExpectation(e)).leaders.disposition)
      - sum(decideOnce(fund('collective', 0), withExpectation(e)).leaders.disposition);
    const at = gain(0.15);
    expect(at).toBeGreaterThan(gain(0.05));
    expect(at).toBeGreaterThan(gain(0.3));
    expect(gain(0.3)).toBeGreaterThan(gain(0.6));
  });

  it('an unconditional fund gives no pull at all', () => {
    for (const e of [0.05, 0.15, 0.5]) {
      const without = decideOnce(fund('none', 0), withExpectation(e));
      const withFund = decideOnce(fund('none', 4500), withExpectation(e));
      expect(withFund.localities.fundEntitled[0]).toBeGreaterThan(0);
      expect(Array.from(withFund.leaders.disposition)).toEqual(Array.from(without.leaders.disposition));
    }
  });
});

describe('decisions: budget pressure is a bounded hump (budgetPressureEffect)', () => {
  it('is 0 without pressure, positive at moderate pressure, negative near 1, bounded by budgetRetreat', () => {
    expect(budgetPressureEffect(0, 0.12, 0.35)).toBe(0);
    expect(budgetPressureEffect(0.3, 0.12, 0.35)).toBeGreaterThan(0);
    expect(budgetPressureEffect(0.5, 0.12, 0.35)).toBeCloseTo(0.12 - 0.35 / 4, 15);
    expect(budgetPressureEffect(0.99, 0.12, 0.35)).toBeLessThan(0);
    fc.assert(fc.property(
      fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.double({ min: 0, max: 2, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }),
      (x, enabling, retreat) => {
        const effect = budgetPressureEffect(x, enabling, retreat);
        expect(effect).toBeGreaterThanOrEqual(-retreat - 1e-12);
        expect(effect).toBeLessThanOrEqual(enabling + 1e-12);
      }), { seed: 14 });
  });

  it('with the defaults, a moderate squeeze raises dispositions and a severe one lowers them', () => {
    const at = (factor: number) => sum(decideOnce({ funding: { balancedBudgetDuty: false, demandGrowth: 0 } }, (s) => {
      // Budgets were cut by the last assessment; recompute this round's pressure from them.
      s.organisations.regulatoryFactor.fill(factor);
      environment(s, prepareContext(s.scenario));
    }).leaders.disposition);
    const slack = at(1);
    expect(at(0.96)).toBeGreaterThan(slack); // τ = 0.04, x ≈ 0.44
    expect(at(0.5)).toBeLessThan(slack); // τ = 0.5, x ≈ 0.91
  });
});

describe('decisions: the council\'s balanced-budget duty (Thesis §6.2.3)', () => {
  /** Pooled share of u·control·budget for councils and for the others. */
  const poolRates = (duty: boolean, factor: number) => {
    const state = decideOnce({ funding: { balancedBudgetDuty: duty, demandGrowth: 0 } }, (s) => {
      s.organisations.regulatoryFactor.fill(factor);
      environment(s, prepareContext(s.scenario));
    });
    const { leaders: L, organisations: O } = state;
    const council: number[] = [];
    const other: number[] = [];
    for (let i = 0; i < L.id.length; i++) {
      const rate = L.pooled[i] / (L.disposition[i] * L.control[i] * L.resources[i]);
      (O.isCouncil[L.org[i]] ? council : other).push(rate);
    }
    return { council, other, pressure: state.organisations.pressure[0] };
  };

  it('shrinks council pooling to cap·(1 − x) under pressure, only when the duty applies', () => {
    const squeezed = poolRates(true, 0.9);
    const x = boundedPressure(0.1, 0.05);
    for (const r of squeezed.council) expect(r).toBeCloseTo(0.3 * (1 - x), 10);
    for (const r of squeezed.other) expect(r).toBeCloseTo(0.3, 10);
    for (const r of poolRates(false, 0.9).council) expect(r).toBeCloseTo(0.3, 10);
    for (const r of poolRates(true, 1).council) expect(r).toBeCloseTo(0.3, 10); // no pressure, no shrinking
  });
});

describe('environment: the acute trust depends on commissioner income (Thesis §6.2)', () => {
  it('commissioner pooling reduces acute income next round by commissionerDependence × amount', () => {
    for (const dependence of [0, 0.5, 1]) {
      const scenario = tinyScenario({ funding: { commissionerDependence: dependence, budgetGrowth: 0 } });
      const state = initialise(scenario, 1, 0);
      const context = prepareContext(scenario);
      const { organisations: O, leaders: L, localities: C } = state;
      // Last round the commissioners of each locality pooled 1.5 and 2.5, everyone else 1.
      for (let i = 0; i < L.id.length; i++) L.pooled[i] = O.isCommissioner[L.org[i]] ? 1.5 + C.orgStart[L.locality[i]] % 2 : 1;
      state.round = 1;
      environment(state, context);
      for (let c = 0; c < C.name.length; c++) {
        let moved = 0;
        for (let i = C.leaderStart[c]; i < C.leaderEnd[c]; i++) if (O.isCommissioner[L.org[i]]) moved += L.pooled[i];
        for (let o = C.orgStart[c]; o < C.orgEnd[c]; o++) {
          const loss = O.isAcute[o] ? dependence * moved : 0;
          expect(O.incomeLoss[o]).toBeCloseTo(loss, 12);
          expect(O.budget[o]).toBeCloseTo(O.budget0[o] - loss, 12);
        }
      }
    }
  });
});

describe('environment: felt need adapts to the budget (funding.budgetAdaptation)', () => {
  /** Budget pressure of one organisation each round over `years`, budgets and need growing at their rates. */
  const pressures = (budgetGrowth: number, demandGrowth: number, budgetAdaptation: number, years = 30, roundsPerYear = 12) => {
    const scenario = tinyScenario({ roundsPerYear, funding: { budgetGrowth, demandGrowth, budgetAdaptation } });
    const state = initialise(scenario, 1, 0);
    const context = prepareContext(scenario);
    const out: number[] = [];
    for (let t = 0; t < years * roundsPerYear; t++) {
      state.round = t;
      environment(state, context);
      out.push(state.organisations.pressure[0]);
    }
    return out;
  };
  const growth = fc.double({ min: -0.1, max: 0.1, noNaN: true });

  it('a steady squeeze settles to a steady, bounded pressure', () => {
    fc.assert(fc.property(growth, growth, fc.double({ min: 0.2, max: 5, noNaN: true }), (budgetGrowth, demandGrowth, rate) => {
      const x = pressures(budgetGrowth, demandGrowth, rate);
      const lastYear = x.slice(-12);
      for (const v of x) expect(v >= 0 && v < 1).toBe(true);
      expect(Math.max(...lastYear) - Math.min(...lastYear)).toBeLessThan(1e-3);
    }), { numRuns: 40, seed: 14 });
  });

  it('the steady pressure grows with the squeeze and falls with the adaptation rate', () => {
    const settled = (b: number, d: number, rate: number) => pressures(b, d, rate).at(-1)!;
    expect(settled(-0.04, 0.02, 0.5)).toBeGreaterThan(settled(-0.01, 0.02, 0.5));
    expect(settled(-0.04, 0.02, 2)).toBeLessThan(settled(-0.04, 0.02, 0.5));
    // Without adaptation the whole squeeze since the start is felt: pressure keeps rising.
    const unadapted = pressures(-0.04, 0.02, 0, 5);
    expect(unadapted.at(-1)!).toBeGreaterThan(unadapted[unadapted.length - 13] + 1e-3);
  });

  it('no squeeze is no pressure, from the first round (budgets growing as fast as demand or faster)', () => {
    fc.assert(fc.property(growth, fc.double({ min: 0, max: 0.05, noNaN: true }), fc.constantFrom(12, 4), (demandGrowth, extra, roundsPerYear) => {
      const x = pressures(demandGrowth + extra, demandGrowth, 0.5, 3, roundsPerYear);
      expect(Math.max(...x)).toBeLessThan(1e-6);
    }), { numRuns: 30, seed: 14 });
  });
});

describe('board: the fund pays on an investment agreement assessed at intervals', () => {
  /** Runs the fund's condition for `rounds` rounds of locality 0 with a fixed mean disposition and plan. */
  const fundRun = (override: DeepPartial<Scenario>, meanDisposition: number, formula: 0 | 1, rounds = 24) => {
    const scenario = tinyScenario(mergeOverride({ funding: { transformationFund: { total: 100, years: 5, collectiveThreshold: 0.15, assessmentInterval: 12 } } }, override));
    const state = initialise(scenario, 1, 0);
    const context = prepareContext(scenario);
    const C = state.localities;
    const paid: number[] = [];
    const forfeited: number[] = [];
    const entitled: number[] = [];
    for (let t = 0; t < rounds; t++) {
      state.round = t;
      C.fundEntitled[0] = 1 + t / 10;
      C.meanDisposition[0] = meanDisposition;
      C.minDisposition[0] = 0;
      C.formula[0] = formula;
      entitled.push(C.fundEntitled[0]);
      // Paid into the pool before the board meets (condition none) or after its decision at a window's end.
      const before = fundBeforeDecision(state, context, 0);
      C.decidedMonths[0] = 12 / scenario.roundsPerYear;
      paid.push(before + fundAfterDecision(state, context, 0));
      forfeited.push(C.fundForfeited[0]);
    }
    return { paid, forfeited, entitled };
  };
  const windowSum = (xs: number[], from: number, to: number) => xs.slice(from, to).reduce((a, b) => a + b, 0);

  it('pays the window\'s escrow at the assessment when mean disposition reaches the threshold and a plan exists', () => {
    const { paid, forfeited, entitled } = fundRun({}, 0.2, 1);
    for (let t = 0; t < 24; t++) {
      if (t === 11) expect(paid[t]).toBeCloseTo(windowSum(entitled, 0, 12), 12);
      else if (t === 23) expect(paid[t]).toBeCloseTo(windowSum(entitled, 12, 24), 12);
      else expect(paid[t]).toBe(0);
      expect(forfeited[t]).toBe(0);
    }
  });

  it('forfeits it below the threshold, or without a plan when requirePlan', () => {
    for (const [meanDisposition, formula] of [[0.1, 1], [0.2, 0]] as const) {
      const { paid, forfeited, entitled } = fundRun({}, meanDisposition, formula);
      expect(sum(paid)).toBe(0);
      expect(forfeited[11]).toBeCloseTo(windowSum(entitled, 0, 12), 12);
      expect(forfeited[23]).toBeCloseTo(windowSum(entitled, 12, 24), 12);
    }
    // Without requirePlan the plan does not matter.
    const noPlanNeeded = fundRun({ funding: { transformationFund: { requirePlan: false } } }, 0.2, 0);
    expect(noPlanNeeded.paid[11]).toBeCloseTo(windowSum(noPlanNeeded.entitled, 0, 12), 12);
  });

  it('assesses every assessmentInterval months at any round length', () => {
    const { paid } = fundRun({ roundsPerYear: 4 }, 0.2, 1, 8);
    expect(paid.map((p) => p > 0)).toEqual([false, false, false, true, false, false, false, true]);
  });

  it('condition none pays every round\'s entitlement at once', () => {
    const { paid, forfeited, entitled } = fundRun({ funding: { transformationFund: { condition: 'none' } } }, 0, 0);
    expect(paid).toEqual(entitled);
    expect(sum(forfeited)).toBe(0);
  });

  it('without pooled budgets everything is forfeited, every round', () => {
    for (const condition of ['none', 'collective'] as const) {
      const { paid, forfeited, entitled } = fundRun({ flexibilities: { pooledBudgets: { allowed: false } }, funding: { transformationFund: { condition } } }, 0.5, 1);
      expect(sum(paid)).toBe(0);
      expect(forfeited).toEqual(entitled);
    }
  });
});

describe('board: size difficulty counts the partners\' own money only', () => {
  const many = Array.from({ length: 400 }, (_, c) => locality(`L${String(c).padStart(3, '0')}`));
  /** Decisions of 400 boards after one round of pooling with a fund paid unconditionally. */
  const decisions = (fundTotal: number, ownScale = 1) => {
    const scenario = tinyScenario({ localities: many, regime: { pacePressure: 0 }, funding: { transformationFund: { total: fundTotal, condition: 'none' } } });
    const state = initialise(scenario, 1, 0);
    const context = prepareContext(scenario);
    environment(state, context);
    decide(state, context, everyLeader(state));
    state.leaders.trustMean.fill(0.6);
    for (let i = 0; i < state.leaders.pooled.length; i++) state.leaders.pooled[i] *= ownScale;
    aggregateDecisions(state);
    for (let c = 0; c < many.length; c++) boardDecision(state, context, c);
    return { decided: Array.from(state.localities.decided), fund: sum(state.localities.fundPaid) };
  };

  it('a fund ten times bigger does not change whether boards agree', () => {
    const base = decisions(450);
    const big = decisions(4500);
    expect(big.fund).toBeCloseTo(10 * base.fund, 6);
    expect(big.decided).toEqual(base.decided);
    // The same test sees a change in the partners' own money: twenty times more own money is harder.
    const own = decisions(450, 20);
    expect(sum(own.decided)).toBeLessThan(sum(base.decided) - 20);
  });
});

describe('board: a performing board decides faster (board.performingEase, Tuckman 1965)', () => {
  const many = Array.from({ length: 400 }, (_, c) => locality(`L${String(c).padStart(3, '0')}`));
  const agreed = (stage: number, performingEase: number) => {
    const scenario = tinyScenario({ localities: many, regime: { pacePressure: 0 }, board: { performingEase } });
    const state = initialise(scenario, 1, 0);
    const context = prepareContext(scenario);
    environment(state, context);
    decide(state, context, everyLeader(state));
    state.leaders.trustMean.fill(0.5);
    state.localities.stage.fill(stage);
    aggregateDecisions(state);
    for (let c = 0; c < many.length; c++) boardDecision(state, context, c);
    return sum(state.localities.decided);
  };

  it('performing > norming > storming in agreement, and no difference without the ease', () => {
    const storming = agreed(1, 0.3);
    expect(agreed(2, 0.3)).toBeGreaterThan(storming);
    expect(agreed(3, 0.3)).toBeGreaterThan(agreed(2, 0.3));
    expect(agreed(3, 0.3)).toBeGreaterThan(storming + 20);
    expect(agreed(3, 0)).toBe(agreed(1, 0));
  });
});
