/**
 * The bench's C reference kernel (benchmarks/kernel.c) does the engine's trust pass, not merely
 * something like it: from the same inputs it writes the same bytes (trust, expectations, mean
 * trust, locality minima), common case and costly paths alike. Skipped where there is no `cc`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  compileKernel, enginePasses, passArrays, runKernel, sameBytes, trustSum, writeKernelInput,
} from '../benchmarks/kernel.ts';
import { Simulation } from '../src/model/engine.ts';
import { mergeDeep } from '../src/model/scenario.ts';
import { syntheticSystem } from '../src/scenarios/synthetic.ts';

const dir = mkdtempSync(join(tmpdir(), 'partnersim-kernel-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const kernel = compileKernel(dir);

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
    const engine = enginePasses(sim.state, sim.context, order, snapshot, 6);
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
