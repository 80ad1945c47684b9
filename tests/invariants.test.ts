/**
 * Property-based tests of the model invariants (MODEL-BRIEF §7) over generated scenarios,
 * parameters and seeds: bounds and finiteness, the resource accounting identity every round,
 * determinism, independence from processing order and from input order (relabelling), the
 * zero-partnership limit, and the asymmetry of trust.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharePerRound } from '../src/model/context.ts';
import { runReplicate, Simulation } from '../src/model/engine.ts';
import { MEASURES } from '../src/model/observe.ts';
import { stream } from '../src/model/rng.ts';
import { trustAfterObservation } from '../src/model/submodels/learning.ts';
import { mergeDeep } from '../src/model/scenario.ts';
import type { Scenario } from '../src/model/types.ts';
import { builtInScenario } from '../src/scenarios/index.ts';
import { scenarioArb, seedArb } from './arbitraries.ts';

const RUNS = { numRuns: 60 };

const UNIT_MEASURES = MEASURES.filter((m) => m.unit.startsWith('[0,1]') || m.unit.startsWith('share') || m.unit.startsWith('index'))
  .map((m) => m.name);

function bytes(result: ReturnType<typeof runReplicate>): string {
  const parts: string[] = [];
  for (const name of result.trajectories.measures) {
    parts.push(Buffer.from(result.trajectories.data[name].buffer).toString('base64'));
  }
  return parts.join('|');
}

function shuffled(n: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const draw = stream('permutation', seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(draw() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

describe('bounds', () => {
  it('every measure is finite and [0,1] measures stay in [0,1]', () => {
    fc.assert(fc.property(scenarioArb, seedArb, (scenario, seed) => {
      const { trajectories } = runReplicate(scenario, { seed });
      for (const name of trajectories.measures) {
        for (const v of trajectories.data[name]) expect(Number.isFinite(v)).toBe(true);
      }
      for (const name of UNIT_MEASURES) {
        for (const v of trajectories.data[name]) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1 + 1e-12);
        }
      }
    }), RUNS);
  });

  it('trust, focus, expectations and dispositions stay in [0,1] every round', () => {
    fc.assert(fc.property(scenarioArb, seedArb, (scenario, seed) => {
      const sim = new Simulation(scenario, seed);
      for (let r = 0; r < scenario.rounds; r++) {
        sim.step();
        const { ties, leaders } = sim.state;
        for (const t of ties.trust) expect(t >= 0 && t <= 1).toBe(true);
        for (const arr of [leaders.focus, leaders.expectation, leaders.disposition, leaders.distributedPower]) {
          for (const v of arr) expect(v >= 0 && v <= 1).toBe(true);
        }
      }
    }), RUNS);
  });
});

describe('corners (issue #14, finding 6)', () => {
  /** Every number in the state's typed arrays, by name, that is not finite. */
  function nonFinite(sim: Simulation): string[] {
    const bad: string[] = [];
    const { leaders, organisations, localities, ties } = sim.state;
    for (const [group, arrays] of Object.entries({ leaders, organisations, localities, ties })) {
      for (const [name, value] of Object.entries(arrays)) {
        if (value instanceof Float64Array && !value.every(Number.isFinite)) bad.push(`${group}.${name}`);
      }
    }
    return bad;
  }

  it('the generated scenarios reach the corners (mandate floor 1, pool cap 1, zero budgets, turnover 1, …)', () => {
    const sample = fc.sample(scenarioArb, { seed: 14, numRuns: 200 });
    const share = (test: (s: Scenario) => boolean) => sample.filter(test).length / sample.length;
    expect(share((s) => s.regime.mandateFloor === 1)).toBeGreaterThan(0.1);
    expect(share((s) => s.regime.mandateFloor === 0)).toBeGreaterThan(0.1);
    expect(share((s) => s.flexibilities.pooledBudgets.cap === 1)).toBeGreaterThan(0.1);
    expect(share((s) => s.flexibilities.pooledBudgets.cap === 0)).toBeGreaterThan(0.1);
    expect(share((s) => s.localities.some((l) => l.budget === 0))).toBeGreaterThan(0.1);
    expect(share((s) => s.localities.some((l) => l.budget === 1e6))).toBeGreaterThan(0.1);
    expect(share((s) => s.localities.some((l) => l.organisations.some((o) => o.leader?.control === 1)))).toBeGreaterThan(0.1);
    expect(share((s) => s.leaders.turnoverRate === 1)).toBeGreaterThan(0.1);
    expect(share((s) => s.board.costRate === 0.05)).toBeGreaterThan(0.1);
    for (const value of [0, 1]) {
      expect(share((s) => s.regime.structuralPartnering === value)).toBeGreaterThan(0.1);
      expect(share((s) => s.funding.gainShare === value)).toBeGreaterThan(0.1);
    }
    expect(share((s) => s.regime.pacePressure === 50)).toBeGreaterThan(0.1);
  });

  it('mandated with mandateFloor 1 and a pool cap of 1: no non-finite value anywhere in the state or the measures', () => {
    fc.assert(fc.property(scenarioArb, seedArb, (generated, seed) => {
      const scenario: Scenario = {
        ...generated,
        regime: { ...generated.regime, mandated: true, mandateFloor: 1 },
        flexibilities: { ...generated.flexibilities, pooledBudgets: { allowed: true, cap: 1 } },
      };
      const sim = new Simulation(scenario, seed);
      for (let r = 0; r < scenario.rounds; r++) {
        sim.step();
        expect(nonFinite(sim)).toEqual([]);
      }
      const { trajectories } = runReplicate(scenario, { seed });
      expect(trajectories.measures.filter((name) => !trajectories.data[name].every(Number.isFinite))).toEqual([]);
    }), { numRuns: 40 });
  });
});

describe('accounting', () => {
  it('resources in = retained + pooled + partnership cost, for every leader every round; the pool balances', () => {
    fc.assert(fc.property(scenarioArb, seedArb, (scenario, seed) => {
      const sim = new Simulation(scenario, seed);
      const C = sim.state.localities;
      const before = new Float64Array(C.pool.length);
      for (let r = 0; r < scenario.rounds; r++) {
        before.set(C.pool);
        sim.step();
        const L = sim.state.leaders;
        for (let i = 0; i < L.resources.length; i++) {
          expect(L.pooled[i]).toBeGreaterThanOrEqual(0);
          expect(L.cost[i]).toBeGreaterThanOrEqual(0);
          expect(L.retained[i]).toBeGreaterThanOrEqual(-1e-9 * L.resources[i]);
          expect(Math.abs(L.resources[i] - (L.retained[i] + L.pooled[i] + L.cost[i]))).toBeLessThanOrEqual(1e-9 * Math.max(1, L.resources[i]));
        }
        for (let c = 0; c < C.pool.length; c++) {
          const expected = before[c] + C.contributions[c] + C.fundPaid[c] - C.deployed[c] - C.idleLost[c];
          expect(Math.abs(C.pool[c] - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, expected));
          expect(C.pool[c]).toBeGreaterThanOrEqual(-1e-9);
        }
      }
    }), RUNS);
  });
});

describe('determinism', () => {
  it('same scenario and seed give identical bytes', () => {
    fc.assert(fc.property(scenarioArb, seedArb, (scenario, seed) => {
      expect(bytes(runReplicate(scenario, { seed }))).toBe(bytes(runReplicate(structuredClone(scenario), { seed })));
    }), { numRuns: 30 });
  });

  it('different replicates draw different streams', () => {
    const scenario = { ...runnable(), rounds: 24 };
    expect(bytes(runReplicate(scenario, { seed: 1, replicate: 0 }))).not.toBe(bytes(runReplicate(scenario, { seed: 1, replicate: 1 })));
  });

  it('the order leaders are processed in changes nothing (two-phase updates)', () => {
    fc.assert(fc.property(scenarioArb, seedArb, fc.integer(), (scenario, seed, permutationSeed) => {
      const n = new Simulation(scenario, seed).state.leaders.id.length;
      const order = shuffled(n, permutationSeed);
      expect(bytes(runReplicate(scenario, { seed, order }))).toBe(bytes(runReplicate(scenario, { seed })));
    }), { numRuns: 40 });
  });

  it('relabelling (reordering localities and organisations in the input) changes nothing', () => {
    fc.assert(fc.property(scenarioArb, seedArb, fc.integer(), (scenario, seed, permutationSeed) => {
      const reordered: Scenario = structuredClone(scenario);
      const locOrder = shuffled(reordered.localities.length, permutationSeed);
      reordered.localities = Array.from(locOrder, (k) => reordered.localities[k]);
      for (const loc of reordered.localities) {
        const orgOrder = shuffled(loc.organisations.length, permutationSeed + 1);
        loc.organisations = Array.from(orgOrder, (k) => loc.organisations[k]);
      }
      expect(bytes(runReplicate(reordered, { seed }))).toBe(bytes(runReplicate(scenario, { seed })));
    }), { numRuns: 40 });
  });
});

describe('zero-partnership limit', () => {
  it('with pooling not allowed nothing is pooled, deployed or valued', () => {
    fc.assert(fc.property(scenarioArb, seedArb, (generated, seed) => {
      const scenario: Scenario = {
        ...generated,
        flexibilities: { ...generated.flexibilities, pooledBudgets: { allowed: false, cap: generated.flexibilities.pooledBudgets.cap } },
      };
      const { trajectories } = runReplicate(scenario, { seed });
      for (const name of ['pooledShare', 'deployed', 'scope', 'scale', 'valueAdded', 'transformationFunding', 'poolBalance']) {
        for (const v of trajectories.data[name]) expect(v).toBe(0);
      }
    }), RUNS);
  });
});

describe('asymmetry of trust', () => {
  // Per-round shares of the annual rates, as prepareContext converts them (gain up, gain·asymmetry down).
  const ratesArb = fc.record({
    gain: fc.double({ min: 0.01, max: 5, noNaN: true }),
    asymmetry: fc.double({ min: 1.01, max: 20, noNaN: true }),
    weight: fc.double({ min: 0.05, max: 1, noNaN: true }),
    roundsPerYear: fc.constantFrom(1, 4, 12, 52),
  }).map(({ gain, asymmetry, weight, roundsPerYear }) => ({
    up: sharePerRound(gain * weight, roundsPerYear),
    down: sharePerRound(gain * asymmetry * weight, roundsPerYear),
  }));
  /** A trust level and a distance d with both t − d and t + d inside [0, 1] (away from the bounds). */
  const levelArb = fc.tuple(unitInterval(), unitInterval()).map(([t, s]) => ({ t, d: s * Math.min(t, 1 - t) })).filter(({ d }) => d > 1e-6);

  it('losing trust towards a lower observation is faster than gaining towards a higher one by the same distance', () => {
    fc.assert(fc.property(ratesArb, levelArb, ({ up, down }, { t, d }) => {
      const lost = t - trustAfterObservation(t, t - d, up, down);
      const earned = trustAfterObservation(t, t + d, up, down) - t;
      expect(lost).toBeGreaterThan(earned);
    }), { seed: 14, numRuns: 1000 });
  });

  it('a breach followed by a reciprocation never leaves trust higher than before (away from the bounds)', () => {
    // The reciprocation is observed as far above the trust then held as the breach was below the trust before.
    fc.assert(fc.property(ratesArb, levelArb, ({ up, down }, { t, d }) => {
      const afterBreach = trustAfterObservation(t, t - d, up, down);
      fc.pre(afterBreach + d <= 1);
      expect(trustAfterObservation(afterBreach, afterBreach + d, up, down)).toBeLessThan(t);
    }), { seed: 14, numRuns: 1000 });
    // At the registry's asymmetry (3) and up to half the gap closed per round, even a reciprocation
    // back at the mirror image of the breach (t + d) does not undo it.
    fc.assert(fc.property(fc.double({ min: 0.001, max: 0.5, noNaN: true }), levelArb, (rate, { t, d }) => {
      const up = 1 - Math.exp(-rate);
      const down = 1 - Math.exp(-3 * rate);
      expect(trustAfterObservation(trustAfterObservation(t, t - d, up, down), t + d, up, down)).toBeLessThan(t);
    }), { seed: 14, numRuns: 1000 });
  });

  /** Per seed, mean trust of partners towards a leader who commits nothing, and among the others, after 24 rounds. */
  function trustTowardsAFreeRider(): { towardsFreeRider: number[]; amongOthers: number[]; initial: number } {
    const lab = builtInScenario('public-goods-lab');
    const scenario = mergeDeep(lab, { rounds: 24, leaders: { typeMix: { conditional: 1, freeRider: 0, humpShaped: 0, altruist: 0 } } });
    // P1 puts its own organisation first, cares for no one else and has no ambition (its cap on
    // the disposition is 0): it never contributes. (Focus alone is not enough: it relaxes towards
    // its home value, and with the partner fit's weaker return term a focus of about 0.76 lets
    // a conditional cooperator give a little.)
    scenario.localities = [{ ...lab.localities[0], organisations: lab.localities[0].organisations.map((o, k) => (k === 0 ? { ...o, leader: { focus: 1, altruism: 0, ambition: 0 } } : o)) }];
    const towardsFreeRider: number[] = [];
    const amongOthers: number[] = [];
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const sim = new Simulation(scenario, seed);
      for (let r = 0; r < scenario.rounds; r++) {
        sim.step();
        expect(sim.state.leaders.disposition[0]).toBe(0);
      }
      const { ties, leaders } = sim.state;
      let towards = 0, among = 0, nTowards = 0, nAmong = 0;
      for (let i = 1; i < leaders.id.length; i++) {
        for (let k = ties.start[i]; k < ties.withinEnd[i]; k++) {
          if (ties.target[k] === 0) { towards += ties.trust[k]; nTowards++; } else { among += ties.trust[k]; nAmong++; }
        }
      }
      towardsFreeRider.push(towards / nTowards);
      amongOthers.push(among / nAmong);
    }
    return { towardsFreeRider, amongOthers, initial: scenario.trust.initial };
  }
  const average = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  it('partners do not lose trust in those who match them, and trust a leader who never contributes less', () => {
    // Measured (6 seeds, partner-fit values): 0.59–0.71 among those who give, 0.15–0.37 towards the one who does not.
    const { towardsFreeRider, amongOthers, initial } = trustTowardsAFreeRider();
    expect(average(amongOthers)).toBeGreaterThan(initial);
    expect(average(towardsFreeRider)).toBeLessThan(initial);
    expect(average(amongOthers)).toBeGreaterThan(average(towardsFreeRider) + 0.1);
  });

  // `trust.reciprocityTolerance` is an absolute margin, so where partners commit no more than it a
  // leader who commits nothing is observed as fully trustworthy, (0 + 0.05)/0.05 = 1. With the
  // margin at 0.1 this test failed in 2 of 6 groups (trust in the zero-giver 0.53); at 0.05 it
  // passes in every group. The weakness stays in principle (ODD §9).
  it('partners lose trust in a leader who never contributes, in every group', () => {
    const { towardsFreeRider, initial } = trustTowardsAFreeRider();
    for (const t of towardsFreeRider) expect(t).toBeLessThan(initial);
  });
});

function unitInterval() {
  return fc.double({ min: 0, max: 1, noNaN: true });
}

function runnable(): Scenario {
  return fc.sample(scenarioArb, { seed: 7, numRuns: 1 })[0];
}
