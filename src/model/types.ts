/**
 * The scenario: plain, JSON-serialisable data that fully describes one model configuration.
 * Every numeric field is documented (meaning, unit, default, source) in `parameters.ts`,
 * which is the single source of truth for defaults, bounds and the ODD parameter table.
 */

/** Organisation kinds of the thesis (§5.4.2, §6.2) plus a neutral laboratory participant. */
export type OrganisationKind =
  | 'acute'
  | 'community'
  | 'commissioner'
  | 'council'
  | 'primaryCare'
  | 'voluntary'
  | 'participant';

/** Leader attributes that can be set per organisation or for every leader at once. */
export interface LeaderAttributes {
  /** Share of the organisation's budget this leader controls (power/resources element), [0,1]. */
  control: number;
  /** Organisational focus: 0 = population/place first, 1 = own organisation first. */
  focus: number;
  /** Unconditional weight on others' and the system's gains, [0,1]. */
  altruism: number;
  /** Tiered ambition: the most of its controllable budget the leader will ever pool, [0,1]. */
  ambition: number;
  /** Followership / charisma: how far the leader carries understanding beyond the senior team, [0,1]. */
  followership: number;
  /** Risk appetite: willingness to cede decision rights to the partnership, [0,1]. */
  riskAppetite: number;
}

export interface OrganisationSpec {
  /** Unique within its locality; defaults to the kind (with a counter when a kind repeats). */
  name?: string;
  kind: OrganisationKind;
  /** Annual budget in £m. Defaults to the kind's share of the locality budget. */
  budget?: number;
  /** Positional power in [0,1]; defaults to the kind's value. */
  power?: number;
  /** Number of leaders (board members) who share the organisation's budget. Default 1. */
  leaders?: number;
  /** Per-organisation overrides of leader attributes (otherwise drawn around the kind's defaults). */
  leader?: Partial<LeaderAttributes>;
}

export interface LocalitySpec {
  name: string;
  /** Prior relationships: -1 a history of blame, 0 none, +1 good prior relations (§7.5.2). */
  history: number;
  /** Effort lost to structure and legal form at the start, [0,1] (§7.5.2). */
  structuralFriction: number;
  /** The partnership was forced across administrative boundaries rather than grown organically (§7.5.2). */
  forcedAcrossBoundaries?: boolean;
  /** Population outcome index at the start, [0,1). */
  baselineOutcome: number;
  /** Annual health-and-care budget of the locality in £m, split across organisations by kind. */
  budget: number;
  organisations: OrganisationSpec[];
}

export interface Regime {
  accountability: number;
  assessmentInterval: number;
  penaltySeverity: number;
  rewardSeverity: number;
  systemTarget: number;
  pacePressure: number;
  mandated: boolean;
  mandateFloor: number;
  /** Share of the partnership held in formal structures rather than personal relationships (Seed 002). */
  structuralPartnering: number;
  /** Optional sandboxed mathjs formulas replacing built-in rules (see `rules.ts`). */
  rules: {
    orgPenalty?: string;
    collectiveDelivery?: string;
  };
}

export interface Flexibility {
  allowed: boolean;
  cap: number;
}

export interface Flexibilities {
  pooledBudgets: Flexibility;
  leadCommissioning: Flexibility;
  integratedProvision: Flexibility;
}

export interface TransformationFund {
  total: number;
  years: number;
  taper: number;
  localityShare: number;
  condition: 'collective' | 'none';
  collectiveThreshold: number;
  /** Months between the fund's assessments of each locality's investment agreement. */
  assessmentInterval: number;
  /** The condition also asks for an agreed plan (the board has adopted a formula or approach). */
  requirePlan: boolean;
}

export interface Funding {
  budgetGrowth: number;
  demandGrowth: number;
  budgetAdaptation: number;
  winterShock: number;
  /** Share of partnership value returned to contributors in proportion to what they pooled (Thesis §5.4.4). */
  gainShare: number;
  /** Share of the commissioner's pooled money that comes out of the acute trust's income (Thesis §6.2). */
  commissionerDependence: number;
  /** Councils must balance their budget each year: their pooling cap shrinks with budget pressure (Thesis §6.2.3). */
  balancedBudgetDuty: boolean;
  transformationFund: TransformationFund;
}

/** Shares of behavioural types among leaders (Fischbacher, Gächter & Fehr 2001). Normalised on use. */
export interface TypeMix {
  conditional: number;
  freeRider: number;
  humpShaped: number;
  altruist: number;
}

export interface LeaderParams {
  turnoverRate: number;
  typeMix: TypeMix;
  conditionalSlope: number;
  beliefUpdate: number;
  priorBelief: number;
  decisionNoise: number;
  heterogeneity: number;
  focusSensitivity: number;
  focusRecovery: number;
  budgetRetreat: number;
  budgetEnabling: number;
  budgetPressureScale: number;
  returnSensitivity: number;
  priorReturn: number;
  returnLearning: number;
  fundBeliefSpread: number;
  engagementThreshold: number;
  sanctions: { enabled: boolean; strength: number; memory: number };
  /** Attributes forced on every leader (e.g. `{ followership: 0 }` removes one leadership element). */
  override: Partial<LeaderAttributes>;
}

export interface TrustParams {
  initial: number;
  historyWeight: number;
  noise: number;
  gain: number;
  asymmetry: number;
  reciprocityTolerance: number;
  meetingGainShare: number;
  paceCost: number;
  mandateCost: number;
  crossTiesPerLeader: number;
  crossTieWeight: number;
}

export interface BoardParams {
  consensusRequired: boolean;
  difficulty: number;
  sizeDifficulty: number;
  inequalityPenalty: number;
  idleLoss: number;
  costRate: number;
  visionGain: number;
  understandingGain: number;
  turnoverMemoryLoss: number;
  formulaThreshold: number;
  frictionDecay: number;
  mandateFriction: number;
  stormingAfter: number;
  normingTrust: number;
  performingTrust: number;
  performingUnderstanding: number;
  regressTrust: number;
  regressUnderstanding: number;
  performingEase: number;
  structureFriction: number;
}

export interface OutcomeParams {
  baseEfficiency: number;
  scopeEfficiency: number;
  scaleEfficiency: number;
  understandingWeight: number;
  integratedProvisionBonus: number;
  lagMonths: number;
  valueDecay: number;
  healthFade: number;
  halfSaturation: number;
  demandRelief: number;
  performanceResponse: number;
  focusPerformanceBonus: number;
  trend: number;
  servicesLifeYears: number;
  servicesLagMonths: number;
  lifeExpectancyPerIndex: number;
  healthyLifeShare: number;
}

/** A policy change in the middle of a run (see `interventions.ts`): from round `at` on, `set`'s values hold. */
export interface Intervention {
  /** Rounds run before the change (the change holds from the round with this 0-based index). */
  at: number;
  /** Dotted parameter paths and their new values. */
  set: Record<string, number | boolean | string>;
  /** What the change is, for charts and reports (e.g. "system regulation from year 3"). */
  label?: string;
}

export interface Scenario {
  name: string;
  description: string;
  /** Seed-document sections the scenario rests on. */
  sources: string[];
  /** Number of rounds (months by default). */
  rounds: number;
  /** Rounds per year: converts annual rates (budget growth, turnover) to per-round ones. */
  roundsPerYear: number;
  localities: LocalitySpec[];
  regime: Regime;
  flexibilities: Flexibilities;
  funding: Funding;
  leaders: LeaderParams;
  trust: TrustParams;
  board: BoardParams;
  outcomes: OutcomeParams;
  /** Policy changes in the middle of the run, applied between rounds (optional). */
  interventions?: Intervention[];
  /** Measures the scenario's lesson is about (optional): charted first in its report. */
  lessonMeasures?: string[];
}

/** A scenario with every field optional, for extending a base scenario. */
export type DeepPartial<T> = T extends (infer U)[]
  ? U[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
