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

export function decide(state: SimState, context: RoundContext, leader: number): void {
  const { leaders: L, organisations: O, localities: C, scenario } = state;
  const params = scenario.leaders;
  const i = leader;
  const o = L.org[i];
  const tightness = Math.max(0, 1 - O.budget[o] / (O.budget0[o] * state.demandFactor));
  const response = respond(L.type[i], L.expectation[i], params.conditionalSlope);
  const shock = L.rng.normal(i); // always one uniform: streams stay aligned
  const raw = (1 - L.focus[i]) * (L.altruism[i] + response)
    - params.budgetRetreat * tightness
    + L.sanctionPressure[i]
    + params.decisionNoise * shock;
  const unforced = raw < 0 ? 0 : raw > L.ambition[i] ? L.ambition[i] : raw;
  const u = scenario.regime.mandated ? Math.max(unforced, scenario.regime.mandateFloor) : unforced;
  L.unforced[i] = unforced;
  L.disposition[i] = u;
  const distributed = u * (0.5 + L.riskAppetite[i]);
  L.distributedPower[i] = distributed > 1 ? 1 : distributed;

  const friction = C.friction[L.locality[i]];
  const engagement = params.engagementThreshold > 0 ? Math.min(1, u / params.engagementThreshold) : u > 0 ? 1 : 0;
  const costShare = scenario.board.costRate * (1 + friction) * engagement;
  const poolShare = Math.min(context.poolCap * u * L.control[i], 1 - costShare);
  const resources = L.resources[i];
  L.pooled[i] = poolShare * resources;
  L.cost[i] = costShare * resources;
  L.retained[i] = resources - L.pooled[i] - L.cost[i];
}
