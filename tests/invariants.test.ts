/**
 * Property-based tests of the model invariants (MODEL-BRIEF §7) over generated scenarios,
 * parameters and seeds: bounds and finiteness, the resource accounting identity every round,
 * determinism, independence from processing order and from input order (relabelling), the
 * zero-partnership limit, and the asymmetry of trust.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runReplicate, Simulation } from '../src/model/engine.ts';
import { MEASURES } from '../src/model/observe.ts';
import { stream } from '../src/model/rng.ts';
import { trustAfterObservation } from '../src/model/submodels/learning.ts';
import type { Scenario } from '../src/model/types.ts';
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
  const gainArb = fc.double({ min: 0.001, max: 0.1, noNaN: true });
  const ratioArb = fc.double({ min: 1.01, max: 10, noNaN: true });
  const weightArb = fc.double({ min: 0.05, max: 1, noNaN: true });

  it('one defection costs more trust than one reciprocation earns (away from the bounds)', () => {
    fc.assert(fc.property(gainArb, ratioArb, weightArb, unitInterval(), (gain, ratio, w, position) => {
      const lo = ratio * gain * w;
      const hi = 1 - gain * w;
      fc.pre(lo < hi);
      const t = lo + position * (hi - lo);
      const earned = trustAfterObservation(t, true, w, w, gain, ratio) - t;
      const lost = t - trustAfterObservation(t, false, w, w, gain, ratio);
      expect(lost).toBeGreaterThan(earned);
    }));
  });

  it('a defection followed by a reciprocation never leaves trust higher than it was (when trust can absorb the loss)', () => {
    fc.assert(fc.property(gainArb, ratioArb, weightArb, unitInterval(), (gain, ratio, w, t) => {
      fc.pre(t >= ratio * gain * w);
      const after = trustAfterObservation(trustAfterObservation(t, false, w, w, gain, ratio), true, w, w, gain, ratio);
      expect(after).toBeLessThan(t);
    }));
  });

  it('partners lose trust in a leader who never contributes and gain it in those who do', () => {
    const base = runnable();
    const participants = ['a', 'b', 'c', 'd'].map((name) => ({ name, kind: 'participant' as const }));
    participants[0] = { ...participants[0], leader: { focus: 1 } } as typeof participants[0]; // 'a' never gives
    const scenario: Scenario = {
      ...base,
      rounds: 24,
      localities: [{ name: 'lab', history: 0, structuralFriction: 0, baselineOutcome: 0.5, budget: 4, organisations: participants }],
      flexibilities: { ...base.flexibilities, pooledBudgets: { allowed: true, cap: 0.9 } },
      leaders: {
        ...base.leaders, turnoverRate: 0, typeMix: { conditional: 1, freeRider: 0, humpShaped: 0, altruist: 0 },
        sanctions: { enabled: false, strength: 0, memory: 0 }, // sanctions would push 'a' to give
      },
      trust: { ...base.trust, initial: 0.5 },
      board: { ...base.board, consensusRequired: false },
    };
    const sim = new Simulation(scenario, 11);
    for (let r = 0; r < scenario.rounds; r++) sim.step();
    const { ties, leaders } = sim.state;
    const freeRider = leaders.id.indexOf('lab/a/0');
    let inFreeRider = 0, inOthers = 0, nFree = 0, nOthers = 0;
    for (let i = 0; i < leaders.id.length; i++) {
      if (i === freeRider) continue;
      for (let k = ties.start[i]; k < ties.start[i + 1]; k++) {
        if (ties.target[k] === freeRider) { inFreeRider += ties.trust[k]; nFree++; }
        else { inOthers += ties.trust[k]; nOthers++; }
      }
    }
    expect(inFreeRider / nFree).toBeLessThan(0.5);
    expect(inOthers / nOthers).toBeGreaterThan(inFreeRider / nFree + 0.2);
  });
});

function unitInterval() {
  return fc.double({ min: 0, max: 1, noNaN: true });
}

function runnable(): Scenario {
  return fc.sample(scenarioArb, { seed: 7, numRuns: 1 })[0];
}
