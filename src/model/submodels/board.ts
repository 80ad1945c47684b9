/**
 * Submodel 4, the locality board's collective decision (Thesis §5.4.3, §6.1.3). Contributions
 * and any transformation-fund payment enter the pool; the board agrees to deploy it with
 *
 *   p = meanTrust^δ · (1 − inequalityPenalty · I),   δ = difficulty·(1 + friction)·(1 + sizeDifficulty·pool/budget)
 *
 * where I is the concentration of retained power (0 = equal, 1 = one member holds it all).
 * A failed decision is a veto (with probability I: the powerful member blocked it) or a
 * conflict; pace pressure then forces it through with probability `pacePressure`. An
 * undeployed pool leaks `idleLoss` a round (effort lost to structure and legal form).
 */
import type { RoundContext } from '../context.ts';
import type { SimState } from '../state.ts';

/** Sums leaders' choices into their locality, in index order (deterministic float sums). */
export function aggregateDecisions(state: SimState): void {
  const { leaders: L, localities: C, scenario } = state;
  const threshold = scenario.leaders.engagementThreshold;
  for (let c = 0; c < C.name.length; c++) {
    let contributions = 0;
    let cost = 0;
    let engaged = 0;
    let trustSum = 0;
    let retainedPowerSum = 0;
    let retainedPowerMax = 0;
    let dispositionSum = 0;
    let dispositionMin = 1;
    let resources = 0;
    const n = C.leaderEnd[c] - C.leaderStart[c];
    for (let i = C.leaderStart[c]; i < C.leaderEnd[c]; i++) {
      contributions += L.pooled[i];
      cost += L.cost[i];
      const u = L.disposition[i];
      dispositionSum += u;
      if (u < dispositionMin) dispositionMin = u;
      if (u >= threshold) engaged++;
      resources += L.resources[i];
      trustSum += L.trustMean[i];
      const retainedPower = L.power[i] * (1 - L.distributedPower[i]);
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
    const dominance = retainedPowerSum > 0 ? retainedPowerMax / retainedPowerSum : 1 / n;
    C.inequality[c] = n > 1 ? Math.max(0, (dominance - 1 / n) / (1 - 1 / n)) : 0;
  }
}

/** Locality c's board decides; reads the sums `aggregateDecisions` formed this round. */
export function boardDecision(state: SimState, context: RoundContext, c: number): void {
  const { localities: C, scenario } = state;
  const { board, regime, flexibilities, funding } = scenario;

  // Transformation fund: paid only on collective delivery when the condition says so.
  const minShare = C.minDisposition[c];
  const fund = funding.transformationFund;
  let delivered: boolean;
  // Without pooled-budget flexibility there is no pool to receive the fund (zero-partnership limit).
  if (context.poolCap === 0) delivered = false;
  else if (fund.condition === 'none') delivered = true;
  else if (context.collectiveDeliveryRule) {
    delivered = context.collectiveDeliveryRule.evaluate({
      minShare, meanShare: C.meanDisposition[c], threshold: fund.collectiveThreshold,
      meanTrust: C.meanTrust[c], decided: C.decided[c], stage: C.stage[c],
    }) !== 0;
  } else delivered = minShare >= fund.collectiveThreshold;
  C.fundPaid[c] = delivered ? C.fundEntitled[c] : 0;
  C.pool[c] += C.contributions[c] + C.fundPaid[c];

  // Consensus. Three uniforms are always drawn so the stream stays aligned across branches.
  const agreeDraw = C.rng.next(c);
  const vetoDraw = C.rng.next(c);
  const paceDraw = C.rng.next(c);
  const budget = C.resources[c];
  let decided = true;
  let conflict = false;
  let veto = false;
  let forced = false;
  if (board.consensusRequired) {
    const poolRelative = budget > 0 ? C.pool[c] / budget : 0;
    const difficulty = board.difficulty * (1 + C.friction[c]) * (1 + board.sizeDifficulty * poolRelative);
    const p = Math.pow(C.meanTrust[c], difficulty) * (1 - board.inequalityPenalty * C.inequality[c]);
    decided = agreeDraw < p;
    if (!decided) {
      if (vetoDraw < C.inequality[c]) veto = true;
      else conflict = true;
      if (paceDraw < regime.pacePressure) {
        forced = true;
        decided = true;
      }
    }
  }
  C.decided[c] = decided ? 1 : 0;
  C.forced[c] = forced ? 1 : 0;
  C.conflict[c] = conflict ? 1 : 0;
  C.veto[c] = veto ? 1 : 0;
  if (decided) C.decisionsSinceAssessment[c]++;

  const leadShare = flexibilities.leadCommissioning.allowed ? flexibilities.leadCommissioning.cap : 0;
  const deployed = decided ? C.pool[c] : leadShare * C.pool[c];
  C.deployed[c] = deployed;
  C.pool[c] -= deployed;
  const lost = board.idleLoss * C.pool[c];
  C.idleLost[c] = lost;
  C.pool[c] -= lost;
}
