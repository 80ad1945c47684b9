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

/** The seed string of a stream: its key parts joined with U+241F (the symbol for the unit separator). */
export function streamKey(...key: (string | number)[]): string {
  return key.join('\u241f');
}

/** A generator for one stream; `key` parts are joined into the seed string. */
export function stream(...key: (string | number)[]): Uniform {
  return streamFrom(aleaSeed(streamKey(...key)));
}

/** The generator stepping `state` (which it owns from then on). */
export function streamFrom(state: AleaState): Uniform {
  const g = state;
  // alea's step, on an object's fields (unboxed doubles) rather than closure variables.
  return () => {
    const t = 2091639 * g.s0 + g.c * 2.3283064365386963e-10;
    g.s0 = g.s1;
    g.s1 = g.s2;
    g.c = t | 0;
    return (g.s2 = t - g.c);
  };
}

/**
 * The seeded alea state for `seed`: seedrandom's `alea(seed)` seeding (Baagoe's Mash hash of
 * three spaces, then three passes over the seed), done here on a local variable. seedrandom's
 * Mash keeps its running hash in a closure variable, so every character hashed allocated heap
 * numbers: 190 streams seeded per gm-2017 replicate made seeding a fifth of the replicate
 * (issue #15). The arithmetic is the same, operation for operation, so the state is bit for bit
 * seedrandom's: checked against the installed seedrandom when this module loads (below) and in
 * tests/rng.test.ts for thousands of keys. Returns a fresh object: the caller may step it.
 */
export function aleaSeed(seed: string): AleaState {
  const m0 = mash(MASH_AFTER_SPACES, seed, 0);
  const m1 = mash(m0, seed, 0);
  return seededState(m0, m1, mash(m1, seed, 0));
}

/**
 * `[aleaSeed(keyA), aleaSeed(keyB)]`, the two hashes computed side by side. Each is one long
 * chain of dependent arithmetic, so interleaved the processor runs the two in the time of about
 * one: set-up seeds three streams per leader, and seeding was the largest part of it.
 */
export function aleaSeedPair(keyA: string, keyB: string): [AleaState, AleaState] {
  mashPair(MASH_AFTER_SPACES, keyA, MASH_AFTER_SPACES, keyB);
  const a0 = pairOut[0];
  const b0 = pairOut[1];
  mashPair(a0, keyA, b0, keyB);
  const a1 = pairOut[0];
  const b1 = pairOut[1];
  mashPair(a1, keyA, b1, keyB);
  return [seededState(a0, a1, pairOut[0]), seededState(b0, b1, pairOut[1])];
}

/** Alea's state from Mash's running hash after each of its three passes over the seed. */
function seededState(m0: number, m1: number, m2: number): AleaState {
  let s0 = SPACE_HASHES[0] - unit(m0);
  if (s0 < 0) s0 += 1;
  let s1 = SPACE_HASHES[1] - unit(m1);
  if (s1 < 0) s1 += 1;
  let s2 = SPACE_HASHES[2] - unit(m2);
  if (s2 < 0) s2 += 1;
  return { c: 1, s0, s1, s2 };
}

/**
 * Mash's running hash after hashing one more character code. Its `h >>> 0` is `Math.floor(h)`
 * here: n starts positive and stays below 2^33, so both values truncated are in [0, 2^28), where
 * ToUint32 is the floor; V8's floor is one instruction, its double-to-uint32 truncation a quarter
 * slower.
 */
function mashStep(n: number, code: number): number {
  n += code;
  let h = 0.02519603282416938 * n;
  n = Math.floor(h);
  h -= n;
  h *= n;
  n = Math.floor(h);
  h -= n;
  return n + h * 0x100000000; // 2^32
}

/** Mash's running hash `n` after hashing `data` from index `from` on. */
function mash(n: number, data: string, from: number): number {
  for (let i = from; i < data.length; i++) n = mashStep(n, data.charCodeAt(i));
  return n;
}

/** Both running hashes, after `mashPair`. */
const pairOut = new Float64Array(2);

/** `mash(na, a)` and `mash(nb, b)` into `pairOut`, the characters both have taken in lockstep. */
function mashPair(na: number, a: string, nb: number, b: string): void {
  const shared = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < shared; i++) {
    na = mashStep(na, a.charCodeAt(i));
    nb = mashStep(nb, b.charCodeAt(i));
  }
  pairOut[0] = mash(na, a, shared);
  pairOut[1] = mash(nb, b, shared);
}

/** What Mash returns for running hash `n`: its low 32 bits scaled to [0, 1). */
const unit = (n: number) => (n >>> 0) * 2.3283064365386963e-10; // 2^-32

// Alea first hashes three spaces from Mash's fixed start, the same for every seed: done once.
const SPACE_HASHES: number[] = [];
let MASH_AFTER_SPACES = 0xefc8249d;
for (let k = 0; k < 3; k++) {
  MASH_AFTER_SPACES = mash(MASH_AFTER_SPACES, ' ', 0);
  SPACE_HASHES.push(unit(MASH_AFTER_SPACES));
}

// seedrandom's alea is the definition of every stream; refuse to run if this seeding ever
// disagrees with the installed one (a different seedrandom, say), rather than drift from it
// silently. Keys of the model's shape, an empty one and one outside the BMP.
for (const key of ['1\u241f0\u241finit\u241fBolton/Bolton Council/0', '', 'seed\u241f7\u241flocality\u241fWigan', '\u00e9\u{1f600}\u241f3']) {
  const theirs = (seedrandom.alea(key, { state: true }) as unknown as { state(): AleaState }).state();
  const ours = aleaSeed(key);
  const [paired] = aleaSeedPair(key, 'x');
  if (ours.c !== theirs.c || ours.s0 !== theirs.s0 || ours.s1 !== theirs.s1 || ours.s2 !== theirs.s2 || paired.s2 !== theirs.s2) {
    throw new Error(`rng.ts: alea seeding differs from seedrandom's for key ${JSON.stringify(key)}`);
  }
}

/**
 * Standard normal draw from exactly one uniform, by the inverse normal CDF (Acklam's rational
 * approximation, relative error below 1.2e-9). One uniform per draw keeps streams aligned and
 * avoids the log and cosine of Box–Muller in the central 95% of draws, which matters because
 * every leader draws one each round.
 */
export function normal(uniform: Uniform): number {
  return inverseNormal(uniform());
}

// Acklam's coefficients as scalar constants rather than arrays: V8 then folds them into the
// instructions instead of loading (and bounds-checking) eleven array elements per draw, which
// made the draw about a third of the decision phase's cost.
const A1 = -3.969683028665376e1, A2 = 2.209460984245205e2, A3 = -2.759285104469687e2;
const A4 = 1.38357751867269e2, A5 = -3.066479806614716e1, A6 = 2.506628277459239;
const B1 = -5.447609879822406e1, B2 = 1.615858368580409e2, B3 = -1.556989798598866e2;
const B4 = 6.680131188771972e1, B5 = -1.328068155288572e1;
const C1 = -7.784894002430293e-3, C2 = -3.223964580411365e-1, C3 = -2.400758277161838;
const C4 = -2.549732539343734, C5 = 4.374664141464968, C6 = 2.938163982698783;
const D1 = 7.784695709041462e-3, D2 = 3.224671290700398e-1, D3 = 2.445134137142996, D4 = 3.754408661907416;
const P_LOW = 0.02425;

/** Inverse of the standard normal CDF for u in [0, 1) (u = 0 is treated as 2^-40). */
export function inverseNormal(u: number): number {
  const p = u > 0 ? u : 9.094947017729282e-13;
  if (p < P_LOW || p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p < P_LOW ? p : 1 - p));
    const x = (((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6) / ((((D1 * q + D2) * q + D3) * q + D4) * q + 1);
    return p < P_LOW ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((A1 * r + A2) * r + A3) * r + A4) * r + A5) * r + A6) * q) /
    (((((B1 * r + B2) * r + B3) * r + B4) * r + B5) * r + 1);
}

/**
 * Many alea streams whose state lives in typed arrays, one slot per entity. Each slot is seeded
 * by `aleaSeed` (seedrandom's alea seeding) and then stepped with alea's own
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
    this.set(slot, aleaSeed(streamKey(...key)));
  }

  /** Puts a seeded state into slot `slot` (from aleaSeed or aleaSeedPair). */
  set(slot: number, state: Readonly<AleaState>): void {
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

  /** Standard normal from slot `slot` on exactly one uniform, like `normal()`. */
  normal(slot: number): number {
    return inverseNormal(this.next(slot));
  }

}

/**
 * `out[slot] = bank.next(slot)` for every slot in `slots`, in one tight loop: the bank's step for
 * hot phases that draw for every leader (turnover, decisions). The bank's arrays are read by the
 * caller's function and passed in: a property read at the top of a function whose first call is
 * one long loop has no type feedback when V8 first optimises it, and the deoptimisation there
 * left the decision phase in baseline code for the rest of the run.
 */
export function fillBankUniform(
  c: Float64Array, s0: Float64Array, s1: Float64Array, s2: Float64Array, slots: ArrayLike<number>, out: Float64Array,
): void {
  for (let k = 0; k < slots.length; k++) {
    const slot = slots[k];
    const t = 2091639 * s0[slot] + c[slot] * 2.3283064365386963e-10;
    s0[slot] = s1[slot];
    s1[slot] = s2[slot];
    const carry = t | 0;
    c[slot] = carry;
    const u = t - carry;
    s2[slot] = u;
    out[slot] = u;
  }
}

/**
 * `out[slot] = bank.normal(slot)` for every slot in `slots`: the same numbers, drawn in tight
 * loops of their own, where the out-of-order core overlaps the inverse CDF's long dependency
 * chain from one slot to the next; inside the decision loop's long body it could not, and the
 * draw cost about a quarter of the decision phase in a 10⁴-leader round.
 */
export function fillNormal(
  c: Float64Array, s0: Float64Array, s1: Float64Array, s2: Float64Array, slots: ArrayLike<number>, out: Float64Array,
): void {
  fillBankUniform(c, s0, s1, s2, slots, out);
  for (let k = 0; k < slots.length; k++) {
    const slot = slots[k];
    out[slot] = inverseNormal(out[slot]);
  }
}

export interface AleaState {
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
