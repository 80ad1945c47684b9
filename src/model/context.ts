/**
 * Per-scenario constants derived once before a run: per-round rates from annual ones, the fund
 * schedule, and compiled rule formulas. Submodels read it; nothing in it changes during a run.
 */
import { compileRule, COLLECTIVE_DELIVERY_VARIABLES, ORG_PENALTY_VARIABLES, type CompiledRule } from './rules.ts';
import type { Scenario } from './types.ts';

export interface RoundContext {
  /** Per-round budget growth factor. */
  budgetGrowthPerRound: number;
  demandGrowthPerRound: number;
  /** Probability that a leader is replaced in one round. */
  turnoverPerRound: number;
  /** Share of controllable budget that may be pooled (0 when pooling is not allowed). */
  poolCap: number;
  /** Fund paid to all localities together in round t (before conditions), £m. */
  fundForRound(round: number): number;
  orgPenaltyRule: CompiledRule | null;
  collectiveDeliveryRule: CompiledRule | null;
}

export function prepareContext(scenario: Scenario): RoundContext {
  const perYear = scenario.roundsPerYear;
  const fund = scenario.funding.transformationFund;
  const years = Math.max(1, Math.floor(fund.years));
  // Linear taper: year y gets weight 1 − taper·y/(years−1); weights are normalised to sum to 1.
  const yearWeights = Array.from({ length: years }, (_, y) => (years > 1 ? 1 - (fund.taper * y) / (years - 1) : 1));
  const weightSum = yearWeights.reduce((a, b) => a + b, 0);
  const toLocalities = fund.total * fund.localityShare;
  const rules = scenario.regime.rules ?? {};
  return {
    budgetGrowthPerRound: Math.pow(1 + scenario.funding.budgetGrowth, 1 / perYear),
    demandGrowthPerRound: Math.pow(1 + scenario.funding.demandGrowth, 1 / perYear),
    turnoverPerRound: 1 - Math.pow(Math.max(0, 1 - Math.min(1, scenario.leaders.turnoverRate)), 1 / perYear),
    poolCap: scenario.flexibilities.pooledBudgets.allowed ? scenario.flexibilities.pooledBudgets.cap : 0,
    fundForRound(round) {
      const year = Math.floor(round / perYear);
      if (year >= years || weightSum <= 0) return 0;
      return (toLocalities * yearWeights[year]) / weightSum / perYear;
    },
    orgPenaltyRule: rules.orgPenalty ? compileRule(rules.orgPenalty, ORG_PENALTY_VARIABLES, 'regime.rules.orgPenalty') : null,
    collectiveDeliveryRule: rules.collectiveDelivery
      ? compileRule(rules.collectiveDelivery, COLLECTIVE_DELIVERY_VARIABLES, 'regime.rules.collectiveDelivery')
      : null,
  };
}
