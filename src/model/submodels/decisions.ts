/**
 * Submodel 3, decisions: each leader chooses its partnership disposition u (share of its
 * ambition it commits) as a conditional cooperator in a repeated public-goods game:
 *
 *   raw = (1 − focus)·(altruism + type.respond(expectation)) − retreat·tightness
 *         + sanctionPressure + noise·N(0,1)
 *   u   = clamp(raw, 0, ambition), raised to the mandate floor when partnering is mandated.
 *
 * It pools `poolCap·u·control` of its budget share, spends senior time on partnership working
 * (`costRate·(1 + friction)`, scaled by engagement), keeps the rest, and cedes
 * `u·(0.5 + riskAppetite)` of its power. Reads only the leader's own state and last round's
 * expectation, so leaders may be processed in any order (Mesa's step/advance split).
 */
import { respond } from '../../agents/leader-types.ts';
import type { RoundContext } from '../context.ts';
import type { SimState } from '../state.ts';

/**
 * Every leader in `leaders` (a list of leader indices, usually all of them) decides. One call
 * per pass rather than per leader: the round's constants and arrays are read once, which
 * matters at 10⁵ leaders.
 */
export function decide(state: SimState, context: RoundContext, leaders: ArrayLike<number>): void {
  const { leaders: L, organisations: O, localities: C, scenario } = state;
  const { conditionalSlope, budgetRetreat, decisionNoise, engagementThreshold } = scenario.leaders;
  const { mandated, mandateFloor } = scenario.regime;
  const costRate = scenario.board.costRate;
  const poolCap = context.poolCap;
  const demandFactor = state.demandFactor;
  const { budget, budget0 } = O;
  const friction = C.friction;
  const {
    org, type, expectation, focus, altruism, sanctionPressure, ambition, riskAppetite, locality, control,
    resources, unforced: unforcedOut, disposition, distributedPower, pooled, cost, retained, rng,
  } = L;
  for (let k = 0; k < leaders.length; k++) {
    const i = leaders[k];
    const o = org[i];
    const tightness = Math.max(0, 1 - budget[o] / (budget0[o] * demandFactor));
    const response = respond(type[i], expectation[i], conditionalSlope);
    const shock = rng.normal(i); // always one uniform: streams stay aligned
    const raw = (1 - focus[i]) * (altruism[i] + response)
      - budgetRetreat * tightness
      + sanctionPressure[i]
      + decisionNoise * shock;
    const cap = ambition[i];
    const unforced = raw < 0 ? 0 : raw > cap ? cap : raw;
    const u = mandated ? Math.max(unforced, mandateFloor) : unforced;
    unforcedOut[i] = unforced;
    disposition[i] = u;
    const distributed = u * (0.5 + riskAppetite[i]);
    distributedPower[i] = distributed > 1 ? 1 : distributed;

    const engagement = engagementThreshold > 0 ? Math.min(1, u / engagementThreshold) : u > 0 ? 1 : 0;
    const costShare = costRate * (1 + friction[locality[i]]) * engagement;
    const poolShare = Math.min(poolCap * u * control[i], 1 - costShare);
    const available = resources[i];
    const pooledHere = poolShare * available;
    const costHere = costShare * available;
    pooled[i] = pooledHere;
    cost[i] = costHere;
    retained[i] = available - pooledHere - costHere;
  }
}
