/**
 * The WebAssembly trust pass (src/model/wasm): its bytes are the committed source's, it gives
 * the JavaScript `updateTrust`'s numbers bit for bit over generated scenarios (mandates, pace
 * costs, leaders who commit nothing, any visiting order), and it fails as the JavaScript pass
 * fails on a malformed network.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareContext } from '../src/model/context.ts';
import { runReplicate, Simulation } from '../src/model/engine.ts';
import { initialise } from '../src/model/initialise.ts';
import type { SimState } from '../src/model/state.ts';
import { updateTrust } from '../src/model/submodels/learning.ts';
import { TrustPass, trustPassModule } from '../src/model/wasm/trust-pass.ts';
import { builtInScenario } from '../src/scenarios/index.ts';
import { syntheticSystem } from '../src/scenarios/synthetic.ts';
import { permutationArb, scenarioArb, seedArb } from './arbitraries.ts';
import { tinyScenario } from './fixtures.ts';

/** Everything the trust pass writes, as bytes. */
function written(state: SimState): string {
  const { leaders: L, localities: C, ties: T } = state;
  return [T.trust, T.expected, L.expectation, L.trustMean, C.minTrust]
    .map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')).join('|');
}

/** Steps both simulations `rounds` times, in turn. */
function stepTogether(a: Simulation, b: Simulation, rounds: number): void {
  for (let r = 0; r < rounds; r++) {
    a.step();
    b.step();
  }
}

describe('WebAssembly trust pass', () => {
  it('is the compiled source: npm run build:wasm -- --check', () => {
    const out = execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { encoding: 'utf8' });
    expect(out).toContain('matches its source');
  }, 60_000);

  it('is available here, and the engine uses it unless told not to', () => {
    expect(trustPassModule()).not.toBeNull();
    const scenario = builtInScenario('gm-2017');
    const onKernel = new Simulation(scenario, 1);
    const onJs = new Simulation(scenario, 1, 0, { trustPass: 'javascript' });
    expect(onKernel.trustPassKind).toBe('webassembly');
    expect(onJs.trustPassKind).toBe('javascript');
    // The kernel's arrays are views of its memory, the JavaScript pass's are not.
    expect(onKernel.state.ties.trust.buffer).toBeInstanceOf(ArrayBuffer);
    expect(onKernel.state.ties.trust.buffer.byteLength).toBeGreaterThan(onKernel.state.ties.trust.byteLength);
    expect(onJs.state.ties.trust.buffer.byteLength).toBe(onJs.state.ties.trust.byteLength);
  });

  it('gives the JavaScript pass\'s bits round after round, over generated scenarios and orders', () => {
    fc.assert(fc.property(scenarioArb, seedArb, fc.integer({ min: 0, max: 1e6 }), (scenario, seed, permutationSeed) => {
      const n = initialise(scenario, seed, 0).leaders.id.length;
      const order = fc.sample(permutationArb(n), { seed: permutationSeed, numRuns: 1 })[0];
      const kernel = new Simulation(scenario, seed, 0, { order: Int32Array.from(order) });
      const js = new Simulation(scenario, seed, 0, { order: Int32Array.from(order), trustPass: 'javascript' });
      for (let r = 0; r < 24; r++) {
        kernel.step();
        js.step();
        expect(written(kernel.state), `round ${r}`).toBe(written(js.state));
      }
    }), { numRuns: 40 });
  });

  it('gives the same bits in the costly paths: mandate resentment, pace costs and leaders who commit nothing', () => {
    const scenario = tinyScenario({ regime: { mandated: true }, trust: { paceCost: 0.02 } });
    const context = prepareContext(scenario);
    for (const forced of [0, 1]) {
      const js = initialise(scenario, 3, 0);
      const onKernel = initialise(scenario, 3, 0);
      const order = Int32Array.from({ length: js.leaders.id.length }, (_, i) => i);
      const pass = TrustPass.attach(onKernel, order)!;
      for (const state of [js, onKernel]) {
        state.leaders.disposition.forEach((_, i) => { state.leaders.disposition[i] = i % 4 === 0 ? 0.005 : 0.1 + 0.2 * (i % 5); });
        state.leaders.unforced.forEach((_, i) => { state.leaders.unforced[i] = i % 3 === 0 ? 0.05 : state.leaders.disposition[i]; });
        state.localities.forcedMonths.fill(forced);
      }
      for (let r = 0; r < 5; r++) {
        updateTrust(js, context, order);
        pass.update(onKernel, context);
      }
      expect(written(onKernel)).toBe(written(js));
    }
  });

  it('gives the same bits on a large synthetic system (the vector loop and its remainders)', () => {
    const scenario = syntheticSystem({ leaders: 600, localitySize: 23 });
    const kernel = new Simulation(scenario, 5);
    const js = new Simulation(scenario, 5, 0, { trustPass: 'javascript' });
    stepTogether(kernel, js, 30);
    expect(written(kernel.state)).toBe(written(js.state));
  });

  it('a released kernel, taken over by the next simulation, gives that simulation the bits a fresh one would', () => {
    const scenario = builtInScenario('gm-2017');
    const replicate = (r: number, trustPass: 'auto' | 'javascript') =>
      JSON.stringify(Object.values(runReplicate(scenario, { seed: 3, replicate: r, trustPass }).trajectories.data).map((column) => Array.from(column)));
    // runReplicate releases its kernel: each run after the first takes over the last one's memory,
    // still holding the last run's arrays, and must overwrite all it reads.
    for (let r = 0; r < 3; r++) expect(replicate(r, 'auto'), `replicate ${r}`).toBe(replicate(r, 'javascript'));
    const first = new Simulation(scenario, 1);
    first.step();
    first.finish();
    const second = new Simulation(scenario, 1); // takes over first's memory
    expect(() => first.step()).toThrow('this simulation is finished');
    expect(() => first.runTrustPass()).toThrow('released its trust-pass kernel');
    const fresh = new Simulation(scenario, 1, 0, { trustPass: 'javascript' });
    stepTogether(second, fresh, 12);
    expect(written(second.state)).toBe(written(fresh.state));
  });

  it('refuses a network whose locality ties do not match the locality, as the JavaScript pass does', () => {
    const scenario = tinyScenario();
    const state = initialise(scenario, 1, 0);
    state.ties.withinEnd[0] -= 1;
    const order = Int32Array.from({ length: state.leaders.id.length }, (_, i) => i);
    const context = prepareContext(scenario);
    const jsError = (() => { try { updateTrust(initialiseBroken(scenario), context, order); } catch (e) { return (e as Error).message; } })();
    const pass = TrustPass.attach(state, order)!;
    expect(() => pass.update(state, context)).toThrow(jsError);
  });
});

function initialiseBroken(scenario: ReturnType<typeof tinyScenario>): SimState {
  const state = initialise(scenario, 1, 0);
  state.ties.withinEnd[0] -= 1;
  return state;
}
