/**
 * Submodel 1, environment: budgets grow (or are cut) and carry the last assessment's
 * penalty or reward; each leader's share of its organisation's budget is set; the
 * transformation fund's payment due this round is allotted to localities by budget.
 */
import type { RoundContext } from '../context.ts';
import type { SimState } from '../state.ts';

export function environment(state: SimState, context: RoundContext): void {
  const { organisations: O, localities: C, leaders: L } = state;
  const growth = Math.pow(context.budgetGrowthPerRound, state.round);
  state.demandFactor = Math.pow(context.demandGrowthPerRound, state.round);
  for (let o = 0; o < O.budget.length; o++) {
    O.budget[o] = O.budget0[o] * growth * O.regulatoryFactor[o];
    const perLeader = O.budget[o] / (O.leaderEnd[o] - O.leaderStart[o]);
    for (let i = O.leaderStart[o]; i < O.leaderEnd[o]; i++) L.resources[i] = perLeader;
  }
  let budgetSum = 0;
  for (let c = 0; c < C.budget0.length; c++) budgetSum += C.budget0[c];
  const fund = context.fundForRound(state.round);
  for (let c = 0; c < C.budget0.length; c++) {
    C.fundEntitled[c] = budgetSum > 0 ? (fund * C.budget0[c]) / budgetSum : 0;
  }
}

/** Resources an organisation needs to hold its performance this round (£m/round). */
export function need(state: SimState, org: number): number {
  const { organisations: O, localities: C, scenario } = state;
  const c = O.locality[org];
  // Population health gains relieve demand on organisations (the partnership's payback).
  const relief = 1 - scenario.outcomes.demandRelief * (C.outcome[c] - C.baseline[c]);
  return O.budget0[org] * state.demandFactor * relief;
}

/** Is round t a winter round? Round 0 is April, so winter is months 8–10 (December–February). */
export function isWinter(round: number, roundsPerYear: number): boolean {
  const phase = (round % roundsPerYear) / roundsPerYear;
  return phase >= 8 / 12 && phase < 11 / 12;
}
