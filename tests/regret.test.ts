/**
 * Policies across scenarios: regret, wins and outcome distributions against a hand computation
 * on a small table, the refusals of tables that do not cross policies and scenarios, factor
 * effects (Spearman with ties, eta squared) by hand, and an in-memory sweep whose numbers
 * must be the sweep's (same streams) and whose regret is paired (a policy against itself: 0).
 */
import { describe, expect, it } from 'vitest';
import { analysePolicies } from '../src/analysis/policies.ts';
import { etaSquared, factorEffects, mainEffect, ranks, spearman } from '../src/analysis/effects.ts';
import { exploreSweep, classifyFactors, summaryOf } from '../src/analysis/explore.ts';
import type { SweepTable } from '../src/analysis/sweep-table.ts';
import { builtInScenario } from '../src/scenarios/index.ts';
import { runReplicate } from '../src/model/engine.ts';
import { applyRegime } from '../src/scenarios/regimes.ts';
import { MEASURE_NAMES } from '../src/model/observe.ts';

/** Two policies A, B and three scenarios u = 1, 2, 3 (points: A×u then B×u). */
function table(y: number[]): SweepTable {
  return {
    points: 6, replicates: 1,
    factors: [
      { name: 'regime', role: 'policy', numeric: false, values: ['A', 'A', 'A', 'B', 'B', 'B'] },
      { name: 'u', role: 'uncertainty', numeric: true, values: [1, 2, 3, 1, 2, 3] },
    ],
    outputs: { populationOutcome_final: Float64Array.from(y), partnershipCost_final: Float64Array.from(y) },
  };
}

describe('analysePolicies', () => {
  // A: 0.5, 0.6, 0.9; B: 0.7, 0.6, 0.4. Best per scenario: B (0.7), tie (0.6), A (0.9).
  const t = table([0.5, 0.6, 0.9, 0.7, 0.6, 0.4]);

  it('regret and wins by hand (higher is better)', () => {
    const a = analysePolicies(t, 'populationOutcome_final', 'higher');
    expect(Array.from(a.regret).map((x) => Number(x.toFixed(12)))).toEqual([0.2, 0, 0, 0, 0, 0.5]);
    const [A, B] = a.policies;
    expect(A.policy).toBe('A');
    expect(A.wins).toBeCloseTo(1.5, 14); // scenario 3, and half of the tie in scenario 2
    expect(B.wins).toBeCloseTo(1.5, 14);
    expect(A.winShare).toBeCloseTo(0.5, 14);
    expect(A.meanRegret).toBeCloseTo(0.2 / 3, 14);
    expect(B.maxRegret).toBeCloseTo(0.5, 14);
    expect(A.mean).toBeCloseTo(2 / 3, 14);
    expect(A.median).toBeCloseTo(0.6, 14);
    // R type 7: p90 of regrets [0, 0, 0.5] is 0 + 0.8·(0.5 − 0) = 0.4.
    expect(B.p90Regret).toBeCloseTo(0.4, 14);
    expect(a.scenarios).toBe(3);
  });

  it('turns round for a measure where lower is better', () => {
    const a = analysePolicies(t, 'partnershipCost_final', 'lower');
    // Best (lowest) per scenario: A 0.5, tie 0.6, B 0.4 → regrets A: 0, 0, 0.5; B: 0.2, 0, 0.
    expect(Array.from(a.regret).map((x) => Number(x.toFixed(12)))).toEqual([0, 0, 0.5, 0.2, 0, 0]);
  });

  it('refuses tables that do not cross policies with scenarios', () => {
    const missing: SweepTable = { ...t, points: 5, factors: t.factors.map((f) => ({ ...f, values: f.values.slice(0, 5) })),
      outputs: { populationOutcome_final: t.outputs.populationOutcome_final.slice(0, 5) } };
    expect(() => analysePolicies(missing, 'populationOutcome_final')).toThrow(/not fully crossed/);
    const twice: SweepTable = { ...t, factors: [t.factors[0], { ...t.factors[1], values: [1, 1, 3, 1, 2, 3] }] };
    expect(() => analysePolicies(twice, 'populationOutcome_final')).toThrow(/appears twice/);
  });
});

describe('factor effects', () => {
  it('Spearman with tied ranks, by hand', () => {
    expect(Array.from(ranks([10, 20, 20, 30]))).toEqual([1, 2.5, 2.5, 4]);
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 14);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 14);
    // x ranks 1..4, y ranks 1, 2.5, 2.5, 4: r = Σ(dx·dy)/sqrt(Σdx²·Σdy²) = 4.5 / sqrt(5 · 4.5).
    expect(spearman([1, 2, 3, 4], [1, 5, 5, 9])).toBeCloseTo(4.5 / Math.sqrt(5 * 4.5), 14);
  });

  it('eta squared and main effects, by hand', () => {
    // Groups a: 1, 3 (mean 2); b: 5, 7 (mean 6); grand 4; between 2·4 + 2·4 = 16; total 9+1+1+9 = 20.
    expect(etaSquared([1, 3, 5, 7], ['a', 'a', 'b', 'b'])).toBeCloseTo(0.8, 14);
    const t = table([0.5, 0.6, 0.9, 0.7, 0.6, 0.4]);
    const byU = mainEffect(t, t.factors[1], 'populationOutcome_final');
    expect(byU.map((l) => [l.level, l.n, Number(l.mean.toFixed(12))])).toEqual([['1', 2, 0.6], ['2', 2, 0.6], ['3', 2, 0.65]]);
    const effects = factorEffects(t, ['populationOutcome_final']);
    expect(effects.map((e) => e.statistic)).toEqual(['eta2', 'spearman']);
    expect(effects[0].spread).toBeCloseTo(2 / 3 - 17 / 30, 12);
  });
});

describe('exploreSweep (in memory)', () => {
  const scenario = { ...builtInScenario('gm-2017'), rounds: 12 };
  const sweep = exploreSweep({
    scenario, regimes: ['organisational', 'system'], uncertain: ['trust.initial=0.3,0.6'], seed: '5', replicates: 2,
  });

  it('has the policies outside, the uncertainties inside, and the sweep\'s numbers', () => {
    expect(sweep.points).toBe(4);
    expect(sweep.factors.map((f) => [f.name, f.role])).toEqual([['regime', 'policy'], ['trust.initial', 'uncertainty']]);
    expect(sweep.factors[0].values).toEqual(['organisational', 'organisational', 'system', 'system']);
    // Point 2 = system at trust.initial 0.3: the mean of replicates 0 and 1 on stream (seed 5, k).
    const s = applyRegime({ ...scenario, trust: { ...scenario.trust, initial: 0.3 } }, 'system');
    const m = 2 * MEASURE_NAMES.indexOf('populationOutcome');
    const direct = [0, 1].map((k) => summaryOf(runReplicate(s, { seed: '5', replicate: k }).trajectories)[m]);
    expect(sweep.outputs.populationOutcome_final[2]).toBeCloseTo((direct[0] + direct[1]) / 2, 12);
  });

  it('regret is paired: each scenario\'s best policy has regret exactly 0', () => {
    const a = analysePolicies(sweep, 'populationOutcome_final');
    for (let s = 0; s < a.scenarios; s++) {
      const regrets = Array.from(a.regret).filter((_, p) => a.pointScenario[p] === s);
      expect(Math.min(...regrets)).toBe(0);
    }
    expect(a.policies.reduce((x, p) => x + p.wins, 0)).toBeCloseTo(2, 12);
  });

  it('refuses a lever given as a range', () => {
    expect(() => classifyFactors({ levers: ['regime.accountability=0:1'] })).toThrow(/policy lever takes listed values/);
    expect(classifyFactors({ levers: ['regime.accountability=0,1'], uncertain: ['trust.initial=0.3:0.6'] }))
      .toMatchObject({ levers: ['regime.accountability'], uncertainties: ['trust.initial'] });
  });
});
