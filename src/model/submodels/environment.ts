/**
 * Submodel 1, environment: budgets grow (or are cut) and carry the last assessment's penalty or
 * reward; an acute trust loses the income its commissioner moved into the pool last round
 * (Thesis §6.2); each organisation's bounded budget pressure x = τ/(τ + scale) is set from its
 * tightness τ = 1 − budget/felt need, the need growing with demand and adapting to the budget at
 * `budgetAdaptation` a year (organisations adjust their cost base); each leader's share of
 * its organisation's budget is set; the transformation fund's payment due this round is allotted
 * to localities by budget.
 */
import type { RoundContext } from '../context.ts';
import type { SimState } from '../state.ts';

/** Bounded pressure x ∈ [0, 1) of a tightness τ ≥ 0: one half at τ = scale, never 1. */
export const boundedPressure = (tightness: number, scale: number): number => {
  // The quotient is formed whatever the sign (and dropped when τ ≤ 0): in round 0 no organisation
  // is tight, and a division first run later has no type feedback in the code optimised earlier.
  const x = tightness / (tightness + scale);
  return tightness > 0 ? x : 0;
};

export function environment(state: SimState, context: RoundContext): void {
  const { organisations: O, localities: C, leaders: L, scenario } = state;
  // Compounded round by round, not recomputed from round 0, so that an intervention changing a
  // growth rate changes the budget from that round on instead of rewriting its history.
  // (Both products are formed in round 0 too and dropped there: a multiplication first run in
  // round 1 has no type feedback in the code V8 optimised during round 0, which was then thrown
  // away, leaving the phase in baseline code for the rest of the run.)
  const budgetGrown = state.budgetFactor * context.budgetGrowthPerRound;
  const demandGrown = state.demandFactor * context.demandGrowthPerRound;
  state.budgetFactor = state.round === 0 ? 1 : budgetGrown;
  state.demandFactor = state.round === 0 ? 1 : demandGrown;
  // The round's constants and arrays as locals: read from their objects inside the loops, each
  // was loaded and type-checked again for every organisation.
  const growth = +state.budgetFactor;
  const scale = +scenario.leaders.budgetPressureScale;
  const demandGrowth = +context.demandGrowthPerRound;
  const adaptation = +context.budgetAdaptation;
  // The fund's allotment first (it reads nothing the organisations' loop writes): code after a
  // long loop has no type feedback when V8 optimises the loop during round 0, and the
  // deoptimisation there left the phase in baseline code.
  const cBudget0 = C.budget0;
  const fundEntitled = C.fundEntitled;
  let budgetSum = 0;
  for (let c = 0; c < cBudget0.length; c++) budgetSum += cBudget0[c];
  const fund = context.fundForRound(state.round);
  for (let c = 0; c < cBudget0.length; c++) {
    fundEntitled[c] = budgetSum > 0 ? (fund * cBudget0[c]) / budgetSum : 0;
  }
  commissionerIncomeLoss(state);
  const { budget0, regulatoryFactor, incomeLoss, feltNeed, leaderStart, leaderEnd } = O;
  const budgets = O.budget;
  const pressure = O.pressure;
  const resources = L.resources;
  for (let o = 0; o < budgets.length; o++) {
    const budget = Math.max(0, budget0[o] * growth * regulatoryFactor[o] - incomeLoss[o]);
    budgets[o] = budget;
    // Pressure is felt against a need that grows with demand and adapts to the budget as the
    // organisation adjusts its cost base, so a steady squeeze is felt as a steady pressure,
    // not one that accumulates without bound from round 0.
    const felt = feltNeed[o] * demandGrowth;
    pressure[o] = boundedPressure(1 - budget / felt, scale);
    feltNeed[o] = felt + adaptation * (budget - felt);
    const first = leaderStart[o];
    const end = leaderEnd[o];
    const perLeader = budget / (end - first);
    for (let i = first; i < end; i++) resources[i] = perLeader;
  }
}

/**
 * Money a commissioner pools is money it no longer spends on hospital contracts: a share
 * `commissionerDependence` of last round's commissioner contributions comes out of the acute
 * trusts' income this round, split by their starting budgets (Thesis §6.2).
 */
function commissionerIncomeLoss(state: SimState): void {
  const { organisations: O, localities: C, leaders: L, scenario } = state;
  const dependence = +scenario.funding.commissionerDependence;
  const { orgStart, orgEnd } = C;
  const { isCommissioner, isAcute, budget0, leaderStart, leaderEnd, incomeLoss } = O;
  const pooled = L.pooled;
  for (let c = 0; c < orgStart.length; c++) {
    let moved = 0;
    let acuteBudget = 0;
    const firstOrg = orgStart[c];
    const endOrg = orgEnd[c];
    for (let o = firstOrg; o < endOrg; o++) {
      if (isCommissioner[o]) for (let i = leaderStart[o]; i < leaderEnd[o]; i++) moved += pooled[i];
      if (isAcute[o]) acuteBudget += budget0[o];
    }
    for (let o = firstOrg; o < endOrg; o++) {
      incomeLoss[o] = isAcute[o] && acuteBudget > 0 ? (dependence * moved * budget0[o]) / acuteBudget : 0;
    }
  }
}

/** Resources an organisation needs to hold its performance this round (£m/round). */
export function need(state: SimState, org: number): number {
  const { organisations: O, localities: C, scenario } = state;
  const c = O.locality[org];
  // Population health gains (beyond the trend) relieve demand on organisations (the payback).
  const relief = 1 - scenario.outcomes.demandRelief * (C.outcome[c] - C.trendOutcome[c]);
  return O.budget0[org] * state.demandFactor * (relief > 0 ? relief : 0);
}

/** Is round t a winter round? Round 0 is April, so winter is months 8–10 (December–February). */
export function isWinter(round: number, roundsPerYear: number): boolean {
  return winterShare(round, roundsPerYear) > 0;
}

/**
 * Share of round t's months that fall in winter (months 8–10 of the year when round 0 is
 * April): 1 or 0 at monthly rounds, so a winter shock scaled by it costs three months a year
 * at any round length.
 */
export function winterShare(round: number, roundsPerYear: number): number {
  const months = 12 / roundsPerYear;
  const start = (round % roundsPerYear) * months;
  let winter = 0;
  for (let m = 8; m < 11; m++) {
    // Overlap of [start, start + months) with the winter month [m, m + 1).
    const overlap = Math.min(start + months, m + 1) - Math.max(start, m);
    if (overlap > 0) winter += overlap;
  }
  return winter / months;
}
