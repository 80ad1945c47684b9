/**
 * The parameter registry: every scalar model parameter with its default, bounds, unit, meaning
 * and the source or rationale behind it. Defaults in code, the scenario JSON Schema and the ODD
 * parameter table are all generated from this one list, so they cannot drift apart.
 */
import type { Scenario } from './types.ts';

export interface ParameterSpec {
  /** Dotted path inside a scenario, e.g. `regime.accountability`. */
  path: string;
  type: 'number' | 'integer' | 'boolean' | 'enum' | 'expression';
  default: number | boolean | string | null;
  min?: number;
  max?: number;
  values?: readonly string[];
  unit: string;
  meaning: string;
  /** Seed section (Thesis §x.y, Seed 004, …), literature reference, or a stated rationale. */
  source: string;
  /**
   * Numeric parameters: the exploration range, the band a sweep or sensitivity analysis samples
   * by default (`--param PATH` alone). It is the plausible band, with its reason; [min, max] is
   * only what validation accepts.
   */
  explore?: ExplorationRange;
}

export interface ExplorationRange {
  low: number;
  high: number;
  /** Why this band: the thesis, a calibration posterior or the literature. */
  why: string;
}

const p = (spec: ParameterSpec): ParameterSpec => spec;

const REGISTRY: ParameterSpec[] = [
  // ---- time -------------------------------------------------------------------------------
  p({ path: 'rounds', type: 'integer', default: 120, min: 1, max: 100000, unit: 'rounds',
    meaning: 'Number of decision rounds simulated (a round is a month by default: ten years).',
    source: 'Thesis §5.6.1: partnerships "take five to ten years to mature"; horizon long enough to see population outcomes move.' }),
  p({ path: 'roundsPerYear', type: 'integer', default: 12, min: 1, max: 365, unit: 'rounds/year',
    meaning: 'The time step as a resolution: every rate in the model is given per year (or per month) and converted to per-round terms, so monthly and quarterly rounds describe the same dynamics (checked by a property test).',
    source: 'Rationale: a monthly board cycle is a modelling assumption (the thesis gives no meeting frequency; consensus boards are described in Thesis §5.4.3).' }),

  // ---- regime ----------------------------------------------------------------------------
  p({ path: 'regime.accountability', type: 'number', default: 0.5, min: 0, max: 1, unit: 'share',
    meaning: 'Weight of system (place) assessment versus organisation-by-organisation assessment: 0 = only organisations are assessed, 1 = only the system.',
    source: 'Thesis §2.10.2 ("move regulation from a focus on organisations to systems"), §5.8.1, §7.6.2.' }),
  p({ path: 'regime.assessmentInterval', type: 'integer', default: 3, min: 1, max: 120, unit: 'months',
    meaning: 'Months between regulatory assessments (3 = quarterly); converted to rounds as max(1, round(months·roundsPerYear/12)).',
    source: 'Rationale: quarterly assessment is a modelling assumption; the thesis describes regulators requiring organisations to manage their own finances (Thesis §5.7.5) but gives no frequency.' }),
  p({ path: 'regime.penaltySeverity', type: 'number', default: 0.04, min: 0, max: 1, unit: 'share of budget',
    meaning: 'Share of an organisation\'s budget withheld until the next assessment when it fails its assessment completely (scaled by the shortfall and the accountability weight).',
    source: 'Rationale: an order-of-magnitude assumption (a few per cent of income); the thesis describes regulatory pressure (Thesis §5.7.5, §5.8.1) but no penalty sizes. Exposed to sensitivity analysis.' }),
  p({ path: 'regime.rewardSeverity', type: 'number', default: 0.01, min: 0, max: 1, unit: 'share of budget',
    meaning: 'Share of budget added until the next assessment when an assessment is fully met.',
    source: 'Rationale: incentive payments such as sustainability funds are smaller than penalties (Thesis §5.4.4 gain share).' }),
  p({ path: 'regime.systemTarget', type: 'number', default: 0.5, min: 0.01, max: 1, unit: 'share',
    meaning: 'Mean partnership disposition (share of ambition pooled) a locality must reach to fully pass a system assessment.',
    source: 'Rationale: system assessment judges collective delivery (Thesis §5.4.5, §7.6.2); 0.5 = half of what leaders could pool.' }),
  p({ path: 'regime.pacePressure', type: 'number', default: 1.26, min: 0, max: 50, unit: 'per year',
    meaning: 'Rate at which external pace pressure (targets, deadlines) forces through a decision the board could not agree: the probability per round is 1 − exp(−rate/roundsPerYear) (1.26 a year = 0.1 a month). Each forced decision costs `trust.paceCost` on every locality tie, so pressure beyond what trust carries erodes it.',
    source: 'Thesis §6.1.4 (progress at the speed of trust), §5.6.1 (pace).' }),
  p({ path: 'regime.mandated', type: 'boolean', default: false, unit: 'flag',
    meaning: 'Partnering is mandated: every leader\'s disposition is raised to at least `regime.mandateFloor` (even above its ambition), and every locality gets `board.mandateFriction` extra friction.',
    source: 'Seed 002 (mandated buddying); Thesis §7.5.2 (mandated partnership across administrative boundaries).' }),
  p({ path: 'regime.mandateFloor', type: 'number', default: 0.3, min: 0, max: 1, unit: 'share',
    meaning: 'Minimum partnership disposition under a mandate. A floor above what a leader would choose breaks free-riding but costs trust (resentment).',
    source: 'Rationale: makes the sign of a mandate conditional (Brief §6.4; Bitterman & Koliba 2020 found mandates can help).' }),
  p({ path: 'regime.structuralPartnering', type: 'number', default: 0, min: 0, max: 1, unit: 'share',
    meaning: 'Share of the partnership held in formal structures (joint committees, section 75 agreements, shared posts) rather than in personal relationships: a newcomer inherits this share of its predecessor\'s trust both ways and of its part of vision and understanding, and the structures add `board.structureFriction`·share to every locality\'s friction at the start.',
    source: 'Seed 002 (structural versus individual partnering: structures survive the people who made them, at a cost in set-up); Thesis §5.4.1.2 (leadership longevity), §7.5.2 (structure and legal form).' }),
  p({ path: 'regime.rules.orgPenalty', type: 'expression', default: null, unit: 'share of budget',
    meaning: 'Optional formula for the organisational penalty. Variables: shortfall, severity, accountability, performance, target, exposure. Default: severity * (1 - accountability) * shortfall * exposure.',
    source: 'Brief §4: rules that need a formula are safe expressions.' }),
  p({ path: 'regime.rules.collectiveDelivery', type: 'expression', default: null, unit: 'boolean',
    meaning: 'Optional formula deciding, at each fund assessment, whether a locality collectively delivered its investment agreement. Variables over the assessment window: meanShare (mean over its rounds of the locality\'s mean disposition), minShare (mean over its rounds of the lowest leader\'s disposition), decisionRate (share of its months in which the board decided), plus threshold, plan (1 if a formula or approach is adopted), meanTrust and stage at the assessment. Default: meanShare >= threshold and (plan or not requirePlan).',
    source: 'Thesis §5.4.5: paid only if organisations "collectively deliver … or none of them get any"; GM wrote the condition as investment agreements on a plan.' }),

  // ---- flexibilities -------------------------------------------------------------------
  p({ path: 'flexibilities.pooledBudgets.allowed', type: 'boolean', default: true, unit: 'flag',
    meaning: 'Health Act 1999 s31 pooled budgets allowed. When false, nothing can be pooled (the zero-partnership limit).',
    source: 'Seed 004 (Health Act 1999 flexibilities).' }),
  p({ path: 'flexibilities.pooledBudgets.cap', type: 'number', default: 0.3, min: 0, max: 1, unit: 'share of controllable budget',
    meaning: 'Largest share of a leader\'s controllable budget that may be pooled.',
    source: 'Rationale: pooled funds in English integration schemes are a minority of spend (Seed 004; Thesis §5.4.5 on locality pooled budgets).' }),
  p({ path: 'flexibilities.leadCommissioning.allowed', type: 'boolean', default: false, unit: 'flag',
    meaning: 'Lead commissioning allowed: one partner may commit part of the pool without a consensus vote.',
    source: 'Seed 004 (s31 lead commissioning).' }),
  p({ path: 'flexibilities.leadCommissioning.cap', type: 'number', default: 0.3, min: 0, max: 1, unit: 'share of pool',
    meaning: 'Share of the pool a lead commissioner deploys each round even when the board has not agreed.',
    source: 'Rationale: a delegated budget moves without consensus, but only the delegated part.' }),
  p({ path: 'flexibilities.integratedProvision.allowed', type: 'boolean', default: false, unit: 'flag',
    meaning: 'Integrated provision allowed: pooled money buys services from one integrated provider.',
    source: 'Seed 004 (s31 integrated provision).' }),
  p({ path: 'flexibilities.integratedProvision.cap', type: 'number', default: 0.5, min: 0, max: 1, unit: 'share',
    meaning: 'Largest share of deployed money delivered through integrated provision; scales its synergy bonus.',
    source: 'Rationale: integrated provision is one channel among several.' }),

  // ---- funding --------------------------------------------------------------------------
  p({ path: 'funding.budgetGrowth', type: 'number', default: 0.02, min: -0.5, max: 0.5, unit: 'per year',
    meaning: 'Annual growth of every organisation\'s budget (negative for cuts).',
    source: 'Rationale: NHS real-terms growth of about 2%/year in the period studied; cuts model austerity (Thesis §2.7.6).' }),
  p({ path: 'funding.demandGrowth', type: 'number', default: 0.02, min: -0.5, max: 0.5, unit: 'per year',
    meaning: 'Annual growth of the resources an organisation needs to hold its performance (above budget growth, budgets tighten).',
    source: 'Rationale: neutral by default (equal to budget growth); set higher to model demand outgrowing budgets (Thesis §2.7.6).' }),
  p({ path: 'funding.budgetAdaptation', type: 'number', default: 0.5, min: 0, max: 20, unit: 'per year',
    meaning: 'Rate at which the need an organisation feels its budget against adapts to the budget it has (savings programmes, service redesign): tightness τ = 1 − budget/felt need, where felt need grows with demand and moves towards the budget at this rate. A steady squeeze of s a year is felt as a steady τ ≈ s/rate; 0 = the whole squeeze since the start is felt.',
    source: 'Rationale: NHS and council cost-improvement programmes absorb a squeeze over one to two years (Thesis §2.7.6 describes the pressure, not its dynamics); exposed to sensitivity analysis.' }),
  p({ path: 'funding.winterShock', type: 'number', default: 0.08, min: 0, max: 1, unit: 'performance',
    meaning: 'Drop in attainable organisational performance in the three winter months (rounds 8–10 of each year when round 0 is April).',
    source: 'Brief §3 (shocks such as winter pressure); Thesis §5.8.1 (four-hour wait).' }),
  p({ path: 'funding.gainShare', type: 'number', default: 0, min: 0, max: 1, unit: 'share',
    meaning: 'Share of the partnership\'s value credited to the contributing organisations in proportion to what each pooled (as gain-share agreements credit savings); the rest counts for the locality in proportion to budgets. It raises the private return of pooling that every leader weighs in its decision; no money moves between budgets (budgets follow growth and regulation).',
    source: 'Thesis §5.4.4 and §7.4.1.2 (gain share arrangements between organisations); the private share of a public good\'s return is the marginal per-capita return of public-goods games (Isaac & Walker 1988; Ledyard 1995).' }),
  p({ path: 'funding.commissionerDependence', type: 'number', default: 0.5, min: 0, max: 1, unit: 'share',
    meaning: 'Share of the commissioner\'s pooled money that comes out of the acute trust\'s income (money moved from hospital contracts into community alternatives), taken from the acute budget the next round.',
    source: 'Thesis §6.2 (acute trusts depend on commissioner income; "our providers have a really strong hold on us", §6.2.2); the share is a rationale, exposed to sensitivity analysis.' }),
  p({ path: 'funding.balancedBudgetDuty', type: 'boolean', default: true, unit: 'flag',
    meaning: 'Councils must balance their budget each year: a council leader\'s pooling cap shrinks with its budget pressure, cap·(1 − x), where x is the bounded pressure of `leaders.budgetPressureScale`.',
    source: 'Thesis §6.2.3 (a council must balance its budget each year); Local Government Finance Act 1992 s32 (balanced budget requirement).' }),
  p({ path: 'funding.transformationFund.total', type: 'number', default: 0, min: 0, max: 1e7, unit: '£m',
    meaning: 'Total transformation fund over its life.',
    source: 'Thesis §5.4.5: £450m over five years in Greater Manchester.' }),
  p({ path: 'funding.transformationFund.years', type: 'integer', default: 5, min: 1, max: 50, unit: 'years',
    meaning: 'Years over which the fund is paid.',
    source: 'Thesis §5.4.5 (five years).' }),
  p({ path: 'funding.transformationFund.taper', type: 'number', default: 0.5, min: 0, max: 1, unit: 'share',
    meaning: 'How much smaller the last year\'s payment is than the first (linear taper; 0 = flat).',
    source: 'Rationale: transformation money is front-loaded to pump-prime change.' }),
  p({ path: 'funding.transformationFund.localityShare', type: 'number', default: 0.611, min: 0, max: 1, unit: 'share',
    meaning: 'Share of the fund paid to localities (the rest is spent at system level and not modelled).',
    source: 'Thesis §5.4.5: £275m of £450m to localities (0.611).' }),
  p({ path: 'funding.transformationFund.condition', type: 'enum', default: 'collective', values: ['collective', 'none'], unit: '',
    meaning: '`collective`: each locality\'s share accrues and is paid into its pool at an assessment only if the locality collectively delivered its investment agreement over the window (else it is forfeited: "none of them get any"); `none`: paid every round unconditionally.',
    source: 'Thesis §5.4.5 ("or none of them get any").' }),
  p({ path: 'funding.transformationFund.collectiveThreshold', type: 'number', default: 0.15, min: 0, max: 1, unit: 'share',
    meaning: 'Mean partnership disposition over the assessment window that a locality must reach to count as collectively delivering its investment agreement (a provision point).',
    source: 'Rationale: the agreement is judged on collective delivery (Thesis §5.4.5), not on every partner every month; a provision point in the sense of Isaac, Schmidtz & Walker 1989 and Croson & Marks 2000.' }),
  p({ path: 'funding.transformationFund.assessmentInterval', type: 'integer', default: 12, min: 1, max: 120, unit: 'months',
    meaning: 'Months between the fund\'s assessments of each locality\'s investment agreement; the window\'s accrued payment is paid or forfeited at each.',
    source: 'Rationale: GM assessed investment agreements at intervals against agreed milestones (Thesis §5.4.5); annual review assumed.' }),
  p({ path: 'funding.transformationFund.requirePlan', type: 'boolean', default: true, unit: 'flag',
    meaning: 'The collective condition also asks for an agreed plan: the board has adopted a formula or approach (Thesis §5.6.2).',
    source: 'Thesis §5.4.5 (investment agreements on a plan), §5.6.2 (a formula or approach).' }),

  // ---- leaders ---------------------------------------------------------------------------
  p({ path: 'leaders.turnoverRate', type: 'number', default: 0.2, min: 0, max: 1, unit: 'per year',
    meaning: 'Annual probability that a leader is replaced; a newcomer starts with baseline trust (relationships reset).',
    source: 'Thesis §5.4.1.2 (leadership longevity); NHS chief executive tenure of a few years.' }),
  p({ path: 'leaders.typeMix.conditional', type: 'number', default: 0.8, min: 0, max: 1, unit: 'weight',
    meaning: 'Weight of conditional cooperators (give a little less than they expect others to give).',
    source: 'Fischbacher, Gächter & Fehr 2001 (about 50% in the laboratory); senior public leaders assumed mostly conditional.' }),
  p({ path: 'leaders.typeMix.freeRider', type: 'number', default: 0.1, min: 0, max: 1, unit: 'weight',
    meaning: 'Weight of free riders (no conditional response).',
    source: 'Fischbacher, Gächter & Fehr 2001 (about 30% in the laboratory).' }),
  p({ path: 'leaders.typeMix.humpShaped', type: 'number', default: 0.05, min: 0, max: 1, unit: 'weight',
    meaning: 'Weight of hump-shaped contributors (respond up to half, then less).',
    source: 'Fischbacher, Gächter & Fehr 2001 (about 14%).' }),
  p({ path: 'leaders.typeMix.altruist', type: 'number', default: 0.05, min: 0, max: 1, unit: 'weight',
    meaning: 'Weight of unconditional contributors (altruism only).',
    source: 'Fischbacher, Gächter & Fehr 2001 (remaining ~6%); Thesis §5.5.5 (altruism).' }),
  p({ path: 'leaders.conditionalSlope', type: 'number', default: 0.9, min: 0, max: 2, unit: 'share',
    meaning: 'How much a conditional cooperator gives per unit it expects others to give (below 1: imperfect conditional cooperation).',
    source: 'Fischbacher & Gächter 2010 (people give a little less than they believe others give). Laboratory participants are fitted: 1.34, 95% interval 0.86–1.60, in a partner design, and 1.25, 0.78–1.59, on stranger data (ODD section 10.5): above 1 because the rule\'s return term subtracts a near-constant share, so the slope on belief is steeper than the net schedule (below the diagonal in the stranger-data fit, just above it in the partner fit, whose decline comes from the free riders); public leaders keep 0.9 (ODD §9).' }),
  p({ path: 'leaders.beliefUpdate', type: 'number', default: 8.3, min: 0, max: 100, unit: 'per year',
    meaning: 'Rate at which a leader\'s expectation of its partners moves to what it saw them commit (undiscounted); the weight of the latest observation per round is 1 − exp(−rate/roundsPerYear) (8.3 a year = 0.5 a round at monthly rounds).',
    source: 'Fischbacher & Gächter 2010 (beliefs follow last period\'s contributions closely).' }),
  p({ path: 'leaders.priorBelief', type: 'number', default: 0.6, min: 0, max: 1, unit: 'share',
    meaning: 'What a leader expects its partners to commit (disposition) before it has seen anything, shifted by trust above or below the baseline.',
    source: 'Ledyard 1995 (first-round laboratory contributions of 40–60%). Laboratory participants (public-goods-lab) are fitted: 0.83, 95% interval 0.60–0.99, in a partner design, and 0.85, 0.60–0.99, on stranger data (ODD section 10.5); public leaders keep 0.6, a rationale: no data identify what senior leaders expect of partners before they meet (ODD §9).' }),
  p({ path: 'leaders.decisionNoise', type: 'number', default: 0.05, min: 0, max: 1, unit: 'share',
    meaning: 'Standard deviation of the random part of each round\'s disposition.',
    source: 'Rationale: laboratory contributions scatter around type-predicted values (Fischbacher et al. 2001). Laboratory participants are fitted: 0.14, 95% interval 0.02–0.29, barely identified, in both laboratory fits (ODD section 10.5); public leaders keep 0.05.' }),
  p({ path: 'leaders.heterogeneity', type: 'number', default: 0.1, min: 0, max: 0.5, unit: 'share',
    meaning: 'Standard deviation of leader attributes around their organisation kind\'s defaults.',
    source: 'Rationale: leaders of the same kind differ (Thesis §6.1.2).' }),
  p({ path: 'leaders.focusSensitivity', type: 'number', default: 0.15, min: 0, max: 1, unit: 'share/assessment',
    meaning: 'How far one assessment moves organisational focus (up under organisational, down under system assessment).',
    source: 'Thesis §5.7.5: "a requirement to individually manage the finance … because of the approach by the regulators".' }),
  p({ path: 'leaders.focusRecovery', type: 'number', default: 0.24, min: 0, max: 20, unit: 'per year',
    meaning: 'Rate at which focus drifts back towards the leader\'s own starting (cultural) focus; share per round 1 − exp(−rate/roundsPerYear).',
    source: 'Rationale: organisational culture persists (Thesis §5.7.1).' }),
  p({ path: 'leaders.budgetRetreat', type: 'number', default: 0.35, min: 0, max: 5, unit: 'share',
    meaning: 'Retreat into organisational boundaries under budget pressure: the disposition falls by budgetRetreat·x², where x = τ/(τ + budgetPressureScale) ∈ [0, 1) is the bounded pressure of tightness τ (how far the budget falls short of need). Bounded: the worst cut removes at most this much.',
    source: 'Thesis §2.7.6 (Miller et al. 2010): "when budgets are tight, the temptation is to retreat back into organisational … boundaries". The shape (bounded, quadratic in x) is a documented choice.' }),
  p({ path: 'leaders.budgetEnabling', type: 'number', default: 0.12, min: 0, max: 2, unit: 'share',
    meaning: 'Enabling effect of moderate financial constraint: the disposition rises by budgetEnabling·4x(1 − x) (largest at x = 0.5, none with slack or at the worst cuts). With budgetRetreat, the net effect of pressure is a hump: moderate pressure helps, severe pressure hurts.',
    source: 'Thesis §5.4.4 (interviewees: a degree of financial constraint is an enabler); the hump shape is a documented choice; set budgetEnabling = 0 for retreat only.' }),
  p({ path: 'leaders.budgetPressureScale', type: 'number', default: 0.05, min: 0.001, max: 1, unit: 'share of need',
    meaning: 'Tightness (shortfall of budget against need) at which the bounded pressure x reaches one half.',
    source: 'Rationale: a 5% real-terms shortfall is already felt as pressure in NHS and council budgets (Thesis §2.7.6).' }),
  p({ path: 'leaders.returnSensitivity', type: 'number', default: 0.3, min: 0, max: 5, unit: 'share per £/£',
    meaning: 'How far the disposition moves per unit of the leader\'s net perceived return of a pooled £ (own share plus the weight it puts on others\' share, minus the £ itself, plus the expected transformation-fund payment it makes more likely).',
    source: 'Isaac & Walker 1988 (contributions rise with the marginal per-capita return); Ledyard 1995; Croson & Marks 2000. Laboratory participants are fitted: 0.29, 95% interval 0.04–0.57, in a partner design (Herrmann et al. 2008), and 0.59, 0.25–0.94, on stranger data (ODD section 10.5); public leaders keep 0.3, inside both intervals, a rationale (ODD §9): no data on how far NHS and council leaders weigh returns.' }),
  p({ path: 'leaders.priorReturn', type: 'number', default: 1.1, min: 0, max: 10, unit: '£ value per £ pooled',
    meaning: 'Value a leader expects a pooled £ to create before it has seen any (a business case\'s promise).',
    source: 'Rationale: partnership business cases promise a modest return above cost (Thesis §5.4.5 investment agreements); the realised return replaces it as it is observed.' }),
  p({ path: 'leaders.returnLearning', type: 'number', default: 1, min: 0, max: 100, unit: 'per year',
    meaning: 'Rate at which the perceived return of pooled money (value created per £ pooled, smoothed) follows what the locality sees.',
    source: 'Rationale: returns become visible over months to a year of reporting.' }),
  p({ path: 'leaders.fundBeliefSpread', type: 'number', default: 0.1, min: 0.01, max: 1, unit: 'share',
    meaning: 'Uncertainty (standard deviation) of a leader\'s belief about the locality\'s mean disposition when it judges whether the fund\'s condition will be met: the fund\'s pull is largest when the locality is expected near the threshold (the leader may be pivotal).',
    source: 'Provision-point games: contributions respond to the chance of being pivotal (Isaac, Schmidtz & Walker 1989; Croson & Marks 2000); value is a rationale.' }),
  p({ path: 'leaders.engagementThreshold', type: 'number', default: 0.1, min: 0, max: 1, unit: 'share',
    meaning: 'Disposition above which a leader counts as engaged (engagement measure, breadth of synergy).',
    source: 'Seed 004 (engagement/commitment as a process measure).' }),
  p({ path: 'leaders.sanctions.enabled', type: 'boolean', default: false, unit: 'flag',
    meaning: 'Peer sanctions: leaders penalise partners who give less than they do.',
    source: 'Fehr & Gächter 2000 (punishment sustains contributions).' }),
  p({ path: 'leaders.sanctions.strength', type: 'number', default: 2.6, min: 0, max: 20, unit: 'share',
    meaning: 'Sanction pressure per unit of mean shortfall behind the partners, once it has built up: pressure moves towards strength × shortfall at the rate set by `leaders.sanctions.memory`; it raises the next disposition (fear of sanction).',
    source: 'Fitted with the laboratory layer in a partner design (calibration/lab-htg.yaml: Herrmann, Thöni & Gächter 2008, per-period means with punishment over 16 subject pools): posterior mean 2.6, 95% interval 1.7–3.7, on a mean over pools where punishment often hits cooperators (antisocial punishment, which the model lacks), so it may understate what sanctions do where they target free riders; the fit to stranger data with one secondary mean with punishment (calibration/lab-fg.yaml, Fehr & Gächter 2000) gave 4.8, 2.6–8.0 (ODD section 10.5).' }),

  p({ path: 'leaders.sanctions.memory', type: 'number', default: 0.8, min: 0, max: 0.99, unit: 'share/month',
    meaning: 'Share of sanction pressure still felt a month later (per round: memory^(12/roundsPerYear)); sanctions are remembered, so behaviour does not snap back as soon as it improves.',
    source: 'Rationale: in Fehr & Gächter 2000 contributions under punishment rise and stay high rather than oscillate.' }),

  // ---- trust -----------------------------------------------------------------------------
  p({ path: 'trust.initial', type: 'number', default: 0.5, min: 0, max: 1, unit: 'trust',
    meaning: 'Baseline directed trust between leaders at the start and for newcomers.',
    source: 'Berg et al. 1995; Johnson & Mislin 2011 (about half the endowment sent in trust games).' }),
  p({ path: 'trust.historyWeight', type: 'number', default: 0.2, min: 0, max: 1, unit: 'trust per history unit',
    meaning: 'Initial trust shift per unit of locality history (good relations +1, blame −1).',
    source: 'Thesis §7.5.2 (pre-existing relationships); Ansell & Gash 2008 (prior conflict or cooperation).' }),
  p({ path: 'trust.noise', type: 'number', default: 0.05, min: 0, max: 0.5, unit: 'trust',
    meaning: 'Standard deviation of initial directed trust around its locality mean.',
    source: 'Rationale: dyads differ.' }),
  p({ path: 'trust.gain', type: 'number', default: 0.4, min: 0, max: 50, unit: 'per year',
    meaning: 'Rate at which directed trust rises towards a partner\'s observed trustworthiness when it is above the trust held (share per round 1 − exp(−gain·w/roundsPerYear), w the tie\'s interaction weight; in rounds the board met without deciding, w is scaled by `trust.meetingGainShare`). Trust is a belief that converges to what is observed: time alone builds nothing.',
    source: 'Thesis §6.1.4 (trust is built slowly); Vanneste et al. 2014 (reciprocated interaction, not time, builds trust).' }),
  p({ path: 'trust.asymmetry', type: 'number', default: 3, min: 1, max: 20, unit: 'ratio',
    meaning: 'Rate at which trust falls towards observed trustworthiness below the trust held, as a multiple of `trust.gain` (trust is lost faster than it is built).',
    source: 'Slovic 1993 (negative events weigh more); no established ratio, 3 chosen and exposed to sensitivity analysis.' }),
  p({ path: 'trust.reciprocityTolerance', type: 'number', default: 0.05, min: 0, max: 1, unit: 'disposition',
    meaning: 'Shortfall forgiven: a partner\'s observed trustworthiness is min(1, (u_j + tolerance) / u_i), what it committed (plus this) against what the observer committed itself (reciprocity, undiscounted). Commitments scatter from round to round (`leaders.decisionNoise`); only a shortfall beyond this counts as a breach.',
    source: 'Rationale: small shortfalls are forgiven, the scatter of commitments (decisionNoise); at 0.05 the correlation of tie age with trust in gm-2017 at year 10 is weak (0.08, scripts/review-findings.ts), as Vanneste et al. 2014 find on average; trustworthiness as reciprocation (Berg et al. 1995; Fehr & Gächter 2000; Vanneste et al. 2014: reciprocated interaction builds trust).' }),
  p({ path: 'trust.meetingGainShare', type: 'number', default: 0.25, min: 0, max: 1, unit: 'share',
    meaning: 'Share of the trust gain earned in a round when the board met but did not decide.',
    source: 'Ansell & Gash 2008 ("small wins" deepen trust); Vanneste et al. 2014.' }),
  p({ path: 'trust.paceCost', type: 'number', default: 0.03, min: 0, max: 1, unit: 'trust per month forced',
    meaning: 'Trust lost on every locality tie when pace pressure forces through a decision the board could not agree (a decision trust did not carry), per month of forcing the round stands for: at monthly rounds one month; at longer rounds the expected number of forcing months given that the round was forced (board.ts, expectedMonths), so the yearly cost does not depend on the time step.',
    source: 'Thesis §6.1.4: pace beyond the speed of trust.' }),
  p({ path: 'trust.mandateCost', type: 'number', default: 0.6, min: 0, max: 12, unit: 'trust per year per unit excess',
    meaning: 'Trust lost per year per unit by which a mandate floor exceeds what the leader would have chosen (per round: cost/roundsPerYear).',
    source: 'Rationale: compulsion breeds resentment (Thesis §7.5.2, mandated partnerships progress slower).' }),
  p({ path: 'trust.crossTiesPerLeader', type: 'integer', default: 2, min: 0, max: 64, unit: 'ties',
    meaning: 'Ties each leader has to same-kind leaders in other localities (system level): a ring over localities, perLeader/2 on each side (an odd number is rounded down; reciprocal pairs can add a few).',
    source: 'Thesis §4.1 (system, place, neighbourhood levels).' }),
  p({ path: 'trust.crossTieWeight', type: 'number', default: 0.25, min: 0, max: 1, unit: 'share',
    meaning: 'Interaction frequency of system-level ties relative to locality ties.',
    source: 'Rationale: system forums meet less often than locality boards.' }),

  // ---- board -----------------------------------------------------------------------------
  p({ path: 'board.consensusRequired', type: 'boolean', default: true, unit: 'flag',
    meaning: 'The locality board decides by consensus. When false (laboratory), the pool is always deployed.',
    source: 'Thesis §5.4.3, §6.1.3 (consensus decision making).' }),
  p({ path: 'board.difficulty', type: 'number', default: 1, min: 0, max: 20, unit: 'exponent',
    meaning: 'Base difficulty of a board decision: the monthly agreement probability is mean trust to this power (before friction, size, inequality and stage); per round 1 − (1 − p)^(12/roundsPerYear).',
    source: 'Rationale: consensus of several partners needs trust among all (Thesis §5.4.3).' }),
  p({ path: 'board.sizeDifficulty', type: 'number', default: 1, min: 0, max: 50, unit: 'per month of budget',
    meaning: 'Extra difficulty per unit of the partners\' own money in the pool, as a share of the locality\'s monthly budget (bigger decisions over partners\' money take longer; transformation-fund money does not add to it).',
    source: 'Brief §3.4: difficult decisions take more time (Thesis §6.1.3); Thesis §5.4.5: the fund "allowed us to accelerate".' }),
  p({ path: 'board.inequalityPenalty', type: 'number', default: 0.6, min: 0, max: 1, unit: 'share',
    meaning: 'Fall in agreement probability when one member holds all retained power.',
    source: 'Thesis §5.4.2: an acute foundation trust that "holds sway".' }),
  p({ path: 'board.idleLoss', type: 'number', default: 0.24, min: 0, max: 50, unit: 'per year',
    meaning: 'Rate at which an undeployed pool is lost to delay, structure and legal form; share per round 1 − exp(−rate/roundsPerYear) (0.24 a year ≈ 2% a month).',
    source: 'Thesis §7.5.2: "stuck on procurement issues or VAT issues or pension issues".' }),
  p({ path: 'board.costRate', type: 'number', default: 0.004, min: 0, max: 0.05, unit: 'share of budget/round',
    meaning: 'Senior management time spent on partnership working by an engaged leader, as a share of its budget, before friction.',
    source: 'Seed 004 ("Costs – senior management time"); Thesis §2.7.5 (value-subtracted partnerships).' }),
  p({ path: 'board.visionGain', type: 'number', default: 1.26, min: 0, max: 50, unit: 'per year',
    meaning: 'Rate of growth of shared vision clarity while the board decides, scaled by mean ambition: in a round it decided, the share of the gap to full clarity closed is 1 − exp(−rate·ambition/roundsPerYear).',
    source: 'Thesis §6.1.2.4 (ambition), §5.6.2 (agreed approach).' }),
  p({ path: 'board.understandingGain', type: 'number', default: 0.74, min: 0, max: 50, unit: 'per year',
    meaning: 'Rate of growth of understanding beyond the senior team, scaled by mean followership and vision (share of the gap per round 1 − exp(−rate·followership·vision/roundsPerYear)).',
    source: 'Thesis §6.1.2.2 (understanding beyond the senior team).' }),
  p({ path: 'board.turnoverMemoryLoss', type: 'number', default: 0.5, min: 0, max: 1, unit: 'share',
    meaning: 'Share of a departing leader\'s part of vision and understanding that leaves with it.',
    source: 'Thesis §5.4.1.2 (leadership longevity).' }),
  p({ path: 'board.formulaThreshold', type: 'number', default: 0.6, min: 0, max: 1, unit: 'vision',
    meaning: 'Vision clarity at which a board that decides adopts a formula or approach.',
    source: 'Thesis §5.6.2 (a formula or approach).' }),
  p({ path: 'board.frictionDecay', type: 'number', default: 0.62, min: 0, max: 50, unit: 'per year',
    meaning: 'Rate at which structural friction is resolved once a formula is adopted (share per round 1 − exp(−rate/roundsPerYear)).',
    source: 'Thesis §7.5.2 (structure and legal form issues get worked through).' }),
  p({ path: 'board.mandateFriction', type: 'number', default: 0.3, min: 0, max: 1, unit: 'friction',
    meaning: 'Structural friction added to a locality whose partnership is forced across administrative boundaries (every locality when the regime mandates partnering).',
    source: 'Thesis §7.5.2 (mandated partnership across administrative boundaries progressed slower).' }),
  p({ path: 'board.stormingAfter', type: 'integer', default: 3, min: 0, max: 120, unit: 'months',
    meaning: 'Months of forming before a board enters storming.',
    source: 'Tuckman 1965 as used in Thesis §7.5.1.' }),
  p({ path: 'board.normingTrust', type: 'number', default: 0.45, min: 0, max: 1, unit: 'trust',
    meaning: 'Mean trust needed (with a formula adopted) to move from storming to norming.',
    source: 'Thesis §7.5.1 (Tuckman stages); calibrated with the gm-spread target (three, five and two localities in high, average and slow groups at year 3, Thesis §7.5): trust as reciprocity settles between 0.4 and 0.55 between partners who commit unequal shares.' }),
  p({ path: 'board.performingTrust', type: 'number', default: 0.5, min: 0, max: 1, unit: 'trust',
    meaning: 'Mean trust needed to move from norming to performing.',
    source: 'Thesis §7.5.1; calibrated as board.normingTrust.' }),
  p({ path: 'board.performingUnderstanding', type: 'number', default: 0.5, min: 0, max: 1, unit: 'share',
    meaning: 'Understanding beyond the senior team needed to perform.',
    source: 'Thesis §6.1.2.2.' }),
  p({ path: 'board.regressUnderstanding', type: 'number', default: 0.4, min: 0, max: 1, unit: 'share',
    meaning: 'Understanding beyond the senior team below which a performing board falls back to norming (below performingUnderstanding, so the stage does not flicker).',
    source: 'Thesis §6.1.2.2; hysteresis is a rationale.' }),
  p({ path: 'board.regressTrust', type: 'number', default: 0.35, min: 0, max: 1, unit: 'trust',
    meaning: 'Mean trust below which a norming or performing board falls back to storming.',
    source: 'Thesis §6.1.4 (trust is lost fast).' }),
  p({ path: 'board.performingEase', type: 'number', default: 0.3, min: 0, max: 1, unit: 'share',
    meaning: 'Share by which a performing board\'s decision difficulty is lower (half of it for a norming board): a board that has learnt to work together decides faster, so the Tuckman stage feeds back on how it works.',
    source: 'Thesis §7.5.1 (Tuckman stages; performing partnerships made decisions others could not); Tuckman 1965; size is a rationale.' }),
  p({ path: 'board.structureFriction', type: 'number', default: 0.15, min: 0, max: 1, unit: 'friction',
    meaning: 'Friction added at the start per unit of `regime.structuralPartnering`: formal structures cost effort to set up.',
    source: 'Thesis §7.5.2 (structure and legal form); Seed 002.' }),

  // ---- outcomes --------------------------------------------------------------------------
  p({ path: 'outcomes.baseEfficiency', type: 'number', default: 0.85, min: 0, max: 5, unit: 'value per £',
    meaning: 'Value of a pooled £ before scope and scale, relative to 1 for a £ kept in an organisation (new ways of working start less efficient).',
    source: 'Thesis §2.7.5 (partnerships can subtract value); rationale.' }),
  p({ path: 'outcomes.scopeEfficiency', type: 'number', default: 0.5, min: 0, max: 5, unit: 'value per £',
    meaning: 'Extra value per pooled £ at full vision clarity: issues only tackled together (scope).',
    source: 'Thesis §7.2 (value proposition: scope).' }),
  p({ path: 'outcomes.scaleEfficiency', type: 'number', default: 0.4, min: 0, max: 5, unit: 'value per £',
    meaning: 'Extra value per pooled £ when every partner is engaged at full trust: doing more together (scale, synergy).',
    source: 'Thesis §7.2 (value proposition: scale).' }),
  p({ path: 'outcomes.understandingWeight', type: 'number', default: 0.5, min: 0, max: 1, unit: 'share',
    meaning: 'Share of the scope and scale value that is realised only as far as staff beyond the senior team understand the partnership: extra value × (1 − w + w·understanding).',
    source: 'Thesis §6.1.2.2 and §7.5.2 (where understanding was not widespread the partnership "was seen as an additional activity").' }),
  p({ path: 'outcomes.integratedProvisionBonus', type: 'number', default: 0.3, min: 0, max: 5, unit: 'share',
    meaning: 'Relative boost to scale value at the full integrated-provision cap.',
    source: 'Seed 004 (integrated provision); rationale.' }),
  p({ path: 'outcomes.lagMonths', type: 'number', default: 24, min: 3, max: 240, unit: 'months',
    meaning: 'Mean delay (third-order, exactly discretised) between value and its effect on the population outcome.',
    source: 'Chosen at the posterior mean of a poorly identified trial that fits the lag with the scale and the fade to both Britteon et al. figures (`calibration/gm-lag.yaml`: 24 months, 95% interval 4–48); at 12 months, also inside it, the outcome would move within 2.5 months of agreed purpose, against the `time` pattern\'s twelve (calibration/results/outcome-timing.txt) (Thesis §5.6.1, §7.6.1). The earlier 36 months (Thesis §2.7.3, §7.6.1; Health Foundation IAU 2021, effects after five to six years) made the effect more than double between 2019 and 2020, where the data rise by a fifth (ODD section 10.5).' }),
  p({ path: 'outcomes.valueDecay', type: 'number', default: 0.365, min: 0, max: 50, unit: 'per year',
    meaning: 'Rate at which the delivered health stock decays when nothing is embedded beyond the senior team (scaled by 1 − understanding); share per round 1 − exp(−rate·(1 − understanding)/roundsPerYear).',
    source: 'Thesis §7.2 (sustainability).' }),
  p({ path: 'outcomes.healthFade', type: 'number', default: 3.3, min: 0, max: 50, unit: 'per year',
    meaning: 'Rate at which the partnership\'s delivered health stock fades whatever staff understand: gains wear off and the population they were made in turns over unless delivery keeps them up. It adds to the unembedded decay (`outcomes.valueDecay`·(1 − understanding)); at high rates the partnership\'s health effect follows its lagged value flow as a level, as services\' effect does (`outcomes.servicesLifeYears`), instead of accumulating.',
    source: 'Calibrated with `outcomes.lifeExpectancyPerIndex` to both Britteon et al. figures (2019: +0.196 years; 2016–2020 follow-up: +0.233) by `partnersim calibrate calibration/gm-outcome.yaml`: posterior mean 3.3 a year, 95% interval 1.3–4.9 (its upper end set by the prior\'s 5, not by the data: with a prior to 20 the ridge runs on to 5.4, `calibration/gm-fade-prior.yaml`), on a ridge with the scale; the figures bound it below and pin the ratio of the scale to the total decay (ODD section 10.5). Without it the health stock accumulates as understanding grows and the effect grows far faster than the data.' }),
  p({ path: 'outcomes.halfSaturation', type: 'number', default: 15, min: 0.001, max: 1000, unit: 'budget-months',
    meaning: 'Health stock (in months of locality budget) that closes 63% of the gap between the trend and the best possible outcome (and, for a negative stock, 63% of the gap to the worst).',
    source: 'Rationale: an e-folding scale (not a half-saturation point, despite the name). Not fitted: the outcome fit to Britteon et al. fits `outcomes.lifeExpectancyPerIndex` and `outcomes.healthFade` with this held at 15; the scale trades off against it (ODD section 10.5).' }),
  p({ path: 'outcomes.demandRelief', type: 'number', default: 0.5, min: 0, max: 1, unit: 'share per outcome point',
    meaning: 'Fall in the resources organisations need per unit rise of the population outcome above baseline (the payback of prevention to providers).',
    source: 'Thesis §2.7.3 and §7.6.1 (population health as the route to sustainable services); rationale.' }),
  p({ path: 'outcomes.performanceResponse', type: 'number', default: 4.28, min: 0, max: 100, unit: 'per year',
    meaning: 'Rate at which organisational performance approaches what its retained resources support (share per round 1 − exp(−rate/roundsPerYear); 4.28 a year = 0.3 a month).',
    source: 'Thesis §5.8.1 (targets such as the four-hour wait move month to month).' }),
  p({ path: 'outcomes.focusPerformanceBonus', type: 'number', default: 0.15, min: 0, max: 1, unit: 'share',
    meaning: 'Relative performance boost at full organisational focus (management attention on own targets).',
    source: 'Thesis §6.1.2.3 (island of success in a sea of failure).' }),
  p({ path: 'outcomes.trend', type: 'number', default: 0.00075, min: -0.05, max: 0.05, unit: 'index points per year',
    meaning: 'Secular trend of the population outcome with no partnership and services at their reference: the counterfactual the partnership and services move the outcome away from.',
    source: 'Rationale: life expectancy in England rose slowly in the 2010s (Britteon et al. 2022 use the trend of comparison areas as the counterfactual); 0.00075 a year ≈ 0.1 years of life a year with the default mapping (`outcomes.lifeExpectancyPerIndex` 149; it was 0.002 at the earlier mapping of 65).' }),
  p({ path: 'outcomes.servicesLifeYears', type: 'number', default: 7, min: 0, max: 100, unit: 'years of life expectancy per unit relative performance gap',
    meaning: 'Health effect of organisational services, in policy units: when the budget-weighted performance of a locality\'s organisations is a share g above (below) what the resources they need would give, life expectancy moves towards servicesLifeYears·g years above (below) the counterfactual, with mean lag `outcomes.servicesLagMonths`. A level, not a stock: a sustained shortfall costs a sustained loss. Money moved out of services into the pool, and cuts below need, cost health; partnership spending is not the only route to outcomes.',
    source: 'Calibrated by hand to the marginal health yield of NHS and social care spending in England (ODD section 7.6): performance is the square root of resources, so g ≈ half the resource shortfall, and 7 means a sustained 10% shortfall of needed resources costs about 0.35 years of life expectancy once the lag has passed. Evidence brackets it: Watkins et al. 2017 (BMJ Open 7:e017722) associate the 2010–2014 spending constraints (health spending growing 1.3% a year against about 4% historically, social care falling) with 45,368 more deaths than expected, 18,324 in 2014, mostly over-60s, which is about 0.01–0.03 years of life expectancy per 1% shortfall; the marginal cost per life-year gained in NHS programme budgets (£7,400–£26,500, Martin et al. as tabulated by Claxton et al. 2015, HTA 19(14), Table 36) gives up to about 0.13 years per 1% at GM\'s spending per head. The default sits in the lower half of that band; the global sensitivity analysis varies it.' }),
  p({ path: 'outcomes.servicesLagMonths', type: 'number', default: 12, min: 1, max: 120, unit: 'months',
    meaning: 'Mean lag (first-order) between a change in services\' performance relative to need and its effect on life expectancy.',
    source: 'Rationale: Watkins et al. 2017 find the excess deaths in the same years as the spending constraint, growing as it deepened (8,184 in 2012, 18,324 in 2014), so the effect is quick compared with the partnership\'s (`outcomes.lagMonths` 24, fitted, ODD section 10.5).' }),
  p({ path: 'outcomes.lifeExpectancyPerIndex', type: 'number', default: 149, min: 0, max: 500, unit: 'years per index unit',
    meaning: 'Years of life expectancy at birth per unit of the population outcome index (0.01 index = 1.49 years by default): maps results to policy units.',
    source: 'Calibrated with `outcomes.healthFade`: gm-2017 against a counterfactual without pooled budgets or the fund, fitted to Britteon et al. 2022\'s +0.196 years for Greater Manchester\'s devolution (years 3–4) and the 2016–2020 follow-up\'s +0.233 (years 4–5) by `partnersim calibrate calibration/gm-outcome.yaml`: posterior mean 149, 95% interval 81–222, on a ridge with the fade (ODD section 10.5).' }),
  p({ path: 'outcomes.healthyLifeShare', type: 'number', default: 0.8, min: 0, max: 2, unit: 'years HLE per year LE',
    meaning: 'Years of healthy life expectancy gained per year of life expectancy gained.',
    source: 'Rationale: in England healthy life expectancy moves with, and a little less than, life expectancy (ONS health state life expectancies); no estimate for devolution exists.' }),
];

/**
 * Exploration ranges, [low, high, why]: the band within which a parameter is plausible for
 * health and social care partnerships, sampled by default when a sweep or sensitivity analysis
 * names a parameter without values. Grounded where possible in the thesis, the calibration
 * posteriors (calibration/results/, ODD section 10.5) and the literature in docs/SOURCES.md; the
 * rest is a stated band around the default (about half to twice it, inside the validity range).
 * Ordered pairs (board.regressTrust ≤ board.normingTrust, board.regressUnderstanding ≤
 * board.performingUnderstanding) get bands that do not overlap, so any sample is valid.
 */
const EXPLORATION: Record<string, [number, number, string]> = {
  // time
  rounds: [60, 240, 'Five to twenty years: partnerships take five to ten years to mature (Thesis §5.6.1) and outcomes lag by years; a horizon, not an uncertainty.'],
  roundsPerYear: [4, 12, 'Quarterly to monthly rounds: results should not depend on the time step (a check of the discretisation, not an uncertainty).'],
  // regime
  'regime.accountability': [0, 1, 'The whole policy lever, from organisational (0) to system (1) regulation (Thesis §2.10.2); the built-in regimes span it.'],
  'regime.assessmentInterval': [1, 12, 'Monthly to annual assessment; the thesis gives no frequency (Thesis §5.7.5).'],
  'regime.penaltySeverity': [0, 0.1, 'None to a tenth of income: "a few per cent" is the assumed order of magnitude, and an organisation losing more could not run its services.'],
  'regime.rewardSeverity': [0, 0.04, 'None to the default penalty: rewards are smaller than penalties (Thesis §5.4.4).'],
  'regime.systemTarget': [0.25, 0.75, 'A quarter to three quarters of what leaders could pool, around the default half (Thesis §5.4.5).'],
  'regime.pacePressure': [0, 20, 'No pace pressure to forcing a decision in most months (19.3 a year = 0.8 a month, the pace-pressure lesson; Thesis §6.1.4).'],
  'regime.mandateFloor': [0.1, 0.5, 'A token to a substantial floor, around the default 0.3; a mandate above half of ambition is not described anywhere (Thesis §7.5.2).'],
  'regime.structuralPartnering': [0, 0.8, 'Purely personal to mostly structural partnering; all-structural (1) is a limit no partnership reaches (Seed 002, Thesis §5.4.1.2).'],
  // flexibilities
  'flexibilities.pooledBudgets.cap': [0.1, 0.5, 'Pooled funds in English integration schemes are a minority of spend (Seed 004, Thesis §5.4.5): a tenth to a half.'],
  'flexibilities.leadCommissioning.cap': [0.1, 0.6, 'A small to a majority delegated part of the pool, around the default 0.3.'],
  'flexibilities.integratedProvision.cap': [0.2, 0.8, 'Integrated provision as one channel among several: a fifth to four fifths of deployed money.'],
  // funding
  'funding.budgetGrowth': [-0.03, 0.04, 'Real-terms council cuts of about 3% a year under austerity to NHS growth of about 4% a year (Thesis §2.7.6).'],
  'funding.demandGrowth': [0, 0.05, 'Flat to fast-growing need (ageing, multimorbidity), 0–5% a year (Thesis §2.7.6).'],
  'funding.budgetAdaptation': [0.2, 2, 'A squeeze absorbed over six months to five years by cost-improvement programmes (Thesis §2.7.6).'],
  'funding.winterShock': [0, 0.15, 'No winter effect to about twice the default drop in attainable performance (Thesis §5.8.1).'],
  'funding.gainShare': [0, 0.5, 'No gain share to half of the partnership value credited to contributors (Thesis §5.4.4).'],
  'funding.commissionerDependence': [0.2, 0.8, 'A fifth to four fifths of the commissioner\'s pooled money taken from acute contracts (Thesis §6.2).'],
  'funding.transformationFund.total': [0, 450, 'No fund to Greater Manchester\'s £450m (Thesis §5.4.5).'],
  'funding.transformationFund.years': [3, 7, 'Five years (Thesis §5.4.5) plus or minus two.'],
  'funding.transformationFund.taper': [0, 0.8, 'Flat to strongly front-loaded payments.'],
  'funding.transformationFund.localityShare': [0.4, 0.8, 'Around Greater Manchester\'s £275m of £450m (0.611, Thesis §5.4.5).'],
  'funding.transformationFund.collectiveThreshold': [0.05, 0.3, 'A third to twice the default provision point (Isaac, Schmidtz & Walker 1989).'],
  'funding.transformationFund.assessmentInterval': [3, 24, 'Quarterly to two-yearly review of investment agreements (Thesis §5.4.5).'],
  // leaders
  'leaders.turnoverRate': [0.1, 0.4, 'Leaders in post two and a half to ten years; NHS chief executives stay a few years (Thesis §5.4.1.2).'],
  'leaders.typeMix.conditional': [0.5, 0.9, 'The laboratory share (about 50%, Fischbacher, Gächter & Fehr 2001) to mostly conditional senior leaders; weights are normalised.'],
  'leaders.typeMix.freeRider': [0.05, 0.3, 'Few free riders to the laboratory\'s about 30% (Fischbacher, Gächter & Fehr 2001).'],
  'leaders.typeMix.humpShaped': [0, 0.15, 'None to the laboratory\'s about 14% (Fischbacher, Gächter & Fehr 2001).'],
  'leaders.typeMix.altruist': [0, 0.1, 'None to about the laboratory\'s 6% and a little more (Fischbacher, Gächter & Fehr 2001).'],
  'leaders.conditionalSlope': [0.6, 1.4, 'Imperfect conditional cooperation (Fischbacher & Gächter 2010) to the laboratory fits 1.25 (stranger data) and 1.34 (partners), ODD section 10.5.'],
  'leaders.beliefUpdate': [2, 20, 'A weight of 0.15 to 0.8 a month on the latest observation; beliefs follow last period closely in the laboratory (Fischbacher & Gächter 2010).'],
  'leaders.priorBelief': [0.4, 0.9, 'First-round laboratory contributions of 40–60% (Ledyard 1995) to the laboratory fits 0.83 (partners) and 0.85 (strangers), ODD section 10.5.'],
  'leaders.decisionNoise': [0.02, 0.15, 'Small scatter to the laboratory fit 0.14 (95% interval 0.02–0.29, ODD section 10.5).'],
  'leaders.heterogeneity': [0.05, 0.2, 'Leaders of a kind alike to clearly different (Thesis §6.1.2).'],
  'leaders.focusSensitivity': [0.05, 0.3, 'A third to twice the default shift of focus per assessment (Thesis §5.7.5).'],
  'leaders.focusRecovery': [0.1, 1, 'Focus drifts back over one to ten years: organisational culture persists (Thesis §5.7.5).'],
  'leaders.budgetRetreat': [0.1, 0.7, 'A third to twice the default retreat under the worst cuts (Thesis §2.7.6).'],
  'leaders.budgetEnabling': [0, 0.25, 'Retreat only (0) to about twice the default enabling effect (Thesis §5.4.4).'],
  'leaders.budgetPressureScale': [0.02, 0.1, 'A 2–10% shortfall against need felt as half pressure (Thesis §2.7.6).'],
  'leaders.returnSensitivity': [0.1, 0.6, 'About the partner-design laboratory fit\'s 95% interval (0.04–0.57), up to the stranger-data fit\'s 0.59 (ODD section 10.5; Isaac & Walker 1988).'],
  'leaders.priorReturn': [0.8, 1.6, 'A business case that disappoints (below cost) to the laboratory\'s return of 1.6 per token (Thesis §5.4.5).'],
  'leaders.returnLearning': [0.3, 3, 'Returns visible after four months to three years of reporting.'],
  'leaders.fundBeliefSpread': [0.05, 0.2, 'Half to twice the default uncertainty about the locality\'s delivery (Croson & Marks 2000).'],
  'leaders.engagementThreshold': [0.05, 0.2, 'A definition of the engagement measure: half to twice the default.'],
  'leaders.sanctions.strength': [1.7, 8, 'From the lower end of the partner-design fit (Herrmann et al. 2008: 1.7–3.7) to the upper end of the stranger-data fit (Fehr & Gächter 2000 mean: 2.6–8.0), ODD section 10.5.'],
  'leaders.sanctions.memory': [0.5, 0.95, 'Sanction pressure remembered for one to twenty months (Fehr & Gächter 2000: contributions stay high).'],
  // trust
  'trust.initial': [0.3, 0.7, 'Trust games send about half the endowment, most studies between a third and two thirds (Berg et al. 1995; Johnson & Mislin 2011).'],
  'trust.historyWeight': [0.1, 0.3, 'Half to one and a half times the default effect of prior relations (Ansell & Gash 2008; Thesis §7.5.2).'],
  'trust.noise': [0.02, 0.1, 'Dyads alike to clearly different.'],
  'trust.gain': [0.2, 0.8, 'Half the gap to observed trustworthiness closed in ten months to three and a half years: trust is built slowly (Thesis §6.1.4).'],
  'trust.asymmetry': [1.5, 5, 'Trust lost faster than built (Slovic 1993); no established ratio.'],
  'trust.reciprocityTolerance': [0, 0.1, 'No forgiveness to twice the scatter of commitments (leaders.decisionNoise).'],
  'trust.meetingGainShare': [0, 0.5, 'Meetings without decisions build nothing to half of what a decision builds (Ansell & Gash 2008).'],
  'trust.paceCost': [0.01, 0.06, 'A third to twice the default cost of a forced month (Thesis §6.1.4).'],
  'trust.mandateCost': [0.2, 1.2, 'A third to twice the default resentment of compulsion (Thesis §7.5.2).'],
  'trust.crossTiesPerLeader': [0, 4, 'No system-level ties to two on each side of the ring of localities.'],
  'trust.crossTieWeight': [0.1, 0.5, 'System forums meeting a tenth to half as often as locality boards.'],
  // board
  'board.difficulty': [0.5, 2, 'Half to twice the default: consensus needs trust among all partners (Thesis §5.4.3).'],
  'board.sizeDifficulty': [0.5, 2, 'Half to twice the default: difficult decisions take more time (Thesis §6.1.3).'],
  'board.inequalityPenalty': [0.3, 0.8, 'A dominant partner slows agreement moderately to strongly (Thesis §5.4.2).'],
  'board.idleLoss': [0.1, 0.6, 'An undeployed pool losing 1–5% a month to procurement, VAT and pension issues (Thesis §7.5.2).'],
  'board.costRate': [0.001, 0.008, 'A quarter to twice the default senior management time (Seed 004; Thesis §2.7.5).'],
  'board.visionGain': [0.6, 2.5, 'Half to twice the default (Thesis §6.1.2.4, §5.6.2).'],
  'board.understandingGain': [0.35, 1.5, 'Half to twice the default (Thesis §6.1.2.2).'],
  'board.turnoverMemoryLoss': [0.25, 0.75, 'A quarter to three quarters of a leader\'s part leaving with it (Thesis §5.4.1.2).'],
  'board.formulaThreshold': [0.4, 0.8, 'Around the default vision clarity for adopting an approach (Thesis §5.6.2).'],
  'board.frictionDecay': [0.3, 1.2, 'Structural friction worked through in about one to three years (Thesis §7.5.2).'],
  'board.mandateFriction': [0.1, 0.5, 'A third to more than one and a half times the default (Thesis §7.5.2).'],
  'board.stormingAfter': [1, 6, 'One to six months of forming (Tuckman 1965, Thesis §7.5.1).'],
  'board.normingTrust': [0.4, 0.55, 'Where trust as reciprocity settles between unequal partners in the gm-spread calibration (0.4–0.55; Thesis §7.5.1); above board.regressTrust\'s band.'],
  'board.performingTrust': [0.45, 0.6, 'The calibrated band of board.normingTrust, a step higher (Thesis §7.5.1).'],
  'board.performingUnderstanding': [0.45, 0.65, 'Around the default half of staff understanding (Thesis §6.1.2.2); above board.regressUnderstanding\'s band.'],
  'board.regressUnderstanding': [0.25, 0.45, 'Below board.performingUnderstanding\'s band, so every sample keeps the hysteresis (Thesis §6.1.2.2).'],
  'board.regressTrust': [0.25, 0.4, 'Below board.normingTrust\'s band, so every sample keeps the hysteresis (Thesis §6.1.4).'],
  'board.performingEase': [0.1, 0.5, 'A third to more than one and a half times the default (Thesis §7.5.1).'],
  'board.structureFriction': [0.05, 0.3, 'A third to twice the default set-up cost of structures (Thesis §7.5.2; Seed 002).'],
  // outcomes
  'outcomes.baseEfficiency': [0.6, 1.1, 'Value-subtracting partnerships (Thesis §2.7.5) to a pooled £ slightly better than an organisation\'s.'],
  'outcomes.scopeEfficiency': [0.25, 1, 'Half to twice the default value of scope (Thesis §7.2).'],
  'outcomes.scaleEfficiency': [0.2, 0.8, 'Half to twice the default value of scale (Thesis §7.2).'],
  'outcomes.understandingWeight': [0.25, 0.75, 'A quarter to three quarters of the extra value depending on understanding (Thesis §6.1.2.2).'],
  'outcomes.integratedProvisionBonus': [0.1, 0.6, 'A third to twice the default (Seed 004).'],
  'outcomes.lagMonths': [4, 48, 'About the 95% interval (3.7–48 months) of the three-parameter trial fit to both Britteon et al. figures (calibration/results/gm-lag.summary.md, ODD section 10.5); the thesis\'s slower horizons (Thesis §2.7.3, §7.6.1; IAU 2021) lie above it.'],
  'outcomes.valueDecay': [0.1, 1, 'Unembedded value lasting one to ten years (Thesis §7.2).'],
  'outcomes.healthFade': [1.3, 4.9, 'The 95% posterior interval (upper end set by the prior) of the fit to both Britteon et al. figures (calibration/results/gm-outcome.summary.md, ODD section 10.5); correlated with the scale along a ridge.'],
  'outcomes.halfSaturation': [7, 108, 'About the 95% interval (6.8–108) of the two-parameter trial fit (calibration/results/gm-timing.summary.md, ODD section 10.5), run before the health fade and the 24-month lag.'],
  'outcomes.demandRelief': [0.25, 0.75, 'Half to one and a half times the default payback of prevention (Thesis §2.7.3).'],
  'outcomes.performanceResponse': [2, 8, 'Performance adjusting over one and a half to six months (Thesis §5.8.1).'],
  'outcomes.focusPerformanceBonus': [0.05, 0.3, 'A third to twice the default (Thesis §6.1.2.3).'],
  'outcomes.trend': [0, 0.0015, 'Stalled life expectancy (England in the 2010s) to twice the default trend (Britteon et al. 2022).'],
  'outcomes.servicesLifeYears': [2, 26, 'The band the evidence brackets: Watkins et al. 2017\'s 0.01–0.03 years of life expectancy per 1% shortfall (about 2–6) to the marginal cost per life-year of NHS programme budgets (up to about 0.13 years per 1%, about 26; Claxton et al. 2015).'],
  'outcomes.servicesLagMonths': [6, 24, 'Half a year to two years: Watkins et al. 2017 find the excess deaths in the same years as the spending constraint.'],
  'outcomes.lifeExpectancyPerIndex': [81, 222, 'The 95% posterior interval of the fit to both Britteon et al. figures (calibration/results/gm-outcome.summary.md, ODD section 10.5); correlated with `outcomes.healthFade` along a ridge.'],
  'outcomes.healthyLifeShare': [0.5, 1, 'Healthy life expectancy moving with, and less than, life expectancy (ONS health state life expectancies).'],
};

export const PARAMETERS: readonly ParameterSpec[] = REGISTRY.map((spec) => {
  const band = EXPLORATION[spec.path];
  return band ? { ...spec, explore: { low: band[0], high: band[1], why: band[2] } } : spec;
});

/** Looks up one parameter by path, or undefined. */
export function parameterSpec(path: string): ParameterSpec | undefined {
  return PARAMETERS.find((spec) => spec.path === path);
}

/** Writes `value` at dotted `path` inside `target`, creating objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/** Reads the value at dotted `path`, or undefined. */
export function getPath(source: unknown, path: string): unknown {
  let node = source;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Scenario fields other than the localities, all at their registry defaults. */
export function defaultParameters(): Omit<Scenario, 'name' | 'description' | 'sources' | 'localities'> {
  const out: Record<string, unknown> = {
    regime: { rules: {} },
    leaders: { override: {} },
  };
  for (const spec of PARAMETERS) {
    if (spec.default === null) continue;
    setPath(out, spec.path, spec.default);
  }
  return out as unknown as Omit<Scenario, 'name' | 'description' | 'sources' | 'localities'>;
}
