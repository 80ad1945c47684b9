/**
 * The C reference kernel (benchmarks/kernel.c) from the bench's side: compiling it, writing a
 * live Simulation's trust-pass inputs for it, running it, and running the engine's own trust
 * pass (updateTrust) on the same inputs so the two can be timed and compared byte for byte.
 * Used by `npm run bench` and by tests/bench-kernel.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RoundContext } from '../src/model/context.ts';
import type { SimState } from '../src/model/state.ts';
import { updateTrust } from '../src/model/submodels/learning.ts';

/** Compiler flags: -ffp-contract=off keeps e + β(u − e) two roundings, as in JavaScript (no FMA). */
export const KERNEL_FLAGS = ['-O2', '-march=native', '-ffp-contract=off'];

/** kernel.c, found from the source tree or from dist/benchmarks (the build does not copy it). */
export function kernelSource(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  return [join(here, 'kernel.c'), join(here, '..', '..', 'benchmarks', 'kernel.c')].find((p) => existsSync(p));
}

/** Compiles kernel.c into `dir`: the executable's path, or why not (no `cc`, a compile error). */
export function compileKernel(dir: string): { path: string } | { skipped: string } {
  const source = kernelSource();
  if (!source) return { skipped: 'benchmarks/kernel.c not found' };
  const path = join(dir, 'kernel');
  const result = spawnSync('cc', [...KERNEL_FLAGS, '-o', path, source], { encoding: 'utf8' });
  if (result.error) return { skipped: `no C compiler (\`cc\`: ${(result.error as NodeJS.ErrnoException).code ?? result.error.message})` };
  if (result.status !== 0) return { skipped: `\`cc\` failed: ${result.stderr.trim().split('\n')[0]}` };
  return { path };
}

/** The arrays the trust pass reads and writes that change from round to round (the rest is structure). */
export function passArrays(state: SimState): Float64Array[] {
  const { ties: T, leaders: L, localities: C } = state;
  return [T.trust, T.expected, L.disposition, L.unforced, L.expectation, L.trustMean, C.trustUp, C.forcedMonths, C.minTrust];
}

/** What the pass writes, in the order kernel.c writes its output: trust, expected, expectation, trustMean, minTrust. */
export function passOutputs(state: SimState): Float64Array[] {
  const { ties: T, leaders: L, localities: C } = state;
  return [T.trust, T.expected, L.expectation, L.trustMean, C.minTrust];
}

const bytes = (a: Int32Array | Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Writes kernel.c's input (format in kernel.c: a header, the round constants, then the arrays). */
export function writeKernelInput(path: string, state: SimState, context: RoundContext): void {
  const { ties: T, leaders: L, localities: C, scenario } = state;
  const header = new Int32Array(8);
  header.set([0x314b5350 /* "PSK1" little-endian */, L.disposition.length, T.target.length, C.minTrust.length, scenario.regime.mandated ? 1 : 0]);
  const constants = Float64Array.of(
    scenario.trust.reciprocityTolerance, scenario.trust.initial, context.beliefWeight, context.trustLoss,
    context.crossGain, context.crossLoss, context.mandateCostPerRound, scenario.trust.paceCost,
  );
  const parts = [
    header, constants, T.start, T.withinEnd, T.target, T.weight, T.trust, T.expected,
    L.disposition, L.unforced, L.expectation, L.trustMean, L.locality,
    C.trustUp, C.forcedMonths, C.leaderStart, C.leaderEnd,
  ];
  const fd = openSync(path, 'w'); // part by part: no second copy of the ties in memory
  try {
    for (const a of parts) writeSync(fd, bytes(a));
  } finally {
    closeSync(fd);
  }
}

export interface KernelRun {
  nsPerTieMedian: number;
  nsPerTieMin: number;
  rounds: number;
  ties: number;
  trustSum: number;
  /** trust, expected, expectation, trustMean, minTrust after the passes. */
  outputs: Float64Array[];
}

/** Runs the compiled kernel for `rounds` passes over `input`; its output goes to `output`. */
export function runKernel(executable: string, input: string, output: string, rounds: number, state: SimState): KernelRun {
  const result = spawnSync(executable, [input, output, String(rounds)], { encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`kernel exited ${result.status}: ${result.stderr.trim()}`);
  const figures = JSON.parse(result.stdout) as Omit<KernelRun, 'outputs'>;
  const raw = readFileSync(output);
  const data = raw.byteOffset % 8 === 0
    ? new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8)
    : new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const outputs: Float64Array[] = [];
  let at = 0;
  for (const a of passOutputs(state)) {
    outputs.push(data.subarray(at, at + a.length)); // views: no second copy of the ties
    at += a.length;
  }
  if (at !== data.length) throw new Error(`kernel output has ${data.length} doubles, expected ${at}`);
  return { ...figures, outputs };
}

/**
 * Runs the engine's trust pass `rounds` times starting from `snapshot` (passArrays' contents),
 * timing each pass, and leaves the live state as it found it. Returns the per-pass times (ms)
 * and copies of what the pass wrote.
 */
export function enginePasses(
  state: SimState, context: RoundContext, order: ArrayLike<number>, snapshot: Float64Array[], rounds: number,
): { ms: number[]; outputs: Float64Array[] } {
  const live = passArrays(state);
  const kept = live.map((a) => a.slice());
  live.forEach((a, k) => a.set(snapshot[k]));
  const ms: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    updateTrust(state, context, order);
    ms.push(performance.now() - t0);
  }
  const outputs = passOutputs(state).map((a) => a.slice());
  live.forEach((a, k) => a.set(kept[k]));
  return { ms, outputs };
}

/** Whether two lists of arrays hold the same bytes. */
export function sameBytes(a: Float64Array[], b: Float64Array[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, k) => {
    const y = b[k];
    if (x.length !== y.length) return false;
    const bx = bytes(x);
    const by = bytes(y);
    for (let i = 0; i < bx.length; i++) if (bx[i] !== by[i]) return false;
    return true;
  });
}

/** Σ trust in index order, as kernel.c sums it. */
export function trustSum(trust: Float64Array): number {
  let s = 0;
  for (let k = 0; k < trust.length; k++) s += trust[k];
  return s;
}
