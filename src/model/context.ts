/**
 * Per-scenario constants derived once before a run: per-round rates from annual ones, the fund
 * schedule, and compiled rule formulas. Submodels read it; nothing in it changes during a run.
 *
 * The time step is a resolution, not a parameter: every rate is given per year (or per month)
 * and converted here, so monthly and quarterly rounds describe the same dynamics. A rate r per
 * year becomes the share 1 − exp(−r/roundsPerYear) per round; a monthly probability p becomes
 * 1 − (1 − p)^(12/roundsPerYear); a flow per year becomes flow/roundsPerYear.
 */
import { ruleCompiler, COLLECTIVE_DELIVERY_VARIABLES, ORG_PENALTY_VARIABLES, type CompiledRule } from './formulas.ts';
import type { Scenario } from './types.ts';

/** Share per round of a process running at `ratePerYear` (continuous rate). */
export const sharePerRound = (ratePerYear: number, roundsPerYear: number): number => 1 - Math.exp(-ratePerYear / roundsPerYear);

/** A duration in months as a whole number of rounds (at least 1). */
export const monthsToRounds = (months: number, roundsPerYear: number): number => Math.max(1, Math.round((months * roundsPerYear) / 12));

export interface RoundContext {
  /** Months a round spans (1 for monthly rounds, 3 for quarterly). */
  monthsPerRound: number;
  /** Per-round budget growth factor. */
  budgetGrowthPerRound: number;
  demandGrowthPerRound: number;
  /** Share per round by which felt need adapts to the budget. */
  budgetAdaptation: number;
  /** Probability that a leader is replaced in one round. */
  turnoverPerRound: number;
  /** Share of controllable budget that may be pooled (0 when pooling is not allowed). */
  poolCap: number;
  /** Fund paid to all localities together in round t (before conditions), £m. */
  fundForRound(round: number): number;
  /** Rounds between regulatory assessments and between fund assessments. */
  assessmentRounds: number;
  fundAssessmentRounds: number;
  /** Per-round shares of the annual rates. */
  beliefWeight: number;
  returnWeight: number;
  focusRecovery: number;
  /** Shares per round by which trust moves towards observed trustworthiness: down on locality ties
   * (up depends on how much of the round the board decided, see board.ts), and up and down on system ties. */
  trustLoss: number;
  crossGain: number;
  crossLoss: number;
  idleLoss: number;
  performanceResponse: number;
  /** Probability that pace pressure forces an unagreed decision through, per month and per round. */
  paceMonthly: number;
  pacePerRound: number;
  /** Trust lost on each locality tie per unit of mandate excess in a round. */
  mandateCostPerRound: number;
  /** Share of sanction pressure carried to the next round. */
  sanctionMemory: number;
  /** Rounds of forming before storming. */
  stormingRounds: number;
  /** Rate per round of understanding growth (scaled by the locality's state) and share of friction resolved. */
  understandingRate: number;
  frictionShare: number;
  /** Third-order delay: share of each stage that moves on per round. */
  lagOutflow: number;
  /** Share per round by which the services effect on life expectancy approaches its current level (mean lag `servicesLagMonths`). */
  servicesSmoothing: number;
  orgPenaltyRule: CompiledRule | null;
  collectiveDeliveryRule: CompiledRule | null;
}

export function prepareContext(scenario: Scenario): RoundContext {
  const perYear = scenario.roundsPerYear;
  const months = 12 / perYear;
  const fund = scenario.funding.transformationFund;
  const years = Math.max(1, Math.floor(fund.years));
  // Linear taper: year y gets weight 1 − taper·y/(years−1); weights are normalised to sum to 1.
  const yearWeights = Array.from({ length: years }, (_, y) => (years > 1 ? 1 - (fund.taper * y) / (years - 1) : 1));
  const weightSum = yearWeights.reduce((a, b) => a + b, 0);
  const toLocalities = fund.total * fund.localityShare;
  const rules = scenario.regime.rules ?? {};
  const { leaders, trust, board, outcomes, regime } = scenario;
  const gainRate = trust.gain;
  return {
    monthsPerRound: months,
    budgetGrowthPerRound: Math.pow(1 + scenario.funding.budgetGrowth, 1 / perYear),
    demandGrowthPerRound: Math.pow(1 + scenario.funding.demandGrowth, 1 / perYear),
    budgetAdaptation: sharePerRound(scenario.funding.budgetAdaptation, perYear),
    turnoverPerRound: 1 - Math.pow(Math.max(0, 1 - Math.min(1, leaders.turnoverRate)), 1 / perYear),
    poolCap: scenario.flexibilities.pooledBudgets.allowed ? scenario.flexibilities.pooledBudgets.cap : 0,
    fundForRound(round) {
      const year = Math.floor(round / perYear);
      if (year >= years || weightSum <= 0) return 0;
      return (toLocalities * yearWeights[year]) / weightSum / perYear;
    },
    assessmentRounds: monthsToRounds(regime.assessmentInterval, perYear),
    fundAssessmentRounds: monthsToRounds(fund.assessmentInterval, perYear),
    beliefWeight: sharePerRound(leaders.beliefUpdate, perYear),
    returnWeight: sharePerRound(leaders.returnLearning, perYear),
    focusRecovery: sharePerRound(leaders.focusRecovery, perYear),
    trustLoss: sharePerRound(gainRate * trust.asymmetry, perYear),
    crossGain: sharePerRound(gainRate * trust.crossTieWeight, perYear),
    crossLoss: sharePerRound(gainRate * trust.asymmetry * trust.crossTieWeight, perYear),
    idleLoss: sharePerRound(board.idleLoss, perYear),
    performanceResponse: sharePerRound(outcomes.performanceResponse, perYear),
    paceMonthly: sharePerRound(regime.pacePressure, 12),
    pacePerRound: sharePerRound(regime.pacePressure, perYear),
    mandateCostPerRound: trust.mandateCost / perYear,
    sanctionMemory: Math.pow(leaders.sanctions.memory, months),
    stormingRounds: Math.round((board.stormingAfter * perYear) / 12),
    understandingRate: board.understandingGain / perYear,
    frictionShare: sharePerRound(board.frictionDecay, perYear),
    lagOutflow: 1 - Math.exp(-3 / ((outcomes.lagMonths * perYear) / 12)),
    servicesSmoothing: 1 - Math.exp(-12 / (outcomes.servicesLagMonths * perYear)),
    orgPenaltyRule: rules.orgPenalty ? ruleCompiler()(rules.orgPenalty, ORG_PENALTY_VARIABLES, 'regime.rules.orgPenalty') : null,
    collectiveDeliveryRule: rules.collectiveDelivery
      ? ruleCompiler()(rules.collectiveDelivery, COLLECTIVE_DELIVERY_VARIABLES, 'regime.rules.collectiveDelivery')
      : null,
  };
}
