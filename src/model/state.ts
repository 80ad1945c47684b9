/**
 * Simulation state as a structure of arrays: one typed array per attribute, indexed by leader,
 * organisation, locality or tie. Leaders are stored contiguously by organisation and
 * organisations by locality, so a locality is a range of indices. Ties are a CSR (compressed
 * sparse row) network: the ties leaving leader i are `tieStart[i] .. tieStart[i + 1] - 1`.
 */
import { StreamBank } from './rng.ts';
import type { Scenario } from './types.ts';

// Every structure is a class whose constructor assigns all its fields in one fixed order, never
// an object literal: V8 then gives every run's objects the same hidden class and keeps the
// field types (Float64Array, Int32Array …) it learnt in the first run. A literal's fields lose
// their types when the literal is built a second time, which threw away the optimised code of
// every phase compiled during a fresh worker's first run (issue #15, cold start). Fields are
// `declare`d so that no class-field definition sets them to undefined first.

export class LeaderArrays {
  declare id: string[];
  declare org: Int32Array;
  declare locality: Int32Array;
  declare type: Uint8Array;
  /** Positional power: the organisation's, shared equally among its leaders. */
  declare power: Float64Array;
  declare control: Float64Array;
  declare focus: Float64Array;
  /** The leader's own starting focus (drawn around its kind's default), to which focus drifts back. */
  declare focusHome: Float64Array;
  declare altruism: Float64Array;
  declare ambition: Float64Array;
  declare followership: Float64Array;
  declare riskAppetite: Float64Array;
  declare tenure: Int32Array;
  /** Expected disposition of partners: the interaction-weighted mean of the tie expectations, [0,1]. */
  declare expectation: Float64Array;
  /** This round's partnership disposition: the share of its pooling cap the leader commits, [0,1] (at most ambition unless a mandate floor raises it). */
  declare disposition: Float64Array;
  /** Disposition before a mandate floor raised it (for resentment). */
  declare unforced: Float64Array;
  /** Share of positional power ceded to the partnership, [0,1]. */
  declare distributedPower: Float64Array;
  /** Next-round disposition push from peer sanctions. */
  declare sanctionPressure: Float64Array;
  /** This round's budget share of the leader (£m/round) and its split. */
  declare resources: Float64Array;
  declare pooled: Float64Array;
  declare cost: Float64Array;
  declare retained: Float64Array;
  /** Mean directed trust over the leader's locality ties (end of last round). */
  declare trustMean: Float64Array;
  /** Per-leader random streams (slot = leader index, seeded from the leader's name). */
  declare rng: StreamBank;

  /** Arrays for `n` leaders, zeroed (initialise fills them). */
  constructor(n: number) {
    this.id = new Array<string>(n);
    this.org = new Int32Array(n);
    this.locality = new Int32Array(n);
    this.type = new Uint8Array(n);
    this.power = new Float64Array(n);
    this.control = new Float64Array(n);
    this.focus = new Float64Array(n);
    this.focusHome = new Float64Array(n);
    this.altruism = new Float64Array(n);
    this.ambition = new Float64Array(n);
    this.followership = new Float64Array(n);
    this.riskAppetite = new Float64Array(n);
    this.tenure = new Int32Array(n);
    this.expectation = new Float64Array(n);
    this.disposition = new Float64Array(n);
    this.unforced = new Float64Array(n);
    this.distributedPower = new Float64Array(n);
    this.sanctionPressure = new Float64Array(n);
    this.resources = new Float64Array(n);
    this.pooled = new Float64Array(n);
    this.cost = new Float64Array(n);
    this.retained = new Float64Array(n);
    this.trustMean = new Float64Array(n);
    this.rng = new StreamBank(n);
  }
}

export class OrganisationArrays {
  declare name: string[];
  declare kind: Uint8Array;
  declare locality: Int32Array;
  declare leaderStart: Int32Array;
  declare leaderEnd: Int32Array;
  /** Budget per round at the start (£m/round). */
  declare budget0: Float64Array;
  /** Budget per round now, after growth and regulatory penalties/rewards (£m/round). */
  declare budget: Float64Array;
  declare power: Float64Array;
  declare exposure: Float64Array;
  declare performanceBase: Float64Array;
  declare target: Float64Array;
  declare performance: Float64Array;
  /** Budget multiplier set by the last assessment (penalties < 1 < rewards). */
  declare regulatoryFactor: Float64Array;
  /** Shortfall against target at the last assessment, [0,1]. */
  declare shortfall: Float64Array;
  /** Share of the locality's starting budget (the organisation's share of a locality-wide gain). */
  declare localityShare: Float64Array;
  /** 1 for a council (balanced budget duty), 1 for an acute trust in `isAcute`, 1 for a commissioner in `isCommissioner`. */
  declare isCouncil: Uint8Array;
  declare isAcute: Uint8Array;
  declare isCommissioner: Uint8Array;
  /** Bounded budget pressure x = τ/(τ + scale) ∈ [0, 1) this round (τ: shortfall of budget against the felt need). */
  declare pressure: Float64Array;
  /** Felt need (£m/round): grows with demand and adapts towards the budget as the organisation adjusts its cost base. */
  declare feltNeed: Float64Array;
  /** Income lost this round to the commissioner's pooling (acute trusts only), £m/round. */
  declare incomeLoss: Float64Array;
  /** Performance the organisation would reach with the resources it needs (the services' reference). */
  declare referencePerformance: Float64Array;

  /** Arrays for `n` organisations, zeroed but for the regulatory factor (1: no penalty yet). */
  constructor(n: number) {
    this.name = new Array<string>(n);
    this.kind = new Uint8Array(n);
    this.locality = new Int32Array(n);
    this.leaderStart = new Int32Array(n);
    this.leaderEnd = new Int32Array(n);
    this.budget0 = new Float64Array(n);
    this.budget = new Float64Array(n);
    this.power = new Float64Array(n);
    this.exposure = new Float64Array(n);
    this.performanceBase = new Float64Array(n);
    this.target = new Float64Array(n);
    this.performance = new Float64Array(n);
    this.regulatoryFactor = new Float64Array(n).fill(1);
    this.shortfall = new Float64Array(n);
    this.localityShare = new Float64Array(n);
    this.isCouncil = new Uint8Array(n);
    this.isAcute = new Uint8Array(n);
    this.isCommissioner = new Uint8Array(n);
    this.pressure = new Float64Array(n);
    this.feltNeed = new Float64Array(n);
    this.incomeLoss = new Float64Array(n);
    this.referencePerformance = new Float64Array(n);
  }
}

export class LocalityArrays {
  declare name: string[];
  declare leaderStart: Int32Array;
  declare leaderEnd: Int32Array;
  declare orgStart: Int32Array;
  declare orgEnd: Int32Array;
  /** Index of the organisation with the most positional power (the "island" candidate). */
  declare powerfulOrg: Int32Array;
  declare history: Float64Array;
  declare budget0: Float64Array;
  /** Mean ambition and followership of the locality's leaders: traits that never change (a
   * newcomer takes over the role's traits), so summed once at initialisation. */
  declare meanAmbition: Float64Array;
  declare meanFollowership: Float64Array;
  declare pool: Float64Array;
  declare vision: Float64Array;
  declare understanding: Float64Array;
  declare formula: Uint8Array;
  declare friction: Float64Array;
  declare stage: Uint8Array;
  declare roundsActive: Int32Array;
  declare outcome: Float64Array;
  declare baseline: Float64Array;
  /** The outcome's counterfactual: baseline plus the secular trend, without partnership or service effects. */
  declare trendOutcome: Float64Array;
  declare lag1: Float64Array;
  declare lag2: Float64Array;
  declare lag3: Float64Array;
  /** Health stock (budget-months): delayed partnership value, decaying. */
  declare valueStock: Float64Array;
  /** Years of life expectancy that services above (below) their reference add (remove), smoothed over `servicesLagMonths`. */
  declare servicesLife: Float64Array;
  /** Partners' own money in the pool (the pool less transformation-fund money), £m. */
  declare poolOwn: Float64Array;
  /** Perceived value per pooled £: smoothed value created over smoothed money pooled. */
  declare perceivedReturn: Float64Array;
  declare smoothedValue: Float64Array;
  declare smoothedPooled: Float64Array;
  /** Transformation fund accrued since the last fund assessment (paid or forfeited at it), £m. */
  declare fundEscrow: Float64Array;
  declare fundForfeited: Float64Array;
  /** Fund window: sums of the round's mean and lowest dispositions, and decisions, since the last fund assessment. */
  declare fundWindowMean: Float64Array;
  declare fundWindowMin: Float64Array;
  declare fundWindowDecisions: Float64Array;
  declare fundWindowRounds: Int32Array;
  // --- per-round flows and events ---
  declare decided: Uint8Array;
  declare forced: Uint8Array;
  declare conflict: Uint8Array;
  declare veto: Uint8Array;
  declare contributions: Float64Array;
  declare deployed: Float64Array;
  declare idleLost: Float64Array;
  declare fundEntitled: Float64Array;
  declare fundPaid: Float64Array;
  declare scope: Float64Array;
  declare scale: Float64Array;
  declare value: Float64Array;
  declare cost: Float64Array;
  /** This round's leaders' budget shares summed (£m/round), and their lowest and mean disposition. */
  declare resources: Float64Array;
  declare minDisposition: Float64Array;
  declare meanDisposition: Float64Array;
  declare meanTrust: Float64Array;
  declare minTrust: Float64Array;
  declare engagement: Float64Array;
  declare inequality: Float64Array;
  /** Months of agreement this round stands for (0 if the board did not decide; at monthly rounds 0 or 1). */
  declare decidedMonths: Float64Array;
  /** Months of the round forced through by pace pressure (expected; at monthly rounds 0 or 1). */
  declare forcedMonths: Float64Array;
  /** Share of the way trust moves up this round on the locality's ties (depends on how much the board decided). */
  declare trustUp: Float64Array;
  /** Months of agreement since the last assessment (for system assessment). */
  declare decisionsSinceAssessment: Float64Array;
  /** Rounds summed since the last assessment. */
  declare roundsSinceAssessment: Int32Array;
  declare dispositionSinceAssessment: Float64Array;
  /** Per-locality random streams (slot = locality index, seeded from its name). */
  declare rng: StreamBank;

  /** Arrays for the localities `names` (in index order), zeroed but for the perceived return, which starts at the leaders' prior. */
  constructor(names: string[], priorReturn: number) {
    const n = names.length;
    this.name = names;
    this.leaderStart = new Int32Array(n);
    this.leaderEnd = new Int32Array(n);
    this.orgStart = new Int32Array(n);
    this.orgEnd = new Int32Array(n);
    this.powerfulOrg = new Int32Array(n);
    this.history = new Float64Array(n);
    this.budget0 = new Float64Array(n);
    this.meanAmbition = new Float64Array(n);
    this.meanFollowership = new Float64Array(n);
    this.pool = new Float64Array(n);
    this.vision = new Float64Array(n);
    this.understanding = new Float64Array(n);
    this.formula = new Uint8Array(n);
    this.friction = new Float64Array(n);
    this.stage = new Uint8Array(n);
    this.roundsActive = new Int32Array(n);
    this.outcome = new Float64Array(n);
    this.baseline = new Float64Array(n);
    this.trendOutcome = new Float64Array(n);
    this.lag1 = new Float64Array(n);
    this.lag2 = new Float64Array(n);
    this.lag3 = new Float64Array(n);
    this.valueStock = new Float64Array(n);
    this.servicesLife = new Float64Array(n);
    this.poolOwn = new Float64Array(n);
    this.perceivedReturn = new Float64Array(n).fill(priorReturn);
    this.smoothedValue = new Float64Array(n);
    this.smoothedPooled = new Float64Array(n);
    this.fundEscrow = new Float64Array(n);
    this.fundForfeited = new Float64Array(n);
    this.fundWindowMean = new Float64Array(n);
    this.fundWindowMin = new Float64Array(n);
    this.fundWindowDecisions = new Float64Array(n);
    this.fundWindowRounds = new Int32Array(n);
    this.decided = new Uint8Array(n);
    this.forced = new Uint8Array(n);
    this.conflict = new Uint8Array(n);
    this.veto = new Uint8Array(n);
    this.contributions = new Float64Array(n);
    this.deployed = new Float64Array(n);
    this.idleLost = new Float64Array(n);
    this.fundEntitled = new Float64Array(n);
    this.fundPaid = new Float64Array(n);
    this.scope = new Float64Array(n);
    this.scale = new Float64Array(n);
    this.value = new Float64Array(n);
    this.cost = new Float64Array(n);
    this.resources = new Float64Array(n);
    this.minDisposition = new Float64Array(n);
    this.meanDisposition = new Float64Array(n);
    this.meanTrust = new Float64Array(n);
    this.minTrust = new Float64Array(n);
    this.engagement = new Float64Array(n);
    this.inequality = new Float64Array(n);
    this.decidedMonths = new Float64Array(n);
    this.forcedMonths = new Float64Array(n);
    this.trustUp = new Float64Array(n);
    this.decisionsSinceAssessment = new Float64Array(n);
    this.roundsSinceAssessment = new Int32Array(n);
    this.dispositionSinceAssessment = new Float64Array(n);
    this.rng = new StreamBank(n);
  }
}

export class TieArrays {
  declare start: Int32Array;
  /** End of leader i's locality ties: they occupy `start[i] .. withinEnd[i] − 1`, system ties follow. */
  declare withinEnd: Int32Array;
  declare target: Int32Array;
  declare weight: Float64Array;
  /** 1 for a tie inside the locality, 0 for a system-level tie. */
  declare within: Uint8Array;
  declare trust: Float64Array;
  /** What the truster expects the partner to commit (disposition): its promise, learnt from what it did. */
  declare expected: Float64Array;

  /** The network's ties; trust and expectations start at 0 (initialise sets them). */
  constructor(start: Int32Array, withinEnd: Int32Array, target: Int32Array, weight: Float64Array, within: Uint8Array) {
    this.start = start;
    this.withinEnd = withinEnd;
    this.target = target;
    this.weight = weight;
    this.within = within;
    this.trust = new Float64Array(target.length);
    this.expected = new Float64Array(target.length);
  }
}

export class SimState {
  declare scenario: Scenario;
  declare seed: string;
  declare replicate: number;
  declare round: number;
  /** Resources needed relative to round 0 from demand growth alone, set by the environment each round. */
  declare demandFactor: number;
  /** Budgets relative to their start: the product of every round's growth so far (1 at round 0). */
  declare budgetFactor: number;
  declare leaders: LeaderArrays;
  declare organisations: OrganisationArrays;
  declare localities: LocalityArrays;
  declare ties: TieArrays;

  /** The state at round 0, before any round has run. */
  constructor(
    scenario: Scenario, seed: string, replicate: number,
    leaders: LeaderArrays, organisations: OrganisationArrays, localities: LocalityArrays, ties: TieArrays,
  ) {
    // null first, so the field's type is "any object" from the first state on: a field typed by the
    // first scenario's hidden class loses its type when a scenario of another shape comes (another
    // built-in, a synthetic system), which throws away every phase compiled for the first.
    this.scenario = null as unknown as Scenario;
    this.scenario = scenario;
    this.seed = seed;
    this.replicate = replicate;
    this.round = 0;
    // A whole number is stored as a small integer, and the first fraction the environment writes
    // would then change the hidden class of every state (in round 0, under code already compiled
    // for it). A fraction stored first gives the fields their final, double representation.
    this.demandFactor = 0.5;
    this.demandFactor = 1;
    this.budgetFactor = 0.5;
    this.budgetFactor = 1;
    this.leaders = leaders;
    this.organisations = organisations;
    this.localities = localities;
    this.ties = ties;
  }
}
