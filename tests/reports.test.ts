/**
 * What a report says (issue #13, "Reports a class and a paper can use"): the gap chart calls
 * rounding noise "no difference" instead of stretching it over the axis; a scenario's lesson
 * measures are charted; the header states what ran; forcefield labels are never cut off.
 * Small runs (gm-2017 and island-of-success, 2–3 replicates, 12–24 rounds, seed 5).
 */
import { describe, expect, it } from 'vitest';
import { builtInScenario, runReplicates, withOverride, type ReplicateResult } from '../src/index.ts';
import {
  appliedFacts, buildCharts, buildReport, forcefield, forcefieldSpec, gapSpec, MAX_CHART_WIDTH, NEGLIGIBLE_GAP, summaryTable,
} from '../src/charts/index.ts';
import { applyRegime } from '../src/scenarios/index.ts';
import { formatUserError, parseScenarioDocument, validateScenario as validate } from '../src/index.ts';

type Json = Record<string, unknown>;
const panels = (spec: unknown) => (spec as { concat: Json[] }).concat;
const panelOf = (spec: unknown, measure: string) =>
  panels(spec).find((p) => JSON.stringify(p.transform).includes(`"equal":"${measure}"`))!;

/** The same results with every value of `measure` nudged by `by` (a rounding-size difference). */
function nudged(results: readonly ReplicateResult[], measure: string, by: number): ReplicateResult[] {
  return results.map((r) => ({
    ...r,
    trajectories: { ...r.trajectories, data: { ...r.trajectories.data, [measure]: r.trajectories.data[measure].map((v) => v + by) } },
  }));
}

describe('gap chart', () => {
  const scenario = { ...builtInScenario('gm-2017'), rounds: 12 };
  const base = runReplicates(scenario, { seed: 5, replicates: 3 });
  const system = runReplicates(withOverride(scenario, 'regime.accountability', 1), { seed: 5, replicates: 3 });

  it('says "no difference" for differences below 1e-6 of the measure\'s scale, and fixes the axis', () => {
    // trustMean differs by 1e-9 (scale about 0.5): noise; populationOutcome by a real effect of the regime.
    const labels = [{ label: 'a', results: base }, { label: 'b', results: nudged(base, 'trustMean', 1e-9) }];
    const spec = gapSpec(labels, { measures: ['trustMean', 'populationOutcome'] });
    const trust = JSON.stringify(panelOf(spec, 'trustMean'));
    expect(trust).toContain('no difference');
    const domain = /"domain":\[(-?[\d.e-]+),(-?[\d.e-]+)\]/.exec(trust)!;
    expect(Number(domain[2])).toBeGreaterThan(1e-3); // ±1% of the scale, not ±1e-9
    expect(Number(domain[1])).toBeCloseTo(-Number(domain[2]));
    expect(NEGLIGIBLE_GAP).toBe(1e-6);

    const real = gapSpec([{ label: 'a', results: base }, { label: 'b', results: system }], { measures: ['trustMean'] });
    expect(JSON.stringify(panelOf(real, 'trustMean'))).not.toContain('no difference');
    // A difference just above the threshold is drawn, not hidden.
    const visible = gapSpec([{ label: 'a', results: base }, { label: 'b', results: nudged(base, 'trustMean', 1e-4) }], { measures: ['trustMean'] });
    expect(JSON.stringify(panelOf(visible, 'trustMean'))).not.toContain('no difference');
  });
});

describe('lesson measures', () => {
  it('island-of-success names powerfulOrgPerformance, and its report charts it first', () => {
    const scenario = { ...builtInScenario('island-of-success'), rounds: 12 };
    expect(scenario.lessonMeasures).toContain('powerfulOrgPerformance');
    const results = runReplicates(scenario, { seed: 5, replicates: 2 });
    const charts = buildCharts({ scenario, seed: 5, labels: [{ label: 'island-of-success', results }], forcefield: false });
    expect(charts[0].name).toBe('lesson');
    expect(charts[0].heading).toContain('most powerful organisation');
    expect(JSON.stringify(charts[0].spec)).toContain('"equal":"powerfulOrgPerformance"');
    // The trajectories and the summary table lead with them too.
    const trajectories = charts.find((c) => c.name === 'trajectories')!;
    expect(JSON.stringify(panels(trajectories.spec)[0].transform)).toContain('powerfulOrgPerformance');
  });

  it('a scenario file names them; an unknown measure is refused', () => {
    const { scenario } = parseScenarioDocument('extends: gm-2017\nlessonMeasures: [trustMean, stage]\n', 'mine.yaml');
    expect(scenario.lessonMeasures).toEqual(['trustMean', 'stage']);
    let message = '';
    try {
      parseScenarioDocument('extends: gm-2017\nlessonMeasures: [trustMeen]\n', 'bad.yaml');
    } catch (error) {
      message = formatUserError(error);
    }
    expect(message).toMatch(/lessonMeasures\[0\]/);
    expect(validate({ ...builtInScenario('gm-2017'), lessonMeasures: ['nope'] }).map((p) => p.path)).toEqual(['lessonMeasures[0]']);
  });

  it('a scenario without lesson measures has no lesson chart', () => {
    const scenario = { ...builtInScenario('gm-2017'), rounds: 6 };
    const results = runReplicates(scenario, { seed: 5, replicates: 1 });
    const charts = buildCharts({ scenario, seed: 5, labels: [{ label: 'gm-2017', results }], forcefield: false });
    expect(charts.map((c) => c.name)).not.toContain('lesson');
  });
});

describe('report header', () => {
  const gm = { ...builtInScenario('gm-2017'), rounds: 6 };

  it('states what differs between labels and what changed from the built-in scenario', () => {
    const organisational = applyRegime(gm, 'organisational');
    const system = applyRegime(gm, 'system');
    const facts = appliedFacts(organisational, [{ label: 'organisational', scenario: organisational }, { label: 'system', scenario: system }]);
    expect(facts.differs).toEqual(['regime.accountability: organisational 0, system 1']);
    expect(facts.changed).toEqual(['rounds 120 → 6']);

    const results = runReplicates(organisational, { seed: 5, replicates: 1 });
    const html = buildReport({
      scenario: organisational, seed: 5, rounds: 6, charts: [], applied: facts,
      labels: [{ label: 'organisational', replicates: 1 }, { label: 'system', replicates: 1 }],
      summary: summaryTable([{ label: 'organisational', results }], ['trustMean']),
    });
    expect(html).toContain('<dt>Labels differ in</dt><dd>regime.accountability: organisational 0, system 1</dd>');
    expect(html).toContain('changed from gm-2017 as built in: rounds 120 → 6');
  });

  it('a single run with --set lists the change; an unchanged run lists nothing', () => {
    const changed = withOverride(gm, 'trust.initial', 0.3);
    expect(appliedFacts(changed, [{ label: 'gm-2017/trust.initial=0.3', scenario: changed }]).changed).toEqual(['rounds 120 → 6', 'trust.initial 0.5 → 0.3']);
    const plain = builtInScenario('gm-2017');
    expect(appliedFacts(plain, [{ label: 'gm-2017' }])).toEqual({ base: 'gm-2017', changed: [], differs: [] });
  });
});

describe('forcefield labels', () => {
  it('are never cut off and fit the report width with their bars', () => {
    const scenario = { ...builtInScenario('gm-2017'), rounds: 6 };
    const result = forcefield(scenario, {
      seed: 5, replicates: 1, rounds: 6, outcomes: ['populationOutcome'],
      factors: [{ path: 'trust.initial', step: 0.1, label: 'A very long description of trusting relationships at the very start of the partnership' }],
    });
    const spec = forcefieldSpec(result) as unknown as { vconcat: { width: number; encoding: { y: { axis: { labelLimit: number; labelExpr: string } } } }[] };
    const panel = spec.vconcat[0];
    expect(panel.encoding.y.axis.labelLimit).toBe(0); // no truncation
    expect(panel.encoding.y.axis.labelExpr).toContain('lastindexof'); // the label and its parameter on two lines
    const longestLine = 'A very long description of trusting relationships at the very start of the partnership'.length * 13 * 0.6;
    expect(panel.width + longestLine).toBeLessThanOrEqual(MAX_CHART_WIDTH);
  });
});
