/**
 * Pattern-oriented validation (Grimm et al. 2005): the patterns of MODEL-BRIEF §6 and the
 * laboratory facts for the public-goods game, each as a small experiment on common random
 * numbers (the same seed and replicate indices in every arm), with the checks that decide
 * pass or fail and a knock-out that switches the responsible mechanism off and must make the
 * pattern fail. Pure: runs the model in memory and returns numbers; no I/O.
 */
import { runReplicate, type ReplicateResult } from '../model/engine.ts';
import { measure } from '../model/results.ts';
import { withOverride } from '../model/scenario.ts';
import type { LocalitySpec, Scenario } from '../model/types.ts';
import { builtInScenario } from '../scenarios/index.ts';
import { etaSquared, paired, summarise, type PairedSummary } from './stats.ts';

export type Overrides = readonly (readonly [string, unknown])[];

export interface PatternCheck {
  /** What is measured, in words. */
  label: string;
  /** The criterion in words, e.g. "mean > 6 months and 95% CI above 0". */
  criterion: string;
  summary: PairedSummary;
  unit: string;
  pass: boolean;
}

/** One arm's median trajectory of the pattern's headline measure, for the report's chart. */
export interface ArmSeries {
  arm: string;
  measure: string;
  column: string;
  median: number[];
}

/** An effect reported in policy units beside the checks (not a criterion). */
export interface PolicyEffect {
  label: string;
  unit: string;
  summary: PairedSummary;
}

export interface PatternOutcome {
  checks: PatternCheck[];
  series: ArmSeries[];
  pass: boolean;
  /** Effects in policy units (£m, months, years of life expectancy), for the report. */
  policy?: PolicyEffect[];
}

/**
 * What a pattern can tell: a calibration target was used to set parameters (its passing shows
 * the fit, not an independent confirmation); an independent test was not tuned for; a lever
 * pattern shows that a policy lever changes what agents do, through its documented mechanism.
 */
export type PatternRole = 'calibration target' | 'independent test' | 'lever';

export interface Pattern {
  id: string;
  title: string;
  claim: string;
  source: string;
  role: PatternRole;
  /** Why the pattern has this role (what was fitted to it, or why it is independent). */
  roleNote: string;
  scenario: string;
  /** Arms of the experiment, in words (parameters that differ). */
  design: string;
  replicates: number;
  knockout: { description: string; apply(scenario: Scenario): Scenario };
  evaluate(options: EvaluateOptions): PatternOutcome;
}

export interface EvaluateOptions {
  replicates: number;
  seed: number;
  /** Applied to every arm's scenario after its own settings (used for knock-outs). */
  transform?: (scenario: Scenario) => Scenario;
  /** Applied to the base scenario before the arms' settings (used for sensitivity analysis). */
  perturb?: (scenario: Scenario) => Scenario;
}

// ---- helpers ------------------------------------------------------------------------------

export const apply = (scenario: Scenario, overrides: Overrides): Scenario =>
  overrides.reduce((s, [path, value]) => withOverride(s, path, value), scenario);

function base(name: string, options: EvaluateOptions): Scenario {
  const scenario = builtInScenario(name);
  return options.perturb ? options.perturb(scenario) : scenario;
}

/**
 * Runs replicates 0..n−1 with one seed, so arms share their random numbers. A knock-out
 * transform is applied last, after the arm's own settings, so it cannot be undone by them.
 */
function runArm(scenario: Scenario, options: EvaluateOptions): ReplicateResult[] {
  const final = options.transform ? options.transform(scenario) : scenario;
  return Array.from({ length: options.replicates }, (_, k) => runReplicate(final, { seed: options.seed, replicate: k }));
}

const finalValue = (r: ReplicateResult, name: string, column = 'system') => measure(r, name, column)[r.trajectories.rounds - 1];
const valueAt = (r: ReplicateResult, name: string, round: number, column = 'system') => measure(r, name, column)[round];
const localityColumns = (r: ReplicateResult) => r.trajectories.columns.filter((c) => c !== 'system');

/** Mean over localities of the first round (1-based) at or above `stage`; `rounds` + 1 if never. */
function meanFirstStage(r: ReplicateResult, stage: number): number {
  const columns = localityColumns(r);
  let total = 0;
  for (const c of columns) {
    const stages = measure(r, 'stage', c);
    const first = stages.findIndex((s) => s >= stage);
    total += first < 0 ? r.trajectories.rounds + 1 : first + 1;
  }
  return total / columns.length;
}

/** First round (1-based) at which a system measure has covered half its change over the run. */
function halfTime(r: ReplicateResult, name: string): number {
  const x = measure(r, name, 'system');
  const start = x[0];
  const end = x[x.length - 1];
  const half = start + (end - start) / 2;
  const rising = end >= start;
  const k = x.findIndex((v) => (rising ? v >= half : v <= half));
  return k + 1;
}

export function medianSeries(results: ReplicateResult[], arm: string, name: string, column = 'system'): ArmSeries {
  const rounds = results[0].trajectories.rounds;
  const median: number[] = [];
  const series = results.map((r) => measure(r, name, column));
  for (let t = 0; t < rounds; t++) {
    const values = series.map((s) => s[t]).sort((a, b) => a - b);
    median.push(values[Math.floor(values.length / 2)]);
  }
  return { arm, measure: name, column, median };
}

function check(label: string, criterion: string, unit: string, values: number[], pass: (s: PairedSummary) => boolean): PatternCheck {
  const summary = summarise(values);
  return { label, criterion, unit, summary, pass: pass(summary) };
}

const outcome = (checks: PatternCheck[], series: ArmSeries[]): PatternOutcome => ({ checks, series, pass: checks.every((c) => c.pass) });

// ---- the patterns ------------------------------------------------------------------------

const TRUST_OFF: Overrides = [
  ['board.difficulty', 0], ['board.inequalityPenalty', 0], ['leaders.conditionalSlope', 0],
  // Fall-back threshold first: each override is validated, and regressTrust may not exceed normingTrust.
  ['board.regressTrust', 0], ['board.normingTrust', 0], ['board.performingTrust', 0], ['outcomes.scaleEfficiency', 0],
];

export const speedOfTrust: Pattern = {
  id: 'speed-of-trust',
  title: 'Progress occurs at the speed of trust',
  claim: 'Higher initial trust reaches the performing stage and outcome gains sooner.',
  source: 'Thesis §6.1.4; MODEL-BRIEF §6.1',
  role: 'independent test',
  roleNote: 'No parameter was set to produce it: trust enters the board, the perceived return and scale value; the size of the effect was not tuned. Its outcome check is in years of life expectancy, which depend on the outcome\'s fitted scale and fade; the 0.1-year bar (half Britteon et al.\'s effect) was set when the outcome was refitted, replacing 0.005 index points.',
  scenario: 'gm-2017',
  design: 'trust.initial = 0.7 (high) against 0.3 (low), everything else as gm-2017',
  replicates: 40,
  knockout: {
    description: 'trust switched off as a cause: consensus independent of trust and power (board.difficulty = 0, board.inequalityPenalty = 0), no conditional cooperation (leaders.conditionalSlope = 0), Tuckman thresholds without trust, scale value without trust (outcomes.scaleEfficiency = 0)',
    apply: (s) => apply(s, TRUST_OFF),
  },
  evaluate(options) {
    const scenario = base('gm-2017', options);
    const high = runArm(apply(scenario, [['trust.initial', 0.7]]), options);
    const low = runArm(apply(scenario, [['trust.initial', 0.3]]), options);
    return outcome([
      check('Months earlier that high-trust localities first perform (mean over localities)', 'mean ≥ 6 months and 95% CI above 0', 'months',
        paired(low.map((r) => meanFirstStage(r, 3)), high.map((r) => meanFirstStage(r, 3))), (s) => s.mean >= 6 && s.lower > 0),
      // In years of life expectancy above the counterfactual trend: 0.1 years is half the devolution effect Britteon et al. (2022) measured.
      check('Life expectancy gain at year 5, high − low trust', 'mean ≥ 0.1 years and 95% CI above 0', 'years',
        paired(high.map((r) => valueAt(r, 'lifeExpectancyGain', 59)), low.map((r) => valueAt(r, 'lifeExpectancyGain', 59))), (s) => s.mean >= 0.1 && s.lower > 0),
    ], [medianSeries(high, 'trust 0.7', 'stage'), medianSeries(low, 'trust 0.3', 'stage')]);
  },
};

export const timeAndLag: Pattern = {
  id: 'time',
  title: 'Time: process measures move first, population outcomes after years',
  claim: 'Population outcomes move only after years, while process measures move first.',
  source: 'Thesis §5.6.1, §7.6.1; Health Foundation IAU 2021',
  role: 'calibration target',
  roleNote: "Partly built in, and partly a constraint on the fit: the outcome's delay (outcomes.lagMonths) is an imposed third-order delay, so the lag restates an input, and the lag is the posterior mean (24 months) of a fit to both Britteon et al. figures whose interval (4–48 months) includes lags at which the first check fails (2.5 months at 12; calibration/results/outcome-timing.txt). The comparison with agreed purpose, which has no imposed delay, is the testable part. The second check asked for at most 15% of the ten-year gain by year 2 until the outcome was fitted to the published timing; the timing it is fitted to has most of the effect by years 3–4 (0.196 of 0.233 years) and Greater Manchester 'protected from the decline' in the two years after devolution, so the bound is now at most half, and that check no longer discriminates (it passes under the knock-out as well); the pattern fails when knocked out through its first check.",
  scenario: 'gm-2017',
  design: 'gm-2017 as it is; half-time (round by which half of the ten-year change has happened) of agreed purpose against the life expectancy gain above the counterfactual trend',
  replicates: 40,
  knockout: {
    description: 'no delay and no accumulation between value and outcome (outcomes.lagMonths = 3, outcomes.valueDecay = 50 a year)',
    apply: (s) => apply(s, [['outcomes.lagMonths', 3], ['outcomes.valueDecay', 50]]),
  },
  evaluate(options) {
    const results = runArm(base('gm-2017', options), options);
    return outcome([
      // The outcome's gain above the counterfactual trend (lifeExpectancyGain), so that the secular trend, which no partnership causes, does not count as a response.
      check('Half-time of the life expectancy gain minus half-time of agreed purpose', 'mean ≥ 12 months and 95% CI above 0', 'months',
        paired(results.map((r) => halfTime(r, 'lifeExpectancyGain')), results.map((r) => halfTime(r, 'agreedPurpose'))), (s) => s.mean >= 12 && s.lower > 0),
      check('Share of the ten-year life expectancy gain reached by year 2', 'mean ≤ 0.5', 'share',
        results.map((r) => {
          const y = measure(r, 'lifeExpectancyGain', 'system');
          const gain = y[y.length - 1] - y[0];
          return gain > 0 ? (y[23] - y[0]) / gain : 1;
        }), (s) => s.mean <= 0.5),
    ], [medianSeries(results, 'agreed purpose', 'agreedPurpose'), medianSeries(results, 'life expectancy gain', 'lifeExpectancyGain')]);
  },
};

export const islandOfSuccess: Pattern = {
  id: 'island-of-success',
  title: 'An island of success in a sea of failure',
  claim: 'Organisational regulation raises organisational focus and lowers pooling and population outcomes relative to system regulation, while the powerful organisation\'s own performance can rise.',
  source: 'Thesis §6.1.2.3, §5.8.1, §5.7.5',
  role: 'independent test',
  roleNote: 'Not tuned for: it follows from focus under organisational assessment, the focus bonus to performance and the decision rule.',
  scenario: 'gm-2017',
  design: 'regime.accountability = 0 (organisations assessed) against 1 (system assessed)',
  replicates: 40,
  knockout: {
    description: 'regulation without consequences for focus or money (leaders.focusSensitivity = 0, regime.penaltySeverity = 0, regime.rewardSeverity = 0)',
    apply: (s) => apply(s, [['leaders.focusSensitivity', 0], ['regime.penaltySeverity', 0], ['regime.rewardSeverity', 0]]),
  },
  evaluate(options) {
    const scenario = base('gm-2017', options);
    const org = runArm(apply(scenario, [['regime.accountability', 0]]), options);
    const sys = runArm(apply(scenario, [['regime.accountability', 1]]), options);
    const final = (rs: ReplicateResult[], m: string) => rs.map((r) => finalValue(r, m));
    return outcome([
      check('Organisational focus, organisational − system regulation', 'mean ≥ 0.1 and 95% CI above 0', 'focus',
        paired(final(org, 'organisationalFocus'), final(sys, 'organisationalFocus')), (s) => s.mean >= 0.1 && s.lower > 0),
      check('Pooled share, system − organisational regulation', '95% CI above 0', 'share of budget',
        paired(final(sys, 'pooledShare'), final(org, 'pooledShare')), (s) => s.lower > 0),
      check('Population outcome at year 10, system − organisational regulation', '95% CI above 0', 'index points',
        paired(final(sys, 'populationOutcome'), final(org, 'populationOutcome')), (s) => s.lower > 0),
      check('Performance of the most powerful organisation, organisational − system regulation', '95% CI above 0', 'performance',
        paired(final(org, 'powerfulOrgPerformance'), final(sys, 'powerfulOrgPerformance')), (s) => s.lower > 0),
    ], [medianSeries(org, 'organisational', 'populationOutcome'), medianSeries(sys, 'system', 'populationOutcome')]);
  },
};

const withLocalities = (scenario: Scenario, change: (loc: LocalitySpec) => LocalitySpec): Scenario =>
  ({ ...scenario, localities: scenario.localities.map(change) });

export const historyAndMandate: Pattern = {
  id: 'history-and-mandate',
  title: 'History and mandate',
  claim: 'Good prior relationships progress faster than a history of blame; partnerships forced across administrative boundaries progress slower; a mandate raises outcomes where pooling is productive but free riding stalls it, lowers them where the partnership subtracts value, and slows the process where partners would have pooled anyway.',
  source: 'Thesis §7.5.2; Ansell & Gash 2008; Bitterman & Koliba 2020',
  role: 'independent test',
  roleNote: 'Not tuned for; the conditions under which a mandate helps or hurts are checked both ways, so the sign is not hard-wired.',
  scenario: 'gm-2017',
  design: 'every locality with history +0.6 against −0.6; every locality forced across boundaries against none; regime.mandated on against off (a) where pooling is productive but free riders stall it (leaders.typeMix.freeRider = 0.6, conditional 0.3, trust.initial = 0.7), (b) where the partnership subtracts value (the same free riders with trust.initial = 0.15, board.costRate = 0.02 and pooled money that buys nothing, outcomes.baseEfficiency = scopeEfficiency = scaleEfficiency = 0), (c) among willing partners with a low floor (history +0.6, trust.initial = 0.7, regime.mandateFloor = 0.05)',
  replicates: 40,
  knockout: {
    description: 'history and forcing have no effect and a mandate costs nothing (trust.historyWeight = 0, board.mandateFriction = 0, trust.mandateCost = 0)',
    apply: (s) => apply(s, [['trust.historyWeight', 0], ['board.mandateFriction', 0], ['trust.mandateCost', 0]]),
  },
  evaluate(options) {
    const scenario = base('gm-2017', options);
    const good = runArm(withLocalities(scenario, (l) => ({ ...l, history: 0.6 })), options);
    const blame = runArm(withLocalities(scenario, (l) => ({ ...l, history: -0.6 })), options);
    const organic = runArm(withLocalities(scenario, (l) => ({ ...l, forcedAcrossBoundaries: false })), options);
    const forced = runArm(withLocalities(scenario, (l) => ({ ...l, forcedAcrossBoundaries: true })), options);
    const freeRiders: Overrides = [['leaders.typeMix.freeRider', 0.6], ['leaders.typeMix.conditional', 0.3]];
    const productive = apply(scenario, [...freeRiders, ['trust.initial', 0.7]]);
    // Pooled money that buys nothing (no base, scope or scale value) while it leaves services: with
    // services in years (ODD 7.6) a pooled £ that buys 0.3 of a notional £ still out-yields the £
    // it leaves services at the Britteon-fitted scale (ODD section 9, item 10), so only a
    // partnership that creates no value subtracts it.
    const subtracting = apply(scenario, [...freeRiders, ['trust.initial', 0.15], ['board.costRate', 0.02],
      ['outcomes.baseEfficiency', 0], ['outcomes.scopeEfficiency', 0], ['outcomes.scaleEfficiency', 0]]);
    const mandate = (s: Scenario) => apply(s, [['regime.mandated', true]]);
    // Willing partners with a floor below what they would choose anyway: the mandate adds only structure.
    const willing = apply(withLocalities(scenario, (l) => ({ ...l, history: 0.6 })), [['trust.initial', 0.7], ['regime.mandateFloor', 0.05]]);
    const y = (rs: ReplicateResult[]) => rs.map((r) => finalValue(r, 'populationOutcome'));
    const le = (rs: ReplicateResult[]) => rs.map((r) => finalValue(r, 'lifeExpectancyGain'));
    const mandatedProductive = runArm(mandate(productive), options);
    const voluntaryProductive = runArm(productive, options);
    const mandatedSubtracting = runArm(mandate(subtracting), options);
    const voluntarySubtracting = runArm(subtracting, options);
    const mandatedWilling = runArm(mandate(willing), options);
    const voluntaryWilling = runArm(willing, options);
    const result = outcome([
      check('Months earlier to norming with good history than with a history of blame', 'mean ≥ 6 months and 95% CI above 0', 'months',
        paired(blame.map((r) => meanFirstStage(r, 2)), good.map((r) => meanFirstStage(r, 2))), (s) => s.mean >= 6 && s.lower > 0),
      check('Months later to norming when forced across administrative boundaries', 'mean ≥ 3 months and 95% CI above 0', 'months',
        paired(forced.map((r) => meanFirstStage(r, 2)), organic.map((r) => meanFirstStage(r, 2))), (s) => s.mean >= 3 && s.lower > 0),
      check('Mandate effect on outcome where pooling is productive but free riders stall it (mandated − voluntary)', '95% CI above 0', 'index points',
        paired(y(mandatedProductive), y(voluntaryProductive)), (s) => s.lower > 0),
      check('Mandate effect on outcome where the partnership subtracts value (mandated − voluntary)', '95% CI below 0', 'index points',
        paired(y(mandatedSubtracting), y(voluntarySubtracting)), (s) => s.upper < 0),
      check('Months later to norming under a mandate among willing partners (mandated − voluntary)', 'mean ≥ 1 month and 95% CI above 0', 'months',
        paired(mandatedWilling.map((r) => meanFirstStage(r, 2)), voluntaryWilling.map((r) => meanFirstStage(r, 2))), (s) => s.mean >= 1 && s.lower > 0),
    ], [medianSeries(good, 'good history', 'stage'), medianSeries(blame, 'history of blame', 'stage'), medianSeries(forced, 'forced across boundaries', 'stage')]);
    result.policy = [
      { label: 'Mandate, productive partnership: life expectancy at year 10', unit: 'years', summary: summarise(paired(le(mandatedProductive), le(voluntaryProductive))) },
      { label: 'Mandate, value-subtracting partnership: life expectancy at year 10', unit: 'years', summary: summarise(paired(le(mandatedSubtracting), le(voluntarySubtracting))) },
    ];
    return result;
  },
};

export const pacePressure: Pattern = {
  id: 'pace-pressure',
  title: 'Pace beyond the speed of trust',
  claim: 'Pace pressure beyond what trust supports erodes trust and pooling.',
  source: 'Thesis §6.1.4, §5.6.1',
  role: 'independent test',
  roleNote: 'Not tuned for: the size of trust.paceCost is a rationale, not fitted.',
  scenario: 'gm-2017',
  design: 'regime.pacePressure = 19.3 a year (0.8 a month) against 0.62 a year (0.05 a month), with modest trust (trust.initial = 0.35)',
  replicates: 40,
  knockout: {
    description: 'forced decisions cost no trust (trust.paceCost = 0)',
    apply: (s) => apply(s, [['trust.paceCost', 0]]),
  },
  evaluate(options) {
    const scenario = apply(base('gm-2017', options), [['trust.initial', 0.35]]);
    const fast = runArm(apply(scenario, [['regime.pacePressure', 19.3]]), options);
    const slow = runArm(apply(scenario, [['regime.pacePressure', 0.62]]), options);
    const final = (rs: ReplicateResult[], m: string) => rs.map((r) => finalValue(r, m));
    return outcome([
      check('Mean trust at year 10, low − high pace pressure', 'mean ≥ 0.1 and 95% CI above 0', 'trust',
        paired(final(slow, 'trustMean'), final(fast, 'trustMean')), (s) => s.mean >= 0.1 && s.lower > 0),
      check('Pooled share at year 10, low − high pace pressure', '95% CI above 0', 'share of budget',
        paired(final(slow, 'pooledShare'), final(fast, 'pooledShare')), (s) => s.lower > 0),
    ], [medianSeries(fast, 'pace 0.8', 'trustMean'), medianSeries(slow, 'pace 0.05', 'trustMean')]);
  },
};

const ELEMENTS: readonly (readonly [string, string, unknown])[] = [
  ['power and resources', 'leaders.override.control', 0.05],
  ['followership', 'leaders.override.followership', 0],
  ['system focus', 'leaders.override.focus', 1],
  ['ambition', 'leaders.override.ambition', 0.05],
];

export const fourElements: Pattern = {
  id: 'four-elements',
  title: 'The four leadership elements work together',
  claim: 'Remove power/resources, followership, system focus or ambition and outcomes fall well below the all-four case.',
  source: 'Thesis §6.1.2, §6.1.2.4',
  role: 'independent test',
  roleNote: 'Not tuned for; each element works through a different equation.',
  scenario: 'gm-2017',
  design: 'gm-2017 against the same with one element removed for every leader (control 0.05, followership 0, focus 1, ambition 0.05)',
  replicates: 40,
  knockout: {
    description: 'followership has no channel: understanding beyond the senior team neither realises value nor sustains it nor gates performing (outcomes.understandingWeight = 0, outcomes.valueDecay = 0, board.regressUnderstanding = board.performingUnderstanding = 0)',
    apply: (s) => apply(s, [['outcomes.understandingWeight', 0], ['outcomes.valueDecay', 0], ['board.regressUnderstanding', 0], ['board.performingUnderstanding', 0]]),
  },
  evaluate(options) {
    const scenario = base('gm-2017', options);
    const all = runArm(scenario, options);
    // Gain above the counterfactual trend, in years: the trend is no leader's doing.
    const gain = (rs: ReplicateResult[]) => rs.map((r) => finalValue(r, 'lifeExpectancyGain') - valueAt(r, 'lifeExpectancyGain', 0));
    const allGain = gain(all);
    const series = [medianSeries(all, 'all four', 'lifeExpectancyGain')];
    const checks = ELEMENTS.map(([label, path, value]) => {
      const without = runArm(apply(scenario, [[path, value]]), options);
      series.push(medianSeries(without, `no ${label}`, 'lifeExpectancyGain'));
      const loss = allGain.map((g, k) => (g > 0 ? 1 - gain(without)[k] / g : 0));
      return check(`Share of the life expectancy gain lost without ${label}`, 'mean ≥ 0.25 and 95% CI above 0', 'share', loss, (s) => s.mean >= 0.25 && s.lower > 0);
    });
    return outcome(checks, series);
  },
};

const GROUPS: Record<string, string> = {
  'Locality A': 'high', 'Locality B': 'high', 'Locality C': 'high',
  'Locality D': 'average', 'Locality E': 'average', 'Locality F': 'average', 'Locality G': 'average', 'Locality H': 'average',
  'Locality I': 'slow', 'Locality J': 'slow',
};

/** Round at which the spread is read: three years after devolution (April 2016), the thesis's fieldwork period. */
export const SPREAD_ROUND = 36;

export const greaterManchesterSpread: Pattern = {
  id: 'gm-spread',
  title: 'Greater Manchester spreads into high, average and slow groups',
  claim: 'Ten heterogeneous localities spread into high, average and slow progress groups (three, five and two), explained by the factors of §7.5.2 rather than by noise.',
  source: 'Thesis §7.5, §7.5.1, §7.5.2',
  role: 'calibration target',
  roleNote: "The three groups are built into gm-2017's inputs (history, friction, forcing, leadership) and the thresholds were set with this pattern in view (ODD §10.3): it checks that the inputs have the effect intended, not that the model discovers the groups.",
  scenario: 'gm-2017',
  design: `Tuckman stage of each locality at round ${SPREAD_ROUND} (three years in); groups as set up in gm-2017 from history, structural friction, forcing and system-focused leadership`,
  replicates: 40,
  knockout: {
    description: 'the §7.5.2 factors removed: every locality has the same history (0.1), friction (0.2), no forcing and the same leaders',
    apply: (s) => withLocalities(s, (l) => ({
      ...l, history: 0.1, structuralFriction: 0.2, forcedAcrossBoundaries: false,
      organisations: l.organisations.map(({ leader: _leader, ...org }) => org),
    })),
  },
  evaluate(options) {
    const results = runArm(base('gm-2017', options), options);
    const groupMean = (r: ReplicateResult, group: string) => {
      const cols = localityColumns(r).filter((c) => GROUPS[c] === group);
      return cols.reduce((a, c) => a + valueAt(r, 'stage', SPREAD_ROUND - 1, c), 0) / cols.length;
    };
    const stages: number[] = [];
    const labels: string[] = [];
    for (const r of results) {
      for (const c of localityColumns(r)) {
        stages.push(valueAt(r, 'stage', SPREAD_ROUND - 1, c));
        labels.push(GROUPS[c] ?? 'other');
      }
    }
    const eta = etaSquared(stages, labels);
    return outcome([
      check('Mean stage, high − average group', 'mean ≥ 0.5 stage and 95% CI above 0', 'stages',
        results.map((r) => groupMean(r, 'high') - groupMean(r, 'average')), (s) => s.mean >= 0.5 && s.lower > 0),
      check('Mean stage, average − slow group', 'mean ≥ 0.3 stage and 95% CI above 0', 'stages',
        results.map((r) => groupMean(r, 'average') - groupMean(r, 'slow')), (s) => s.mean >= 0.3 && s.lower > 0),
      check('Share of stage variance explained by the factor groups (η², pooled over replicates)', 'η² ≥ 0.3', 'share',
        [eta], (s) => s.mean >= 0.3),
    ], ['high', 'average', 'slow'].map((group) => {
      const cols = localityColumns(results[0]).filter((c) => GROUPS[c] === group);
      const perLocality = cols.map((c) => medianSeries(results, group, 'stage', c).median);
      return { arm: `${group} (${cols.length})`, measure: 'stage', column: group, median: perLocality[0].map((_, t) => perLocality.reduce((a, s) => a + s[t], 0) / perLocality.length) };
    }));
  },
};

export const valueSubtracting: Pattern = {
  id: 'value-subtracting',
  title: 'Partnership can subtract value',
  claim: 'With low trust and high cost, net value is negative.',
  source: 'Thesis §2.7.5; Seed 004 (costs: senior management time)',
  role: 'independent test',
  roleNote: 'Not tuned for: follows from costs, idle losses and base efficiency below 1.',
  scenario: 'gm-2017',
  design: 'trust.initial = 0.15 and board.costRate = 0.02 against gm-2017; cumulative ten-year system net value',
  replicates: 40,
  knockout: {
    description: 'partnership working is free and loses nothing (board.costRate = 0, board.idleLoss = 0, outcomes.baseEfficiency = 1)',
    apply: (s) => apply(s, [['board.costRate', 0], ['board.idleLoss', 0], ['outcomes.baseEfficiency', 1]]),
  },
  evaluate(options) {
    const scenario = base('gm-2017', options);
    const poor = runArm(apply(scenario, [['trust.initial', 0.15], ['board.costRate', 0.02]]), options);
    const total = (r: ReplicateResult) => measure(r, 'netValue', 'system').reduce((a, b) => a + b, 0);
    return outcome([
      check('Cumulative net value over ten years, low trust and high cost', 'mean < 0 and 95% CI below 0', '£m',
        poor.map(total), (s) => s.upper < 0),
    ], [medianSeries(poor, 'low trust, high cost', 'netValue'), medianSeries(runArm(scenario, options), 'gm-2017', 'netValue')]);
  },
};

/** Laboratory figures the lab pattern is judged against (shares of the endowment). */
export const LABORATORY = {
  /** Herrmann, Thöni & Gächter 2008, partner design, mean of 16 pools: N experiment periods 1 and 9, P experiment mean over ten periods. */
  partnerFirstPeriod: 0.529,
  partnerNinthPeriod: 0.320,
  partnerPunishedMean: 0.644,
  /** Fischbacher & Gächter 2010, authors' data (random rematching, no punishment): periods 1 and 10. */
  firstPeriod: 0.394,
  lastPeriod: 0.112,
  /** Fehr & Gächter 2000, stranger treatment with punishment, mean over ten periods (secondary source). */
  punishedMean: 0.58,
} as const;

/** The stranger-data fit (calibration/lab-fg.yaml, posterior means, ODD section 10.5): public-goods-lab's values before the partner fit. */
const STRANGER_FIT: Array<[string, unknown]> = [
  ['leaders.priorBelief', 0.85], ['leaders.conditionalSlope', 1.25], ['leaders.returnSensitivity', 0.59],
  ['leaders.decisionNoise', 0.14], ['leaders.sanctions.strength', 4.8],
];

export const publicGoodsLab: Pattern = {
  id: 'public-goods-lab',
  title: 'The laboratory public-goods game',
  claim: 'Without punishment contributions start near half the endowment among partners (near 40% among strangers) and decline steadily over ten periods without reaching zero; with punishment they rise and stay high.',
  source: 'Herrmann, Thöni & Gächter 2008 (partners, 16 pools: 0.53 of the endowment in period 1 and 0.32 in period 9 without punishment, 0.64 on average with punishment); Fischbacher & Gächter 2010 (their data: 7.89 of 20 tokens in period 1, 2.24 in period 10); Fehr & Gächter 2000 (with punishment: 58% on average among strangers); Ledyard 1995',
  role: 'calibration target',
  roleNote: 'The decision rule\'s parameters were fitted to these laboratory figures (the partner values public-goods-lab uses to Herrmann et al., calibration/lab-htg.yaml; the stranger-data values to Fischbacher & Gächter and Fehr & Gächter, calibration/lab-fg.yaml; ODD §10.5): the pattern shows each fit and its shape, not an independent confirmation. The model keeps one group, so the stranger-data fit ignores the rematching of its data.',
  scenario: 'public-goods-lab',
  design: 'public-goods-lab (partner fit) without and with peer sanctions (leaders.sanctions.enabled), and the same with the stranger-data fit\'s values; per-period means over replicates',
  replicates: 200,
  knockout: {
    description: 'perfect conditional cooperators only, and sanctions without force (leaders.conditionalSlope = 1, every leader a conditional cooperator, leaders.sanctions.strength = 0)',
    apply: (s) => apply(s, [['leaders.conditionalSlope', 1], ['leaders.typeMix.freeRider', 0], ['leaders.typeMix.humpShaped', 0],
      ['leaders.typeMix.altruist', 0], ['leaders.typeMix.conditional', 1], ['leaders.sanctions.strength', 0]]),
  },
  evaluate(options) {
    const scenario = base('public-goods-lab', options);
    const punishing = (s: Scenario) => apply(s, [['leaders.sanctions.enabled', true]]);
    const plain = runArm(scenario, options);
    const sanctioned = runArm(punishing(scenario), options);
    const stranger = apply(scenario, STRANGER_FIT);
    const strangerPlain = runArm(stranger, options);
    const strangerSanctioned = runArm(punishing(stranger), options);
    const share = (r: ReplicateResult, t: number) => valueAt(r, 'pooledShare', t);
    const periods = plain[0].trajectories.rounds;
    const last = periods - 1;
    const periodMean = (rs: ReplicateResult[], t: number) => rs.reduce((a, r) => a + share(r, t), 0) / rs.length;
    let falls = 0;
    for (let t = 1; t < periods; t++) if (periodMean(plain, t) < periodMean(plain, t - 1)) falls++;
    const overPeriods = (r: ReplicateResult) => { let s = 0; for (let t = 0; t < periods; t++) s += share(r, t); return s / periods; };
    return outcome([
      check('Partners: first-period contribution without punishment', `mean in [0.45, 0.65] (laboratory ${LABORATORY.partnerFirstPeriod})`, 'share of endowment',
        plain.map((r) => share(r, 0)), (s) => s.mean >= 0.45 && s.mean <= 0.65),
      check(`Partners: periods (of ${periods - 1}) in which the mean contribution without punishment fell`, `≥ ${periods - 2}: a steady decline, not a plateau`, 'periods',
        [falls], (s) => s.mean >= periods - 2),
      // Period 9, not 10: the laboratory's last-period drop is an end-game effect the model does not have.
      check('Partners: ninth-period contribution without punishment', `mean in [0.2, 0.45] (laboratory ${LABORATORY.partnerNinthPeriod})`, 'share of endowment',
        plain.map((r) => share(r, periods - 2)), (s) => s.mean >= 0.2 && s.mean <= 0.45),
      check('Partners: mean contribution over the periods with punishment', `mean ≥ 0.55 (laboratory ${LABORATORY.partnerPunishedMean})`, 'share of endowment',
        sanctioned.map(overPeriods), (s) => s.mean >= 0.55),
      check('Partners: change from first to last period with punishment', 'mean ≥ 0.05 and 95% CI above 0: rising', 'share of endowment',
        sanctioned.map((r) => share(r, last) - share(r, 0)), (s) => s.mean >= 0.05 && s.lower > 0),
      check('Stranger-data fit: first-period contribution without punishment', `mean in [0.3, 0.5] (laboratory ${LABORATORY.firstPeriod})`, 'share of endowment',
        strangerPlain.map((r) => share(r, 0)), (s) => s.mean >= 0.3 && s.mean <= 0.5),
      check('Stranger-data fit: last-period contribution without punishment', `mean in [0.05, 0.2] (laboratory ${LABORATORY.lastPeriod}): low but not zero`, 'share of endowment',
        strangerPlain.map((r) => share(r, last)), (s) => s.mean >= 0.05 && s.mean <= 0.2),
      check('Stranger-data fit: mean contribution over the periods with punishment', `mean ≥ 0.5 (laboratory ${LABORATORY.punishedMean})`, 'share of endowment',
        strangerSanctioned.map(overPeriods), (s) => s.mean >= 0.5),
    ], [medianSeries(plain, 'partners, no punishment', 'pooledShare'), medianSeries(sanctioned, 'partners, punishment', 'pooledShare'),
      medianSeries(strangerPlain, 'stranger-data fit, no punishment', 'pooledShare'), medianSeries(strangerSanctioned, 'stranger-data fit, punishment', 'pooledShare')]);
  },
};

/** The brief's patterns and the laboratory; the lever patterns are in levers.ts (ALL_PATTERNS joins them). */
export const PATTERNS: readonly Pattern[] = [
  speedOfTrust, timeAndLag, islandOfSuccess, historyAndMandate, pacePressure, fourElements,
  greaterManchesterSpread, valueSubtracting, publicGoodsLab,
];

/** Runs a pattern as specified and with its knock-out; the knock-out must fail. */
export function validatePattern(pattern: Pattern, seed = 2026, replicates = pattern.replicates) {
  const result = pattern.evaluate({ replicates, seed });
  const knockedOut = pattern.evaluate({ replicates, seed, transform: pattern.knockout.apply });
  return { pattern, result, knockedOut };
}
