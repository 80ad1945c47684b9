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
