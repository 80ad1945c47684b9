/**
 * Submodel 5, outcomes. Deployed money creates partnership value with the three parts of the
 * value proposition (Thesis §7.2):
 *
 *   delivery = 1 − understandingWeight + understandingWeight·understanding
 *   scope = deployed·scopeEfficiency·vision·delivery       (issues only tackled together)
 *   scale = deployed·scaleEfficiency·engagement·meanTrust·(1 + integratedProvisionBonus·cap)·delivery
 *   value = deployed·baseEfficiency + scope + scale
 *   valueAdded = value − deployed;  netValue = valueAdded − cost − idleLoss   (can be < 0, §2.7.5)
 *
 * Population health has two routes. Partnership value, in budget-months (a month of the
 * locality's starting budget), passes through a third-order delay of mean `lagMonths` into a
 * health stock that fades at `healthFade` a year whatever staff understand (gains wear off
 * unless delivery keeps them up; fitted to the published timing) and decays at
 * `valueDecay·(1 − understanding)` a year unless embedded (sustainability); the outcome moves away from its counterfactual trend Y* = Y0 + trend·years, saturating:
 *   Y_p = Y* + (1 − Y*)(1 − e^(−S/h)) for S ≥ 0, Y* − Y*(1 − e^(S/h)) for S < 0.
 * Organisational services act on life expectancy directly, in years, with the evidence's own
 * scale (the marginal health yield of NHS spending) rather than the partnership's: their
 * budget-weighted performance relative to what the resources they need would give, g, moves
 * a level L towards servicesLifeYears·g with mean lag `servicesLagMonths` (a level, not a
 * stock: a sustained shortfall costs a sustained loss, it does not accumulate). Then
 *   Y = clamp(Y_p + L / lifeExpectancyPerIndex, 0.001, 0.999),
 * life expectancy gain = lifeExpectancyPerIndex·(Y − Y*) years (so L years plus the
 * partnership's), healthy life expectancy gain = healthyLifeShare × that.
 * Organisational performance moves fast towards what retained resources support.
 */
import { sharePerRound, type RoundContext } from '../context.ts';
import type { SimState } from '../state.ts';
import { need, winterShare } from './environment.ts';

/** The outcome index for a health stock `stock` around the counterfactual `trend` (both sides saturate). */
export function outcomeFromStock(trend: number, stock: number, halfSaturation: number): number {
  return stock >= 0
    ? trend + (1 - trend) * (1 - Math.exp(-stock / halfSaturation))
    : trend - trend * (1 - Math.exp(stock / halfSaturation));
}

export function partnershipOutcomes(state: SimState, context: RoundContext, c: number): void {
  const { localities: C, organisations: O, scenario } = state;
  const { outcomes, flexibilities } = scenario;
  const deployed = C.deployed[c];
  const integrated = flexibilities.integratedProvision.allowed
    ? outcomes.integratedProvisionBonus * flexibilities.integratedProvision.cap
    : 0;
  // Scope and scale are realised as far as staff beyond the senior team carry them (§6.1.2.2).
  const delivery = 1 - outcomes.understandingWeight + outcomes.understandingWeight * C.understanding[c];
  const scope = deployed * outcomes.scopeEfficiency * C.vision[c] * delivery;
  const scale = deployed * outcomes.scaleEfficiency * C.engagement[c] * C.meanTrust[c] * (1 + integrated) * delivery;
  C.scope[c] = scope;
  C.scale[c] = scale;
  C.value[c] = deployed * outcomes.baseEfficiency + scope + scale;

  // Services: budget-weighted performance relative to what the needed resources would give.
  let gap = 0;
  let reference = 0;
  for (let o = C.orgStart[c]; o < C.orgEnd[c]; o++) {
    gap += (O.performance[o] - O.referencePerformance[o]) * O.budget0[o];
    reference += O.referencePerformance[o] * O.budget0[o];
  }
  const relativeGap = reference > 0 ? gap / reference : 0;
  C.servicesLife[c] += context.servicesSmoothing * (outcomes.servicesLifeYears * relativeGap - C.servicesLife[c]);
  const monthlyBudget = C.budget0[c] / context.monthsPerRound;
  const inflow = monthlyBudget > 0 ? C.value[c] / monthlyBudget : 0;
  const k = context.lagOutflow;
  const out1 = k * C.lag1[c];
  const out2 = k * C.lag2[c];
  const out3 = k * C.lag3[c];
  C.lag1[c] += inflow - out1;
  C.lag2[c] += out1 - out2;
  C.lag3[c] += out2 - out3;
  const decay = sharePerRound(outcomes.healthFade + outcomes.valueDecay * (1 - C.understanding[c]), scenario.roundsPerYear);
  C.valueStock[c] += out3 - decay * C.valueStock[c];
  const years = (state.round + 1) / scenario.roundsPerYear;
  const trend = C.baseline[c] + outcomes.trend * years;
  C.trendOutcome[c] = trend < 0.001 ? 0.001 : trend > 0.999 ? 0.999 : trend;
  const partnership = outcomeFromStock(C.trendOutcome[c], C.valueStock[c], outcomes.halfSaturation);
  // Services' years in index units, so that the index and the years agree (no shift when the mapping is 0).
  const services = outcomes.lifeExpectancyPerIndex > 0 ? C.servicesLife[c] / outcomes.lifeExpectancyPerIndex : 0;
  const outcome = partnership + services;
  C.outcome[c] = outcome < 0.001 ? 0.001 : outcome > 0.999 ? 0.999 : outcome;
}

/**
 * Performance of every organisation moves towards what its retained resources support; its
 * reference performance moves the same way towards what the resources it needs would support
 * (same focus, same winter), so their difference is the effect of money alone.
 */
export function organisationPerformance(state: SimState, context: RoundContext): void {
  const { organisations: O, leaders: L, scenario } = state;
  const { focusPerformanceBonus } = scenario.outcomes;
  const response = context.performanceResponse;
  const winter = winterShare(state.round, scenario.roundsPerYear) * scenario.funding.winterShock;
  const { leaderStart, leaderEnd, performanceBase, performance, referencePerformance } = O;
  const { retained, focus } = L;
  for (let o = 0; o < performance.length; o++) {
    let kept = 0;
    let focusSum = 0;
    for (let i = leaderStart[o]; i < leaderEnd[o]; i++) {
      kept += retained[i];
      focusSum += focus[i];
    }
    const meanFocus = focusSum / (leaderEnd[o] - leaderStart[o]);
    const required = need(state, o);
    // Performance is less than proportional to money (square root), boosted by management focus.
    const resourced = required > 0 ? Math.sqrt(kept > 0 ? kept / required : 0) : 1;
    const focused = performanceBase[o] * (1 + focusPerformanceBonus * meanFocus);
    let attainable = focused * resourced - winter;
    attainable = attainable < 0 ? 0 : attainable > 1 ? 1 : attainable;
    performance[o] += response * (attainable - performance[o]);
    let reference = focused - winter;
    reference = reference < 0 ? 0 : reference > 1 ? 1 : reference;
    referencePerformance[o] += response * (reference - referencePerformance[o]);
  }
}
