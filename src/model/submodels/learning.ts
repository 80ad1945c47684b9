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
 * only its own ties and expectation, so the order leaders are processed in is irrelevant.
 * Turnover (drawn before the trust update) replaces leaders, resetting relationships to baseline
 * both ways; focus drifts home; and the locality's vision, understanding, formula, friction and
 * Tuckman stage move.
 */
import type { RoundContext } from '../context.ts';
import type { SimState } from '../state.ts';

export function sanctions(state: SimState, i: number): void {
  const { leaders: L, ties: T, scenario } = state;
  const { enabled, strength, memory } = scenario.leaders.sanctions;
  if (!enabled) {
    L.sanctionPressure[i] = 0;
    return;
  }
  let shortfall = 0;
  let count = 0;
  for (let k = T.start[i]; k < T.start[i + 1]; k++) {
    if (!T.within[k]) continue;
    const gap = L.disposition[T.target[k]] - L.disposition[i];
    if (gap > 0) shortfall += gap;
    count++;
  }
  // Remembered pressure plus this round's: strength × mean shortfall behind locality partners.
  L.sanctionPressure[i] = memory * L.sanctionPressure[i] + (count > 0 ? (strength * shortfall) / count : 0);
}

/**
 * One observation of a partner: reciprocation adds `gain·gainWeight`, defection removes
 * `asymmetry·gain·lossWeight` (asymmetry > 1: trust is lost faster than it is built), clamped
 * to [0, 1]. Pure, so the asymmetry invariant can be tested on it directly.
 */
export function trustAfterObservation(
  trust: number, reciprocated: boolean, gainWeight: number, lossWeight: number, gain: number, asymmetry: number,
): number {
  const next = reciprocated ? trust + gain * gainWeight : trust - asymmetry * gain * lossWeight;
  return next < 0 ? 0 : next > 1 ? 1 : next;
}

export function updateTrust(state: SimState, i: number): void {
  const { leaders: L, ties: T, localities: C, scenario } = state;
  const trust = scenario.trust;
  const regime = scenario.regime;
  const c = L.locality[i];
  const ui = L.disposition[i];
  const gainScale = C.decided[c] === 1 ? 1 : trust.meetingGainShare;
  const forced = C.forced[c] === 1;
  const resentment = regime.mandated ? ui - L.unforced[i] : 0;
  // The bar a partner must clear to count as reciprocating: most of what i expected of partners.
  const bar = trust.reciprocityTolerance * L.expectation[i];
  const gain = trust.gain;
  const asymmetry = trust.asymmetry;
  const { target, weight, trust: tieTrust } = T;
  const disposition = L.disposition;
  const active = ui > 0;
  // Costs every locality tie bears this round whatever the partner did.
  const penalty = (forced ? trust.paceCost : 0) + (resentment > 0 ? trust.mandateCost * resentment : 0);
  let observed = 0;
  let weights = 0;
  let sum = 0;
  let min = 1;
  // Locality ties (weight 1) come first in the row, system ties after: two tight loops. The
  // locality ties point at the locality's other leaders in index order (see network.ts), so
  // the partner index is walked directly instead of read from `target`.
  const withinEnd = T.withinEnd[i];
  const localityEnd = C.leaderEnd[c];
  let j = C.leaderStart[c];
  if (active && penalty === 0) {
    // The common case, kept free of branches that cannot fire: every tie observes, nothing extra.
    for (let k = T.start[i]; k < withinEnd; k++, j++) {
      if (j === i) j++;
      const uj = disposition[j];
      const t = trustAfterObservation(tieTrust[k], uj >= bar, gainScale, 1, gain, asymmetry);
      tieTrust[k] = t;
      sum += t;
      if (t < min) min = t;
      observed += t * uj;
    }
  } else {
    for (let k = T.start[i]; k < withinEnd; k++, j++) {
      if (j === i) j++;
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
  if (j > localityEnd) throw new RangeError(`leader ${i}: locality ties do not match the locality`);
  const count = withinEnd - T.start[i];
  weights += count;
  const end = T.start[i + 1];
  for (let k = withinEnd; k < end; k++) {
    const uj = disposition[target[k]];
    const w = weight[k];
    let t = tieTrust[k];
    if (active || uj > 0) t = trustAfterObservation(t, uj >= bar, w, w, gain, asymmetry);
    tieTrust[k] = t;
    observed += t * uj * w;
    weights += w;
  }
  const phi = scenario.leaders.beliefUpdate;
  if (weights > 0) L.expectation[i] = (1 - phi) * L.expectation[i] + (phi * observed) / weights;
  L.trustMean[i] = count > 0 ? sum / count : trust.initial;
  L.trustMin[i] = count > 0 ? min : trust.initial;
}

/** Draws this round's turnover for leader i; returns true when the leader was replaced. */
export function drawTurnover(state: SimState, context: RoundContext, i: number): boolean {
  const { leaders: L } = state;
  const replaced = L.rng.next(i) < context.turnoverPerRound; // one uniform every round
  const f = L.focus[i];
  L.focus[i] = f + state.scenario.leaders.focusRecovery * (L.focusHome[i] - f);
  L.tenure[i] = replaced ? 0 : L.tenure[i] + 1;
  return replaced;
}

/** A newcomer: baseline trust both ways on every tie, home focus, fresh expectation. */
export function replaceLeader(state: SimState, i: number): void {
  const { leaders: L, ties: T, localities: C, scenario } = state;
  const initial = scenario.trust.initial;
  L.focus[i] = L.focusHome[i];
  L.expectation[i] = initial * scenario.leaders.priorBelief;
  L.sanctionPressure[i] = 0;
  for (let k = T.start[i]; k < T.start[i + 1]; k++) {
    T.trust[k] = initial;
    const j = T.target[k];
    for (let back = T.start[j]; back < T.start[j + 1]; back++) {
      if (T.target[back] === i) {
        T.trust[back] = initial;
        break;
      }
    }
  }
  const c = L.locality[i];
  const keep = 1 - scenario.board.turnoverMemoryLoss / (C.leaderEnd[c] - C.leaderStart[c]);
  C.vision[c] *= keep;
  C.understanding[c] *= keep;
}

export const STAGES = ['forming', 'storming', 'norming', 'performing'] as const;

/** Locality learning: vision, understanding, formula, friction and Tuckman stage. */
export function localityLearning(state: SimState, c: number): void {
  const { localities: C, leaders: L, scenario } = state;
  const board = scenario.board;
  const n = C.leaderEnd[c] - C.leaderStart[c];
  let ambition = 0;
  let followership = 0;
  let trust = 0;
  let minTrust = 1;
  for (let i = C.leaderStart[c]; i < C.leaderEnd[c]; i++) {
    ambition += L.ambition[i];
    followership += L.followership[i];
    trust += L.trustMean[i];
    if (L.trustMin[i] < minTrust) minTrust = L.trustMin[i];
  }
  ambition /= n;
  followership /= n;
  trust /= n;
  // Trust after this round's learning: what the round's observation records.
  C.meanTrust[c] = trust;
  C.minTrust[c] = minTrust;
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
