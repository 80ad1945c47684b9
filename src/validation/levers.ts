/**
 * Lever patterns: every policy lever a scenario exposes must change what agents do, through a
 * documented mechanism with a source. Each lever is a small paired experiment on common random
 * numbers (the same seed and replicate indices in both arms): the lever at a low and a high
 * setting, one behavioural measure (what leaders commit, what boards decide, whom leaders trust)
 * compared over a window of years, and a knock-out that removes the mechanism and must make the
 * effect vanish. Effects are also reported in policy units: £m pooled a year and years of life
 * expectancy at year 10. Levers shown by the other patterns (accountability, pace pressure,
 * mandate, initial trust) are listed in LEVERS_ELSEWHERE.
 */
import { runReplicate, type ReplicateResult } from '../model/engine.ts';
import { measure } from '../model/results.ts';
import type { Scenario } from '../model/types.ts';
import { builtInScenario } from '../scenarios/index.ts';
import { apply, medianSeries, type ArmSeries, type EvaluateOptions, type Overrides, type Pattern, type PatternCheck, type PatternOutcome } from './patterns.ts';
import { paired, summarise } from './stats.ts';

export interface LeverSpec {
  id: string;
  title: string;
  /** The lever, as the scenario path(s) a user sets. */
  lever: string;
  claim: string;
  /** The route by which the lever reaches decisions (ODD section). */
  mechanism: string;
  source: string;
  /** Settings shared by both arms (the context in which the lever is shown). */
  context?: Overrides;
  low: Overrides;
  high: Overrides;
  lowLabel: string;
  highLabel: string;
  /** `perLocality`: the system column is a sum over localities (decisions), so divide by their number. */
  behaviour: { measure: string; label: string; unit: string; years: readonly [number, number]; perLocality?: boolean };
  /** Expected sign of high − low. */
  direction: 1 | -1;
  knockout: { description: string; overrides: Overrides };
}


/** Mean of a system measure over years [from, to] (1-based, inclusive). */
function windowMean(r: ReplicateResult, name: string, years: readonly [number, number], perYear: number): number {
  const x = measure(r, name, 'system');
  const from = (years[0] - 1) * perYear;
  const to = Math.min(x.length, years[1] * perYear);
  let sum = 0;
  for (let t = from; t < to; t++) sum += x[t];
  return sum / (to - from);
}

/**
 * The minimum relative size of a lever's effect (1% of the low arm's level): below it, an effect
 * the paired design detects is too small to call the lever live. The report gives every
 * effect's relative size, so small live levers are visible as such.
 */
export const MINIMUM_RELATIVE_EFFECT = 0.01;

export function leverPattern(spec: LeverSpec, scenarioName = 'gm-2017'): Pattern {
  const run = (scenario: Scenario, options: EvaluateOptions) => {
    const final = options.transform ? options.transform(scenario) : scenario;
    return Array.from({ length: options.replicates }, (_, k) => runReplicate(final, { seed: options.seed, replicate: k }));
  };
  const { behaviour } = spec;
  const sign = spec.direction === 1 ? 'above' : 'below';
  return {
    id: `lever-${spec.id}`,
    title: spec.title,
    claim: spec.claim,
    source: spec.source,
    role: 'lever',
    roleNote: `Shows that ${spec.lever} reaches decisions: ${spec.mechanism}`,
    scenario: scenarioName,
    design: `${spec.lowLabel} against ${spec.highLabel}${spec.context?.length ? `, with ${spec.context.map(([p, v]) => `${p} = ${v}`).join(', ')}` : ''}; ${behaviour.label} over years ${behaviour.years[0]}–${behaviour.years[1]}`,
    replicates: 40,
    knockout: {
      description: spec.knockout.description,
      apply: (s) => apply(s, spec.knockout.overrides),
    },
    evaluate(options: EvaluateOptions): PatternOutcome {
      let scenario = builtInScenario(scenarioName);
      if (options.perturb) scenario = options.perturb(scenario);
      scenario = apply(scenario, spec.context ?? []);
      const low = run(apply(scenario, spec.low), options);
      const high = run(apply(scenario, spec.high), options);
      const localities = behaviour.perLocality ? scenario.localities.length : 1;
      const perYear = scenario.roundsPerYear;
      const level = (rs: ReplicateResult[]) => rs.map((r) => windowMean(r, behaviour.measure, behaviour.years, perYear) / localities);
      const lowLevel = level(low);
      const differences = paired(level(high), lowLevel);
      const summary = summarise(differences);
      const baseline = Math.abs(lowLevel.reduce((a, b) => a + b, 0) / lowLevel.length);
      const threshold = MINIMUM_RELATIVE_EFFECT * baseline;
      const directional = spec.direction * summary.mean;
      const relative = baseline > 0 ? summary.mean / baseline : NaN;
      const check: PatternCheck = {
        label: `${behaviour.label}, ${spec.highLabel} − ${spec.lowLabel} (years ${behaviour.years[0]}–${behaviour.years[1]}; ${(relative * 100).toFixed(1)}% of the ${spec.lowLabel} level)`,
        criterion: `95% CI ${sign} 0 and |mean| ≥ ${MINIMUM_RELATIVE_EFFECT * 100}% of the ${spec.lowLabel} level (${baseline.toPrecision(3)})`,
        unit: behaviour.unit,
        summary,
        pass: (spec.direction === 1 ? summary.lower > 0 : summary.upper < 0) && directional >= threshold,
      };
      const pooledPerYear = (rs: ReplicateResult[]) => rs.map((r) => windowMean(r, 'pooled', behaviour.years, perYear) * perYear);
      const lifeYears = (rs: ReplicateResult[]) => rs.map((r) => measure(r, 'lifeExpectancyGain', 'system')[r.trajectories.rounds - 1]);
      const series: ArmSeries[] = [medianSeries(low, spec.lowLabel, behaviour.measure), medianSeries(high, spec.highLabel, behaviour.measure)];
      return {
        checks: [check],
        series,
        pass: check.pass,
        policy: [
          { label: `Pooled by partners, years ${behaviour.years[0]}–${behaviour.years[1]}`, unit: '£m a year', summary: summarise(paired(pooledPerYear(high), pooledPerYear(low))) },
          { label: 'Life expectancy gain at year 10', unit: 'years', summary: summarise(paired(lifeYears(high), lifeYears(low))) },
        ],
      };
    },
  };
}


const NO_RETURNS: Overrides = [['leaders.returnSensitivity', 0]];
/** The knock-out of the budget-pressure levers: pressure reaches no decision by any route. */
const NO_BUDGET_PRESSURE: LeverSpec['knockout'] = {
  description: 'budget pressure reaches no decision (leaders.budgetEnabling = 0, leaders.budgetRetreat = 0, funding.balancedBudgetDuty = false, leaders.focusSensitivity = 0)',
  overrides: [['leaders.budgetEnabling', 0], ['leaders.budgetRetreat', 0], ['funding.balancedBudgetDuty', false], ['leaders.focusSensitivity', 0]],
};
const commitment = (years: readonly [number, number]) => ({ measure: 'commitment', label: 'Mean commitment of leaders', unit: 'share', years });

export const LEVERS: readonly LeverSpec[] = [
  {
    id: 'fund-condition', title: 'A conditional transformation fund pulls commitment', lever: 'funding.transformationFund.condition',
    claim: 'A fund paid only on collective delivery of an investment agreement raises what leaders commit while it runs; the same money paid unconditionally does not, because it changes no one\'s marginal return.',
    mechanism: 'the fund\'s expected payment that a leader\'s commitment makes more likely enters the return term of decide() (a provision point, ODD §7.3).',
    source: 'Thesis §5.4.5 ("or none of them get any"); Isaac, Schmidtz & Walker 1989; Croson & Marks 2000',
    low: [['funding.transformationFund.condition', 'none']], high: [['funding.transformationFund.condition', 'collective']],
    lowLabel: 'paid unconditionally', highLabel: 'paid on collective delivery',
    behaviour: commitment([1, 5]), direction: 1,
    knockout: { description: 'leaders do not respond to returns (leaders.returnSensitivity = 0)', overrides: NO_RETURNS },
  },
  {
    id: 'fund-size', title: 'A larger conditional fund pulls harder', lever: 'funding.transformationFund.total',
    claim: 'Doubling a conditional transformation fund raises what leaders commit while it runs.',
    mechanism: 'the fund\'s pull is proportional to the payment at stake (ODD §7.3).',
    source: 'Thesis §5.4.5 (the fund "allowed us to accelerate"); Croson & Marks 2000 (step return)',
    low: [['funding.transformationFund.total', 450]], high: [['funding.transformationFund.total', 900]],
    lowLabel: '£450m', highLabel: '£900m',
    behaviour: commitment([1, 5]), direction: 1,
    knockout: { description: 'leaders do not respond to returns (leaders.returnSensitivity = 0)', overrides: NO_RETURNS },
  },
  {
    id: 'gain-share', title: 'Gain share raises commitment', lever: 'funding.gainShare',
    claim: 'Returning half of the partnership\'s value to contributors in proportion to what they pooled raises what leaders commit.',
    mechanism: 'gain share raises the own-organisation part m of a pooled £\'s return (the marginal per-capita return) in decide() (ODD §7.3).',
    source: 'Thesis §5.4.4 (gain share); Isaac & Walker 1988; Ledyard 1995',
    low: [['funding.gainShare', 0]], high: [['funding.gainShare', 0.5]],
    lowLabel: 'no gain share', highLabel: 'gain share 0.5',
    behaviour: commitment([1, 10]), direction: 1,
    knockout: { description: 'leaders do not respond to returns (leaders.returnSensitivity = 0)', overrides: NO_RETURNS },
  },
  {
    id: 'returns', title: 'More productive pooled money raises commitment', lever: 'outcomes.baseEfficiency, scopeEfficiency, scaleEfficiency',
    claim: 'When a pooled £ creates half as much again value, leaders see it and commit more.',
    mechanism: 'leaders learn the locality\'s perceived return (value per pooled £) and weigh it in decide() (ODD §7.3, §7.8).',
    source: 'Isaac & Walker 1988 (contributions rise with the marginal per-capita return); Thesis §7.2 (value proposition)',
    low: [], high: [['outcomes.baseEfficiency', 0.85 * 1.5], ['outcomes.scopeEfficiency', 0.75], ['outcomes.scaleEfficiency', 0.6]],
    lowLabel: 'gm-2017 productivity', highLabel: 'productivity ×1.5',
    behaviour: commitment([1, 10]), direction: 1,
    knockout: { description: 'leaders do not respond to returns (leaders.returnSensitivity = 0)', overrides: NO_RETURNS },
  },
  {
    id: 'budget-severe', title: 'Severe budget cuts drive retreat', lever: 'funding.budgetGrowth',
    claim: 'Against flat cash, 6% annual cuts make leaders retreat into their organisations.',
    mechanism: 'bounded budget pressure: retreat·x² in decide(), and the council\'s balanced-budget duty shrinks its pooling cap (ODD §7.1, §7.3).',
    source: 'Thesis §2.7.6 (Miller et al. 2010: "when budgets are tight, the temptation is to retreat")',
    context: [['funding.transformationFund.total', 0]],
    low: [['funding.budgetGrowth', 0]], high: [['funding.budgetGrowth', -0.06]],
    lowLabel: 'flat cash', highLabel: '6% annual cuts',
    behaviour: commitment([2, 10]), direction: -1,
    knockout: NO_BUDGET_PRESSURE,
  },
  {
    id: 'budget-enabling', title: 'A degree of financial constraint enables', lever: 'funding.budgetGrowth',
    claim: 'Against budgets that grow faster than demand (slack), flat cash (moderate pressure) raises what leaders commit.',
    mechanism: 'the enabling hump budgetEnabling·4x(1 − x) in decide() (ODD §7.3).',
    source: 'Thesis §5.4.4 (a degree of financial constraint is an enabler)',
    context: [['funding.transformationFund.total', 0]],
    low: [['funding.budgetGrowth', 0.05]], high: [['funding.budgetGrowth', 0]],
    lowLabel: '5% growth (slack)', highLabel: 'flat cash',
    behaviour: commitment([2, 10]), direction: 1,
    knockout: NO_BUDGET_PRESSURE,
  },
  {
    id: 'balanced-budget', title: 'The council\'s balanced-budget duty', lever: 'funding.balancedBudgetDuty',
    claim: 'Under 3% annual cuts, a council that must balance its budget pools less, and its partners follow.',
    mechanism: 'a council\'s pooling cap shrinks to cap·(1 − x) under pressure x (ODD §7.3), and conditional cooperators respond to what it commits.',
    source: 'Thesis §6.2.3 (a council must balance its budget each year)',
    context: [['funding.budgetGrowth', -0.03], ['funding.transformationFund.total', 0]],
    low: [['funding.balancedBudgetDuty', false]], high: [['funding.balancedBudgetDuty', true]],
    lowLabel: 'no duty', highLabel: 'balanced-budget duty',
    behaviour: { measure: 'pooledShare', label: 'Pooled share of budgets', unit: 'share', years: [2, 10] }, direction: -1,
    knockout: { description: 'no budget pressure on councils: need falls with budgets and regulation moves no money (funding.demandGrowth = −0.03, regime.penaltySeverity = 0, regime.rewardSeverity = 0)',
      overrides: [['funding.demandGrowth', -0.03], ['regime.penaltySeverity', 0], ['regime.rewardSeverity', 0]] },
  },
  {
    id: 'commissioner-dependence', title: 'Commissioner pooling squeezes the acute trust', lever: 'funding.commissionerDependence',
    claim: 'Under 3% annual cuts, where commissioners pool a large share (pooling cap 1, system accountability), taking that money out of acute contracts raises the acute trust\'s budget pressure and leaders commit less. At gm-2017\'s own settings commissioners pool too little (about 1% of acute income) for the effect to reach the 1% bar (−0.1% in the same design, measured when this pattern was added).',
    mechanism: 'commissioner pooling takes commissionerDependence of what it pools from the acute trust\'s income (ODD §7.1); the pressure that adds enters decide() as the bounded hump minus retreat (ODD §7.3), and partners who cooperate conditionally follow.',
    source: 'Thesis §6.2.1, §6.2.2 (the acute trust\'s dependence on commissioner income: "85% of the hospital\'s money comes from us")',
    context: [['funding.budgetGrowth', -0.03], ['funding.transformationFund.total', 0], ['flexibilities.pooledBudgets.cap', 1], ['regime.accountability', 1]],
    low: [['funding.commissionerDependence', 0]], high: [['funding.commissionerDependence', 1]],
    lowLabel: 'no income taken', highLabel: 'all of it from acute contracts',
    behaviour: commitment([2, 10]), direction: -1,
    knockout: NO_BUDGET_PRESSURE,
  },
  {
    id: 'pooled-cap', title: 'Bigger pooled budgets make board decisions harder', lever: 'flexibilities.pooledBudgets.cap',
    claim: 'Doubling the pooled-budget cap puts more of partners\' own money on the table, and boards agree less often.',
    mechanism: 'the size term of the board\'s difficulty counts partners\' own money in the pool (ODD §7.5).',
    source: 'Brief §3.4; Thesis §6.1.3 (difficult decisions take more time); Seed 004 (s31 pooled budgets)',
    low: [['flexibilities.pooledBudgets.cap', 0.15]], high: [['flexibilities.pooledBudgets.cap', 0.3]],
    lowLabel: 'cap 0.15', highLabel: 'cap 0.3',
    behaviour: { measure: 'decisions', label: 'Board decisions per locality and round', unit: 'decisions', years: [1, 10], perLocality: true }, direction: -1,
    knockout: { description: 'decision size does not matter (board.sizeDifficulty = 0)', overrides: [['board.sizeDifficulty', 0]] },
  },
  {
    id: 'lead-commissioning', title: 'Lead commissioning raises commitment', lever: 'flexibilities.leadCommissioning.allowed',
    claim: 'When a lead commissioner may deploy part of the pool without a consensus vote, less pooled money idles, the return leaders see rises, and they commit more.',
    mechanism: 'part of an undecided pool is deployed (ODD §7.5); the perceived return enters decide() (ODD §7.3).',
    source: 'Seed 004 (s31 lead commissioning); Isaac & Walker 1988',
    low: [['flexibilities.leadCommissioning.allowed', false]], high: [['flexibilities.leadCommissioning.allowed', true]],
    lowLabel: 'not allowed', highLabel: 'allowed',
    behaviour: commitment([1, 10]), direction: 1,
    knockout: { description: 'leaders do not respond to returns (leaders.returnSensitivity = 0)', overrides: NO_RETURNS },
  },
  {
    id: 'integrated-provision', title: 'Integrated provision raises commitment', lever: 'flexibilities.integratedProvision.allowed',
    claim: 'Integrated provision for all deployed money adds scale value; leaders see the higher return and commit more (a small effect: scale is one part of the value of a pooled £).',
    mechanism: 'the integrated-provision bonus to scale value (ODD §7.6) raises the perceived return in decide() (ODD §7.3).',
    source: 'Seed 004 (s31 integrated provision); Thesis §7.2 (scale)',
    low: [['flexibilities.integratedProvision.allowed', false]], high: [['flexibilities.integratedProvision.allowed', true], ['flexibilities.integratedProvision.cap', 1]],
    lowLabel: 'not allowed', highLabel: 'allowed for all deployed money',
    behaviour: commitment([1, 10]), direction: 1,
    knockout: { description: 'leaders do not respond to returns (leaders.returnSensitivity = 0)', overrides: NO_RETURNS },
  },
  {
    id: 'turnover', title: 'Leader turnover slows the boards\' maturing', lever: 'leaders.turnoverRate',
    claim: 'Replacing two in five leaders a year instead of one in ten resets relationships and takes shared vision and understanding away, so boards mature more slowly.',
    mechanism: 'a newcomer starts from baseline trust both ways and fresh expectations, and part of the locality\'s vision and understanding leaves with its predecessor (ODD §7.8); the Tuckman stage gates on understanding and trust (ODD §7.8).',
    source: 'Thesis §5.4.1.2 (leadership longevity)',
    low: [['leaders.turnoverRate', 0.1]], high: [['leaders.turnoverRate', 0.4]],
    lowLabel: 'turnover 0.1 a year', highLabel: 'turnover 0.4 a year',
    behaviour: { measure: 'stage', label: 'Mean Tuckman stage of the boards', unit: 'stage', years: [2, 10], perLocality: false }, direction: -1,
    knockout: { description: 'the partnership is held wholly in structures, so newcomers inherit their predecessors\' relationships (regime.structuralPartnering = 1, board.turnoverMemoryLoss = 0)',
      overrides: [['regime.structuralPartnering', 1], ['board.turnoverMemoryLoss', 0]] },
  },
  {
    id: 'structural-partnering', title: 'Structural partnering survives turnover', lever: 'regime.structuralPartnering',
    claim: 'With high leader turnover, a partnership held in formal structures matures further than one held in personal relationships, despite the effort the structures cost.',
    mechanism: 'a newcomer inherits the structural share of its predecessor\'s trust, expectations and part of vision and understanding; the structures add friction at the start (ODD §5, §7.8).',
    source: 'Seed 002 (structural versus individual partnering); Thesis §5.4.1.2',
    context: [['leaders.turnoverRate', 0.4]],
    low: [['regime.structuralPartnering', 0]], high: [['regime.structuralPartnering', 1]],
    lowLabel: 'individual partnering', highLabel: 'structural partnering',
    behaviour: { measure: 'stage', label: 'Mean Tuckman stage of the boards', unit: 'stage', years: [2, 10], perLocality: false }, direction: 1,
    knockout: { description: 'no leader ever leaves (leaders.turnoverRate = 0)', overrides: [['leaders.turnoverRate', 0]] },
  },
  {
    id: 'assessment-interval', title: 'Frequent organisational assessment pulls leaders inward', lever: 'regime.assessmentInterval',
    claim: 'Under organisational regulation, monthly rather than annual assessment raises organisational focus and lowers what leaders commit.',
    mechanism: 'each assessment moves focus up under organisational accountability (ODD §7.2); focus scales the social part of decide() (ODD §7.3).',
    source: 'Thesis §5.7.5 ("a requirement to individually manage the finance … because of the approach by the regulators")',
    context: [['regime.accountability', 0]],
    low: [['regime.assessmentInterval', 12]], high: [['regime.assessmentInterval', 1]],
    lowLabel: 'annual assessment', highLabel: 'monthly assessment',
    behaviour: commitment([1, 10]), direction: -1,
    knockout: { description: 'assessment moves no one\'s focus and costs no money (leaders.focusSensitivity = 0, regime.penaltySeverity = 0, regime.rewardSeverity = 0)',
      overrides: [['leaders.focusSensitivity', 0], ['regime.penaltySeverity', 0], ['regime.rewardSeverity', 0]] },
  },
];

/** Levers whose effect on behaviour another pattern shows. */
export const LEVERS_ELSEWHERE: readonly { lever: string; pattern: string }[] = [
  { lever: 'regime.accountability', pattern: 'island-of-success' },
  { lever: 'regime.pacePressure', pattern: 'pace-pressure' },
  { lever: 'regime.mandated, regime.mandateFloor', pattern: 'history-and-mandate' },
  { lever: 'trust.initial', pattern: 'speed-of-trust' },
  { lever: 'flexibilities.pooledBudgets.allowed', pattern: 'zero-partnership limit (tests/invariants.test.ts) and the Britteon calibration counterfactual' },
  { lever: 'leaders.sanctions.enabled', pattern: 'public-goods-lab' },
];

export const LEVER_PATTERNS: readonly Pattern[] = LEVERS.map((spec) => leverPattern(spec));
