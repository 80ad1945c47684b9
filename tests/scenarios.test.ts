/**
 * Built-in scenarios and regimes: valid, documented, runnable, plain data, and each teaches
 * what its description says (directional checks over a few replicates, kept short).
 */
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../src/documents/document.ts';
import { runReplicates } from '../src/model/engine.ts';
import { MEASURE_NAMES } from '../src/model/observe.ts';
import { defaultParameters, parameterSpec } from '../src/model/parameters.ts';
import { measure } from '../src/model/results.ts';
import { mergeDeep, validateScenario } from '../src/model/scenario.ts';
import type { Scenario } from '../src/model/types.ts';
import {
  applyRegime, builtInRegime, builtInRegimeNames, builtInScenario, builtInScenarioNames, DEFAULT_SCENARIO, REGIMES,
} from '../src/scenarios/index.ts';

const SCENARIOS = ['gm-2017', 'speed-of-trust', 'island-of-success', 'regime-comparison', 'pace-pressure', 'public-goods-lab'];
const REGIME_NAMES = ['organisational', 'system', 'mixed', 'devolved', 'mandated', 'laissez-faire'];

/** Median over replicates of a measure's final-round system value. */
function finalMedian(scenario: Scenario, name: string, replicates = 10, rounds?: number): number {
  const values = runReplicates(scenario, { seed: 7, replicates, rounds })
    .map((r) => {
      const series = measure(r, name);
      return series[series.length - 1];
    })
    .sort((a, b) => a - b);
  const mid = values.length / 2;
  return values.length % 2 ? values[Math.floor(mid)] : (values[mid - 1] + values[mid]) / 2;
}

function leafPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

describe('built-in scenarios', () => {
  it('are the documented six, with gm-2017 the default', () => {
    expect(builtInScenarioNames()).toEqual(SCENARIOS);
    expect(DEFAULT_SCENARIO).toBe('gm-2017');
  });

  it.each(SCENARIOS)('%s is valid, named, described and sourced', (name) => {
    const scenario = builtInScenario(name);
    expect(scenario.name).toBe(name);
    expect(validateScenario(scenario)).toEqual([]);
    expect(checkScenario(scenario)).toEqual([]);
    expect(scenario.description.length).toBeGreaterThan(80);
    expect(scenario.sources.length).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(scenario))).toEqual(scenario);
  });

  it.each(SCENARIOS)('%s runs (2 replicates, 6 rounds) with finite measures everywhere', (name) => {
    const [result] = runReplicates(builtInScenario(name), { seed: 1, replicates: 2, rounds: 6 }).slice(-1);
    for (const m of MEASURE_NAMES) {
      for (const column of result.trajectories.columns) {
        expect(measure(result, m, column).every(Number.isFinite), `${m}/${column}`).toBe(true);
      }
    }
  });

  it('returns a fresh copy each time and refuses unknown names', () => {
    const a = builtInScenario('gm-2017');
    a.regime.accountability = 0;
    expect(builtInScenario('gm-2017').regime.accountability).toBe(0.4);
    expect(() => builtInScenario('__proto__')).toThrow(/unknown scenario/);
  });

  it('gm-2017 is regime-comparison under the devolved regime, with organisational regulators (accountability 0.4)', () => {
    const gm = builtInScenario('gm-2017');
    expect(gm.regime.accountability).toBe(0.4);
    expect(gm.funding.transformationFund).toMatchObject({ total: 450, years: 5, localityShare: 275 / 450, condition: 'collective' });
    expect(gm.flexibilities.pooledBudgets).toEqual({ allowed: true, cap: 0.3 });
    const rebuilt = applyRegime(builtInScenario('regime-comparison'), 'devolved');
    rebuilt.regime = { ...rebuilt.regime, accountability: 0.4 };
    expect({ ...rebuilt, name: gm.name, description: gm.description, sources: gm.sources }).toEqual(gm);
  });

  it('speed-of-trust: identical localities at medium trust without history', () => {
    const s = builtInScenario('speed-of-trust');
    expect(s.trust.initial).toBe(0.5);
    const shapes = s.localities.map(({ name: _name, ...rest }) => JSON.stringify(rest));
    expect(new Set(shapes).size).toBe(1);
    expect(s.localities[0].history).toBe(0);
  });

  it('island-of-success: organisational regime and a powerful, organisation-focused acute trust', () => {
    const s = builtInScenario('island-of-success');
    expect(s.regime.accountability).toBe(0);
    for (const locality of s.localities) {
      const acute = locality.organisations.find((o) => o.kind === 'acute')!;
      expect(acute.power).toBeGreaterThanOrEqual(0.9);
      expect(acute.leader?.focus).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('pace-pressure: high pace pressure against modest trust', () => {
    const s = builtInScenario('pace-pressure');
    expect(s.regime.pacePressure).toBeGreaterThanOrEqual(0.7);
    expect(s.trust.initial).toBeLessThan(0.5);
    expect(s.regime.pacePressure).toBeGreaterThan(s.trust.initial);
  });

  it('regime-comparison: gm-2017 localities with every other field at the registry defaults', () => {
    const s = builtInScenario('regime-comparison');
    expect(s.localities).toEqual(builtInScenario('gm-2017').localities);
    const { name: _n, description: _d, sources: _s, localities: _l, ...rest } = s;
    expect(rest).toEqual(defaultParameters());
  });

  it('public-goods-lab: the laboratory game as specified', () => {
    const s = builtInScenario('public-goods-lab');
    expect(s.localities).toHaveLength(1);
    expect(s.localities[0].organisations).toHaveLength(4);
    expect(s.localities[0].organisations.every((o) => o.kind === 'participant')).toBe(true);
    expect(s.board.consensusRequired).toBe(false);
    expect(s.board.costRate).toBe(0);
    expect(s.regime.penaltySeverity).toBe(0);
    expect(s.regime.rewardSeverity).toBe(0);
    expect(s.funding.transformationFund.total).toBe(0);
    // The whole endowment can be contributed: the registry's largest pool cap (0.95 in the brief, 1 since the
    // registry allows it).
    expect(s.flexibilities.pooledBudgets).toEqual({ allowed: true, cap: parameterSpec('flexibilities.pooledBudgets.cap')!.max });
    expect(s.leaders.typeMix).toEqual({ conditional: 0.5, freeRider: 0.3, humpShaped: 0.14, altruist: 0.06 });
    expect([s.rounds, s.roundsPerYear, s.leaders.turnoverRate, s.funding.winterShock]).toEqual([10, 12, 0, 0]);
    expect(s.leaders.sanctions.enabled).toBe(false);
  });
});

describe('what the scenarios teach (directional, 10 replicates)', () => {
  it('speed-of-trust: higher initial trust ends with more trust and a later Tuckman stage', () => {
    const at = (t: number) => mergeDeep(builtInScenario('speed-of-trust'), { trust: { initial: t } });
    expect(finalMedian(at(0.7), 'stage', 10, 60)).toBeGreaterThan(finalMedian(at(0.3), 'stage', 10, 60));
    expect(finalMedian(at(0.7), 'trustMean', 10, 60)).toBeGreaterThan(finalMedian(at(0.3), 'trustMean', 10, 60));
  });

  it('island-of-success: organisational assessment favours the powerful organisation, system assessment pools more', () => {
    const organisational = builtInScenario('island-of-success');
    const system = applyRegime(organisational, 'system');
    expect(finalMedian(organisational, 'powerfulOrgPerformance')).toBeGreaterThan(finalMedian(system, 'powerfulOrgPerformance'));
    expect(finalMedian(organisational, 'pooledShare')).toBeLessThan(finalMedian(system, 'pooledShare'));
  });

  // Failed on the rebuild at 4bd9076 (0.625 organisational against 0.579 system: system penalties
  // withheld money from localities that did not deliver, and services below need harm health);
  // passes on main since 19ecef0 (0.626 against 0.636, 10 replicates, seed 7).
  it('island-of-success: system assessment gives the better population outcome', () => {
    const organisational = builtInScenario('island-of-success');
    const system = applyRegime(organisational, 'system');
    expect(finalMedian(organisational, 'populationOutcome')).toBeLessThan(finalMedian(system, 'populationOutcome'));
  });

  it('pace-pressure: pace beyond trust erodes trust', () => {
    const high = builtInScenario('pace-pressure');
    const none = mergeDeep(high, { regime: { pacePressure: 0 } });
    expect(finalMedian(high, 'trustMean', 10, 60)).toBeLessThan(finalMedian(none, 'trustMean', 10, 60));
  });

  it('public-goods-lab: contributions decline without sanctions and are higher with them', () => {
    const meanPooled = (s: Scenario, round: number) => {
      const results = runReplicates(s, { seed: 3, replicates: 40 });
      return results.reduce((sum, r) => sum + measure(r, 'pooledShare')[round], 0) / results.length;
    };
    const lab = builtInScenario('public-goods-lab');
    const sanctioned = mergeDeep(lab, { leaders: { sanctions: { enabled: true } } });
    expect(meanPooled(lab, 0)).toBeGreaterThan(0.1);
    expect(meanPooled(lab, 9)).toBeLessThan(meanPooled(lab, 0));
    expect(meanPooled(lab, 9)).toBeGreaterThan(0);
    expect(meanPooled(sanctioned, 9)).toBeGreaterThan(meanPooled(lab, 9));
  });
});

describe('built-in regimes', () => {
  it('are the documented six, disjoint from scenario names', () => {
    expect(builtInRegimeNames()).toEqual(REGIME_NAMES);
    expect(REGIME_NAMES.filter((n) => SCENARIOS.includes(n))).toEqual([]);
  });

  it.each(REGIME_NAMES)('%s is plain data touching only regime, flexibilities and funding registry fields', (name) => {
    const regime = builtInRegime(name);
    expect(JSON.parse(JSON.stringify(regime))).toEqual(regime);
    expect(regime.description.length).toBeGreaterThan(40);
    expect(regime.sources.length).toBeGreaterThan(0);
    for (const path of leafPaths(regime.settings)) {
      expect(['regime', 'flexibilities', 'funding']).toContain(path.split('.')[0]);
      expect(parameterSpec(path), path).toBeDefined();
    }
  });

  it('apply to every built-in scenario and give valid scenarios that differ only where the regime says', () => {
    for (const regime of REGIMES) {
      for (const name of SCENARIOS) {
        const base = builtInScenario(name);
        const applied = applyRegime(base, regime.name);
        expect(checkScenario(applied), `${regime.name} on ${name}`).toEqual([]);
        expect(applied.localities).toEqual(base.localities);
        expect(applied.leaders).toEqual(base.leaders);
        expect(applied.trust).toEqual(base.trust);
        expect(mergeDeep(applied, regime.settings)).toEqual(applied);
      }
    }
  });

  it('set the documented levers', () => {
    const on = (name: string) => applyRegime(builtInScenario('regime-comparison'), name);
    expect(on('organisational').regime.accountability).toBe(0);
    expect(on('system').regime.accountability).toBe(1);
    expect(on('mixed').regime.accountability).toBe(0.5);
    const devolved = on('devolved');
    expect(devolved.regime.accountability).toBeGreaterThan(0.5);
    expect(devolved.funding.transformationFund.condition).toBe('collective');
    expect(devolved.funding.transformationFund.total).toBeGreaterThan(0);
    expect(devolved.flexibilities.pooledBudgets.allowed).toBe(true);
    const mandated = on('mandated');
    expect(mandated.regime.mandated).toBe(true);
    expect(mandated.regime.pacePressure).toBeGreaterThanOrEqual(0.5);
    const laissez = on('laissez-faire');
    expect(laissez.regime).toMatchObject({ penaltySeverity: 0, rewardSeverity: 0, pacePressure: 0, mandated: false });
  });

  it('refuses unknown regimes', () => {
    expect(() => builtInRegime('sytem')).toThrow(/unknown regime "sytem"/);
  });
});
