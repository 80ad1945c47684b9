/**
 * The trust pass (`updateTrust` in ../submodels/learning.ts) as an AssemblyScript kernel,
 * compiled to WebAssembly with 128-bit SIMD by `npm run build:wasm` into trust-pass.wasm.ts.
 * Same numbers as the JavaScript pass, bit for bit (tested): every operation is the same IEEE
 * double operation in the same order. Two ties are computed per step (f64x2), and their trust
 * and expectation are then added to the sums one lane after the other, so each sum is formed in
 * tie order as the JavaScript loop forms it. The choices are arithmetic, not branches (V8
 * compiles a wasm f64 `select` to a branch, mispredicted here about every other tie):
 * the cap at 1 is `o − (o − 1)·[o > 1]`, as in JavaScript, and the share moved is
 * `m·loss + (1 − m)·up` with m ∈ {0, 1}, which is exactly `loss` or `up` for finite rates.
 *
 * The arrays are at byte offsets in the imported memory, where trust-pass.ts keeps them.
 * Returns 0, or −(i + 1) if leader i's locality ties do not match its locality (network.ts).
 */

@inline function f(p: usize, k: i32): f64 { return load<f64>(p + (<usize>k << 3)); }
@inline function setF(p: usize, k: i32, v: f64): void { store<f64>(p + (<usize>k << 3), v); }
@inline function int(p: usize, k: i32): i32 { return load<i32>(p + (<usize>k << 2)); }
@inline function pick(a: f64, b: f64, cond: bool): f64 {
  const m = <f64>cond;
  return m * a + (1 - m) * b;
}

/**
 * The pass. `block` is the byte offset of its arguments in memory (one pointer instead of 28
 * arguments keeps the call from JavaScript cheap): 9 doubles (tolerance, initial, beta,
 * trustLoss, crossGain, crossLoss, mandateCost, paceCost, and EXPECTATION_FLOOR, the commitment
 * below which a truster learns nothing), then 20 32-bit integers (count,
 * nLoc, mandated, and the offsets of order, locality, disposition, unforced, expectation,
 * trustMean, trustUp, forcedMonths, leaderStart, leaderEnd, minTrust, start, withinEnd, target,
 * weight, trust, expected).
 */
export function updateTrust(block: usize): i32 {
  const tolerance = load<f64>(block), initial = load<f64>(block, 8), beta = load<f64>(block, 16);
  const trustLoss = load<f64>(block, 24), crossGain = load<f64>(block, 32), crossLoss = load<f64>(block, 40);
  const mandateCost = load<f64>(block, 48), paceCost = load<f64>(block, 56), floor = load<f64>(block, 64);
  const ints = block + 72;
  const count = int(ints, 0), nLoc = int(ints, 1), mandated = int(ints, 2);
  const order = <usize>int(ints, 3), locality = <usize>int(ints, 4), disposition = <usize>int(ints, 5);
  const unforced = <usize>int(ints, 6), expectation = <usize>int(ints, 7), trustMean = <usize>int(ints, 8);
  const trustUp = <usize>int(ints, 9), forcedMonths = <usize>int(ints, 10), leaderStart = <usize>int(ints, 11);
  const leaderEnd = <usize>int(ints, 12), minTrust = <usize>int(ints, 13), start = <usize>int(ints, 14);
  const withinEnd = <usize>int(ints, 15), target = <usize>int(ints, 16), weight = <usize>int(ints, 17);
  const trust = <usize>int(ints, 18), expected = <usize>int(ints, 19);
  const vTolerance = f64x2.splat(tolerance), vOne = f64x2.splat(1.0), vZero = f64x2.splat(0.0);
  const vLoss = f64x2.splat(trustLoss), vBeta = f64x2.splat(beta);
  for (let c = 0; c < nLoc; c++) setF(minTrust, c, int(leaderEnd, c) - int(leaderStart, c) > 1 ? 1.0 : initial);
  for (let q = 0; q < count; q++) {
    const i = int(order, q);
    const c = int(locality, i);
    const ui = f(disposition, i);
    const up = f(trustUp, c);
    const resentment: f64 = mandated ? ui - f(unforced, i) : 0.0;
    const penalty = paceCost * f(forcedMonths, c) + (resentment > 0 ? mandateCost * resentment : 0.0);
    let expectations: f64 = 0, sum: f64 = 0, min = f(minTrust, c);
    const first = int(start, i), localEnd = int(withinEnd, i);
    const firstPartner = int(leaderStart, c);
    if (localEnd - first != int(leaderEnd, c) - firstPartner - 1) return -(i + 1);
    const selfSlot = first + (i - firstPartner);
    const exposed = ui >= floor;
    if (exposed && penalty == 0) {
      // The common case: every locality tie observes and learns; partners j, j + 1, … skip i.
      const inverseOwn = 1 / ui;
      const vInverse = f64x2.splat(inverseOwn), vUp = f64x2.splat(up);
      let j = firstPartner;
      let k = first;
      let stop = selfSlot;
      for (let run = 0; run < 2; run++) {
        for (; k + 1 < stop; k += 2, j += 2) {
          const uj = v128.load(disposition + (<usize>j << 3));
          const e = v128.load(expected + (<usize>k << 3));
          let o = f64x2.mul(f64x2.add(uj, vTolerance), vInverse);
          o = f64x2.sub(o, f64x2.mul(f64x2.sub(o, vOne), v128.and(f64x2.gt(o, vOne), vOne)));
          const t = v128.load(trust + (<usize>k << 3));
          const d = f64x2.sub(o, t);
          const m = v128.and(f64x2.lt(d, vZero), vOne);
          const rate = f64x2.add(f64x2.mul(m, vLoss), f64x2.mul(f64x2.sub(vOne, m), vUp));
          const moved = f64x2.add(t, f64x2.mul(rate, d));
          v128.store(trust + (<usize>k << 3), moved);
          const t0 = f64x2.extract_lane(moved, 0), t1 = f64x2.extract_lane(moved, 1);
          sum += t0;
          sum += t1;
          min = select<f64>(t0, min, t0 < min);
          min = select<f64>(t1, min, t1 < min);
          const next = f64x2.add(e, f64x2.mul(vBeta, f64x2.sub(uj, e)));
          v128.store(expected + (<usize>k << 3), next);
          expectations += f64x2.extract_lane(next, 0);
          expectations += f64x2.extract_lane(next, 1);
        }
        for (; k < stop; k++, j++) {
          const uj = f(disposition, j);
          const e = f(expected, k);
          let o = (uj + tolerance) * inverseOwn;
          o -= (o - 1) * <f64>(o > 1);
          let t = f(trust, k);
          const d = o - t;
          t += pick(trustLoss, up, d < 0) * d;
          setF(trust, k, t);
          sum += t;
          min = select<f64>(t, min, t < min);
          const next = e + beta * (uj - e);
          setF(expected, k, next);
          expectations += next;
        }
        j++; // past i itself
        stop = localEnd;
      }
    } else {
      // Pace or mandate costs, or a truster who committed nothing (it learns nothing).
      let j = firstPartner;
      for (let k = first; k < localEnd; k++, j++) {
        if (k == selfSlot) j++;
        const uj = f(disposition, j);
        const e = f(expected, k);
        let t = f(trust, k);
        if (exposed) {
          let o = (uj + tolerance) * (1 / (ui > floor ? ui : floor));
          o = o > 1 ? 1 : o;
          const d = o - t;
          t = t + (d < 0 ? trustLoss : up) * d;
        }
        t -= penalty;
        t = t < 0 ? 0 : t;
        setF(trust, k, t);
        sum += t;
        if (t < min) min = t;
        const next = e + beta * (uj - e);
        setF(expected, k, next);
        expectations += next;
      }
    }
    const ties = localEnd - first;
    let weights: f64 = <f64>ties;
    const end = int(start, i + 1);
    if (exposed) {
      const inverseOwn = 1 / ui;
      for (let k = localEnd; k < end; k++) {
        const uj = f(disposition, int(target, k));
        const w = f(weight, k);
        const e = f(expected, k);
        let o = (uj + tolerance) * inverseOwn;
        o -= (o - 1) * <f64>(o > 1);
        const t = f(trust, k);
        const d = o - t;
        setF(trust, k, t + pick(crossLoss, crossGain, d < 0) * d);
        const next = e + beta * (uj - e);
        setF(expected, k, next);
        expectations += next * w;
        weights += w;
      }
    } else {
      for (let k = localEnd; k < end; k++) {
        const uj = f(disposition, int(target, k));
        const w = f(weight, k);
        const e = f(expected, k);
        const next = e + beta * (uj - e);
        setF(expected, k, next);
        expectations += next * w;
        weights += w;
      }
    }
    if (weights > 0) setF(expectation, i, expectations / weights);
    setF(trustMean, i, ties > 0 ? sum / <f64>ties : initial);
    setF(minTrust, c, min);
  }
  return 0;
}
