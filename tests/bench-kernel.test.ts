/**
 * The bench's C references do the engine's work, not merely something like it. benchmarks/kernel.c
 * (the trust pass alone): from the same inputs it writes the same bytes (trust, expectations,
 * mean trust, locality minima), common case and costly paths alike. benchmarks/round.c (the
 * whole round): from a live Simulation's state it runs rounds ending in the engine's state byte
 * for byte, with turnover, sanctions, a mandate and the other paths a scenario switches on; the
 * check can fail (one ulp is seen), and the paths round.c does not have are refused, not guessed.
 * Skipped where there is no `cc`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  compareRound, compileKernel, enginePasses, passArrays, runKernel, runRound, sameBytes, stateRecords, trustSum,
  writeKernelInput, writeRoundInput,
} from '../benchmarks/kernel.ts';
import { Simulation } from '../src/model/engine.ts';
import '../src/model/rules.ts'; // the formula compiler, for the refusal of regime.rules
import { mergeDeep } from '../src/model/scenario.ts';
import { syntheticSystem } from '../src/scenarios/synthetic.ts';

const dir = mkdtempSync(join(tmpdir(), 'partnersim-kernel-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const kernel = compileKernel(dir);
const roundKernel = compileKernel(dir, 'round');

describe.skipIf(!('path' in kernel))('C reference kernel', () => {
  const executable = 'path' in kernel ? kernel.path : '';

  it.each([
    ['the common case', false],
    ['mandate resentment, forced months, leaders who commit nothing', true],
  ])('gives the engine\'s trust pass byte for byte: %s', (_, costly) => {
    const base = syntheticSystem({ leaders: 500, localitySize: 12 });
    const scenario = costly ? mergeDeep(base, { regime: { mandated: true }, trust: { paceCost: 0.01 } }) : base;
    const sim = new Simulation(scenario, 7, 0);
    for (let r = 0; r < 5; r++) sim.step();
    const { leaders: L, localities: C } = sim.state;
    if (costly) {
      for (let c = 0; c < C.forcedMonths.length; c += 3) C.forcedMonths[c] = 1;
      for (let i = 0; i < L.disposition.length; i += 7) L.unforced[i] = L.disposition[i] * 0.5;
      for (let i = 3; i < L.disposition.length; i += 13) L.disposition[i] = 0.005;
    }
    const snapshot = passArrays(sim.state).map((a) => a.slice());
    const input = join(dir, `in-${costly}.bin`);
    const output = join(dir, `out-${costly}.bin`);
    writeKernelInput(input, sim.state, sim.context);
    const order = Int32Array.from({ length: L.disposition.length }, (_, i) => i);
    const engine = enginePasses(sim, snapshot, 6);
    const c = runKernel(executable, input, output, 6, sim.state);
    expect(sameBytes(engine.outputs, c.outputs)).toBe(true);
    expect(c.trustSum).toBe(trustSum(engine.outputs[0]));
    expect(c.ties).toBe(sim.state.ties.target.length);
    // enginePasses leaves the simulation as it found it.
    expect(sameBytes(passArrays(sim.state), snapshot)).toBe(true);
    // and the passes did something
    expect(sameBytes([engine.outputs[0]], [snapshot[0]])).toBe(false);
  });
});

describe.skipIf(!('path' in roundKernel))('C reference round', () => {
  const executable = 'path' in roundKernel ? roundKernel.path : '';
  const WARM_UP = 5;
  const ROUNDS = 14; // crosses regulatory assessments (every 3 months) and the fund's (month 12)

  /** A small synthetic system after the warm-up, its round.c input written for ROUNDS rounds. */
  function prepared(name: string, change: object) {
    const scenario = mergeDeep(syntheticSystem({ leaders: 480, localitySize: 12 }), change as never);
    const sim = new Simulation(scenario, 7, 0);
    for (let r = 0; r < WARM_UP; r++) sim.step();
    const input = join(dir, `round-in-${name}.bin`);
    writeRoundInput(input, sim, ROUNDS);
    return { sim, input, output: join(dir, `round-out-${name}.bin`) };
  }

  it.each([
    ['the synthetic system as the bench runs it (turnover, collective fund)', {}],
    ['peer sanctions, a mandate floor, pace costs, heavy turnover', {
      regime: { mandated: true }, trust: { paceCost: 0.01 }, leaders: { sanctions: { enabled: true }, turnoverRate: 0.9 },
    }],
    ['quarterly rounds, structures, no consensus needed, unconditional fund, the other flexibilities', {
      roundsPerYear: 4, regime: { structuralPartnering: 0.3 }, board: { consensusRequired: false },
      funding: { balancedBudgetDuty: true, transformationFund: { condition: 'none' } },
      flexibilities: { leadCommissioning: { allowed: true }, integratedProvision: { allowed: true } },
    }],
    ['no pooling allowed', { flexibilities: { pooledBudgets: { allowed: false } } }],
  ])('ends in the engine\'s state byte for byte: %s', (name, change) => {
    const { sim, input, output } = prepared(name.split(' ')[0], change);
    const { leaders: L } = sim.state;
    const tenureBefore = L.tenure.slice();
    const c = runRound(executable, input, output, ROUNDS);
    for (let r = 0; r < ROUNDS; r++) sim.step();
    const comparison = compareRound(output, sim.state);
    expect(comparison.differing).toEqual([]);
    expect(comparison.same).toBe(true);
    expect(comparison.compared).toBe(stateRecords(sim.state).length + 3);
    expect(c.rounds).toBe(ROUNDS);
    expect(c.ties).toBe(sim.state.ties.target.length);
    expect(Object.keys(c.phases)).toHaveLength(11);
    // The rounds did what they are there to test: leaders were replaced, and sanctions bit where on.
    expect(L.tenure.some((t, i) => t < tenureBefore[i] + ROUNDS)).toBe(true);
    if (name.startsWith('peer')) expect(L.sanctionPressure.some((p) => p > 0)).toBe(true);
  });

  it('sees a difference of one ulp in one number of the state', () => {
    const { sim, input, output } = prepared('ulp', {});
    runRound(executable, input, output, 3);
    for (let r = 0; r < 3; r++) sim.step();
    const { expected } = sim.state.ties;
    const k = 1234;
    const kept = expected[k];
    const bits = new BigInt64Array(Float64Array.of(kept).buffer);
    bits[0] += 1n;
    expected[k] = new Float64Array(bits.buffer)[0];
    const comparison = compareRound(output, sim.state);
    expected[k] = kept;
    expect(comparison.same).toBe(false);
    expect(comparison.differing).toEqual([`T.expected[${k}]`]);
    expect(comparison.maxRelativeDifference).toBeGreaterThan(0);
    expect(comparison.maxRelativeDifference).toBeLessThan(1e-15);
    expect(compareRound(output, sim.state).same).toBe(true);
  });

  it.each([
    ['a regime.rules formula', { regime: { rules: { orgPenalty: 'severity * shortfall' } } }, /formulas/],
    ['an intervention due in the rounds to run', { interventions: [{ at: WARM_UP + 2, set: { 'regime.accountability': 1 } }] }, /intervention/],
  ])('refuses what it does not compute: %s', (_, change, message) => {
    const { input, output } = prepared('refused', change);
    expect(() => runRound(executable, input, output, ROUNDS)).toThrow(message);
  });
});
