/**
 * The trust pass on WebAssembly: the kernel of trust-pass.as.ts (bytes in trust-pass.wasm.ts),
 * run by the engine in place of `updateTrust` where WebAssembly with SIMD is available (Node,
 * Deno, current browsers), with the same results bit for bit (tests/trust-pass.test.ts).
 * About 1.7× faster than the JavaScript pass at 10,000 leaders (docs/PERFORMANCE.md).
 *
 * The kernel reads and writes the simulation's own arrays, so those arrays live in the kernel's
 * memory: `TrustPass.attach` moves them there once, when the simulation is created, and puts
 * views of the same type and contents back into the state. Every other phase then reads and
 * writes them as before. The memory is sized once and never grows (growing would detach the
 * views). A simulation known to be finished (`runReplicate`'s own) hands its kernel back with
 * `release`, and the next simulation of the same size takes it over instead of reserving a new
 * memory and instantiating the module again: 4% of a gm-2017 replicate (issue #15).
 */
import type { RoundContext } from '../context.ts';
import type { SimState } from '../state.ts';
import { EXPECTATION_FLOOR, localityTiesMismatch } from '../submodels/learning.ts';
import { TRUST_PASS_WASM } from './trust-pass.wasm.ts';

type Exports = { updateTrust(block: number): number };

/** The argument block (trust-pass.as.ts): 9 doubles, then 20 32-bit integers. */
const BLOCK_DOUBLES = 9;
const BLOCK_BYTES = BLOCK_DOUBLES * 8 + 20 * 4;

let compiled: WebAssembly.Module | null | undefined;

/** A kernel instance and its memory. */
interface Kernel {
  pages: number;
  memory: WebAssembly.Memory;
  run: Exports['updateTrust'];
}

/**
 * Kernels released by finished simulations, for the next attach of the same size. A few at most:
 * runs in one thread are one after another, so one would do; a kept memory is address space.
 */
const spareKernels: Kernel[] = [];
const SPARE_KERNELS = 2;

/** A kernel with `pages` pages of memory: a released one if there is one, else a new one (null if none can be reserved). */
function kernelOf(module: WebAssembly.Module, pages: number): Kernel | null {
  for (let k = spareKernels.length - 1; k >= 0; k--) {
    if (spareKernels[k].pages === pages) return spareKernels.splice(k, 1)[0];
  }
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages });
  } catch {
    return null; // no address space left for another memory (thousands alive at once): the JS pass
  }
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return { pages, memory, run: (instance.exports as unknown as Exports).updateTrust };
}

/** The compiled kernel, or null where WebAssembly or its SIMD is missing. Compiled once. */
export function trustPassModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (typeof WebAssembly !== 'object') return compiled;
  const bytes = Uint8Array.from(atob(TRUST_PASS_WASM), (ch) => ch.charCodeAt(0));
  if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
  return compiled;
}

/** The arrays the kernel reads or writes, in the argument order of its `updateTrust`. */
function kernelArrays(state: SimState, order: Int32Array) {
  const { leaders: L, localities: C, ties: T } = state;
  return [
    ['order', order, null],
    ['locality', L.locality, L], ['disposition', L.disposition, L], ['unforced', L.unforced, L],
    ['expectation', L.expectation, L], ['trustMean', L.trustMean, L],
    ['trustUp', C.trustUp, C], ['forcedMonths', C.forcedMonths, C], ['leaderStart', C.leaderStart, C],
    ['leaderEnd', C.leaderEnd, C], ['minTrust', C.minTrust, C],
    ['start', T.start, T], ['withinEnd', T.withinEnd, T], ['target', T.target, T], ['weight', T.weight, T],
    ['trust', T.trust, T], ['expected', T.expected, T],
  ] as const;
}

export class TrustPass {
  private released = false;

  private constructor(
    private readonly kernel: Kernel,
    /** The argument block (at offset 0 of the memory): its doubles and its integers. */
    private readonly constants: Float64Array,
    private readonly settings: Int32Array,
  ) {}

  /**
   * Moves the arrays the trust pass uses into a new kernel memory (views replace them in
   * `state`; `order` is copied) and returns the pass, or null where the kernel is unavailable.
   */
  static attach(state: SimState, order: Int32Array): TrustPass | null {
    const module = trustPassModule();
    if (module === null) return null;
    const arrays = kernelArrays(state, order);
    const offsets: number[] = [];
    let bytes = BLOCK_BYTES;
    for (const [, array] of arrays) {
      bytes = Math.ceil(bytes / 16) * 16; // 16-byte aligned
      offsets.push(bytes);
      bytes += array.byteLength;
    }
    const kernel = kernelOf(module, Math.ceil(bytes / 65_536) || 1);
    if (kernel === null) return null;
    const memory = kernel.memory;
    arrays.forEach(([name, array, owner], k) => {
      const view = array instanceof Int32Array
        ? new Int32Array(memory.buffer, offsets[k], array.length)
        : new Float64Array(memory.buffer, offsets[k], array.length);
      view.set(array);
      if (owner !== null) (owner as unknown as Record<string, unknown>)[name] = view;
    });
    // The block: the doubles and `mandated`, set per call; the counts and the offsets, set here.
    const settings = new Int32Array(memory.buffer, BLOCK_DOUBLES * 8, 20);
    settings[0] = order.length;
    settings[1] = state.localities.minTrust.length;
    settings.set(offsets, 3);
    const constants = new Float64Array(memory.buffer, 0, BLOCK_DOUBLES);
    constants[8] = EXPECTATION_FLOOR; // a constant of the model: set once
    return new TrustPass(kernel, constants, settings);
  }

  /**
   * Hands the kernel back for the next simulation of the same size. Only for a simulation that
   * will never run or be read again: its arrays in the kernel's memory will be overwritten.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (spareKernels.length >= SPARE_KERNELS) spareKernels.shift();
    spareKernels.push(this.kernel);
  }

  /** `updateTrust(state, context, order)`, on the kernel. */
  update(state: SimState, context: RoundContext): void {
    // Before anything is written: a released kernel's memory may be another simulation's now.
    if (this.released) throw new Error('this simulation has released its trust-pass kernel');
    const { scenario } = state;
    const constants = this.constants;
    constants[0] = scenario.trust.reciprocityTolerance;
    constants[1] = scenario.trust.initial;
    constants[2] = context.beliefWeight;
    constants[3] = context.trustLoss;
    constants[4] = context.crossGain;
    constants[5] = context.crossLoss;
    constants[6] = context.mandateCostPerRound;
    constants[7] = scenario.trust.paceCost;
    this.settings[2] = scenario.regime.mandated ? 1 : 0;
    const status = this.kernel.run(0);
    if (status < 0) throw localityTiesMismatch(-status - 1);
  }
}
