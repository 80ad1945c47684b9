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
export const boundedPressure = (tightness: number, scale: number): number => (tightness > 0 ? tightness / (tightness + scale) : 0);

export function environment(state: SimState, context: RoundContext): void {
  const { organisations: O, localities: C, leaders: L, scenario } = state;
  // Compounded round by round, not recomputed from round 0, so that an intervention changing a
  // growth rate changes the budget from that round on instead of rewriting its history.
  state.budgetFactor = state.round === 0 ? 1 : state.budgetFactor * context.budgetGrowthPerRound;
  state.demandFactor = state.round === 0 ? 1 : state.demandFactor * context.demandGrowthPerRound;
  const growth = state.budgetFactor;
  const scale = scenario.leaders.budgetPressureScale;
  commissionerIncomeLoss(state);
  for (let o = 0; o < O.budget.length; o++) {
    const budget = Math.max(0, O.budget0[o] * growth * O.regulatoryFactor[o] - O.incomeLoss[o]);
    O.budget[o] = budget;
    // Pressure is felt against a need that grows with demand and adapts to the budget as the
    // organisation adjusts its cost base, so a steady squeeze is felt as a steady pressure,
    // not one that accumulates without bound from round 0.
    const felt = O.feltNeed[o] * context.demandGrowthPerRound;
    O.pressure[o] = boundedPressure(1 - budget / felt, scale);
    O.feltNeed[o] = felt + context.budgetAdaptation * (budget - felt);
    const perLeader = budget / (O.leaderEnd[o] - O.leaderStart[o]);
    for (let i = O.leaderStart[o]; i < O.leaderEnd[o]; i++) L.resources[i] = perLeader;
  }
  let budgetSum = 0;
  for (let c = 0; c < C.budget0.length; c++) budgetSum += C.budget0[c];
  const fund = context.fundForRound(state.round);
  for (let c = 0; c < C.budget0.length; c++) {
    C.fundEntitled[c] = budgetSum > 0 ? (fund * C.budget0[c]) / budgetSum : 0;
  }
}

/**
 * Money a commissioner pools is money it no longer spends on hospital contracts: a share
 * `commissionerDependence` of last round's commissioner contributions comes out of the acute
 * trusts' income this round, split by their starting budgets (Thesis §6.2).
 */
function commissionerIncomeLoss(state: SimState): void {
  const { organisations: O, localities: C, leaders: L, scenario } = state;
  const dependence = scenario.funding.commissionerDependence;
  for (let c = 0; c < C.name.length; c++) {
    let moved = 0;
    let acuteBudget = 0;
    for (let o = C.orgStart[c]; o < C.orgEnd[c]; o++) {
      if (O.isCommissioner[o]) for (let i = O.leaderStart[o]; i < O.leaderEnd[o]; i++) moved += L.pooled[i];
      if (O.isAcute[o]) acuteBudget += O.budget0[o];
    }
    for (let o = C.orgStart[c]; o < C.orgEnd[c]; o++) {
      O.incomeLoss[o] = O.isAcute[o] && acuteBudget > 0 ? (dependence * moved * O.budget0[o]) / acuteBudget : 0;
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
