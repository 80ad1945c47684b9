/**
 * Seeded random streams. Every draw in the model comes from a seedrandom `alea` generator
 * (fast, several times quicker than seedrandom's default ARC4; each call returns a double with
 * 32 bits of randomness, ample for the model's probabilities) whose seed is a key
 * built from (seed, replicate, purpose, stable entity name). Because each leader and each
 * locality owns a stream keyed by its name — not by its array position or by the worker that
 * runs it — neither processing order, nor input order, nor worker count changes a result.
 */
import seedrandom from 'seedrandom';

export type Uniform = () => number;

/** A generator for one stream; `key` parts are joined into the seed string. */
export function stream(...key: (string | number)[]): Uniform {
  return seedrandom.alea(key.join('\u241f'));
}

/**
 * Standard normal draw from two uniforms (Box–Muller, one of the pair). Uses only the given
 * stream, so the number of uniforms consumed per call is fixed (two).
 */
export function normal(uniform: Uniform): number {
  const u1 = 1 - uniform(); // (0, 1]: log is finite
  const u2 = uniform();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * Many alea streams whose state lives in typed arrays, one slot per entity. Each slot is seeded
 * by seedrandom itself (its `alea` with exported state) and then stepped with alea's own
 * recurrence, so slot k yields exactly the numbers `stream(...key)` would — but stepping 10⁵
 * streams touches four contiguous arrays instead of 10⁵ scattered heap objects.
 */
export class StreamBank {
  readonly c: Float64Array;
  readonly s0: Float64Array;
  readonly s1: Float64Array;
  readonly s2: Float64Array;

  constructor(readonly size: number) {
    this.c = new Float64Array(size);
    this.s0 = new Float64Array(size);
    this.s1 = new Float64Array(size);
    this.s2 = new Float64Array(size);
  }

  /** Seeds slot `slot` from the joined `key`, as `stream(...key)` would be seeded. */
  seed(slot: number, ...key: (string | number)[]): void {
    const prng = seedrandom.alea(key.join('\u241f'), { state: true }) as unknown as { state(): AleaState };
    const state = prng.state();
    this.c[slot] = state.c;
    this.s0[slot] = state.s0;
    this.s1[slot] = state.s1;
    this.s2[slot] = state.s2;
  }

  /** Next uniform in [0, 1) from slot `slot` (alea's step: multiply-with-carry, 2^-32 scaling). */
  next(slot: number): number {
    const t = 2091639 * this.s0[slot] + this.c[slot] * 2.3283064365386963e-10;
    this.s0[slot] = this.s1[slot];
    this.s1[slot] = this.s2[slot];
    const carry = t | 0;
    this.c[slot] = carry;
    const u = t - carry;
    this.s2[slot] = u;
    return u;
  }

  /** Standard normal from slot `slot`: Box–Muller on exactly two uniforms, like `normal()`. */
  normal(slot: number): number {
    const u1 = 1 - this.next(slot);
    const u2 = this.next(slot);
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}

interface AleaState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

/** Fills `out` with uniforms in bulk from one stream. */
export function fillUniform(uniform: Uniform, out: Float64Array): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = uniform();
  return out;
}

/** Picks an index with probability proportional to `weights` (all non-negative, sum > 0). */
export function pickWeighted(uniform: Uniform, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = uniform() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i];
    if (x < 0) return i;
  }
  return weights.length - 1;
}
