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
 * Value (in months of locality budget) passes through a third-order delay of mean `lagMonths`
 * into a value stock that decays at `valueDecay·(1 − understanding)` (sustainability); the
 * population outcome saturates towards 1: Y = Y0 + (1 − Y0)(1 − exp(−stock/halfSaturation)).
 * Organisational performance moves fast towards what retained resources support.
 */
import type { SimState } from '../state.ts';
import { isWinter, need } from './environment.ts';

export function partnershipOutcomes(state: SimState, c: number): void {
  const { localities: C, scenario } = state;
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

  const inflow = C.budget0[c] > 0 ? C.value[c] / C.budget0[c] : 0;
  const k = 3 / outcomes.lagMonths;
  const out1 = k * C.lag1[c];
  const out2 = k * C.lag2[c];
  const out3 = k * C.lag3[c];
  C.lag1[c] += inflow - out1;
  C.lag2[c] += out1 - out2;
  C.lag3[c] += out2 - out3;
  C.valueStock[c] += out3 - outcomes.valueDecay * (1 - C.understanding[c]) * C.valueStock[c];
  const y0 = C.baseline[c];
  C.outcome[c] = y0 + (1 - y0) * (1 - Math.exp(-C.valueStock[c] / outcomes.halfSaturation));
}

/** Performance of every organisation moves towards what its retained resources support. */
export function organisationPerformance(state: SimState): void {
  const { organisations: O, leaders: L, scenario } = state;
  const { focusPerformanceBonus, performanceResponse } = scenario.outcomes;
  const winter = isWinter(state.round, scenario.roundsPerYear) ? scenario.funding.winterShock : 0;
  const { leaderStart, leaderEnd, performanceBase, performance } = O;
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
    const resourced = required > 0 ? Math.sqrt(kept / required) : 1;
    let attainable = performanceBase[o] * resourced * (1 + focusPerformanceBonus * meanFocus) - winter;
    attainable = attainable < 0 ? 0 : attainable > 1 ? 1 : attainable;
    performance[o] += performanceResponse * (attainable - performance[o]);
  }
}
