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
  return new PreparedContext(scenario);
}

/**
 * The round constants as a class, every field assigned once in the constructor in one order,
 * and the fund schedule a method on its prototype (not a closure per context): every run's
 * context then has one hidden class and `fundForRound` one call target, which optimised code
 * relies on from a fresh worker's first run on (issue #15, cold start).
 */
class PreparedContext implements RoundContext {
  declare readonly monthsPerRound: number;
  declare readonly budgetGrowthPerRound: number;
  declare readonly demandGrowthPerRound: number;
  declare readonly budgetAdaptation: number;
  declare readonly turnoverPerRound: number;
  declare readonly poolCap: number;
  declare readonly assessmentRounds: number;
  declare readonly fundAssessmentRounds: number;
  declare readonly beliefWeight: number;
  declare readonly returnWeight: number;
  declare readonly focusRecovery: number;
  declare readonly trustLoss: number;
  declare readonly crossGain: number;
  declare readonly crossLoss: number;
  declare readonly idleLoss: number;
  declare readonly performanceResponse: number;
  declare readonly paceMonthly: number;
  declare readonly pacePerRound: number;
  declare readonly mandateCostPerRound: number;
  declare readonly sanctionMemory: number;
  declare readonly stormingRounds: number;
  declare readonly understandingRate: number;
  declare readonly frictionShare: number;
  declare readonly lagOutflow: number;
  declare readonly servicesSmoothing: number;
  declare readonly orgPenaltyRule: CompiledRule | null;
  declare readonly collectiveDeliveryRule: CompiledRule | null;
  /** The fund's schedule: its years, its share to localities and each year's weight (and their sum). */
  private declare readonly roundsPerYear: number;
  private declare readonly fundYears: number;
  private declare readonly fundToLocalities: number;
  private declare readonly fundYearWeights: number[];
  private declare readonly fundWeightSum: number;

  constructor(scenario: Scenario) {
    const perYear = scenario.roundsPerYear;
    const months = 12 / perYear;
    const fund = scenario.funding.transformationFund;
    const years = Math.max(1, Math.floor(fund.years));
    // Linear taper: year y gets weight 1 − taper·y/(years−1); weights are normalised to sum to 1.
    const yearWeights: number[] = [];
    for (let y = 0; y < years; y++) yearWeights.push(years > 1 ? 1 - (fund.taper * y) / (years - 1) : 1);
    let weightSum = 0;
    for (let y = 0; y < years; y++) weightSum += yearWeights[y];
    const rules = scenario.regime.rules ?? {};
    const { leaders, trust, board, outcomes, regime } = scenario;
    const gainRate = trust.gain;
    // A fraction first: monthly rounds store 1, a small integer, and the first scenario with a
    // fractional month would change every context's hidden class (see SimState's demandFactor).
    this.monthsPerRound = 0.5;
    this.monthsPerRound = months;
    this.budgetGrowthPerRound = Math.pow(1 + scenario.funding.budgetGrowth, 1 / perYear);
    this.demandGrowthPerRound = Math.pow(1 + scenario.funding.demandGrowth, 1 / perYear);
    this.budgetAdaptation = sharePerRound(scenario.funding.budgetAdaptation, perYear);
    this.turnoverPerRound = 1 - Math.pow(Math.max(0, 1 - Math.min(1, leaders.turnoverRate)), 1 / perYear);
    this.poolCap = scenario.flexibilities.pooledBudgets.allowed ? scenario.flexibilities.pooledBudgets.cap : 0;
    this.assessmentRounds = monthsToRounds(regime.assessmentInterval, perYear);
    this.fundAssessmentRounds = monthsToRounds(fund.assessmentInterval, perYear);
    this.beliefWeight = sharePerRound(leaders.beliefUpdate, perYear);
    this.returnWeight = sharePerRound(leaders.returnLearning, perYear);
    this.focusRecovery = sharePerRound(leaders.focusRecovery, perYear);
    this.trustLoss = sharePerRound(gainRate * trust.asymmetry, perYear);
    this.crossGain = sharePerRound(gainRate * trust.crossTieWeight, perYear);
    this.crossLoss = sharePerRound(gainRate * trust.asymmetry * trust.crossTieWeight, perYear);
    this.idleLoss = sharePerRound(board.idleLoss, perYear);
    this.performanceResponse = sharePerRound(outcomes.performanceResponse, perYear);
    this.paceMonthly = sharePerRound(regime.pacePressure, 12);
    this.pacePerRound = sharePerRound(regime.pacePressure, perYear);
    this.mandateCostPerRound = trust.mandateCost / perYear;
    this.sanctionMemory = Math.pow(leaders.sanctions.memory, months);
    this.stormingRounds = Math.round((board.stormingAfter * perYear) / 12);
    this.understandingRate = board.understandingGain / perYear;
    this.frictionShare = sharePerRound(board.frictionDecay, perYear);
    this.lagOutflow = 1 - Math.exp(-3 / ((outcomes.lagMonths * perYear) / 12));
    this.servicesSmoothing = 1 - Math.exp(-12 / (outcomes.servicesLagMonths * perYear));
    this.orgPenaltyRule = rules.orgPenalty ? ruleCompiler()(rules.orgPenalty, ORG_PENALTY_VARIABLES, 'regime.rules.orgPenalty') : null;
    this.collectiveDeliveryRule = rules.collectiveDelivery
      ? ruleCompiler()(rules.collectiveDelivery, COLLECTIVE_DELIVERY_VARIABLES, 'regime.rules.collectiveDelivery')
      : null;
    this.roundsPerYear = 0.5; // a fraction first, as monthsPerRound
    this.roundsPerYear = perYear;
    this.fundYears = years;
    this.fundToLocalities = fund.total * fund.localityShare;
    this.fundYearWeights = yearWeights;
    this.fundWeightSum = weightSum;
  }

  fundForRound(round: number): number {
    const year = Math.floor(round / this.roundsPerYear);
    if (year >= this.fundYears || this.fundWeightSum <= 0) return 0;
    return (this.fundToLocalities * this.fundYearWeights[year]) / this.fundWeightSum / this.roundsPerYear;
  }
}
