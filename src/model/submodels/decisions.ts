/**
 * Submodel 3, decisions: each leader chooses its partnership disposition u (share of its pooling
 * cap it commits) in a repeated public-goods game with social preferences, conditional
 * cooperation and the incentives a regime sets:
 *
 *   raw = (1 − f)·(a + type.respond(E))                       social preferences, conditional cooperation
 *       + κ·(v − 1 + fundPull)                                net perceived return of a pooled £
 *       + enabling·4x(1 − x) − retreat·x²                     budget pressure (bounded hump)
 *       + sanctionPressure + noise·N(0,1)
 *   u   = clamp(raw, 0, ambition), raised to the mandate floor when partnering is mandated.
 *
 * The return of a pooled £ as leader i sees it: ρ = R·(r + (1 − r)·T̄) (the locality's observed
 * return R, counted in full as far as i trusts its partners or is willing to take the risk r);
 * the own organisation's part m = ρ·(g + (1 − g)·s) (g the gain share, s the organisation's share
 * of the locality budget; m is the marginal per-capita return of the laboratory game); and the
 * value to i, v = m + a·(ρ − m), with altruism a the weight i puts on others' gains. The
 * fund's pull is the expected value of the payment that i's commitment makes more likely, per £
 * it pools: a provision point judged on the locality's mean disposition, with i's belief of that
 * mean centred on E and spread σ (the fund pulls hardest when the locality is expected near the
 * threshold). x = τ/(τ + scale) is the bounded budget pressure of the organisation (environment).
 *
 * Each leader then pools `poolCap·u·control` of its budget share (councils under the balanced
 * budget duty: cap·(1 − x)), spends senior time on partnership working (`costRate·(1 + friction)`,
 * scaled by engagement), keeps the rest, and cedes `u·(0.5 + riskAppetite)` of its power. Reads
 * only the leader's own state and last round's locality state, so leaders may be processed in
 * any order (Mesa's step/advance split).
 */
import { respond } from '../../agents/leader-types.ts';
import type { RoundContext } from '../context.ts';
import { fillNormal } from '../rng.ts';
import type { SimState } from '../state.ts';

const INV_SQRT_2PI = 0.3989422804014327;

/** Net effect of bounded budget pressure x ∈ [0, 1) on the disposition: an enabling hump minus retreat. */
export function budgetPressureEffect(x: number, enabling: number, retreat: number): number {
  return enabling * 4 * x * (1 - x) - retreat * x * x;
}

/**
 * Value of a pooled £ to a leader, before the £ itself: own organisation's part plus the weight
 * on everyone else's part. `rho` is the perceived value per pooled £, `share` the organisation's
 * share of the locality budget, `gainShare` the share returned to contributors.
 */
export function valueToLeader(rho: number, share: number, gainShare: number, altruism: number): number {
  const own = rho * (gainShare + (1 - gainShare) * share);
  return own + altruism * (rho - own);
}

/**
 * Every leader in `leaders` (a list of leader indices, usually all of them) decides. One call
 * per pass rather than per leader: the round's constants and arrays are read once, which
 * matters at 10⁵ leaders.
 */
export function decide(state: SimState, context: RoundContext, leaders: ArrayLike<number>): void {
  const { leaders: L, organisations: O, localities: C, scenario } = state;
  // The round's constants as plain numbers and booleans before the loop: TurboFan does not hoist
  // a parameter's Smi-or-HeapNumber check (or a flag's truthiness test) out of a loop, so a
  // field read straight from the scenario was re-checked for every leader. `+` and `!!` are the
  // conversions the arithmetic and the conditions below did anyway: the numbers are the same.
  const P = scenario.leaders;
  const conditionalSlope = +P.conditionalSlope;
  const decisionNoise = +P.decisionNoise;
  const engagementThreshold = +P.engagementThreshold;
  const returnSensitivity = +P.returnSensitivity;
  const budgetEnabling = +P.budgetEnabling;
  const budgetRetreat = +P.budgetRetreat;
  const fundBeliefSpread = +P.fundBeliefSpread;
  const mandated = !!scenario.regime.mandated;
  const mandateFloor = +scenario.regime.mandateFloor;
  const gainShare = +scenario.funding.gainShare;
  const balancedBudgetDuty = !!scenario.funding.balancedBudgetDuty;
  const fund = scenario.funding.transformationFund;
  const conditional = fund.condition === 'collective';
  const collectiveThreshold = +fund.collectiveThreshold;
  const requirePlan = !!fund.requirePlan;
  const formulaThreshold = +scenario.board.formulaThreshold;
  const costRate = +scenario.board.costRate;
  const poolCap = +context.poolCap;
  const { pressure, localityShare, isCouncil } = O;
  const { friction, perceivedReturn, fundEntitled, formula, vision, leaderStart, leaderEnd } = C;
  const {
    org, type, expectation, focus, altruism, sanctionPressure, ambition, riskAppetite, locality, control, trustMean,
    resources, unforced: unforcedOut, disposition, distributedPower, pooled, cost, retained, rng,
  } = L;
  if (shocks.length < disposition.length) shocks = new Float64Array(disposition.length);
  const shock = shocks;
  fillNormal(rng.c, rng.s0, rng.s1, rng.s2, leaders, shock); // one uniform per leader, as rng.normal(i) draws: streams stay aligned
  for (let k = 0; k < leaders.length; k++) {
    const i = leaders[k];
    const o = org[i];
    const c = locality[i];
    const x = pressure[o];
    const f = focus[i];
    const a = altruism[i];
    const risk = riskAppetite[i];
    const E = expectation[i];
    const rho = perceivedReturn[c] * (risk + (1 - risk) * trustMean[i]);
    const share = localityShare[o];
    const v = valueToLeader(rho, share, gainShare, a);
    const councilCap = balancedBudgetDuty && isCouncil[o] === 1 ? 1 - x : 1;
    let fundPull = 0;
    if (conditional && fundEntitled[c] > 0) {
      const perUnit = poolCap * councilCap * control[i] * resources[i]; // £ pooled per unit of disposition
      if (perUnit > 0) {
        const n = leaderEnd[c] - leaderStart[c];
        const z = (E - collectiveThreshold) / fundBeliefSpread;
        const pivotal = (INV_SQRT_2PI * Math.exp(-0.5 * z * z)) / (n * fundBeliefSpread);
        const plan = !requirePlan || formula[c] === 1 || formulaThreshold <= 0 ? 1 : Math.min(1, vision[c] / formulaThreshold);
        fundPull = (fundEntitled[c] * rho * (share + a * (1 - share)) * plan * pivotal) / perUnit;
      }
    }
    const raw = (1 - f) * (a + respond(type[i], E, conditionalSlope))
      + returnSensitivity * (v - 1 + fundPull)
      + budgetPressureEffect(x, budgetEnabling, budgetRetreat)
      + sanctionPressure[i]
      + decisionNoise * shock[i];
    const cap = ambition[i];
    const unforced = raw < 0 ? 0 : raw > cap ? cap : raw;
    const u = mandated ? Math.max(unforced, mandateFloor) : unforced;
    unforcedOut[i] = unforced;
    disposition[i] = u;
    const distributed = u * (0.5 + risk);
    distributedPower[i] = distributed > 1 ? 1 : distributed;

    // min(1, u/threshold), exactly: a correctly rounded quotient is monotone, so u/threshold ≥ 1
    // when u > threshold and ≤ 1 otherwise; the division is left only to leaders below the
    // threshold. And `y > 1 ? 1 : y` is Math.min(1, y) exactly (NaN and −0 included), without
    // its NaN and signed-zero tests.
    const engagement = engagementThreshold > 0 ? (u > engagementThreshold ? 1 : u / engagementThreshold) : u > 0 ? 1 : 0;
    const costAsked = costRate * (1 + friction[c]) * engagement;
    const costShare = costAsked > 1 ? 1 : costAsked;
    const poolShare = Math.min(poolCap * councilCap * u * control[i], 1 - costShare);
    const available = resources[i];
    const pooledHere = poolShare * available;
    const costHere = costShare * available;
    pooled[i] = pooledHere;
    cost[i] = costHere;
    // Pool and cost shares sum to at most 1, but their products can overshoot by an ulp.
    const kept = available - pooledHere - costHere;
    retained[i] = kept > 0 ? kept : 0;
  }
}

/** This round's decision shocks, by leader (scratch reused every round: decide writes every slot it reads). */
let shocks = new Float64Array(0);
