/**
 * Submodel 4, the locality board's collective decision (Thesis §5.4.3, §6.1.3). Contributions
 * and any transformation-fund payment enter the pool; the board agrees to deploy it with
 *
 *   p = meanTrust^δ · (1 − inequalityPenalty · I),   δ = difficulty·(1 + friction)·(1 + sizeDifficulty·ownPool/monthlyBudget)·(1 − ease)
 *
 * where I is the concentration of retained power (0 = equal, 1 = one member holds it all), the
 * size term counts only the partners' own money (fund money does not slow a board), and a
 * norming or performing board finds decisions easier (δ·(1 − ease)). p is a monthly probability,
 * converted to the round's length. A failed decision is a veto (with probability I: the powerful
 * member blocked it) or a conflict; pace pressure (a rate per year, 1 − exp(−rate/roundsPerYear)
 * a round) then forces it through. An undeployed pool leaks at `idleLoss` a year (effort lost to
 * structure and legal form). The transformation fund is paid or withheld first (see below).
 */
import { sharePerRound, type RoundContext } from '../context.ts';
import type { SimState } from '../state.ts';

/** Sums leaders' choices into their locality, in index order (deterministic float sums). */
export function aggregateDecisions(state: SimState): void {
  const { leaders: L, localities: C, scenario } = state;
  const threshold = +scenario.leaders.engagementThreshold;
  // The arrays as locals: read from L inside the loop, each was loaded and checked per leader.
  const { pooled, cost: leaderCost, disposition, resources: leaderResources, trustMean, power, distributedPower } = L;
  const { leaderStart, leaderEnd } = C;
  for (let c = 0; c < leaderStart.length; c++) {
    let contributions = 0;
    let cost = 0;
    let engaged = 0;
    let trustSum = 0;
    let retainedPowerSum = 0;
    let retainedPowerMax = 0;
    let dispositionSum = 0;
    let dispositionMin = 1;
    let resources = 0;
    const first = leaderStart[c];
    const end = leaderEnd[c];
    const n = end - first;
    for (let i = first; i < end; i++) {
      contributions += pooled[i];
      cost += leaderCost[i];
      const u = disposition[i];
      dispositionSum += u;
      if (u < dispositionMin) dispositionMin = u;
      if (u >= threshold) engaged++;
      resources += leaderResources[i];
      trustSum += trustMean[i];
      const retainedPower = power[i] * (1 - distributedPower[i]);
      retainedPowerSum += retainedPower;
      if (retainedPower > retainedPowerMax) retainedPowerMax = retainedPower;
    }
    C.contributions[c] = contributions;
    C.cost[c] = cost;
    C.engagement[c] = engaged / n;
    C.resources[c] = resources;
    C.minDisposition[c] = dispositionMin;
    C.meanDisposition[c] = dispositionSum / n;
    C.meanTrust[c] = trustSum / n;
    C.dispositionSinceAssessment[c] += dispositionSum;
    C.roundsSinceAssessment[c]++;
    const dominance = retainedPowerSum > 0 ? retainedPowerMax / retainedPowerSum : 1 / n;
    C.inequality[c] = n > 1 ? Math.max(0, (dominance - 1 / n) / (1 - 1 / n)) : 0;
  }
}

/**
 * The transformation fund under its condition. `none`: this round's entitlement is paid into
 * the pool before the board meets. `collective`: it accrues in escrow, and at the end of each
 * fund assessment window (after the board's decision of its last round) the locality is paid
 * the escrow into its pool if it collectively delivered its investment agreement over the
 * window (mean disposition at least the threshold, and an agreed plan when `requirePlan`), or
 * forfeits it ("or none of them get any", Thesis §5.4.5). Without pooled-budget flexibility
 * there is no pool to receive it (the zero-partnership limit).
 */
export function fundBeforeDecision(state: SimState, context: RoundContext, c: number): number {
  const { localities: C, scenario } = state;
  C.fundForfeited[c] = 0;
  const unconditional = scenario.funding.transformationFund.condition === 'none';
  // An intervention that drops the condition or pooling mid-window settles the window: the escrow
  // is paid with the unconditional money, or forfeited when there is no pool to receive it.
  let settled = 0;
  if ((context.poolCap === 0 || unconditional) && C.fundWindowRounds[c] > 0) {
    settled = C.fundEscrow[c];
    closeFundWindow(C, c);
  }
  if (context.poolCap === 0) {
    C.fundForfeited[c] = C.fundEntitled[c] + settled;
    return 0;
  }
  if (unconditional) return C.fundEntitled[c] + settled;
  C.fundEscrow[c] += C.fundEntitled[c];
  return 0;
}

function closeFundWindow(C: SimState['localities'], c: number): void {
  C.fundEscrow[c] = 0;
  C.fundWindowMean[c] = 0;
  C.fundWindowMin[c] = 0;
  C.fundWindowDecisions[c] = 0;
  C.fundWindowRounds[c] = 0;
}

/** Closes the round for a conditional fund: adds it to the window and, at the window's end, pays or forfeits the escrow. */
export function fundAfterDecision(state: SimState, context: RoundContext, c: number): number {
  const { localities: C, scenario } = state;
  const fund = scenario.funding.transformationFund;
  if (context.poolCap === 0 || fund.condition === 'none') return 0;
  C.fundWindowMean[c] += C.meanDisposition[c];
  C.fundWindowMin[c] += C.minDisposition[c];
  C.fundWindowDecisions[c] += C.decidedMonths[c];
  C.fundWindowRounds[c]++;
  if ((state.round + 1) % context.fundAssessmentRounds !== 0) return 0;
  const rounds = C.fundWindowRounds[c];
  const meanShare = C.fundWindowMean[c] / rounds;
  const plan = C.formula[c];
  let delivered: boolean;
  if (context.collectiveDeliveryRule) {
    delivered = context.collectiveDeliveryRule.evaluate({
      meanShare, minShare: C.fundWindowMin[c] / rounds, decisionRate: C.fundWindowDecisions[c] / (rounds * context.monthsPerRound),
      threshold: fund.collectiveThreshold, plan, meanTrust: C.meanTrust[c], stage: C.stage[c],
    }) !== 0;
  } else {
    delivered = meanShare >= fund.collectiveThreshold && (plan === 1 || !fund.requirePlan);
  }
  const escrow = C.fundEscrow[c];
  closeFundWindow(C, c);
  if (delivered) return escrow;
  C.fundForfeited[c] += escrow;
  return 0;
}

/**
 * Expected number of months with an event among `months` monthly chances of probability
 * `perMonth`, given at least one (probability `perRound` = 1 − (1 − perMonth)^months).
 */
export function expectedMonths(perMonth: number, perRound: number, months: number): number {
  return perRound > 0 ? (months * perMonth) / perRound : 1;
}

/** Locality c's board decides; reads the sums `aggregateDecisions` formed this round. */
export function boardDecision(state: SimState, context: RoundContext, c: number): void {
  const { localities: C, scenario } = state;
  const { board, flexibilities } = scenario;

  const paid = fundBeforeDecision(state, context, c);
  C.pool[c] += C.contributions[c] + paid;
  C.poolOwn[c] += C.contributions[c];

  // Consensus. Three uniforms are always drawn so the stream stays aligned across branches.
  const agreeDraw = C.rng.next(c);
  const vetoDraw = C.rng.next(c);
  const paceDraw = C.rng.next(c);
  let decided = true;
  let conflict = false;
  let veto = false;
  let forced = false;
  const months = context.monthsPerRound;
  let decidedMonths = months;
  let forcedMonths = 0;
  if (board.consensusRequired) {
    // Size is judged on the partners' own money against a month of the locality's budget.
    const monthlyBudget = C.resources[c] / months;
    const ownRelative = monthlyBudget > 0 ? C.poolOwn[c] / monthlyBudget : 0;
    const stage = C.stage[c];
    const ease = stage === 3 ? board.performingEase : stage === 2 ? board.performingEase / 2 : 0;
    const difficulty = board.difficulty * (1 + C.friction[c]) * (1 + board.sizeDifficulty * ownRelative) * (1 - ease);
    const perMonth = Math.pow(C.meanTrust[c], difficulty) * (1 - board.inequalityPenalty * C.inequality[c]);
    const p = 1 - Math.pow(1 - perMonth, months);
    decided = agreeDraw < p;
    // A round of several months stands for as many monthly meetings, each agreeing with
    // probability perMonth and, where it stalls, forced with the monthly pace probability q: an
    // agreed round stands for the expected agreeing months given at least one, and its stalled
    // months are forced at rate q; a round with no agreement is forced with 1 − (1 − q)^months
    // and then stands for the expected forcing months given at least one. So the expected months
    // decided or forced per month are perMonth + (1 − perMonth)·q at any round length (at
    // monthly rounds: 1 or 0 exactly).
    const q = context.paceMonthly;
    if (decided) {
      const agreed = expectedMonths(perMonth, p, months);
      // At monthly rounds an agreed round has no stalled month (agreed can miss 1 by an ulp).
      forcedMonths = months > 1 && months > agreed ? (months - agreed) * q : 0;
      decidedMonths = agreed + forcedMonths;
    } else {
      decidedMonths = 0;
      if (vetoDraw < C.inequality[c]) veto = true;
      else conflict = true;
      if (paceDraw < context.pacePerRound) {
        forced = true;
        decided = true;
        forcedMonths = expectedMonths(q, context.pacePerRound, months);
        decidedMonths = forcedMonths;
      }
    }
  }
  C.decidedMonths[c] = decidedMonths;
  C.forcedMonths[c] = forcedMonths;
  const share = decidedMonths / months;
  C.trustUp[c] = sharePerRound(scenario.trust.gain * (share + (1 - share) * scenario.trust.meetingGainShare), scenario.roundsPerYear);
  C.decided[c] = decided ? 1 : 0;
  C.forced[c] = forced ? 1 : 0;
  C.conflict[c] = conflict ? 1 : 0;
  C.veto[c] = veto ? 1 : 0;
  C.decisionsSinceAssessment[c] += decidedMonths;

  const leadShare = flexibilities.leadCommissioning.allowed ? flexibilities.leadCommissioning.cap : 0;
  const deployedShare = decided ? 1 : leadShare;
  const pool = C.pool[c];
  const deployed = deployedShare * pool;
  C.deployed[c] = deployed;
  const keptShare = (1 - deployedShare) * (1 - context.idleLoss);
  C.idleLost[c] = (1 - deployedShare) * pool * context.idleLoss;
  C.pool[c] = pool * keptShare;
  C.poolOwn[c] *= keptShare;
  // A conditional fund paid at the window's end waits in the pool for the next decision.
  const paidAfter = fundAfterDecision(state, context, c);
  C.pool[c] += paidAfter;
  C.fundPaid[c] = paid + paidAfter;
}
