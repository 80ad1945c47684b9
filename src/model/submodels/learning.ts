/**
 * Submodel 6, learning. Trust is directed and updated on each tie i → j from what i saw j do:
 *
 *   j reciprocated (u_j ≥ tolerance·E_i):  T += gain·weight·(1 if the board decided, else meetingGainShare)
 *   j defected (gave less than that):      T −= asymmetry·gain·weight        (lost faster than built)
 *   forced decision (within locality):     T −= paceCost   (a decision trust did not carry)
 *   mandate above own choice:              T −= mandateCost·(u_i − unforced_i)
 *
 * where E_i is what i expected of its partners before this round. Clamped to [0, 1]; nothing
 * changes when neither partner committed anything. Expectations
 * follow trust-weighted observations: E ← (1 − φ)E + φ·Σ T·u_j·w / Σ w. Each leader writes
 * only its own ties, expectation and mean trust, and lowers its locality's lowest trust (a
 * minimum, exact in any order), so the order leaders are processed in is irrelevant.
 * Turnover (drawn before the trust update) replaces leaders, resetting relationships to baseline
 * both ways; focus drifts home; and the locality's vision, understanding, formula, friction and
 * Tuckman stage move.
 */
import type { RoundContext } from '../context.ts';
import type { SimState } from '../state.ts';

/** Peer sanctions for every leader in `leaders`: pressure to give what locality partners give. */
export function sanctions(state: SimState, leaders: ArrayLike<number>): void {
  const { leaders: L, ties: T, scenario } = state;
  const { enabled, strength, memory } = scenario.leaders.sanctions;
  const { sanctionPressure, disposition } = L;
  if (!enabled) {
    for (let k = 0; k < leaders.length; k++) sanctionPressure[leaders[k]] = 0;
    return;
  }
  const { start, withinEnd, target } = T;
  for (let q = 0; q < leaders.length; q++) {
    const i = leaders[q];
    let shortfall = 0;
    for (let k = start[i]; k < withinEnd[i]; k++) {
      const gap = disposition[target[k]] - disposition[i];
      if (gap > 0) shortfall += gap;
    }
    const count = withinEnd[i] - start[i];
    // Remembered pressure plus this round's: strength × mean shortfall behind locality partners.
    sanctionPressure[i] = memory * sanctionPressure[i] + (count > 0 ? (strength * shortfall) / count : 0);
  }
}

/**
 * One observation of a partner: reciprocation adds `gain·gainWeight`, defection removes
 * `asymmetry·gain·lossWeight` (asymmetry > 1: trust is lost faster than it is built), clamped
 * to [0, 1]. Pure, so the asymmetry invariant can be tested on it directly; the locality-tie
 * loop in `updateTrust` computes the same numbers without branches.
 */
export function trustAfterObservation(
  trust: number, reciprocated: boolean, gainWeight: number, lossWeight: number, gain: number, asymmetry: number,
): number {
  const next = reciprocated ? trust + gain * gainWeight : trust - asymmetry * gain * lossWeight;
  return next < 0 ? 0 : next > 1 ? 1 : next;
}

// Scratch for observeLocalityRun: the trust change after a defection [0] and a reciprocation
// [1]; the clamp table (slot 0 holds the value being clamped); and the run's totals (sum,
// minimum, trust-weighted observation), carried from one run to the next.
const trustChange = new Float64Array(2);
const clampTable = new Float64Array([0, 0, 1]);
const runTotals = new Float64Array(3);

/**
 * The common case of the locality-tie loop, for ties first..end − 1 whose partners are j, j + 1, …
 * (an active truster and no pace or mandate cost): every tie observes, nothing else applies.
 * Written without data-dependent branches, because about one observation in ten is a defection
 * and one tie in ten sits at a bound, and over 10⁶ ties a mispredicted branch costs more than the
 * arithmetic: `trustChange[reciprocated]` is the change in trust (`t + (−down)` is the same
 * double as `t − down`), and `clampTable[(t < 0) + 2·(t > 1)]` clamps t once `clampTable[0] = t`.
 * The sum, minimum and trust-weighted observation carry over between calls in `runTotals`, so a
 * row split in two around the truster's own index sums in the same order as one loop would.
 */
function observeLocalityRun(
  tieTrust: Float64Array, disposition: Float64Array, first: number, end: number, j: number, bar: number,
): void {
  let sum = runTotals[0];
  let min = runTotals[1];
  let observed = runTotals[2];
  for (let k = first; k < end; k++, j++) {
    const uj = disposition[j];
    let t = tieTrust[k] + trustChange[+(uj >= bar)];
    clampTable[0] = t;
    t = clampTable[+(t < 0) + 2 * +(t > 1)];
    tieTrust[k] = t;
    sum += t;
    if (t < min) min = t;
    observed += t * uj;
  }
  runTotals[0] = sum;
  runTotals[1] = min;
  runTotals[2] = observed;
}

/**
 * A locality's lowest trust before any of its ties is seen: 1, or the baseline for a locality of
 * one leader, which has no locality ties.
 */
export function lowestTrustBeforeTies(leadersInLocality: number, initial: number): number {
  return leadersInLocality > 1 ? 1 : initial;
}

/**
 * Trust and expectation updates, with each leader's mean trust and each locality's lowest trust
 * (see the module comment). `leaders` must hold every leader, in any order: the pass starts each
 * locality's lowest trust afresh. The lowest trust is kept per locality, not per leader: a
 * minimum does not depend on the order it is taken in, and one running minimum over the
 * locality's ties is rarely beaten, where a fresh one per leader is beaten (a mispredicted
 * branch) a few times in every row.
 */
export function updateTrust(state: SimState, leaders: ArrayLike<number>): void {
  const { leaders: L, ties: T, localities: C, scenario } = state;
  const { gain, asymmetry, meetingGainShare, paceCost, mandateCost, reciprocityTolerance, initial } = scenario.trust;
  const mandated = scenario.regime.mandated;
  const phi = scenario.leaders.beliefUpdate;
  const { start, withinEnd, target, weight, trust: tieTrust } = T;
  const { disposition, unforced, expectation, locality, trustMean } = L;
  const { decided, forced, leaderStart, leaderEnd, minTrust } = C;
  for (let c = 0; c < minTrust.length; c++) minTrust[c] = lowestTrustBeforeTies(leaderEnd[c] - leaderStart[c], initial);
  for (let q = 0; q < leaders.length; q++) {
    const i = leaders[q];
    const c = locality[i];
    const ui = disposition[i];
    const gainScale = decided[c] === 1 ? 1 : meetingGainShare;
    const resentment = mandated ? ui - unforced[i] : 0;
    // The bar a partner must clear to count as reciprocating: most of what i expected of partners.
    const bar = reciprocityTolerance * expectation[i];
    const active = ui > 0;
    // Costs every locality tie bears this round whatever the partner did.
    const penalty = (forced[c] === 1 ? paceCost : 0) + (resentment > 0 ? mandateCost * resentment : 0);
    let observed = 0;
    let sum = 0;
    let min = minTrust[c];
    // Locality ties (weight 1) come first in the row, system ties after. The locality ties point
    // at the locality's other leaders in index order (see network.ts), so the partner index is
    // walked directly instead of read from `target`, in two runs either side of i itself.
    const first = start[i];
    const localEnd = withinEnd[i];
    if (localEnd - first !== leaderEnd[c] - leaderStart[c] - 1) {
      throw new RangeError(`leader ${i}: its locality ties do not match its locality (see network.ts)`);
    }
    // Where i's own slot would be: ties before it point at partners before i.
    const selfSlot = first + (i - leaderStart[c]);
    if (active && penalty === 0) {
      trustChange[0] = -(asymmetry * gain);
      trustChange[1] = gain * gainScale;
      runTotals[0] = 0;
      runTotals[1] = min;
      runTotals[2] = 0;
      observeLocalityRun(tieTrust, disposition, first, selfSlot, leaderStart[c], bar);
      observeLocalityRun(tieTrust, disposition, selfSlot, localEnd, i + 1, bar);
      sum = runTotals[0];
      min = runTotals[1];
      observed = runTotals[2];
    } else {
      for (let k = first, j = leaderStart[c]; k < localEnd; k++, j++) {
        if (k === selfSlot) j++;
        const uj = disposition[j];
        let t = tieTrust[k];
        if (active || uj > 0) t = trustAfterObservation(t, uj >= bar, gainScale, 1, gain, asymmetry);
        t -= penalty;
        t = t < 0 ? 0 : t;
        tieTrust[k] = t;
        sum += t;
        if (t < min) min = t;
        observed += t * uj;
      }
    }
    const count = localEnd - first;
    let weights = count;
    const end = start[i + 1];
    for (let k = localEnd; k < end; k++) {
      const uj = disposition[target[k]];
      const w = weight[k];
      let t = tieTrust[k];
      if (active || uj > 0) t = trustAfterObservation(t, uj >= bar, w, w, gain, asymmetry);
      tieTrust[k] = t;
      observed += t * uj * w;
      weights += w;
    }
    if (weights > 0) expectation[i] = (1 - phi) * expectation[i] + (phi * observed) / weights;
    trustMean[i] = count > 0 ? sum / count : initial;
    minTrust[c] = min;
  }
}

/**
 * Draws this round's turnover for every leader in `leaders` and lets focus drift home. Marks
 * replaced leaders in `replaced` (1 = replaced) and returns whether anyone was.
 */
export function drawTurnover(
  state: SimState, context: RoundContext, leaders: ArrayLike<number>, replaced: Uint8Array,
): boolean {
  const { focus, focusHome, tenure, rng } = state.leaders;
  const recovery = state.scenario.leaders.focusRecovery;
  const rate = context.turnoverPerRound;
  let any = false;
  for (let k = 0; k < leaders.length; k++) {
    const i = leaders[k];
    const out = rng.next(i) < rate; // one uniform every round
    const f = focus[i];
    focus[i] = f + recovery * (focusHome[i] - f);
    tenure[i] = out ? 0 : tenure[i] + 1;
    replaced[i] = out ? 1 : 0;
    any ||= out;
  }
  return any;
}

/** A newcomer: baseline trust both ways on every tie, home focus, fresh expectation. */
export function replaceLeader(state: SimState, i: number): void {
  const { leaders: L, ties: T, localities: C, scenario } = state;
  const initial = scenario.trust.initial;
  L.focus[i] = L.focusHome[i];
  L.expectation[i] = initial * scenario.leaders.priorBelief;
  L.sanctionPressure[i] = 0;
  const c = L.locality[i];
  const first = C.leaderStart[c];
  for (let k = T.start[i]; k < T.start[i + 1]; k++) {
    T.trust[k] = initial;
    const j = T.target[k];
    if (k < T.withinEnd[i]) {
      // Locality ties are in partner order without self (network.ts): i's place in j's row is known.
      T.trust[T.start[j] + (i - first) - (i > j ? 1 : 0)] = initial;
      continue;
    }
    for (let back = T.withinEnd[j]; back < T.start[j + 1]; back++) {
      if (T.target[back] === i) {
        T.trust[back] = initial;
        break;
      }
    }
  }
  const keep = 1 - scenario.board.turnoverMemoryLoss / (C.leaderEnd[c] - first);
  C.vision[c] *= keep;
  C.understanding[c] *= keep;
}

export const STAGES = ['forming', 'storming', 'norming', 'performing'] as const;

/** Locality learning: vision, understanding, formula, friction and Tuckman stage. */
export function localityLearning(state: SimState, c: number): void {
  const { localities: C, leaders: L, scenario } = state;
  const board = scenario.board;
  const n = C.leaderEnd[c] - C.leaderStart[c];
  const ambition = C.meanAmbition[c];
  const followership = C.meanFollowership[c];
  let trust = 0;
  for (let i = C.leaderStart[c]; i < C.leaderEnd[c]; i++) trust += L.trustMean[i];
  trust /= n;
  // Trust after this round's learning: what the round's observation records (the trust pass
  // has already set C.minTrust).
  C.meanTrust[c] = trust;
  const decided = C.decided[c] === 1;
  if (decided) C.vision[c] += board.visionGain * ambition * (1 - C.vision[c]);
  C.understanding[c] += board.understandingGain * followership * C.vision[c] * (1 - C.understanding[c]);
  if (!C.formula[c] && decided && C.vision[c] >= board.formulaThreshold) C.formula[c] = 1;
  if (C.formula[c]) C.friction[c] *= 1 - board.frictionDecay;

  C.roundsActive[c]++;
  const stage = C.stage[c];
  const understanding = C.understanding[c];
  let next = stage;
  if (stage === 0) {
    if (C.roundsActive[c] >= board.stormingAfter) next = 1;
  } else if (stage === 1) {
    if (C.formula[c] && trust >= board.normingTrust) next = 2;
  } else if (trust < board.regressTrust) {
    next = 1;
  } else if (stage === 2) {
    if (trust >= board.performingTrust && understanding >= board.performingUnderstanding) next = 3;
  } else if (trust < board.normingTrust || understanding < board.regressUnderstanding) {
    next = 2;
  }
  C.stage[c] = next;
}
