/**
 * Observation (the model's data collection, kept apart from the model as in Mesa's
 * datacollection): every measure of the brief's section 5, per round, per locality and for the
 * system, written into one Float64Array per measure (columnar). Cell (round r, column c) is at
 * `r * columns + c`; columns are the localities in name order, then `system`.
 */
import type { SimState } from './state.ts';

export type Aggregate = 'budgetMean' | 'leaderMean' | 'sum' | 'min' | 'mean' | 'custom';

export interface MeasureSpec {
  name: string;
  unit: string;
  /** Process, outcome or value-proposition measure, or a diagnostic of the mechanism. */
  group: 'process' | 'outcome' | 'value' | 'structure';
  meaning: string;
  /** How the system column is formed from the locality columns. */
  system: Aggregate;
  /**
   * Which way is better for a policy reader, where that is unambiguous (outcomes, value, cost);
   * absent for process and structure measures, which `compare` reports as "higher in k of n".
   */
  better?: 'higher' | 'lower';
}

const m = (spec: MeasureSpec) => spec;

export const MEASURES: readonly MeasureSpec[] = [
  m({ name: 'engagement', unit: 'share of leaders', group: 'process', system: 'leaderMean',
    meaning: 'Share of leaders whose disposition is at least the engagement threshold (Seed 004: engagement/commitment).' }),
  m({ name: 'commitment', unit: 'share', group: 'process', system: 'leaderMean',
    meaning: 'Mean partnership disposition of the leaders: the share of its pooling cap each commits this round (the decision itself, before any cap on money).' }),
  m({ name: 'agreedPurpose', unit: '[0,1]', group: 'process', system: 'budgetMean',
    meaning: 'Shared vision clarity of the board (Seed 004: agreed purpose).' }),
  m({ name: 'trustMean', unit: '[0,1]', group: 'process', system: 'leaderMean',
    meaning: 'Mean directed trust over locality ties (Seed 004: trust and respect).' }),
  m({ name: 'trustMin', unit: '[0,1]', group: 'process', system: 'min',
    meaning: 'Lowest directed trust on any locality tie.' }),
  m({ name: 'politicalEnvironment', unit: '[0,1]', group: 'process', system: 'budgetMean',
    meaning: 'How supportive the environment is of joint working: (A + (1 − A)(1 − mean regulator exposure))·(1 − mean budget pressure x) (Seed 004: political environment).' }),
  m({ name: 'accountability', unit: '[0,1]', group: 'process', system: 'leaderMean',
    meaning: 'Joint accountability: system accountability weight A times engagement (Seed 004: accountability).' }),
  m({ name: 'leadership', unit: '[0,1]', group: 'process', system: 'leaderMean',
    meaning: 'Mean over leaders of the geometric mean of the four elements: control, followership, 1 − focus, ambition (Thesis §6.1.2).' }),
  m({ name: 'populationOutcome', better: 'higher', unit: 'index [0,1]', group: 'outcome', system: 'budgetMean',
    meaning: 'Population outcome index (healthy-life-expectancy proxy); responds to partnership value with a multi-year lag.' }),
  m({ name: 'lifeExpectancyGain', better: 'higher', unit: 'years', group: 'outcome', system: 'budgetMean',
    meaning: 'Years of life expectancy at birth above the counterfactual trend (no partnership, services at need): lifeExpectancyPerIndex × (outcome − trend). Negative when cuts or a value-subtracting partnership harm health.' }),
  m({ name: 'healthyLifeExpectancyGain', better: 'higher', unit: 'years', group: 'outcome', system: 'budgetMean',
    meaning: 'Years of healthy life expectancy above the counterfactual trend: healthyLifeShare × lifeExpectancyGain.' }),
  m({ name: 'equity', better: 'higher', unit: '[0,1]', group: 'outcome', system: 'custom',
    meaning: 'Locality: 1 − |Y − mean Y| / mean Y; system: 1 − Gini of the outcome across localities (Seed 004: equity).' }),
  m({ name: 'orgPerformance', better: 'higher', unit: '[0,1]', group: 'outcome', system: 'budgetMean',
    meaning: 'Budget-weighted mean organisational performance against need (targets such as the four-hour wait, Thesis §5.8.1).' }),
  m({ name: 'powerfulOrgPerformance', unit: '[0,1]', group: 'outcome', system: 'mean',
    meaning: 'Performance of the locality\'s most powerful organisation (the island of success, Thesis §6.1.2.3).' }),
  m({ name: 'scope', better: 'higher', unit: '£m/round', group: 'value', system: 'sum',
    meaning: 'Value from issues only tackled together (Thesis §7.2).' }),
  m({ name: 'scale', better: 'higher', unit: '£m/round', group: 'value', system: 'sum',
    meaning: 'Value from doing more together, synergy (Thesis §7.2).' }),
  m({ name: 'sustainability', better: 'higher', unit: 'share/year', group: 'value', system: 'budgetMean',
    meaning: 'Share of the delivered health stock that the unembedded decay leaves after a year: exp(−valueDecay·(1 − understanding)) (Thesis §7.2); the fade `outcomes.healthFade` acts on top, whatever staff understand.' }),
  m({ name: 'pooledShare', unit: 'share of budget', group: 'structure', system: 'custom',
    meaning: 'Contributions to the pool this round as a share of the locality\'s budget.' }),
  m({ name: 'distributedPower', unit: '[0,1]', group: 'structure', system: 'custom',
    meaning: 'Power-weighted mean share of positional power ceded to the partnership.' }),
  m({ name: 'organisationalFocus', unit: '[0,1]', group: 'structure', system: 'leaderMean',
    meaning: 'Mean organisational focus of leaders (0 = population first).' }),
  m({ name: 'leaderTenure', unit: 'years', group: 'structure', system: 'leaderMean',
    meaning: 'Mean time leaders have held their post (since the start or their appointment); turnover resets it (Thesis §5.4.1.2).' }),
  m({ name: 'understanding', unit: '[0,1]', group: 'structure', system: 'budgetMean',
    meaning: 'Understanding of the partnership beyond the senior team (Thesis §6.1.2.2).' }),
  m({ name: 'formulaAdopted', unit: '0/1', group: 'structure', system: 'mean',
    meaning: 'Whether the board has adopted a formula or approach (Thesis §5.6.2); system: share of localities.' }),
  m({ name: 'friction', unit: '[0,1]', group: 'structure', system: 'budgetMean',
    meaning: 'Effort lost to structure and legal form (Thesis §7.5.2).' }),
  m({ name: 'stage', unit: '0–3', group: 'structure', system: 'mean',
    meaning: 'Tuckman stage: 0 forming, 1 storming, 2 norming, 3 performing (Thesis §7.5.1); system: mean.' }),
  m({ name: 'decisions', unit: 'count', group: 'structure', system: 'sum',
    meaning: 'Board decisions taken this round (1/0 per locality).' }),
  m({ name: 'forcedDecisions', unit: 'count', group: 'structure', system: 'sum',
    meaning: 'Decisions forced through by pace pressure.' }),
  m({ name: 'conflicts', unit: 'count', group: 'structure', system: 'sum',
    meaning: 'Rounds the board failed to agree without a veto.' }),
  m({ name: 'vetoes', unit: 'count', group: 'structure', system: 'sum',
    meaning: 'Rounds the most powerful member blocked the decision.' }),
  m({ name: 'partnershipCost', better: 'lower', unit: '£m/round', group: 'value', system: 'sum',
    meaning: 'Senior management time spent on partnership working (Seed 004: costs).' }),
  m({ name: 'pooled', unit: '£m/round', group: 'value', system: 'sum',
    meaning: 'Partners\' own money put into the pool this round (contributions, without the transformation fund).' }),
  m({ name: 'deployed', unit: '£m/round', group: 'value', system: 'sum',
    meaning: 'Pooled money (and fund) the board deployed this round.' }),
  m({ name: 'valueAdded', better: 'higher', unit: '£m/round', group: 'value', system: 'sum',
    meaning: 'Value of deployed money beyond what the same money would have produced in organisations.' }),
  m({ name: 'netValue', better: 'higher', unit: '£m/round', group: 'value', system: 'sum',
    meaning: 'Value added minus partnership cost minus idle-pool losses; negative when the partnership subtracts value (Thesis §2.7.5).' }),
  m({ name: 'transformationFunding', unit: '£m/round', group: 'value', system: 'sum',
    meaning: 'Transformation fund received this round (Thesis §5.4.5).' }),
  m({ name: 'poolBalance', unit: '£m', group: 'value', system: 'sum',
    meaning: 'Money in the pool awaiting a decision at the end of the round.' }),
  m({ name: 'fundForfeited', better: 'lower', unit: '£m/round', group: 'value', system: 'sum',
    meaning: 'Transformation fund withheld this round because the locality did not collectively deliver its investment agreement (or could not pool).' }),
  m({ name: 'perceivedReturn', unit: '£ per £ pooled', group: 'value', system: 'budgetMean',
    meaning: 'Value the locality has seen a pooled £ create (smoothed), the return leaders weigh when they decide.' }),
  m({ name: 'budgetPressure', unit: '[0,1)', group: 'structure', system: 'budgetMean',
    meaning: 'Budget-weighted bounded budget pressure x = τ/(τ + scale) of the locality\'s organisations (τ: shortfall of budget against felt need, which grows with demand and adapts to the budget).' }),
];

export const MEASURE_NAMES: readonly string[] = MEASURES.map((spec) => spec.name);

/**
 * Index of each measure in MEASURES, for recording by constant index with no look-up by name: a
 * literal object of constant fields (V8 folds `M.x` to its number in optimised code; the former
 * `Object.fromEntries` index was a dictionary-mode object, a hash look-up per measure, locality
 * and round). Its key order is checked against MEASURES when the module loads.
 */
const M = {
  engagement: 0,
  commitment: 1,
  agreedPurpose: 2,
  trustMean: 3,
  trustMin: 4,
  politicalEnvironment: 5,
  accountability: 6,
  leadership: 7,
  populationOutcome: 8,
  lifeExpectancyGain: 9,
  healthyLifeExpectancyGain: 10,
  equity: 11,
  orgPerformance: 12,
  powerfulOrgPerformance: 13,
  scope: 14,
  scale: 15,
  sustainability: 16,
  pooledShare: 17,
  distributedPower: 18,
  organisationalFocus: 19,
  leaderTenure: 20,
  understanding: 21,
  formulaAdopted: 22,
  friction: 23,
  stage: 24,
  decisions: 25,
  forcedDecisions: 26,
  conflicts: 27,
  vetoes: 28,
  partnershipCost: 29,
  pooled: 30,
  deployed: 31,
  valueAdded: 32,
  netValue: 33,
  transformationFunding: 34,
  poolBalance: 35,
  fundForfeited: 36,
  perceivedReturn: 37,
  budgetPressure: 38,
} as const;
if (Object.keys(M).length !== MEASURE_NAMES.length || Object.keys(M).some((name, k) => name !== MEASURE_NAMES[k] || M[name as keyof typeof M] !== k)) {
  throw new Error('observe.ts: the measure index M is out of step with MEASURES');
}

/** How the system column is formed, as numbers for the recording loop. */
const BUDGET_MEAN = 0;
const LEADER_MEAN = 1;
const SUM = 2;
const MIN = 3;
const MEAN = 4;
const CUSTOM = 5;
const AGGREGATE_CODE: Record<Aggregate, number> = {
  budgetMean: BUDGET_MEAN, leaderMean: LEADER_MEAN, sum: SUM, min: MIN, mean: MEAN, custom: CUSTOM,
};
const CODES = Int8Array.from(MEASURES, (spec) => AGGREGATE_CODE[spec.system]);
/** The measures of each aggregate, in MEASURES order: one tight loop per kind, no switch. */
const indicesOf = (...codes: number[]) => Int32Array.from(MEASURES.keys()).filter((k) => codes.includes(CODES[k]));
const BY_BUDGET = indicesOf(BUDGET_MEAN);
const BY_LEADERS = indicesOf(LEADER_MEAN);
const SUMMED = indicesOf(SUM, MEAN);
const MINIMA = indicesOf(MIN);
/** Starting values of the system accumulators: +∞ for minima, 0 otherwise. */
const SUMS_START = Float64Array.from(CODES, (code) => (code === MIN ? Infinity : 0));

/** Columnar results of one replicate. */
export interface Trajectories {
  measures: readonly string[];
  /** Locality names in column order; the last column is `system` when localities are recorded. */
  columns: readonly string[];
  rounds: number;
  data: Record<string, Float64Array>;
}

/**
 * Records every measure, round by round, straight into the columnar store: one Float64Array per
 * measure (rounds × columns), allocated once; a round is one pass over each locality's leaders
 * and one over its organisations, with no per-round objects and no look-up by name.
 */
export class Recorder {
  declare readonly columns: string[];
  declare readonly data: Record<string, Float64Array>;
  declare readonly rounds: number;
  declare readonly recordLocalities: boolean;
  private declare readonly localityColumns: number;
  private declare readonly scratch: Float64Array;
  /** Reused per-round buffers: one locality's values and the system accumulators, by measure index. */
  private declare readonly values: Float64Array;
  private declare readonly sortScratch: Float64Array;
  private declare readonly sums: Float64Array;
  /** Every measure's column, one after another in measure order: `data`'s views are parts of it. */
  private declare readonly block: Float64Array;
  /** Cells per column (rounds × columns): measure k's column starts at k · cells in `block`. */
  private declare readonly cells: number;

  // Fields `declare`d and assigned once each here, in one order, and arrays built by loops: every
  // recorder then has the same hidden class with typed fields from a fresh worker's first run on
  // (issue #15, cold start).
  constructor(localityNames: readonly string[], rounds: number, recordLocalities: boolean) {
    const columns: string[] = [];
    if (recordLocalities) for (let c = 0; c < localityNames.length; c++) columns.push(localityNames[c]);
    columns.push('system');
    const data: Record<string, Float64Array> = {};
    // One allocation for all the measures, each a view of its part, in MEASURES order (the
    // journal record's layout): one zeroed block instead of 39 typed arrays per replicate.
    const cells = rounds * columns.length;
    const block = new Float64Array(MEASURE_NAMES.length * cells);
    for (let k = 0; k < MEASURE_NAMES.length; k++) {
      data[MEASURE_NAMES[k]] = block.subarray(k * cells, (k + 1) * cells);
    }
    this.columns = columns;
    this.data = data;
    this.rounds = rounds;
    this.recordLocalities = recordLocalities;
    this.localityColumns = localityNames.length;
    this.scratch = new Float64Array(localityNames.length);
    this.values = new Float64Array(MEASURES.length);
    this.sortScratch = new Float64Array(localityNames.length);
    this.sums = new Float64Array(MEASURES.length);
    this.block = block;
    this.cells = cells;
  }

  /** Records every measure for `round` (0-based index of the completed round). */
  record(state: SimState, round: number): void {
    const { localities: C, leaders: L, organisations: O, scenario } = state;
    const nLoc = this.localityColumns;
    const width = this.columns.length;
    const base = round * width;
    const sys = base + width - 1;
    // Measure k of cell x is block[k · cells + x]: one array to index, where a store through a
    // list of 39 views loaded the view, its base and its length first (a quarter of recording).
    const block = this.block;
    const cells = this.cells;
    const recordLocalities = this.recordLocalities;
    const nMeasures = MEASURE_NAMES.length;
    const A = scenario.regime.accountability;
    const decay = scenario.outcomes.valueDecay;
    const lifeYears = scenario.outcomes.lifeExpectancyPerIndex;
    const healthyShare = scenario.outcomes.healthyLifeShare;
    const roundsPerYear = scenario.roundsPerYear;
    const locScratch = this.scratch;
    const v = this.values;
    const sums = this.sums;
    sums.set(SUMS_START);

    let budgetTotal = 0;
    let leadersTotal = 0;
    let powerWeighted = 0;
    let powerTotal = 0;
    let pooledTotal = 0;
    let resourcesTotal = 0;

    for (let c = 0; c < nLoc; c++) {
      const leaderStart = C.leaderStart[c];
      const leaderEnd = C.leaderEnd[c];
      const n = leaderEnd - leaderStart;
      const budgetWeight = C.budget0[c];
      // One pass over the locality's leaders for every per-leader sum. The geometric mean of the
      // four elements is sqrt(sqrt(·)), not Math.pow(·, 0.25): pow was about half of the
      // recording's cost (a replicate 2.85 → 2.55 ms); the two differ only in the last bit,
      // for about one product in six.
      let focus = 0;
      let tenure = 0;
      let leadership = 0;
      let distributed = 0;
      let power = 0;
      let resources = 0;
      for (let i = leaderStart; i < leaderEnd; i++) {
        const f = L.focus[i];
        const p = L.power[i];
        focus += f;
        tenure += L.tenure[i];
        leadership += Math.sqrt(Math.sqrt(L.control[i] * L.followership[i] * (1 - f) * L.ambition[i]));
        distributed += p * L.distributedPower[i];
        power += p;
        resources += L.resources[i];
      }
      // And one over its organisations.
      let exposure = 0;
      let performance = 0;
      let orgBudget = 0;
      let pressure = 0;
      let pressureSum = 0;
      const orgStart = C.orgStart[c];
      const orgEnd = C.orgEnd[c];
      for (let o = orgStart; o < orgEnd; o++) {
        const b = O.budget0[o];
        const x = O.pressure[o];
        exposure += O.exposure[o];
        performance += O.performance[o] * b;
        pressure += x * b;
        pressureSum += x;
        orgBudget += b;
      }
      const nOrg = orgEnd - orgStart;
      const engagement = C.engagement[c];
      const outcome = C.outcome[c];
      const value = C.value[c];
      const deployed = C.deployed[c];
      const cost = C.cost[c];
      const contributions = C.contributions[c];
      const lifeGain = lifeYears * (outcome - C.trendOutcome[c]);
      v[M.engagement] = engagement;
      v[M.commitment] = C.meanDisposition[c];
      v[M.agreedPurpose] = C.vision[c];
      v[M.trustMean] = C.meanTrust[c];
      v[M.trustMin] = C.minTrust[c];
      v[M.politicalEnvironment] = (A + (1 - A) * (1 - exposure / nOrg)) * (1 - pressureSum / nOrg);
      v[M.accountability] = A * engagement;
      v[M.leadership] = leadership / n;
      v[M.populationOutcome] = outcome;
      v[M.lifeExpectancyGain] = lifeGain;
      v[M.healthyLifeExpectancyGain] = healthyShare * lifeGain;
      v[M.equity] = 0; // filled below once the system mean is known
      v[M.orgPerformance] = orgBudget > 0 ? performance / orgBudget : 0;
      v[M.powerfulOrgPerformance] = O.performance[C.powerfulOrg[c]];
      v[M.scope] = C.scope[c];
      v[M.scale] = C.scale[c];
      v[M.sustainability] = Math.exp(-decay * (1 - C.understanding[c]));
      v[M.pooledShare] = resources > 0 ? contributions / resources : 0;
      v[M.distributedPower] = power > 0 ? distributed / power : 0;
      v[M.organisationalFocus] = focus / n;
      v[M.leaderTenure] = tenure / n / roundsPerYear;
      v[M.understanding] = C.understanding[c];
      v[M.formulaAdopted] = C.formula[c];
      v[M.friction] = C.friction[c];
      v[M.stage] = C.stage[c];
      v[M.decisions] = C.decided[c];
      v[M.forcedDecisions] = C.forced[c];
      v[M.conflicts] = C.conflict[c];
      v[M.vetoes] = C.veto[c];
      v[M.partnershipCost] = cost;
      v[M.pooled] = contributions;
      v[M.deployed] = deployed;
      v[M.valueAdded] = value - deployed;
      v[M.netValue] = value - deployed - cost - C.idleLost[c];
      v[M.transformationFunding] = C.fundPaid[c];
      v[M.poolBalance] = C.pool[c];
      v[M.fundForfeited] = C.fundForfeited[c];
      v[M.perceivedReturn] = C.perceivedReturn[c];
      v[M.budgetPressure] = orgBudget > 0 ? pressure / orgBudget : 0;
      if (recordLocalities) for (let k = 0, at = base + c; k < nMeasures; k++, at += cells) block[at] = v[k];
      // The system accumulators, one per measure, each summed in locality order.
      for (let j = 0; j < BY_BUDGET.length; j++) { const k = BY_BUDGET[j]; sums[k] += v[k] * budgetWeight; }
      for (let j = 0; j < BY_LEADERS.length; j++) { const k = BY_LEADERS[j]; sums[k] += v[k] * n; }
      for (let j = 0; j < SUMMED.length; j++) { const k = SUMMED[j]; sums[k] += v[k]; }
      for (let j = 0; j < MINIMA.length; j++) { const k = MINIMA[j]; if (v[k] < sums[k]) sums[k] = v[k]; }
      locScratch[c] = outcome;
      budgetTotal += budgetWeight;
      leadersTotal += n;
      powerWeighted += distributed;
      powerTotal += power;
      pooledTotal += contributions;
      resourcesTotal += resources;
    }

    for (let k = 0; k < nMeasures; k++) {
      let x = sums[k];
      switch (CODES[k]) {
        case BUDGET_MEAN: x = budgetTotal > 0 ? x / budgetTotal : 0; break;
        case LEADER_MEAN: x = leadersTotal > 0 ? x / leadersTotal : 0; break;
        case MEAN: x = nLoc > 0 ? x / nLoc : 0; break;
        default: break;
      }
      block[k * cells + sys] = x;
    }
    block[M.pooledShare * cells + sys] = resourcesTotal > 0 ? pooledTotal / resourcesTotal : 0;
    block[M.distributedPower * cells + sys] = powerTotal > 0 ? powerWeighted / powerTotal : 0;

    // Equity: per locality, closeness to the mean outcome; for the system, 1 − Gini.
    const equity = M.equity * cells;
    let mean = 0;
    for (let c = 0; c < nLoc; c++) mean += locScratch[c];
    mean /= nLoc;
    if (recordLocalities) {
      for (let c = 0; c < nLoc; c++) {
        const gap = mean > 0 ? Math.abs(locScratch[c] - mean) / mean : 0;
        block[equity + base + c] = Math.max(0, 1 - gap);
      }
    }
    block[equity + sys] = 1 - gini(locScratch, mean, this.sortScratch);
  }

  result(): Trajectories {
    return { measures: MEASURE_NAMES, columns: this.columns, rounds: this.rounds, data: this.data };
  }
}

/** Gini coefficient of `values` (non-negative) with known mean; sorts a copy in `scratch`. */
export function gini(values: Float64Array, mean: number, scratch: Float64Array = new Float64Array(values.length)): number {
  const n = values.length;
  if (n < 2 || mean <= 0) return 0;
  scratch.set(values);
  const sorted = scratch.sort();
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (2 * (i + 1) - n - 1) * sorted[i];
  return Math.max(0, Math.min(1, weighted / (n * n * mean)));
}
