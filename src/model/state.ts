/**
 * Simulation state as a structure of arrays: one typed array per attribute, indexed by leader,
 * organisation, locality or tie. Leaders are stored contiguously by organisation and
 * organisations by locality, so a locality is a range of indices. Ties are a CSR (compressed
 * sparse row) network: the ties leaving leader i are `tieStart[i] .. tieStart[i + 1] - 1`.
 */
import type { StreamBank } from './rng.ts';
import type { Scenario } from './types.ts';

export interface LeaderArrays {
  id: string[];
  org: Int32Array;
  locality: Int32Array;
  type: Uint8Array;
  /** Positional power: the organisation's, shared equally among its leaders. */
  power: Float64Array;
  control: Float64Array;
  focus: Float64Array;
  /** The leader's own starting focus (drawn around its kind's default), to which focus drifts back. */
  focusHome: Float64Array;
  altruism: Float64Array;
  ambition: Float64Array;
  followership: Float64Array;
  riskAppetite: Float64Array;
  tenure: Int32Array;
  /** Expected disposition of partners: the interaction-weighted mean of the tie expectations, [0,1]. */
  expectation: Float64Array;
  /** This round's partnership disposition: the share of its pooling cap the leader commits, [0,1] (at most ambition unless a mandate floor raises it). */
  disposition: Float64Array;
  /** Disposition before a mandate floor raised it (for resentment). */
  unforced: Float64Array;
  /** Share of positional power ceded to the partnership, [0,1]. */
  distributedPower: Float64Array;
  /** Next-round disposition push from peer sanctions. */
  sanctionPressure: Float64Array;
  /** This round's budget share of the leader (£m/round) and its split. */
  resources: Float64Array;
  pooled: Float64Array;
  cost: Float64Array;
  retained: Float64Array;
  /** Mean directed trust over the leader's locality ties (end of last round). */
  trustMean: Float64Array;
  /** Per-leader random streams (slot = leader index, seeded from the leader's name). */
  rng: StreamBank;
}

export interface OrganisationArrays {
  name: string[];
  kind: Uint8Array;
  locality: Int32Array;
  leaderStart: Int32Array;
  leaderEnd: Int32Array;
  /** Budget per round at the start (£m/round). */
  budget0: Float64Array;
  /** Budget per round now, after growth and regulatory penalties/rewards (£m/round). */
  budget: Float64Array;
  power: Float64Array;
  exposure: Float64Array;
  performanceBase: Float64Array;
  target: Float64Array;
  performance: Float64Array;
  /** Budget multiplier set by the last assessment (penalties < 1 < rewards). */
  regulatoryFactor: Float64Array;
  /** Shortfall against target at the last assessment, [0,1]. */
  shortfall: Float64Array;
  /** Share of the locality's starting budget (the organisation's share of a locality-wide gain). */
  localityShare: Float64Array;
  /** 1 for a council (balanced budget duty), 1 for an acute trust in `isAcute`, 1 for a commissioner in `isCommissioner`. */
  isCouncil: Uint8Array;
  isAcute: Uint8Array;
  isCommissioner: Uint8Array;
  /** Bounded budget pressure x = τ/(τ + scale) ∈ [0, 1) this round (τ: shortfall of budget against the felt need). */
  pressure: Float64Array;
  /** Felt need (£m/round): grows with demand and adapts towards the budget as the organisation adjusts its cost base. */
  feltNeed: Float64Array;
  /** Income lost this round to the commissioner's pooling (acute trusts only), £m/round. */
  incomeLoss: Float64Array;
  /** Performance the organisation would reach with the resources it needs (the services' reference). */
  referencePerformance: Float64Array;
}

export interface LocalityArrays {
  name: string[];
  leaderStart: Int32Array;
  leaderEnd: Int32Array;
  orgStart: Int32Array;
  orgEnd: Int32Array;
  /** Index of the organisation with the most positional power (the "island" candidate). */
  powerfulOrg: Int32Array;
  history: Float64Array;
  budget0: Float64Array;
  /** Mean ambition and followership of the locality's leaders: traits that never change (a
   * newcomer takes over the role's traits), so summed once at initialisation. */
  meanAmbition: Float64Array;
  meanFollowership: Float64Array;
  pool: Float64Array;
  vision: Float64Array;
  understanding: Float64Array;
  formula: Uint8Array;
  friction: Float64Array;
  stage: Uint8Array;
  roundsActive: Int32Array;
  outcome: Float64Array;
  baseline: Float64Array;
  /** The outcome's counterfactual: baseline plus the secular trend, without partnership or service effects. */
  trendOutcome: Float64Array;
  lag1: Float64Array;
  lag2: Float64Array;
  lag3: Float64Array;
  /** Health stock (budget-months): delayed partnership value, decaying. */
  valueStock: Float64Array;
  /** Years of life expectancy that services above (below) their reference add (remove), smoothed over `servicesLagMonths`. */
  servicesLife: Float64Array;
  /** Partners' own money in the pool (the pool less transformation-fund money), £m. */
  poolOwn: Float64Array;
  /** Perceived value per pooled £: smoothed value created over smoothed money pooled. */
  perceivedReturn: Float64Array;
  smoothedValue: Float64Array;
  smoothedPooled: Float64Array;
  /** Transformation fund accrued since the last fund assessment (paid or forfeited at it), £m. */
  fundEscrow: Float64Array;
  fundForfeited: Float64Array;
  /** Fund window: sums of the round's mean and lowest dispositions, and decisions, since the last fund assessment. */
  fundWindowMean: Float64Array;
  fundWindowMin: Float64Array;
  fundWindowDecisions: Float64Array;
  fundWindowRounds: Int32Array;
  // --- per-round flows and events ---
  decided: Uint8Array;
  forced: Uint8Array;
  conflict: Uint8Array;
  veto: Uint8Array;
  contributions: Float64Array;
  deployed: Float64Array;
  idleLost: Float64Array;
  fundEntitled: Float64Array;
  fundPaid: Float64Array;
  scope: Float64Array;
  scale: Float64Array;
  value: Float64Array;
  cost: Float64Array;
  /** This round's leaders' budget shares summed (£m/round), and their lowest and mean disposition. */
  resources: Float64Array;
  minDisposition: Float64Array;
  meanDisposition: Float64Array;
  meanTrust: Float64Array;
  minTrust: Float64Array;
  engagement: Float64Array;
  inequality: Float64Array;
  /** Months of agreement this round stands for (0 if the board did not decide; at monthly rounds 0 or 1). */
  decidedMonths: Float64Array;
  /** Months of the round forced through by pace pressure (expected; at monthly rounds 0 or 1). */
  forcedMonths: Float64Array;
  /** Share of the way trust moves up this round on the locality's ties (depends on how much the board decided). */
  trustUp: Float64Array;
  /** Months of agreement since the last assessment (for system assessment). */
  decisionsSinceAssessment: Float64Array;
  /** Rounds summed since the last assessment. */
  roundsSinceAssessment: Int32Array;
  dispositionSinceAssessment: Float64Array;
  /** Per-locality random streams (slot = locality index, seeded from its name). */
  rng: StreamBank;
}

export interface TieArrays {
  start: Int32Array;
  /** End of leader i's locality ties: they occupy `start[i] .. withinEnd[i] − 1`, system ties follow. */
  withinEnd: Int32Array;
  target: Int32Array;
  weight: Float64Array;
  /** 1 for a tie inside the locality, 0 for a system-level tie. */
  within: Uint8Array;
  trust: Float64Array;
  /** What the truster expects the partner to commit (disposition): its promise, learnt from what it did. */
  expected: Float64Array;
}

export interface SimState {
  scenario: Scenario;
  seed: string;
  replicate: number;
  round: number;
  /** Resources needed relative to round 0 from demand growth alone, set by the environment each round. */
  demandFactor: number;
  /** Budgets relative to their start: the product of every round's growth so far (1 at round 0). */
  budgetFactor: number;
  leaders: LeaderArrays;
  organisations: OrganisationArrays;
  localities: LocalityArrays;
  ties: TieArrays;
}
