/**
 * Submodel 6, learning. Trust is a directed belief, earned: on each tie i → j it moves towards
 * what i saw of j's trustworthiness this round,
 *
 *   o = min(1, (u_j + tolerance) / u_i)         did j reciprocate what i committed? (undiscounted)
 *   T += λ·(o − T),  λ = λ+ = 1 − exp(−gain·w/R) if o > T, with w = 1 in months the board decided
 *                    and meetingGainShare in months it only met; λ− = 1 − exp(−asymmetry·gain/R)
 *                    if o < T (trust is lost faster than it is built; the meeting share does not
 *                    slow the loss)
 *   forced months (within locality):       T −= paceCost·forcedMonths   (decisions trust did not carry)
 *   mandate above own choice:              T −= mandateCost/roundsPerYear·(u_i − unforced_i)
 *
 * so trust converges to the trustworthiness partners show: time alone builds nothing, and a
 * partner who keeps matching what i puts in is trusted more, one who falls short less. A
 * truster who committed nothing risked nothing and learns nothing. What i expects of j (its implicit
 * promise) follows what j committed, undiscounted: E_ij ← E_ij + β·(u_j − E_ij) (β the per-round
 * share of `beliefUpdate`), and i's expectation of its partners is E_i = Σ w·E_ij / Σ w, the
 * belief conditional cooperation responds to. Each leader writes only its own ties, expectation and mean trust, and lowers
 * its locality's lowest trust (a minimum, exact in any order), so the order leaders are
 * processed in is irrelevant. Turnover (drawn before the trust update) replaces leaders,
 * resetting relationships to baseline both ways except for the share held in structures; focus
 * drifts home; and the locality's perceived return, vision, understanding, formula, friction and
 * Tuckman stage move.
 */
import { sharePerRound, type RoundContext } from '../context.ts';
import type { SimState } from '../state.ts';
import { fillBankUniform } from '../rng.ts';

/** A truster's own commitment below this counts as nothing (no division by a vanishing commitment). */
export const EXPECTATION_FLOOR = 0.01;

/**
 * Peer sanctions for every leader in `leaders`: pressure to give what locality partners give.
 * Pressure moves towards strength × mean shortfall behind the partners, keeping `memory` of
 * last round's (so its level does not depend on the time step).
 */
export function sanctions(state: SimState, context: RoundContext, leaders: ArrayLike<number>): void {
  const { leaders: L, ties: T, scenario } = state;
  const { enabled, strength } = scenario.leaders.sanctions;
  const { sanctionPressure, disposition } = L;
  if (!enabled) {
    for (let k = 0; k < leaders.length; k++) sanctionPressure[leaders[k]] = 0;
    return;
  }
  const memory = context.sanctionMemory;
  const { start, withinEnd, target } = T;
  for (let q = 0; q < leaders.length; q++) {
    const i = leaders[q];
    let shortfall = 0;
    for (let k = start[i]; k < withinEnd[i]; k++) {
      const gap = disposition[target[k]] - disposition[i];
      if (gap > 0) shortfall += gap;
    }
    const count = withinEnd[i] - start[i];
    const felt = count > 0 ? (strength * shortfall) / count : 0;
    sanctionPressure[i] = memory * sanctionPressure[i] + (1 - memory) * felt;
  }
}

/**
 * Observed trustworthiness of a partner who committed `u` towards a truster who committed `own`:
 * min(1, (u + tolerance) / own), reciprocity with a shortfall of up to `tolerance` forgiven (a
 * partner's commitment scatters from round to round; only a real shortfall is a breach). The
 * truster's own commitment counts as at least EXPECTATION_FLOOR.
 */
export function trustworthiness(u: number, own: number, tolerance: number): number {
  const o = (u + tolerance) * (1 / (own > EXPECTATION_FLOOR ? own : EXPECTATION_FLOOR)); // as the branch-free pass computes it
  return o > 1 ? 1 : o;
}

/**
 * A truster who committed nothing risked nothing and so learns nothing about its partners'
 * trustworthiness (time alone builds nothing); its expectations still follow what they did.
 */
export const observes = (own: number): boolean => own >= EXPECTATION_FLOOR;

/**
 * One observation of a partner: trust moves a share `up` of the way to the observed
 * trustworthiness when that is above it, a share `down` when below (down > up: lost faster than
 * built). Stays in [0, 1] because it is a weighted mean of two numbers in [0, 1]. Pure, so the
 * asymmetry and convergence invariants can be tested on it directly; the tie loops of
 * `updateTrust` (locality and system ties) compute the same numbers without branches.
 */
export function trustAfterObservation(trust: number, observed: number, up: number, down: number): number {
  const d = observed - trust;
  return trust + (d < 0 ? down : up) * d;
}

// Scratch for observeLocalityRun and observeSystemRun: the share moved when observed
// trustworthiness is above [0] and below [1] the trust held, on locality ties (trustRate) and on
// system ties (crossRate); the run's totals (trust sum or, for system ties, the weights; trust
// minimum; updated expectations), carried from one run to the next.
const trustRate = new Float64Array(2);
const crossRate = new Float64Array(2);
const runTotals = new Float64Array(3);

/**
 * The common case of the locality-tie loop, for ties first..end − 1 whose partners are j, j + 1, …
 * (a truster who committed something, no pace or mandate cost): every tie observes and learns. Written without data-dependent
 * branches, because over 10⁶ ties a mispredicted branch costs more than the arithmetic:
 * `trustRate[below]` is the share moved and the cap at 1 is `o − (o − 1)·(o > 1)`. The totals
 * carry over between calls in `runTotals`, so a row split in two around the truster's own index
 * sums in the same order as one loop would.
 */
function observeLocalityRun(
  tieTrust: Float64Array, tieExpected: Float64Array, disposition: Float64Array,
  first: number, end: number, j: number, tolerance: number, inverseOwn: number, beta: number,
): void {
  let sum = runTotals[0];
  let min = runTotals[1];
  let expectations = runTotals[2];
  for (let k = first; k < end; k++, j++) {
    const uj = disposition[j];
    const e = tieExpected[k];
    let o = (uj + tolerance) * inverseOwn;
    o -= (o - 1) * +(o > 1);
    let t = tieTrust[k];
    const d = o - t;
    t += trustRate[+(d < 0)] * d;
    tieTrust[k] = t;
    sum += t;
    if (t < min) min = t;
    const next = e + beta * (uj - e);
    tieExpected[k] = next;
    expectations += next;
  }
  runTotals[0] = sum;
  runTotals[1] = min;
  runTotals[2] = expectations;
}

/**
 * The system ties first..end − 1 of a truster who committed something: as observeLocalityRun,
 * without data-dependent branches (the observations on these few ties per row are as likely to
 * be above as below the trust held, so a branch here is mispredicted often), with the partner
 * read from `target` and the expectation weighted by the tie's weight. Takes and returns the
 * weights in runTotals[0] and the expectations in runTotals[2].
 */
function observeSystemRun(
  tieTrust: Float64Array, tieExpected: Float64Array, disposition: Float64Array, target: Int32Array, weight: Float64Array,
  first: number, end: number, tolerance: number, inverseOwn: number, beta: number,
): void {
  let weights = runTotals[0];
  let expectations = runTotals[2];
  for (let k = first; k < end; k++) {
    const uj = disposition[target[k]];
    const w = weight[k];
    const e = tieExpected[k];
    let o = (uj + tolerance) * inverseOwn;
    o -= (o - 1) * +(o > 1);
    const t = tieTrust[k];
    const d = o - t;
    tieTrust[k] = t + crossRate[+(d < 0)] * d;
    const next = e + beta * (uj - e);
    tieExpected[k] = next;
    expectations += next * w;
    weights += w;
  }
  runTotals[0] = weights;
  runTotals[2] = expectations;
}

/** The error of a trust pass (this one or the WebAssembly one) for a row that network.ts did not lay out. */
export function localityTiesMismatch(leader: number): RangeError {
  return new RangeError(`leader ${leader}: its locality ties do not match its locality (see network.ts)`);
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
export function updateTrust(state: SimState, context: RoundContext, leaders: ArrayLike<number>): void {
  const { leaders: L, ties: T, localities: C, scenario } = state;
  const { reciprocityTolerance: tolerance, initial } = scenario.trust;
  const mandated = scenario.regime.mandated;
  const { beliefWeight: beta, trustLoss, crossGain, crossLoss, mandateCostPerRound } = context;
  const paceCost = scenario.trust.paceCost;
  const { start, withinEnd, target, weight, trust: tieTrust, expected: tieExpected } = T;
  const { disposition, unforced, expectation, locality, trustMean } = L;
  const { trustUp, forcedMonths, leaderStart, leaderEnd, minTrust } = C;
  crossRate[0] = crossGain;
  crossRate[1] = crossLoss;
  for (let c = 0; c < minTrust.length; c++) minTrust[c] = lowestTrustBeforeTies(leaderEnd[c] - leaderStart[c], initial);
  for (let q = 0; q < leaders.length; q++) {
    const i = leaders[q];
    const c = locality[i];
    const ui = disposition[i];
    const up = trustUp[c];
    const resentment = mandated ? ui - unforced[i] : 0;
    // Costs every locality tie bears this round whatever the partner did.
    const penalty = paceCost * forcedMonths[c] + (resentment > 0 ? mandateCostPerRound * resentment : 0);
    let expectations = 0;
    let sum = 0;
    let min = minTrust[c];
    // Locality ties (weight 1) come first in the row, system ties after. The locality ties point
    // at the locality's other leaders in index order (see network.ts), so the partner index is
    // walked directly instead of read from `target`, in two runs either side of i itself.
    const first = start[i];
    const localEnd = withinEnd[i];
    if (localEnd - first !== leaderEnd[c] - leaderStart[c] - 1) {
      throw localityTiesMismatch(i);
    }
    // Where i's own slot would be: ties before it point at partners before i.
    const selfSlot = first + (i - leaderStart[c]);
    const exposed = observes(ui);
    if (exposed && penalty === 0) {
      trustRate[0] = up;
      trustRate[1] = trustLoss;
      runTotals[0] = 0;
      runTotals[1] = min;
      runTotals[2] = 0;
      const inverseOwn = 1 / ui;
      observeLocalityRun(tieTrust, tieExpected, disposition, first, selfSlot, leaderStart[c], tolerance, inverseOwn, beta);
      observeLocalityRun(tieTrust, tieExpected, disposition, selfSlot, localEnd, i + 1, tolerance, inverseOwn, beta);
      sum = runTotals[0];
      min = runTotals[1];
      expectations = runTotals[2];
    } else {
      for (let k = first, j = leaderStart[c]; k < localEnd; k++, j++) {
        if (k === selfSlot) j++;
        const uj = disposition[j];
        const e = tieExpected[k];
        let t = tieTrust[k];
        if (exposed) t = trustAfterObservation(t, trustworthiness(uj, ui, tolerance), up, trustLoss);
        t -= penalty;
        t = t < 0 ? 0 : t;
        tieTrust[k] = t;
        sum += t;
        if (t < min) min = t;
        const next = e + beta * (uj - e);
        tieExpected[k] = next;
        expectations += next;
      }
    }
    const count = localEnd - first;
    let weights = count;
    const end = start[i + 1];
    if (exposed) {
      // 1/ui is trustworthiness's divisor here: ui ≥ EXPECTATION_FLOOR.
      runTotals[0] = weights;
      runTotals[2] = expectations;
      observeSystemRun(tieTrust, tieExpected, disposition, target, weight, localEnd, end, tolerance, 1 / ui, beta);
      weights = runTotals[0];
      expectations = runTotals[2];
    } else {
      for (let k = localEnd; k < end; k++) {
        const uj = disposition[target[k]];
        const w = weight[k];
        const e = tieExpected[k];
        const next = e + beta * (uj - e);
        tieExpected[k] = next;
        expectations += next * w;
        weights += w;
      }
    }
    if (weights > 0) expectation[i] = expectations / weights;
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
  // Plain numbers before the loop (a field of `context` was type-checked again per leader).
  const recovery = +context.focusRecovery;
  const rate = +context.turnoverPerRound;
  if (turnoverDraws.length < focus.length) turnoverDraws = new Float64Array(focus.length);
  const draws = turnoverDraws;
  fillBankUniform(rng.c, rng.s0, rng.s1, rng.s2, leaders, draws); // one uniform every round, as rng.next(i) draws
  let any = false;
  for (let k = 0; k < leaders.length; k++) {
    const i = leaders[k];
    const out = draws[i] < rate;
    const f = focus[i];
    focus[i] = f + recovery * (focusHome[i] - f);
    tenure[i] = out ? 0 : tenure[i] + 1;
    replaced[i] = out ? 1 : 0;
    any ||= out;
  }
  return any;
}

/** What a leader with mean trust `trust` expects partners to commit before seeing any: priorBelief at the trust-game baseline 0.5. */
export function priorExpectation(priorBelief: number, trust: number): number {
  const e = 2 * priorBelief * trust;
  return e > 1 ? 1 : e;
}

/**
 * A newcomer: baseline trust both ways on every tie, home focus, a fresh expectation — except
 * for the share `regime.structuralPartnering` of the partnership held in structures, which the
 * newcomer inherits (Seed 002: structures survive the people who made them).
 */
export function replaceLeader(state: SimState, i: number): void {
  const { leaders: L, ties: T, localities: C, scenario } = state;
  const initial = scenario.trust.initial;
  const held = scenario.regime.structuralPartnering;
  const fresh = 1 - held;
  L.focus[i] = L.focusHome[i];
  L.expectation[i] = fresh * priorExpectation(scenario.leaders.priorBelief, initial) + held * L.expectation[i];
  // Partners' expectations of the newcomer (its promise) are not reset: they know the organisation.
  L.sanctionPressure[i] = 0;
  const c = L.locality[i];
  const first = C.leaderStart[c];
  const base = fresh * initial;
  const priorE = priorExpectation(scenario.leaders.priorBelief, initial);
  // The tie arrays as locals: read from T inside the loops, each was loaded and checked per tie.
  const { start, withinEnd, target, trust, expected } = T;
  const rowEnd = start[i + 1];
  const localEnd = withinEnd[i];
  for (let k = start[i]; k < rowEnd; k++) {
    trust[k] = base + held * trust[k];
    expected[k] = fresh * priorE + held * expected[k];
    const j = target[k];
    if (k < localEnd) {
      // Locality ties are in partner order without self (network.ts): i's place in j's row is known.
      const back = start[j] + (i - first) - (i > j ? 1 : 0);
      trust[back] = base + held * trust[back];
      continue;
    }
    const backEnd = start[j + 1];
    for (let back = withinEnd[j]; back < backEnd; back++) {
      if (target[back] === i) {
        trust[back] = base + held * trust[back];
        break;
      }
    }
  }
  const keep = 1 - (fresh * scenario.board.turnoverMemoryLoss) / (C.leaderEnd[c] - first);
  C.vision[c] *= keep;
  C.understanding[c] *= keep;
}

export const STAGES = ['forming', 'storming', 'norming', 'performing'] as const;

/**
 * Locality learning: the perceived return of pooled money, vision, understanding, formula,
 * friction and Tuckman stage. The perceived return is smoothed value created over smoothed money
 * pooled (own money and fund), with the prior return as one small pseudo-observation, so it
 * starts at the prior and follows what the locality sees.
 */
export function localityLearning(state: SimState, context: RoundContext, c: number): void {
  const { localities: C, leaders: L, scenario } = state;
  const board = scenario.board;
  const n = C.leaderEnd[c] - C.leaderStart[c];
  const ambition = C.meanAmbition[c];
  const followership = C.meanFollowership[c];
  let trust = 0;
  const trustMean = L.trustMean;
  const end = C.leaderEnd[c];
  for (let i = C.leaderStart[c]; i < end; i++) trust += trustMean[i];
  trust /= n;
  // Trust after this round's learning: what the round's observation records (the trust pass
  // has already set C.minTrust).
  C.meanTrust[c] = trust;

  const w = context.returnWeight;
  C.smoothedValue[c] += w * (C.value[c] - C.smoothedValue[c]);
  C.smoothedPooled[c] += w * (C.contributions[c] + C.fundPaid[c] - C.smoothedPooled[c]);
  const pseudo = RETURN_PRIOR_WEIGHT * C.budget0[c];
  C.perceivedReturn[c] = C.smoothedPooled[c] + pseudo > 0 ? (C.smoothedValue[c] + scenario.leaders.priorReturn * pseudo) / (C.smoothedPooled[c] + pseudo) : scenario.leaders.priorReturn; // a locality with no budget keeps the prior

  const decided = C.decided[c] === 1;
  // Vision grows with the months of agreement the round stands for.
  if (decided) C.vision[c] += sharePerRound(scenario.board.visionGain * ambition * C.decidedMonths[c], 12) * (1 - C.vision[c]);
  C.understanding[c] += (1 - Math.exp(-context.understandingRate * followership * C.vision[c])) * (1 - C.understanding[c]);
  if (!C.formula[c] && decided && C.vision[c] >= board.formulaThreshold) C.formula[c] = 1;
  if (C.formula[c]) C.friction[c] *= 1 - context.frictionShare;

  C.roundsActive[c]++;
  const stage = C.stage[c];
  const understanding = C.understanding[c];
  let next = stage;
  if (stage === 0) {
    if (C.roundsActive[c] >= context.stormingRounds) next = 1;
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

/**
 * Weight of the prior return, as a share of a round's locality budget pooled once: small, so a
 * few rounds of real pooling outweigh it, but enough to define the return before any pooling.
 */
export const RETURN_PRIOR_WEIGHT = 0.001;

/** This round's turnover draws, by leader (scratch reused every round: drawTurnover writes every slot it reads). */
let turnoverDraws = new Float64Array(0);
